//! The data's aliases compiled for matching a question's words.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use super::stems;
use crate::corpus::Aliases;

/// Aliases compiled for matching: phrases as lower-case word sequences, grouped by meaning.
pub struct AliasTable {
    groups: Vec<Vec<Phrase>>,
    /// First word → (group, phrase) of every phrase starting with it.
    by_first: HashMap<String, Vec<(usize, usize)>>,
}

/// Lower-case alphanumeric words, as tantivy's simple tokenizer splits them.
fn simple_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// An alias phrase as lower-case words. An acronym ("US", "PM") matches only in capitals.
struct Phrase {
    words: Vec<String>,
    /// The words stemmed: "banning" finds the alias "ban".
    keys: Vec<String>,
    acronym: bool,
}

/// One word as the stemmed field indexes it (all its tokens, joined).
pub(super) fn word_key(analyzer: &mut TextAnalyzer, word: &str) -> String {
    let key = stems(analyzer, word).join(" ");
    if key.is_empty() {
        word.to_string()
    } else {
        key
    }
}

impl AliasTable {
    pub fn new(aliases: &Aliases) -> AliasTable {
        use tantivy::tokenizer::{
            Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
        };
        // The same pipeline as tantivy's "en_stem", which the question's words go through.
        let mut stemmer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut groups = Vec::new();
        let mut by_first: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for entry in &aliases.entries {
            let phrases: Vec<Phrase> = std::iter::once(&entry.term)
                .chain(&entry.also)
                .map(|p| Phrase {
                    keys: simple_words(p)
                        .iter()
                        .map(|w| word_key(&mut stemmer, w))
                        .collect(),
                    words: simple_words(p),
                    acronym: p.chars().filter(|c| c.is_alphabetic()).count() >= 2
                        && p.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()),
                })
                .filter(|p| !p.words.is_empty())
                .collect();
            let g = groups.len();
            for (i, p) in phrases.iter().enumerate() {
                by_first.entry(p.keys[0].clone()).or_default().push((g, i));
            }
            groups.push(phrases);
        }
        AliasTable { groups, by_first }
    }

    /// The longest alias phrase at the start of `words` (stemmed keys, with `written` as
    /// typed): how many words it took.
    pub(super) fn match_at(&self, words: &[String], written: &[String]) -> Option<usize> {
        let first = words.first()?;
        self.by_first
            .get(first)?
            .iter()
            .map(|&(g, p)| &self.groups[g][p])
            .filter(|phrase| {
                let n = phrase.words.len();
                words.len() >= n
                    && words[..n] == phrase.keys[..]
                    && (!phrase.acronym
                        || written[..n]
                            .iter()
                            .all(|w| w.chars().all(|c| !c.is_lowercase())))
            })
            .map(|phrase| phrase.words.len())
            .max()
    }

    /// Every phrase of the groups that contain `phrase` (as stemmed keys), besides `phrase`.
    pub(super) fn equivalents(&self, phrase: &[String]) -> Vec<&[String]> {
        let mut out: Vec<&[String]> = Vec::new();
        for group in &self.groups {
            if group.iter().any(|p| p.keys[..] == *phrase) {
                for p in group.iter().filter(|p| p.keys[..] != *phrase) {
                    if !out.contains(&&p.words[..]) {
                        out.push(&p.words);
                    }
                }
            }
        }
        out
    }
}
