//! Reading a published article as a reader does: title, byline, captions, headings, body
//! paragraphs (rejoined where a blank line broke a sentence), and no blog boilerplate.

use super::Role;
use super::words::content_words;

/// A block of the article before it becomes a [`super::Paragraph`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub role: Role,
    pub text: String,
}

/// What the text says about itself.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Found {
    pub title: Option<String>,
    pub author: Option<String>,
    pub blocks: Vec<Block>,
}

/// Lines that belong to the blog around the article, not to it. A marker that opens the comment
/// form or the sharing footer ends the article: everything after it is dropped too.
const ENDS_ARTICLE: &[&str] = &[
    "leave a reply",
    "leave a comment",
    "comments are closed",
    "share this:",
    "share this article",
    "related posts",
    "related articles",
    "post navigation",
    "you may also like",
];
const BOILERPLATE: &[&str] = &[
    "your email address will not be published",
    "required fields are marked",
    "posted in ",
    "tagged ",
    "like this:",
    "click to share",
    "save my name, email",
];

/// Words that mark an image file name rather than a caption someone wrote.
fn strip_file_noise(text: &str) -> (String, bool) {
    let mut s = text.trim().to_string();
    let mut noisy = false;
    for ext in [".jpg", ".jpeg", ".png", ".gif", ".webp"] {
        if s.to_lowercase().ends_with(ext) {
            s.truncate(s.len() - ext.len());
            noisy = true;
        }
    }
    loop {
        let before = s.len();
        let lower = s.to_lowercase();
        for suffix in [" - copy", "- copy", " copy"] {
            if lower.ends_with(suffix) && (suffix != " copy" || noisy) {
                s.truncate(s.len() - suffix.len());
                noisy = true;
                break;
            }
        }
        // "_01", "_", "-1", " (2)"
        let trimmed = s.trim_end_matches(|c: char| c.is_ascii_digit());
        if let Some(t) = trimmed.strip_suffix('_') {
            s = t.to_string();
            noisy = true;
        } else if let Some(t) = trimmed.strip_suffix(" (").filter(|_| s.ends_with(')')) {
            s = t.to_string();
            noisy = true;
        }
        s = s.trim_end().to_string();
        if s.len() == before {
            break;
        }
    }
    if s.contains('_') {
        s = s.replace('_', " ");
        noisy = true;
    }
    (s.trim().to_string(), noisy)
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .trim_end_matches(['"', '\'', ')', '”', '’'])
        .ends_with(['.', '!', '?', '…'])
}

fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

/// True when most words start with a capital, as in titles, headings and captions.
fn title_case(s: &str) -> bool {
    let words: Vec<&str> = s
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .collect();
    let capitalised = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    !words.is_empty() && capitalised * 5 >= words.len() * 3
}

/// Short, single-line blocks are captions or headings; everything else is prose. A short
/// sentence written in ordinary case ("Trade doubled after the war.") is prose too.
fn is_short(s: &str) -> bool {
    let words = word_count(s);
    let sentence_like = ends_sentence(s) && !title_case(s);
    words <= 25
        && super::sentence::split(s).len() <= 1
        && (words <= 12 || !ends_sentence(s))
        && !sentence_like
}

fn byline(s: &str) -> Option<String> {
    let lower = s.to_lowercase();
    let rest = ["by ", "written by ", "author: "]
        .iter()
        .find_map(|p| lower.starts_with(p).then(|| &s[p.len()..]))?;
    let name = rest.trim().trim_end_matches('.').trim();
    let words = word_count(name);
    let capitalised = name
        .split_whitespace()
        .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()));
    ((1..=6).contains(&words) && capitalised).then(|| name.to_string())
}

/// Splits the text into blocks at blank lines. A line holding only spaces (including no-break
/// spaces) is blank. The second value is true when the block started with a no-break space,
/// which the blog's editor uses to mark headings.
fn raw_blocks(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let flush = |current: &mut Vec<&str>, out: &mut Vec<(String, bool)>| {
        if !current.is_empty() {
            let joined = current
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" ");
            let nbsp = current[0].starts_with('\u{a0}');
            out.push((joined, nbsp));
            current.clear();
        }
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut current, &mut out);
        } else {
            current.push(line);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// Reads the article's structure. `known_title` (from the metadata) is recognised as the title
/// wherever it appears first.
pub fn read(text: &str, known_title: Option<&str>) -> Found {
    let mut found = Found::default();
    let prose = title_and_byline(blocks(text), known_title, &mut found);
    // Captions, headings and body paragraphs.
    let short: Vec<bool> = prose.iter().map(|(b, _)| is_short(b)).collect();
    let mut previous_role = Role::Body;
    for (i, (block, nbsp)) in prose.iter().enumerate() {
        if !short[i] {
            found.blocks.push(Block {
                role: Role::Body,
                text: block.clone(),
            });
            previous_role = Role::Body;
            continue;
        }
        let (clean, noisy) = strip_file_noise(block);
        let role = if noisy || ends_sentence(block) || word_count(block) > 12 {
            Role::Caption
        } else if *nbsp || block.contains(": ") {
            Role::Heading
        } else {
            classify_short(&prose, &short, i, previous_role)
        };
        previous_role = role;
        if role == Role::Caption && noisy && word_count(&clean) < 3 {
            // A bare file name ("Joint Picture_01") tells the reader nothing.
            continue;
        }
        let text = if role == Role::Caption {
            clean
        } else {
            block.clone()
        };
        if !text.is_empty() {
            found.blocks.push(Block { role, text });
        }
    }
    found
}

/// The text's blocks without boilerplate, with paragraphs broken by a blank line in
/// mid-sentence joined again; each with whether it began with a no-break space.
fn blocks(text: &str) -> Vec<(String, bool)> {
    let mut joined: Vec<(String, bool)> = Vec::new();
    for (block, nbsp) in raw_blocks(text) {
        let lower = block.to_lowercase();
        if ENDS_ARTICLE.iter().any(|m| lower.starts_with(m)) {
            break;
        }
        if BOILERPLATE.iter().any(|m| lower.starts_with(m)) {
            continue;
        }
        match joined.last_mut() {
            Some((prev, _))
                if !ends_sentence(prev) && starts_lowercase(&block) && word_count(prev) > 5 =>
            {
                prev.push(' ');
                prev.push_str(&block);
            }
            _ => joined.push((block, nbsp)),
        }
    }
    joined
}

/// Takes the title and the byline into `found`; the blocks after them are returned.
fn title_and_byline(
    joined: Vec<(String, bool)>,
    known_title: Option<&str>,
    found: &mut Found,
) -> Vec<(String, bool)> {
    let mut rest = joined.into_iter().peekable();
    if let Some((first, _)) = rest.peek() {
        let is_title = match known_title {
            Some(t) => normalise(first) == normalise(t),
            None => is_short(first) && !ends_sentence(first) && byline(first).is_none(),
        };
        if is_title {
            found.title = Some(first.clone());
            found.blocks.push(Block {
                role: Role::Title,
                text: first.clone(),
            });
            rest.next();
        }
    }
    let mut prose: Vec<(String, bool)> = Vec::new();
    for (block, nbsp) in rest {
        if found.author.is_none()
            && let Some(name) = byline(&block)
        {
            found.author = Some(name);
            found.blocks.push(Block {
                role: Role::Byline,
                text: block,
            });
            continue;
        }
        prose.push((block, nbsp));
    }
    prose
}

/// A short line between prose is a heading when it introduces what follows (shares at least as
/// many words with the section after it as with the paragraph before it) and a caption when it describes what came
/// before, or when it follows another caption (a gallery).
fn classify_short(prose: &[(String, bool)], short: &[bool], i: usize, previous_role: Role) -> Role {
    // The section a heading would introduce: the prose up to the next short line.
    let section: Vec<&str> = prose[i + 1..]
        .iter()
        .zip(&short[i + 1..])
        .take_while(|(_, short)| !**short)
        .map(|((text, _), _)| text.as_str())
        .collect();
    if section.is_empty() {
        return Role::Caption;
    }
    if previous_role == Role::Caption && i > 0 && short[i - 1] {
        return Role::Caption;
    }
    let own = content_words(&prose[i].0);
    let overlap = |other: &str| own.intersection(&content_words(other)).count();
    let before = (0..i)
        .rev()
        .find(|&j| !short[j])
        .map_or(0, |j| overlap(&prose[j].0));
    if overlap(&section.join(" ")) >= before {
        Role::Heading
    } else {
        Role::Caption
    }
}

fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_noise_is_dropped_from_captions() {
        assert_eq!(
            strip_file_noise("Obama visiting India in 2010 - Copy"),
            ("Obama visiting India in 2010".into(), true)
        );
        assert_eq!(
            strip_file_noise("Joint Picture_01"),
            ("Joint Picture".into(), true)
        );
        assert_eq!(
            strip_file_noise("Pact Signed_"),
            ("Pact Signed".into(), true)
        );
        assert_eq!(strip_file_noise("IMG_2041.jpg"), ("IMG".into(), true));
        assert_eq!(
            strip_file_noise("General Raheel Sharif in Russia"),
            ("General Raheel Sharif in Russia".into(), false)
        );
    }

    #[test]
    fn bylines_name_a_person() {
        assert_eq!(
            byline("By M. Tahir Khan.").as_deref(),
            Some("M. Tahir Khan")
        );
        assert_eq!(byline("by the way, this is prose."), None);
    }

    #[test]
    fn a_small_blog_post_is_read_like_a_reader_would() {
        let text = "A Small Title\n\nBy Jane Doe.\n\nThe first paragraph talks about trade and\n\n\
                    ports in the north. It has two sentences.\n\nHarbour_02\n\n\u{a0}Trade routes\n\n\
                    Trade routes grew after the war and trade doubled.\n\nLeave a Reply\n\nName *";
        let found = read(text, None);
        assert_eq!(found.title.as_deref(), Some("A Small Title"));
        assert_eq!(found.author.as_deref(), Some("Jane Doe"));
        let roles: Vec<(Role, &str)> = found
            .blocks
            .iter()
            .map(|b| (b.role, b.text.as_str()))
            .collect();
        assert_eq!(
            roles,
            vec![
                (Role::Title, "A Small Title"),
                (Role::Byline, "By Jane Doe."),
                (
                    Role::Body,
                    "The first paragraph talks about trade and ports in the north. It has two sentences."
                ),
                (
                    Role::Heading,
                    "\u{a0}Trade routes".trim_start_matches('\u{a0}')
                ),
                (
                    Role::Body,
                    "Trade routes grew after the war and trade doubled."
                ),
            ]
        );
    }
}
