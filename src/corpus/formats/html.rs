//! Web pages, read with dom_smoothie (a port of Mozilla's Readability, the reader view of
//! Firefox): the main text of the page without navigation, sidebars, share buttons, comments
//! and footers; its title, byline, published date and canonical address from the page's
//! metadata (`<meta>`, Open Graph, JSON-LD). The main text is then walked with dom_query (the
//! same parsed tree, html5ever underneath): headings become headings, paragraphs, list items
//! and quotes paragraphs, `figcaption` and an image's `alt` captions. No script runs and
//! nothing the page references is fetched.

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability};

use super::{Extracted, counted, day_of, squeeze};
use crate::corpus::Role;
use crate::corpus::article::Block;

/// The most elements of a page read: far above any article, far below what would take long.
const MAX_ELEMENTS: usize = 200_000;

/// Elements nested deeper than this are not walked (a page nests a few dozen deep; a hostile
/// one nests to exhaust the stack).
const MAX_DEPTH: usize = 256;

/// What the reader view leaves out, counted on the page before it does, for the moderator.
const LEFT_OUT: &[(&str, &str, &str)] = &[
    (
        "nav, [role=navigation]",
        "navigation menu",
        "navigation menus",
    ),
    ("aside, [role=complementary]", "sidebar", "sidebars"),
    (
        "[class*=share], [id*=share], [class*=social]",
        "share block",
        "share blocks",
    ),
    (
        "#comments, .comments, [id*=comment], [class*=comment]",
        "comment block",
        "comment blocks",
    ),
    ("footer, [role=contentinfo]", "footer", "footers"),
    ("script", "script", "scripts"),
];

pub(super) fn read(html: &str) -> Result<Extracted, String> {
    if depth(html) > MAX_DEPTH {
        return Err(format!("elements nested more than {MAX_DEPTH} deep"));
    }
    let page = Document::from(html);
    let canonical = page
        .select("link[rel=canonical]")
        .attr("href")
        .map(|u| u.to_string());
    // The page's one first-level heading names the article better than its <title>, which
    // adds the site's name ("Mozilla - Wikipedia").
    let headings = page.select("h1");
    let heading = (headings.length() == 1).then(|| squeeze(&headings.text()));
    let mut dropped = Vec::new();
    for (selector, one, many) in LEFT_OUT {
        let n = page.select(selector).length();
        if n > 0 {
            dropped.push(counted(n, one, many));
        }
    }
    let config = Config {
        max_elements_to_parse: MAX_ELEMENTS,
        ..Config::default()
    };
    let article = Readability::with_document(page, None, Some(config))
        .and_then(|mut r| r.parse())
        .map_err(|e| format!("no main text found ({e})"))?;
    let mut read = Extracted {
        published: article.published_time.as_deref().and_then(day_of),
        url: canonical
            .or(article.url)
            .filter(|u| u.starts_with("http://") || u.starts_with("https://")),
        dropped,
        ..Extracted::default()
    };
    let title = squeeze(&article.title);
    let title = match heading {
        Some(h) if !h.is_empty() && title.contains(&h) => h,
        _ => title,
    };
    if !title.is_empty() {
        read.found.title = Some(title.clone());
        read.found.blocks.push(Block {
            role: Role::Title,
            text: title,
        });
    }
    read.found.author = article
        .byline
        .map(|b| squeeze(&b))
        .filter(|b| !b.is_empty());
    let content = Document::from(article.content.as_ref());
    for body in content.select("body").nodes() {
        walk(body, 0, &mut read.found.blocks);
    }
    Ok(read)
}

/// The blocks under `node`, in reading order.
fn walk(node: &NodeRef, depth: usize, blocks: &mut Vec<Block>) {
    if depth > MAX_DEPTH {
        return;
    }
    for child in node.element_children() {
        let name = child.node_name().map(|n| n.to_ascii_lowercase());
        let role = match name.as_deref() {
            Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6") => Some(Role::Heading),
            Some("p" | "li" | "blockquote" | "dd" | "dt" | "tr") => Some(Role::Body),
            Some("figcaption" | "caption") => Some(Role::Caption),
            Some("img") => {
                let alt = squeeze(&child.attr("alt").unwrap_or_default());
                // An image's alternative text is a caption when it says something.
                if alt.split_whitespace().count() >= 3 {
                    blocks.push(Block {
                        role: Role::Caption,
                        text: alt,
                    });
                }
                None
            }
            Some("script" | "style" | "noscript" | "template" | "pre" | "code") => continue,
            _ => None,
        };
        let nested_blocks = role == Some(Role::Body)
            && child.element_children().iter().any(|c| {
                c.node_name()
                    .is_some_and(|n| matches!(n.as_ref(), "p" | "ul" | "ol"))
            });
        match role {
            Some(role) if !nested_blocks => {
                let text = without_citations(&squeeze(&child.text()));
                let is_title = blocks
                    .first()
                    .is_some_and(|b| b.role == Role::Title && b.text == text);
                if !(text.is_empty() || role == Role::Heading && is_title) {
                    blocks.push(Block { role, text });
                }
            }
            _ => walk(&child, depth + 1, blocks),
        }
    }
}

/// The text without the citation marks of a reference work ("[12]", "[citation needed]"),
/// which stick to the words and dates before them ("2004.[49]").
fn without_citations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let close = rest[open..].find(']').map(|c| open + c);
        let mark = close.map(|c| &rest[open + 1..c]);
        let citation = mark.is_some_and(|m| {
            m.chars().all(|c| c.is_ascii_digit()) && !m.is_empty()
                || matches!(
                    m,
                    "citation needed" | "clarification needed" | "when?" | "who?"
                )
                || m.starts_with("note ")
        });
        match close {
            Some(c) if citation => {
                out.push_str(&rest[..open]);
                rest = &rest[c + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// How deep the page's tags nest, read from its tags alone (elements that never or seldom
/// hold others, and self-closing tags, do not open a level; an end tag closes one): an upper
/// bound cheap enough to check before parsing.
fn depth(html: &str) -> usize {
    const FLAT: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "td", "tr", "th", "option",
    ];
    let (mut now, mut most) = (0usize, 0usize);
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        if tag.starts_with('/') {
            now = now.saturating_sub(1);
            continue;
        }
        if tag.starts_with(['!', '?']) || tag.ends_with('/') {
            continue;
        }
        let name = tag
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !name.is_empty() && !FLAT.contains(&name.as_str()) {
            now += 1;
            most = most.max(now);
        }
    }
    most
}
