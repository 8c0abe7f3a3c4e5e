//! Documents as people have them: plain text, Markdown, web pages and PDF. Each is recognised
//! by its content (magic bytes, markup), not by its name alone, and read into the same blocks
//! (title, byline, headings, paragraphs, captions) with what the file says of itself (title,
//! author, published date, address) and what was left out (navigation, comments, page
//! headers).
//!
//! Every reader is bounded: a size per format, a cap on the elements of a page and on the
//! expanded size of a PDF's compressed streams; nothing a document references is fetched.

mod html;
mod markdown;
mod pdf;

use std::path::Path;

use super::article::{self, Found};
use super::{DataError, date, decode};

/// The most text a document may give, whatever its format: about 170,000 words, which the
/// reindex embeds in well under a minute.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// A document's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
}

impl Format {
    /// Every format, in the order the help names them.
    pub const ALL: [Format; 4] = [Format::Text, Format::Markdown, Format::Html, Format::Pdf];

    /// The extension a document of this format is kept under in the data directory.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }

    /// The format's name, for users.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "Markdown",
            Format::Html => "web page",
            Format::Pdf => "PDF",
        }
    }

    /// The format a file name's extension claims.
    pub fn of_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// The largest file of this format taken, in bytes: markup and a PDF's fonts and pictures
    /// take room that text does not.
    pub fn max_bytes(self) -> u64 {
        match self {
            Format::Text | Format::Markdown => MAX_TEXT_BYTES as u64,
            Format::Html => 4 * 1024 * 1024,
            Format::Pdf => 8 * 1024 * 1024,
        }
    }
}

/// The format of a document's bytes: a PDF by its magic bytes, a web page by its markup,
/// Markdown by front matter or headings written with `#`; the extension only tells Markdown
/// from plain text when the content does not.
pub fn sniff(bytes: &[u8], extension: Option<&str>) -> Format {
    // A PDF's header may follow up to 1,024 bytes of anything (ISO 32000-1, 7.5.2).
    if bytes[..bytes.len().min(1024 + 5)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        return Format::Pdf;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let markup = ["<!doctype html", "<html", "<?xml", "<head", "<body"];
    if markup.iter().any(|m| head.starts_with(m))
        || (head.starts_with('<')
            && ["<p>", "<div", "<article", "<h1"]
                .iter()
                .any(|m| head.contains(m)))
    {
        return Format::Html;
    }
    let text = String::from_utf8_lossy(bytes);
    let front_matter = text.starts_with("---\n") || text.starts_with("+++\n");
    let headings = text.lines().any(|l| {
        let hashes = l.len() - l.trim_start_matches('#').len();
        (1..=6).contains(&hashes) && l[hashes..].starts_with(' ') && l.len() > hashes + 1
    });
    if front_matter || headings {
        return Format::Markdown;
    }
    match extension.and_then(Format::of_extension) {
        Some(Format::Markdown) => Format::Markdown,
        _ => Format::Text,
    }
}

/// What a document's file gives: what was extracted from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The title, the byline and the blocks.
    pub found: Found,
    /// The published date the file states, as written there (`2016-02-03`).
    pub published: Option<String>,
    /// The address the file gives itself (a page's canonical link).
    pub url: Option<String>,
    /// What was left out, for the moderator: "navigation", "3 share blocks", "page numbers".
    pub dropped: Vec<String>,
}

/// Reads a document of `format` from its bytes; `path` names the file in errors and
/// `known_title` (from the metadata file) is recognised as the title.
pub fn read(
    path: &Path,
    bytes: Vec<u8>,
    format: Format,
    known_title: Option<&str>,
) -> Result<Extracted, DataError> {
    let refused = |message: String| DataError::Malformed {
        path: path.to_path_buf(),
        format: format.name(),
        message,
    };
    let size = bytes.len() as u64;
    if size > format.max_bytes() {
        return Err(DataError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: format.max_bytes(),
        });
    }
    let read = match format {
        Format::Text => Extracted {
            found: article::read(&decode(path, bytes)?, known_title),
            ..Extracted::default()
        },
        Format::Markdown => markdown::read(&decode(path, bytes)?),
        Format::Html => html::read(&decode(path, bytes)?).map_err(refused)?,
        Format::Pdf => pdf::read(&bytes, known_title).map_err(refused)?,
    };
    let text: usize = read.found.blocks.iter().map(|b| b.text.len()).sum();
    if text > MAX_TEXT_BYTES {
        return Err(refused(format!(
            "gives {text} bytes of text; a document may give at most {MAX_TEXT_BYTES}"
        )));
    }
    Ok(read)
}

/// A date as a document's metadata writes it ("2016-02-03T10:00:00+05:00", "2016-02-03"):
/// the day, when it starts with one, as `2016-02-03`.
fn day_of(written: &str) -> Option<String> {
    let (y, m, d) = date::day_of(written.trim())?;
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// "1 code block", "3 code blocks".
pub(super) fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Whitespace runs as one space, trimmed: the text of a block as a reader sees it.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
