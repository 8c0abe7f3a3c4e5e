//! The exact answer: the phrase of the answer sentence that answers the question ("June 2014",
//! "Rollo", "eight F-16s"), chosen by the kind of answer asked for and by where the question's
//! own words stand in the sentence. General rules of English prose, nothing of one document.

use super::evidence::NUMBER_WORDS;
use super::question::{Analysis, QuestionKind};
use crate::corpus::date::recognise;
use crate::corpus::words::is_stopword;

/// A word of the sentence with its byte range.
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    /// Punctuation that closes a phrase (`,` `;` `:` `(` `)` `.`) follows the word.
    breaks_after: bool,
}

fn words(sentence: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut pos = 0;
    for raw in sentence.split_inclusive(char::is_whitespace) {
        let start = pos;
        pos += raw.len();
        let keep = |c: char| c.is_alphanumeric() || "$£€%'’-".contains(c);
        let trimmed = raw.trim_end();
        let core = trimmed.trim_matches(|c: char| !keep(c));
        let core = core.trim_end_matches(['\'', '’', '-']);
        if core.is_empty() {
            continue;
        }
        let offset = trimmed.find(core).unwrap_or(0);
        let tail = &trimmed[offset + core.len()..];
        // The full stop of an initial or a title ("M. Tahir Khan", "Dr. Smith") ends nothing.
        let abbreviation = tail == "."
            && (core.chars().count() == 1 || ABBREVIATIONS.contains(&core))
            && core.chars().next().is_some_and(char::is_uppercase);
        out.push(Word {
            text: core,
            start: start + offset,
            end: start + offset + core.len(),
            breaks_after: !abbreviation
                && tail.contains([',', ';', ':', '(', ')', '.', '"', '“', '”']),
        });
    }
    out
}

/// Titles written with a full stop before a name.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Col", "Lt", "Sgt", "Prof",
];

/// Words that scale the number before them.
const SCALES: &[&str] = &[
    "hundred", "thousand", "million", "billion", "trillion", "bn", "m",
];

const MONEY_WORDS: &[&str] = &[
    "dollars", "dollar", "pounds", "euros", "rupees", "roubles", "rubles", "yen", "francs",
];

fn is_number(w: &str) -> bool {
    let lower = w.to_lowercase();
    w.chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || "$£€".contains(c))
        || NUMBER_WORDS.contains(&lower.as_str())
}

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Small words that may stand inside a name ("University *of* Chicago", "Charles *de* Gaulle").
const NAME_JOINERS: &[&str] = &[
    "of", "de", "da", "von", "van", "del", "la", "le", "and", "the",
];

/// Whether the question uses a word: the same word, or the same first five letters.
fn in_question(question: &[String], word: &str) -> bool {
    let lower = word.to_lowercase();
    let key: String = lower.chars().take(5).collect();
    question.iter().any(|q| {
        *q == lower || (key.chars().count() >= 4 && q.chars().take(5).collect::<String>() == key)
    })
}

/// A candidate phrase: word indexes `first..=last`.
type Phrase = (usize, usize);

/// The phrase of `sentence` that answers the question, if one can be told apart.
pub(super) fn answer_span(a: &Analysis, question: &str, sentence: &str) -> Option<String> {
    let qwords: Vec<String> = crate::corpus::words::plain_words(question).collect();
    let ws = words(sentence);
    if ws.is_empty() {
        return None;
    }
    let anchors: Vec<usize> = (0..ws.len())
        .filter(|&i| {
            let lower = ws[i].text.to_lowercase();
            !is_stopword(&lower) && in_question(&qwords, ws[i].text)
        })
        .collect();
    let fresh = |p: &Phrase| (p.0..=p.1).any(|i| !in_question(&qwords, ws[i].text));
    let candidates: Vec<Phrase> = match a.kind {
        QuestionKind::When | QuestionKind::Period => dates(sentence, &ws),
        QuestionKind::Duration => durations(&ws),
        QuestionKind::Quantity | QuestionKind::Money => numbers(&ws, a.kind),
        QuestionKind::Who | QuestionKind::Name | QuestionKind::Place => names(&ws),
        QuestionKind::Other => Vec::new(),
    };
    let mut candidates: Vec<Phrase> = candidates.into_iter().filter(|p| fresh(p)).collect();
    if candidates.is_empty() {
        candidates = rest_of_clause(&ws, &anchors, &qwords);
    }
    let distance = |p: &Phrase| {
        anchors
            .iter()
            .map(|&i| {
                if i < p.0 {
                    p.0 - i
                } else {
                    i.saturating_sub(p.1)
                }
            })
            .min()
            .unwrap_or(0)
    };
    let best = candidates.into_iter().min_by_key(|p| (distance(p), p.0))?;
    Some(sentence[ws[best.0].start..ws[best.1].end].to_string())
}

/// The dates the recogniser reads, as phrases.
fn dates(sentence: &str, ws: &[Word]) -> Vec<Phrase> {
    recognise(sentence)
        .into_iter()
        .filter(|m| !m.relative)
        .filter_map(|m| {
            let first = ws.iter().position(|w| w.end > m.start)?;
            let last = ws.iter().rposition(|w| w.start < m.end)?;
            (first <= last).then_some((first, last))
        })
        .collect()
}

/// Time units a stretch of time is counted in.
const TIME_UNITS: &[&str] = &[
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "year",
    "decade",
    "century",
    "centuries",
];

fn durations(ws: &[Word]) -> Vec<Phrase> {
    let mut out = Vec::new();
    for i in 0..ws.len() {
        if !is_number(ws[i].text) {
            continue;
        }
        let mut j = i;
        while j + 1 < ws.len() && j < i + 3 && !ws[j].breaks_after {
            j += 1;
            let lower = ws[j].text.to_lowercase();
            if TIME_UNITS.iter().any(|u| lower.starts_with(u)) {
                out.push((i, j));
                break;
            }
        }
    }
    out
}

fn numbers(ws: &[Word], kind: QuestionKind) -> Vec<Phrase> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        if !is_number(ws[i].text) {
            i += 1;
            continue;
        }
        let mut j = i;
        // The number's scale and what it counts: "2.5 billion dollars", "eight F-16s".
        while j + 1 < ws.len() && !ws[j].breaks_after {
            let next = ws[j + 1].text.to_lowercase();
            if SCALES.contains(&next.as_str())
                || is_number(&next)
                || MONEY_WORDS.contains(&next.as_str())
            {
                j += 1;
            } else {
                break;
            }
        }
        if kind == QuestionKind::Quantity && j + 1 < ws.len() && !ws[j].breaks_after {
            let next = ws[j + 1].text.to_lowercase();
            if !is_stopword(&next) {
                j += 1;
            }
        }
        let money = ws[i].text.starts_with(['$', '£', '€'])
            || (i..=j).any(|k| MONEY_WORDS.contains(&ws[k].text.to_lowercase().as_str()));
        if kind != QuestionKind::Money || money {
            out.push((i, j));
        }
        i = j + 1;
    }
    out
}

/// Runs of capitalised words (with the small words names hold), not opening the sentence with
/// an ordinary word.
fn names(ws: &[Word]) -> Vec<Phrase> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let starts =
            is_capitalised(ws[i].text) && !(i == 0 && is_stopword(&ws[i].text.to_lowercase()));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < ws.len() && !ws[j].breaks_after {
            let next = ws[j + 1].text;
            if is_capitalised(next) {
                j += 1;
            } else if NAME_JOINERS.contains(&next)
                && ws.get(j + 2).is_some_and(|w| is_capitalised(w.text))
                && !ws[j + 1].breaks_after
            {
                j += 2;
            } else {
                break;
            }
        }
        out.push((i, j));
        i = j + 1;
    }
    out
}

/// Words a phrase of the rest of a clause runs to at most.
const CLAUSE_WORDS: usize = 6;

/// What the sentence says beside the question's words: the longest run of words the question
/// does not use, next to one it does, within a clause, without small words at its ends.
fn rest_of_clause(ws: &[Word], anchors: &[usize], qwords: &[String]) -> Vec<Phrase> {
    let mut out = Vec::new();
    let new = |i: usize| !in_question(qwords, ws[i].text);
    for &a in anchors {
        // After the anchor.
        let mut i = a + 1;
        if !ws[a].breaks_after {
            while i < ws.len() && !new(i) && !ws[i].breaks_after {
                i += 1;
            }
            let mut j = i;
            while j < ws.len() && new(j) && j < i + CLAUSE_WORDS {
                if ws[j].breaks_after {
                    break;
                }
                j += 1;
            }
            let last = j.min(ws.len() - 1);
            if i < ws.len() && new(i) {
                out.push((
                    i,
                    if new(last) {
                        last
                    } else {
                        last.saturating_sub(1).max(i)
                    },
                ));
            }
        }
        // Before the anchor.
        if a > 0 && !ws[a - 1].breaks_after && new(a - 1) {
            let mut i = a - 1;
            while i > 0 && new(i - 1) && !ws[i - 1].breaks_after && a - i < CLAUSE_WORDS {
                i -= 1;
            }
            out.push((i, a - 1));
        }
    }
    out.into_iter()
        .filter_map(|(mut i, mut j)| {
            while i < j && is_stopword(&ws[i].text.to_lowercase()) {
                i += 1;
            }
            while j > i && is_stopword(&ws[j].text.to_lowercase()) {
                j -= 1;
            }
            (!is_stopword(&ws[i].text.to_lowercase())).then_some((i, j))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::analysis;
    use super::*;

    fn span(kind: QuestionKind, question: &str, sentence: &str) -> Option<String> {
        answer_span(&analysis(kind, Vec::new(), Vec::new()), question, sentence)
    }

    #[test]
    fn the_phrase_that_answers_by_the_kind_asked_for() {
        use QuestionKind::*;
        let table: [(QuestionKind, &str, &str, &str); 6] = [
            (
                When,
                "When did Russia lift its arms embargo on Pakistan?",
                "In June 2014, Russia lifts arms embargo to Pakistan and started to hold talks.",
                "June 2014",
            ),
            (
                Who,
                "Who led the Normans in 911?",
                "The Normans were led by Rollo, who agreed to swear fealty in 911.",
                "Rollo",
            ),
            (
                Quantity,
                "How many F-16s did the US approve?",
                "The US approved the sale of eight F-16s to Pakistan in February 2016.",
                "eight F-16s",
            ),
            (
                Money,
                "How much was the pipeline deal worth?",
                "Pakistan and Russia signed a $2 billion deal for the pipeline.",
                "$2 billion",
            ),
            (
                Duration,
                "How long was the visit?",
                "He paid a three day official visit to Moscow.",
                "three day",
            ),
            (
                Other,
                "What did the Yuan dynasty replace?",
                "The Yuan dynasty replaced the Song dynasty in southern China.",
                "Song",
            ),
        ];
        for (kind, question, sentence, expected) in table {
            assert_eq!(
                span(kind, question, sentence).as_deref(),
                Some(expected),
                "{question}"
            );
        }
    }
}
