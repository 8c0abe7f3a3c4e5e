//! Follow-up questions: "and when was that?", "what about India?" or "who signed it?" after an
//! earlier question, rewritten as questions that stand on their own.
//!
//! A follow-up is one of two shapes. One asks something new of the same subject ("who signed
//! it?"): its own question words are kept, its pronouns dropped, and the earlier question's
//! subject (the earlier question without its own question words) is added. The other asks the
//! same thing of something else ("what about India?", "and in 2015?"): the earlier question is
//! asked again with a name or date of the earlier question swapped for the new one, in every way
//! that fits (the engine keeps the rewrite it is surest of), or with the new words added.

use crate::corpus::date::recognise;

/// Words that open a follow-up without meaning anything ("and", "ok so").
const CONNECTORS: &[&str] = &[
    "and", "but", "so", "ok", "okay", "also", "then", "well", "hmm", "right", "now", "plus",
];

/// What "what about X" looks like.
const SWAPS: &[&str] = &[
    "what about",
    "how about",
    "what of",
    "and about",
    "same for",
    "same question for",
    "and for",
];

/// Words that stand for the earlier question's subject.
const PRONOUNS: &[&str] = &[
    "it", "that", "this", "they", "them", "he", "she", "him", "her", "there", "then", "those",
    "these", "its", "their", "his", "thing", "one",
];

/// Words that make a sentence a question; taken out of the earlier question when its subject is
/// carried into a new question, so that the new question's kind is its own.
const QUESTION_WORDS: &[&str] = &[
    "when", "who", "whom", "whose", "what", "which", "where", "why", "how", "did", "does", "do",
    "was", "were", "is", "are", "many", "much", "long", "ago", "year", "tell", "me", "about",
    "can", "could", "you",
];

/// The question words a follow-up of the first shape starts with or contains.
const ASKING: &[&str] = &[
    "when", "who", "whom", "whose", "what", "which", "where", "why", "how", "did", "does", "do",
    "was", "were", "is", "are", "can", "could", "has", "had", "have",
];

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

fn bare(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// The text without the punctuation that ends a sentence.
fn unended(text: &str) -> &str {
    text.trim()
        .trim_end_matches(|c: char| matches!(c, '?' | '.' | '!' | '…') || c.is_whitespace())
}

/// `followup` without the connectors it opens with.
fn without_connectors(followup: &str) -> String {
    let all = words(unended(followup));
    let skip = all
        .iter()
        .take_while(|w| CONNECTORS.contains(&bare(w).as_str()))
        .count();
    all[skip..].join(" ")
}

/// Questions that stand on their own for `followup` after `earlier`, the likeliest first. The
/// earlier question alone when the follow-up adds nothing ("and?").
/// The most rewrites of one follow-up: each is answered, and a follow-up must cost about one
/// answer's time whatever its earlier question holds.
pub const MAX_REWRITES: usize = 4;

pub fn rewrites(earlier: &str, followup: &str) -> Vec<String> {
    let earlier = unended(earlier).to_string();
    let f = without_connectors(followup);
    if f.is_empty() {
        return vec![earlier];
    }
    let lower = f.to_lowercase();
    let swapped = SWAPS.iter().find_map(|s| {
        lower
            .strip_prefix(s)
            .map(|rest| f[f.len() - rest.len()..].trim())
    });
    let asks = words(&f).iter().any(|w| ASKING.contains(&bare(w).as_str()));
    match swapped {
        Some(x) if !x.is_empty() => swaps(&earlier, x),
        // "and in 2015?", "India?": the earlier question about something else.
        None if !asks && words(&f).len() <= 4 => swaps(&earlier, &f),
        _ => vec![carried(&earlier, &f)],
    }
}

/// The follow-up's own words (without pronouns) and the earlier question's subject.
fn carried(earlier: &str, followup: &str) -> String {
    let own: Vec<&str> = words(followup)
        .into_iter()
        .filter(|w| !PRONOUNS.contains(&bare(w).as_str()))
        .collect();
    let subject: Vec<&str> = words(earlier)
        .into_iter()
        .filter(|w| !QUESTION_WORDS.contains(&bare(w).as_str()))
        .collect();
    format!("{} {}", own.join(" "), subject.join(" "))
}

/// Runs of capitalised words after the first word: the names of a question, as byte ranges.
fn names(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut last_end = None;
    for (i, (start, word)) in word_spans(text).into_iter().enumerate() {
        let core = word.trim_matches(|c: char| !c.is_alphanumeric());
        let capital = core.chars().next().is_some_and(char::is_uppercase);
        if i == 0 || !capital || core.is_empty() {
            last_end = None;
            continue;
        }
        let offset = word.find(core).unwrap_or(0);
        let (s, e) = (start + offset, start + offset + core.len());
        // "Pakistan's" is the name "Pakistan".
        let e = text[s..e]
            .strip_suffix("'s")
            .or_else(|| text[s..e].strip_suffix("’s"))
            .map_or(e, |n| s + n.len());
        match (last_end, out.last_mut()) {
            (Some(end), Some(run)) if end == run.end => run.end = e,
            _ => out.push(s..e),
        }
        last_end = Some(e);
    }
    out
}

fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

fn replaced(text: &str, range: &std::ops::Range<usize>, with: &str) -> String {
    format!("{}{with}{}", &text[..range.start], &text[range.end..])
}

/// The earlier question about `x` instead: each of its dates or names swapped for `x`'s, and
/// `x` added to it.
fn swaps(earlier: &str, x: &str) -> Vec<String> {
    let mut out = Vec::new();
    let x_dates = recognise(x);
    let mut rest = x.to_string();
    let mut base = earlier.to_string();
    if let Some(date) = x_dates.first() {
        let new = &x[date.start..date.end];
        base = match recognise(earlier).first() {
            Some(old) => replaced(earlier, &(old.start..old.end), new),
            None => format!("{earlier} in {new}"),
        };
        rest = format!("{} {}", &x[..date.start], &x[date.end..]);
    }
    // What is left of `x` once its date is out: a name, or nothing ("in 2015").
    let rest: Vec<&str> = words(&rest)
        .into_iter()
        .filter(|w| !matches!(bare(w).as_str(), "in" | "on" | "at" | "of" | "for" | "the"))
        .collect();
    let rest = rest.join(" ");
    if rest.is_empty() {
        out.push(base);
        return out;
    }
    // The names first in the question (its subject) first; the last place is the earlier
    // question with `x` added.
    for name in names(&base).into_iter().take(MAX_REWRITES - 1) {
        let swapped = replaced(&base, &name, &rest);
        if !out.contains(&swapped) {
            out.push(swapped);
        }
    }
    out.push(format!("{base} {rest}"));
    out
}

/// The earlier question carried in a button's or a form's `custom_id`: as asked when it fits in
/// `max` characters, otherwise its first question word and its other words, cut at a word.
pub fn compact(question: &str, max: usize) -> String {
    let question = unended(question);
    if question.chars().count() <= max {
        return question.to_string();
    }
    let mut out = String::new();
    for (i, word) in words(question).into_iter().enumerate() {
        let lower = bare(word);
        let keep = i == 0 || !crate::corpus::words::is_stopword(&lower);
        if !keep {
            continue;
        }
        if out.chars().count() + word.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_question_of_the_same_subject_carries_the_earlier_subject() {
        assert_eq!(
            rewrites(
                "What did Russia and Pakistan sign in November 2014?",
                "who signed it?"
            ),
            vec!["who signed Russia and Pakistan sign in November 2014"]
        );
        assert_eq!(
            rewrites("Who announced the joint exercises?", "and when?"),
            vec!["when announced the joint exercises"]
        );
    }

    #[test]
    fn the_same_question_of_something_else_swaps_a_name_or_a_date() {
        assert_eq!(
            rewrites(
                "What did Putin say about Pakistan in 2010?",
                "what about 2012?"
            ),
            vec!["What did Putin say about Pakistan in 2012"]
        );
        assert_eq!(
            rewrites("Who was Pakistan's army chief in 2012?", "and in 2015?"),
            vec!["Who was Pakistan's army chief in 2015"]
        );
        assert_eq!(
            rewrites(
                "Who was Pakistan's prime minister in 1950?",
                "what about India?"
            ),
            vec![
                "Who was India's prime minister in 1950",
                "Who was Pakistan's prime minister in 1950 India"
            ]
        );
        assert_eq!(
            rewrites("When did the US lift the sanctions?", "Russia?"),
            vec![
                "When did the Russia lift the sanctions",
                "When did the US lift the sanctions Russia"
            ]
        );
    }

    #[test]
    fn a_question_full_of_names_gives_a_few_rewrites() {
        let earlier = "Did Putin, Sharif, Modi, Obama, Xi, Abe, Merkel, Erdogan, Rouhani and \
                       Ghani meet Khan, Zardari, Bhutto, Musharraf and Ayub in Moscow?";
        let got = rewrites(earlier, "India?");
        assert!(got.len() <= MAX_REWRITES && got.len() > 1, "{got:?}");
        assert!(got[0].starts_with("Did India "), "{got:?}");
        assert!(got.last().unwrap().ends_with("Moscow India"), "{got:?}");
    }

    #[test]
    fn a_follow_up_that_adds_nothing_is_the_earlier_question() {
        assert_eq!(
            rewrites("When was Crimea annexed?", "and?"),
            vec!["When was Crimea annexed"]
        );
    }

    #[test]
    fn a_long_question_is_compacted_to_its_words_within_the_limit() {
        let long = "When did the Russian president Vladimir Putin say that he was against building \
                    good relations with Pakistan because of their friendly relations with India?";
        let short = compact(long, 98);
        assert!(short.chars().count() <= 98, "{short}");
        // Its first word, then the words that are not stopwords, as many as fit.
        assert!(
            short.starts_with("When Russian president Vladimir Putin say building good relations"),
            "{short}"
        );
        assert_eq!(compact("Who signed it?", 98), "Who signed it");
    }
}
