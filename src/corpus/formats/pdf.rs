//! PDF, read with pdf-extract (on lopdf): the text layer page by page in reading order, then
//! the page furniture dropped (a line repeated at the top or bottom of most pages, page
//! numbers), words hyphenated at a line's end joined, and the text read as an article is
//! (title, byline, headings, captions, paragraphs). A PDF without a text layer (pictures of
//! pages) is refused: there is nothing to index. Before any of it, the compressed streams are
//! expanded under a bound, so a small file cannot expand into gigabytes.

use std::collections::HashMap;
use std::io::Read as _;

use super::{Extracted, counted};
use crate::corpus::article;

/// The most the compressed streams of one PDF may expand to, together.
const MAX_EXPANDED: u64 = 64 * 1024 * 1024;

/// Fewer letters and digits than this in the whole text layer: no text layer.
const MIN_TEXT: usize = 20;

pub(super) fn read(bytes: &[u8], known_title: Option<&str>) -> Result<Extracted, String> {
    let expanded = expanded_size(bytes);
    if expanded > MAX_EXPANDED {
        return Err(format!(
            "its compressed streams expand past {} MiB",
            MAX_EXPANDED / 1024 / 1024
        ));
    }
    // pdf-extract stops at what it cannot read, now and then by panicking on a malformed
    // file: either way the PDF is refused with a reason, and the process goes on.
    let pages = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes))
        .map_err(|_| "the file is malformed: its text cannot be read".to_string())?
        .map_err(|e| format!("the file is malformed: {e}"))?;
    let letters: usize = pages
        .iter()
        .map(|p| p.chars().filter(|c| c.is_alphanumeric()).count())
        .sum();
    if letters < MIN_TEXT {
        return Err("it has no text layer (a scanned document?): nothing to index".into());
    }
    let (text, dropped) = unpaged(&pages);
    Ok(Extracted {
        found: article::read(&text, known_title),
        dropped,
        ..Extracted::default()
    })
}

/// The pages as one text: page furniture dropped, a paragraph cut by a page break joined,
/// words hyphenated at a line's end joined; paragraphs apart by a blank line. A text layer
/// rarely marks paragraphs, so a line clearly shorter than the text's full lines ends one (the
/// last line of a paragraph, a heading, a caption, a title).
fn unpaged(pages: &[String]) -> (String, Vec<String>) {
    let pages: Vec<String> = pages.iter().map(|p| soft_hyphens(p)).collect();
    let lines: Vec<Vec<&str>> = pages
        .iter()
        .map(|p| p.lines().map(str::trim).collect())
        .collect();
    let furniture = repeated_edges(&lines);
    let (mut numbers, mut repeated) = (0usize, 0usize);
    let mut kept: Vec<String> = Vec::new();
    for page in &lines {
        let edges = edge_lines(page);
        let mut own: Vec<String> = Vec::new();
        for (i, line) in page.iter().enumerate() {
            if edges.contains(&i) && is_page_number(line) {
                numbers += 1;
            } else if edges.contains(&i) && furniture.contains(&shape(line)) {
                repeated += 1;
            } else {
                own.push(line.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
        // Blank lines at a page's start or end say nothing of paragraphs.
        let first = own.iter().position(|l| !l.is_empty()).unwrap_or(own.len());
        let last = own
            .iter()
            .rposition(|l| !l.is_empty())
            .map_or(first, |l| l + 1);
        kept.extend(own.drain(first..last.max(first)));
    }
    let full = full_width(&kept);
    let mut text = String::new();
    for line in &kept {
        if line.is_empty() {
            if !text.is_empty() && !text.ends_with("\n\n") {
                text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
            }
            continue;
        }
        let hyphenated = text.ends_with('-')
            && text[..text.len() - 1].ends_with(|c: char| c.is_lowercase())
            && line.starts_with(|c: char| c.is_lowercase());
        if hyphenated {
            text.pop();
        } else if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(line);
        if line.chars().count() * 4 < full * 3 {
            text.push_str("\n\n");
        }
    }
    let mut dropped = Vec::new();
    if numbers > 0 {
        dropped.push(counted(numbers, "page number", "page numbers"));
    }
    if repeated > 0 {
        dropped.push(counted(
            repeated,
            "page header or footer",
            "page headers and footers",
        ));
    }
    (text, dropped)
}

/// The length of the text's full lines, in characters: the longest but a fifth.
fn full_width(lines: &[String]) -> usize {
    let mut lengths: Vec<usize> = lines
        .iter()
        .map(|l| l.chars().count())
        .filter(|&n| n > 0)
        .collect();
    lengths.sort_unstable_by(|a, b| b.cmp(a));
    lengths.get(lengths.len() / 5).copied().unwrap_or(0)
}

/// Soft hyphens (U+00AD) as some writers put every hyphen in the text layer: a hyphen between
/// letters or digits ("team-building"), nothing elsewhere.
fn soft_hyphens(page: &str) -> String {
    let chars: Vec<char> = page.chars().collect();
    let mut out = String::with_capacity(page.len());
    for (i, &c) in chars.iter().enumerate() {
        if c != '\u{ad}' {
            out.push(c);
            continue;
        }
        let before = i > 0 && chars[i - 1].is_alphanumeric();
        let after = chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
        if before && after {
            out.push('-');
        }
    }
    out
}

/// The indices of a page's first two and last two lines that hold text.
fn edge_lines(page: &[&str]) -> Vec<usize> {
    let full: Vec<usize> = (0..page.len()).filter(|&i| !page[i].is_empty()).collect();
    let mut edges: Vec<usize> = full.iter().take(2).copied().collect();
    edges.extend(full.iter().rev().take(2));
    edges
}

/// The shapes of the lines that stand at the top or bottom of at least half the pages (and
/// of two at least): running heads and feet.
fn repeated_edges(pages: &[Vec<&str>]) -> Vec<String> {
    let mut count: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let mut shapes: Vec<String> = edge_lines(page).iter().map(|&i| shape(page[i])).collect();
        shapes.sort();
        shapes.dedup();
        for s in shapes {
            *count.entry(s).or_default() += 1;
        }
    }
    let bar = (pages.len() / 2).max(2);
    let mut out: Vec<String> = count
        .into_iter()
        .filter(|(_, n)| *n >= bar)
        .map(|(s, _)| s)
        .collect();
    out.sort();
    out
}

/// A line with its digits made one mark ("Page 3 of 9" and "Page 4 of 9" have one shape).
fn shape(line: &str) -> String {
    line.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                '#'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// "3", "- 3 -", "Page 3", "3 of 9", "3/9", "iv".
fn is_page_number(line: &str) -> bool {
    let words: Vec<String> = line
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '/' | '|'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let number = |w: &str| {
        w.chars().all(|c| c.is_ascii_digit())
            || (w.len() <= 5 && w.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'l')))
    };
    !words.is_empty()
        && words.len() <= 4
        && words.iter().any(|w| number(w))
        && words
            .iter()
            .all(|w| number(w) || w == "page" || w == "of" || w == "p.")
}

/// How many bytes the file's streams expand to, at most [`MAX_EXPANDED`] + 1: every stream
/// that inflates as zlib (FlateDecode, the filter nearly every PDF uses) is expanded with a
/// bound, the others counted as they are.
fn expanded_size(bytes: &[u8]) -> u64 {
    let mut total = 0u64;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"stream") {
        let mut start = at + found + b"stream".len();
        // "endstream" holds "stream" too, and opens nothing.
        let is_end = bytes[..at + found].ends_with(b"end");
        match bytes.get(start..start + 2) {
            Some(b"\r\n") => start += 2,
            Some([b'\n', _]) | Some([b'\r', _]) => start += 1,
            _ => {
                at = start;
                continue;
            }
        }
        if is_end {
            at = start;
            continue;
        }
        let end = find(&bytes[start..], b"endstream").map_or(bytes.len(), |e| start + e);
        let raw = &bytes[start..end];
        let mut inflated = flate2::read::ZlibDecoder::new(raw).take(MAX_EXPANDED + 1 - total);
        let mut sink = std::io::sink();
        total += match std::io::copy(&mut inflated, &mut sink) {
            Ok(n) if n > 0 => n,
            _ => raw.len() as u64,
        };
        if total > MAX_EXPANDED {
            break;
        }
        at = end;
    }
    total
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
