//! Markdown, read with pulldown-cmark (CommonMark, the parser rustdoc and mdBook use): `#`
//! headings, paragraphs, list items, block quotes and table rows become blocks, an image's
//! alternative text a caption; code and raw HTML are left out. Front matter (YAML `---` or
//! TOML `+++`) gives the title, author, date and address.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{Extracted, counted, day_of, squeeze};
use crate::corpus::Role;
use crate::corpus::article::Block;

pub(super) fn read(text: &str) -> Extracted {
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_TABLES;
    let mut read = Extracted::default();
    let mut text_of_block = String::new();
    let mut alt = String::new();
    let mut in_image = false;
    let mut in_front_matter = false;
    let mut skipped = 0usize;
    let mut skipping = false;
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_front_matter = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_front_matter = false,
            Event::Text(t) if in_front_matter => front_matter(&t, &mut read),
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => {
                skipping = true;
                skipped += 1;
            }
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => skipping = false,
            _ if skipping => {}
            Event::Start(Tag::Image { .. }) => in_image = true,
            Event::End(TagEnd::Image) => {
                in_image = false;
                push(&mut read, Role::Caption, &std::mem::take(&mut alt));
            }
            Event::Text(t) | Event::Code(t) if in_image => alt.push_str(&t),
            Event::Text(t) | Event::Code(t) => text_of_block.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text_of_block.push(' '),
            Event::End(TagEnd::Heading(level)) => {
                let titled = read.found.blocks.iter().any(|b| b.role == Role::Title);
                let role = if level == HeadingLevel::H1 && !titled {
                    Role::Title
                } else {
                    Role::Heading
                };
                push(&mut read, role, &std::mem::take(&mut text_of_block));
            }
            Event::End(TagEnd::TableCell) => text_of_block.push_str(" | "),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableRow) => {
                let block = std::mem::take(&mut text_of_block);
                push(&mut read, Role::Body, block.trim_end_matches([' ', '|']));
            }
            _ => {}
        }
    }
    if skipped > 0 {
        read.dropped.push(counted(
            skipped,
            "code or HTML block",
            "code or HTML blocks",
        ));
    }
    read
}

fn push(read: &mut Extracted, role: Role, text: &str) {
    let text = squeeze(text);
    if text.is_empty() {
        return;
    }
    if role == Role::Title && read.found.title.is_none() {
        read.found.title = Some(text.clone());
    }
    read.found.blocks.push(Block { role, text });
}

/// The fields of front matter that matter here, from `key: value` (YAML) or `key = "value"`
/// (TOML) lines; nested structures are not read (a title, an author, a date and an address
/// are plain values in every front matter seen).
fn front_matter(raw: &str, read: &mut Extracted) {
    for line in raw.lines() {
        let Some((key, value)) = line.split_once(':').or_else(|| line.split_once('=')) else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']).trim();
        if value.is_empty() {
            continue;
        }
        match key.trim().to_ascii_lowercase().as_str() {
            "title" => read.found.title = Some(value.to_string()),
            "author" | "byline" => read.found.author = Some(value.to_string()),
            "date" | "published" | "published_at" | "pubdate" => read.published = day_of(value),
            "url" | "canonical" | "canonical_url" | "permalink"
                if value.starts_with("http://") || value.starts_with("https://") =>
            {
                read.url = Some(value.to_string());
            }
            _ => {}
        }
    }
}
