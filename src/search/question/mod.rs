//! Understanding a question: its content words (with aliases and spelling corrections), the
//! dates it names, and what kind of answer it wants.
//!
//! A question is always text: characters of tantivy's query language (`AND`, `:`, `"`, `*`,
//! `~`) are separators or words here, because queries are built term by term, never parsed.

use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;

use crate::corpus::date::{self, Date};
use crate::corpus::words::is_stopword;

mod aliases;
mod forms;
mod kind;
mod lexicon;

pub use aliases::AliasTable;

use super::params::Params;
use aliases::word_key;
pub use kind::QuestionKind;
use kind::{PERSON_NOUNS, PLACE_NOUNS, focus_words, kind_of};
pub use lexicon::{Lexicon, stems};
use lexicon::{glued_model, in_case_of, word_tokens};

/// Removes control, zero-width and direction-override characters and collapses whitespace.
pub fn clean(text: &str) -> String {
    let visible = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| {
            !matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{feff}')
        });
    visible
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A cleaned, non-empty question of acceptable length.
pub struct Question {
    pub text: String,
}

impl Question {
    pub fn new(text: String) -> Question {
        Question { text }
    }
}

/// One way a concept may appear in the text: a sequence of stems (a word or a phrase).
#[derive(Debug, Clone, PartialEq)]
pub struct Alt {
    pub stems: Vec<String>,
    pub weight: f32,
    /// The stems hashed, as the passages' tokens are, for matching.
    pub keys: Vec<u64>,
}

impl Alt {
    pub fn new(stems: Vec<String>, weight: f32) -> Alt {
        let keys = stems.iter().map(|s| stem_key(s)).collect();
        Alt {
            stems,
            weight,
            keys,
        }
    }
}

/// A stem as a 64-bit hash: matching compares integers, not strings.
pub fn stem_key(stem: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    stem.hash(&mut h);
    h.finish()
}

/// Something the question is about: a word (or alias phrase) and its alternatives.
#[derive(Debug, Clone)]
pub struct Concept {
    pub alts: Vec<Alt>,
    /// Inverse document frequency of the best-known alternative.
    pub idf: f32,
    /// False when neither the word nor any alternative occurs in the index.
    pub known: bool,
    /// A name the user capitalised ("Obama", "US"), not an ordinary word written in capitals
    /// ("the White House", "Western sanctions") nor, when the article knows it, an adjective of
    /// place ("Russian"): a passage that does not mention it does not answer.
    pub entity: bool,
}

/// How adjectives of place and direction end ("Western", "Asian", "Japanese").
const ADJECTIVE_ENDINGS: &[&str] = &["ern", "ian", "ean", "ese", "ish"];

/// Words that frame a question about the text rather than name its subject; they count for
/// little unless they are all the question has.
const FRAME_WORDS: &[&str] = &[
    "author",
    "article",
    "writer",
    "say",
    "says",
    "said",
    "text",
    "piece",
    "story",
    "post",
    "blog",
    "describe",
    "describes",
    "described",
    "talk",
    "talks",
    "mention",
    "mentions",
    "think",
    "thinks",
];

/// Nouns that type the answer ("which cities", "what leader"): when the article never uses
/// them, they say what is asked for, not what about.
fn is_answer_type(word: &str) -> bool {
    PERSON_NOUNS.contains(&word) || PLACE_NOUNS.contains(&word)
}

/// A spelling correction the analysis made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub from: String,
    pub to: String,
}

/// What a question asks, ready for retrieval and ranking.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub concepts: Vec<Concept>,
    pub dates: Vec<Date>,
    pub kind: QuestionKind,
    pub corrections: Vec<Correction>,
    /// The concepts (indexes into `concepts`) naming what is asked for: the thing counted in
    /// "how many F-16s", the office in "who was the foreign minister", the thing named in
    /// "what were the drills called". An answer gives its number or name next to it.
    pub focus: Vec<usize>,
}

impl Analysis {
    /// The span of every date the question names, when it names any.
    pub fn range(&self) -> Option<Date> {
        let lo = self.dates.iter().min_by_key(|d| d.lo())?;
        let hi = self.dates.iter().max_by_key(|d| d.hi())?;
        if self.dates.len() == 1 {
            return Some(*lo);
        }
        Some(Date::Interval(date::point_lo(*lo), date::point_hi(*hi)))
    }

    pub fn total_weight(&self) -> f32 {
        self.concepts.iter().map(|c| c.idf).sum()
    }
}

/// A word of the question: lower-cased, and as written.
struct Word {
    lower: String,
    written: String,
}

/// Analyses a cleaned question against the index's vocabulary and aliases.
pub fn analyse(
    q: &Question,
    lex: &Lexicon,
    stemmer: &mut TextAnalyzer,
    words: &mut TextAnalyzer,
    params: &Params,
) -> Analysis {
    let lower = q.text.to_lowercase();
    let date_mentions = date::recognise(&q.text);
    let dates: Vec<Date> = date_mentions.iter().map(|m| m.date).collect();
    let kind = kind_of(&lower, !dates.is_empty());

    let date_spans: Vec<(usize, usize)> = date_mentions.iter().map(|m| (m.start, m.end)).collect();
    let units = units_of(&q.text, words, &date_spans);
    let lower: Vec<String> = units.iter().flatten().map(|w| w.lower.clone()).collect();
    let written: Vec<String> = units.iter().flatten().map(|w| w.written.clone()).collect();

    let mut concepts: Vec<Concept> = Vec::new();
    // The words each concept covers.
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    let mut corrections = Vec::new();
    let keys: Vec<String> = lower.iter().map(|w| word_key(stemmer, w)).collect();
    let mut at = 0; // index into the words
    let mut u = 0; // index into the units
    while u < units.len() {
        // An alias phrase must end where a unit ends.
        let mut ends = 0;
        let alias_len = lex
            .aliases
            .match_at(&keys[at..], &written[at..])
            .and_then(|len| {
                let mut k = u;
                while ends < len && k < units.len() {
                    ends += units[k].len();
                    k += 1;
                }
                (ends == len).then_some((len, k))
            });
        if let Some((len, next_unit)) = alias_len {
            let words = at..at + len;
            concepts.push(alias_concept(
                lex, stemmer, &keys, &lower, &written, words, params,
            ));
            describes(concepts.last_mut(), &lower[at..at + len]);
            spans.push(at..at + len);
            at += len;
            u = next_unit;
            continue;
        }
        let unit: Vec<&str> = units[u].iter().map(|w| w.lower.as_str()).collect();
        let start = at;
        at += unit.len();
        u += 1;
        let fixes = &mut corrections;
        if let Some(c) = word_concept(lex, stemmer, &unit, &written, start, fixes, params) {
            concepts.push(c);
            describes(concepts.last_mut(), &lower[start..at]);
            spans.push(start..at);
        }
    }
    let joined: Vec<bool> = units
        .iter()
        .flat_map(|u| (0..u.len()).map(|k| k > 0))
        .collect();
    let asked = focus_words(kind, &lower, &joined);
    let focus = (0..concepts.len())
        .filter(|&c| asked.iter().any(|w| spans[c].contains(w)))
        .collect();
    Analysis {
        concepts,
        dates,
        kind,
        corrections,
        focus,
    }
}

/// The question's words, with hyphenated compounds ("F-16", "go-ahead") kept together as one
/// unit; words inside a date are left to the date.
fn units_of(text: &str, words: &mut TextAnalyzer, date_spans: &[(usize, usize)]) -> Vec<Vec<Word>> {
    let mut units: Vec<Vec<Word>> = Vec::new();
    let mut last_end: Option<usize> = None;
    for (lower, start, end) in word_tokens(words, text) {
        // Dates are matched as dates, not as words.
        if date_spans.iter().any(|&(s, e)| start >= s && end <= e) {
            continue;
        }
        // "F-16s" is the plural of "F-16".
        let lower = match lower.strip_suffix('s') {
            Some(number) if number.chars().all(|c| c.is_ascii_digit()) && !number.is_empty() => {
                number.to_string()
            }
            _ => lower,
        };
        // A model name typed without its hyphen ("f16s", "su35") is the hyphenated one.
        if let Some((letters, number)) = glued_model(&lower) {
            let cut = start + letters.len();
            units.push(vec![
                Word {
                    lower: letters.to_string(),
                    written: text[start..cut].to_string(),
                },
                Word {
                    lower: number.to_string(),
                    written: text[cut..end].to_string(),
                },
            ]);
            last_end = Some(end);
            continue;
        }
        let word = Word {
            lower,
            written: text[start..end].to_string(),
        };
        // Compounds of a model or a phrase ("F-16", "go-ahead") stay one unit; names joined by a
        // hyphen ("Pakistan-US") are two.
        let hyphenated = last_end.is_some_and(|e: usize| &text[e..start] == "-");
        let compound = hyphenated
            && units.last().is_some_and(|u| {
                let any_digit = |w: &Word| w.lower.chars().any(|c| c.is_ascii_digit());
                let lowercase = |w: &Word| w.written.chars().all(|c| !c.is_uppercase());
                u.iter().chain(std::iter::once(&word)).any(any_digit)
                    || u.iter().chain(std::iter::once(&word)).all(lowercase)
            });
        last_end = Some(end);
        match units.last_mut() {
            Some(unit) if compound => unit.push(word),
            _ => units.push(vec![word]),
        }
    }
    units
}

/// The concept of an alias phrase of the question: the phrase and its equivalents.
fn alias_concept(
    lex: &Lexicon,
    stemmer: &mut TextAnalyzer,
    keys: &[String],
    lower: &[String],
    written: &[String],
    words: std::ops::Range<usize>,
    params: &Params,
) -> Concept {
    let mut alts = vec![Alt::new(
        stems(stemmer, &lower[words.clone()].join(" ")),
        1.0,
    )];
    for other in lex.aliases.equivalents(&keys[words.clone()]) {
        let s = stems(stemmer, &other.join(" "));
        if !alts.iter().any(|a| a.stems == s) {
            alts.push(Alt::new(s, params.alias_weight));
        }
    }
    let entity = lex.names_something(stemmer, written, words.start, words.len());
    concept(lex, alts, entity, 1.0)
}

/// The concept of one unit of the question outside any alias, with its correction when the
/// unit is misspelt; `None` for a stopword or a word that only names the kind of answer.
fn word_concept(
    lex: &Lexicon,
    stemmer: &mut TextAnalyzer,
    unit: &[&str],
    written: &[String],
    start: usize,
    corrections: &mut Vec<Correction>,
    params: &Params,
) -> Option<Concept> {
    let entity = lex.names_something(stemmer, written, start, unit.len());
    if unit.len() == 1 && is_stopword(unit[0]) {
        return None;
    }
    let own = stems(stemmer, &unit.join(" "));
    if own.is_empty() {
        return None;
    }
    let mut alts = vec![Alt::new(own.clone(), 1.0)];
    let known = own.iter().all(|s| lex.stem_df(s) > 0)
        || unit.iter().all(|w| lex.df(lex.words_field, w) > 0);
    let numeric = unit.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()));
    if !known && unit.len() == 1 && is_answer_type(unit[0]) {
        return None;
    }
    // A word the index lacks: a real word is looked for in the form the documents use
    // ("neighbour" → "neighbor", "send" → "sent"), which is no correction; anything else
    // may be a misspelling ("Pakistn" → "Pakistan").
    let fix = if !known && unit.len() == 1 && !numeric {
        if lex.is_real_word(unit[0]) {
            lex.other_form(stemmer, unit[0]).map(|f| (f, false))
        } else {
            lex.correct(unit[0]).map(|f| (f, true))
        }
    } else {
        None
    };
    if let Some((fixed, misspelt)) = fix {
        alts.push(Alt::new(stems(stemmer, &fixed), params.fuzzy_weight));
        // The corrected word brings its aliases: "Islamabd" → "Islamabad" → "Pakistan".
        let key = [word_key(stemmer, &fixed)];
        for other in lex.aliases.equivalents(&key) {
            let s = stems(stemmer, &other.join(" "));
            if !alts.iter().any(|a| a.stems == s) {
                alts.push(Alt::new(s, params.fuzzy_weight * params.alias_weight));
            }
        }
        // Written as the user wrote the word: a name keeps its capital ("Hervé").
        if misspelt {
            corrections.push(Correction {
                from: unit[0].to_string(),
                to: in_case_of(&written[start], &fixed),
            });
        }
    }
    let weight = if unit.len() == 1 && FRAME_WORDS.contains(&unit[0]) {
        params.frame_weight
    } else {
        1.0
    };
    Some(concept(lex, alts, entity, weight))
}

/// A known word shaped like an adjective of place ("Asian", "Russian", "Western") describes
/// its subject rather than names it: a passage about India need not say "Indian".
fn describes(concept: Option<&mut Concept>, words: &[String]) {
    if let Some(c) = concept
        && c.known
        && words
            .last()
            .is_some_and(|w| ADJECTIVE_ENDINGS.iter().any(|e| w.ends_with(e)))
    {
        c.entity = false;
    }
}

fn concept(lex: &Lexicon, alts: Vec<Alt>, entity: bool, weight: f32) -> Concept {
    let df_of = |alt: &Alt| alt.stems.iter().map(|s| lex.stem_df(s)).min().unwrap_or(0);
    let df = alts.iter().map(df_of).max().unwrap_or(0);
    // The rarest form the user means decides how telling the concept is; unknown words count
    // as rare, so a question about something the article never names is not answered.
    let own_df = alts.first().map_or(0, df_of);
    let idf = weight
        * if own_df > 0 {
            lex.idf(own_df)
        } else {
            lex.idf(df)
        };
    Concept {
        alts,
        idf,
        known: df > 0,
        entity,
    }
}

#[cfg(test)]
mod tests;
