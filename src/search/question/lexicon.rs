//! The index's vocabulary as the analysis reads it: stems, document frequencies, spelling
//! corrections by the fuzzy automaton, and glued model names ("su35").

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Searcher, Term};

use super::{ADJECTIVE_ENDINGS, AliasTable};
use crate::search::encoder::Encoder;

/// Stems `text` with the index's analyzer.
pub fn stems(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Word tokens of the question: (lower-cased word, start offset, end offset).
pub(super) fn word_tokens(words: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut stream = words.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push((t.text.clone(), t.offset_from, t.offset_to));
    }
    out
}

/// Letters glued to a number, as people type model names: "f16s" → ("f", "16"), "su35" →
/// ("su", "35"). Words of more than three letters before the number are not models.
pub(super) fn glued_model(word: &str) -> Option<(&str, &str)> {
    let cut = word.find(|c: char| c.is_ascii_digit())?;
    let (letters, rest) = word.split_at(cut);
    let number = rest.strip_suffix('s').unwrap_or(rest);
    (!letters.is_empty()
        && letters.len() <= 3
        && letters.chars().all(|c| c.is_ascii_alphabetic())
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit()))
    .then_some((letters, number))
}

/// What the analysis needs from the index.
pub struct Lexicon<'a> {
    pub searcher: &'a Searcher,
    pub text: Field,
    /// Descriptive words of titles, bylines and captions ("author", "photo").
    pub meta: Field,
    pub words_field: Field,
    pub aliases: &'a AliasTable,
    /// Tells ordinary words from names.
    pub encoder: &'a Encoder,
}

impl Lexicon<'_> {
    pub(super) fn df(&self, field: Field, term: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(field, term))
            .unwrap_or(0)
    }

    /// Documents holding a stem in their text or their descriptive words.
    pub(super) fn stem_df(&self, stem: &str) -> u64 {
        self.df(self.text, stem).max(self.df(self.meta, stem))
    }

    /// Whether the `len` words at `at` of the question are a name: capitalised though not
    /// opening the question, unless they are ordinary words written in capitals. An ordinary
    /// word is one of the encoder vocabulary's most frequent words that is an adjective
    /// ("Western", "Asian") or part of a longer capitalised phrase ("the White House"); a lone
    /// frequent noun ("Australia") is still a name.
    pub(super) fn names_something(&self, written: &[String], at: usize, len: usize) -> bool {
        let capitalised = |i: usize| {
            i > 0
                && written
                    .get(i)
                    .and_then(|w| w.chars().next())
                    .is_some_and(char::is_uppercase)
        };
        if !capitalised(at) {
            return false;
        }
        let in_phrase = len > 1 || capitalised(at - 1) || capitalised(at + len);
        let ordinary = |w: &String| {
            let w = w.to_lowercase();
            let w = w.trim_end_matches("'s").trim_end_matches('\u{2019}');
            self.encoder.is_common_word(w)
                && (in_phrase || ADJECTIVE_ENDINGS.iter().any(|e| w.ends_with(e)))
        };
        !written[at..(at + len).min(written.len())]
            .iter()
            .all(ordinary)
    }

    pub(super) fn idf(&self, df: u64) -> f32 {
        let n = self.searcher.num_docs() as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The closest word of the vocabulary to an unknown `word`, if one is close enough:
    /// one edit for words of 4 to 7 letters, two for longer ones.
    pub(super) fn correct(&self, word: &str) -> Option<String> {
        let len = word.chars().count();
        let distance = match len {
            0..=3 => return None,
            4..=7 => 1,
            _ => 2,
        };
        let query = FuzzyTermQuery::new(
            Term::from_field_text(self.words_field, word),
            distance,
            true,
        );
        let automaton = query.automaton().ok()?;
        let mut best: Option<(usize, u64, String)> = None;
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.words_field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if candidate.chars().any(|c| c.is_ascii_digit()) {
                    continue;
                }
                let d = edit_distance(word, candidate);
                let df = u64::from(stream.value().doc_freq);
                let better = match &best {
                    None => true,
                    Some((bd, bdf, bw)) => {
                        (d, std::cmp::Reverse(df), candidate)
                            < (*bd, std::cmp::Reverse(*bdf), bw.as_str())
                    }
                };
                if better {
                    best = Some((d, df, candidate.to_string()));
                }
            }
        }
        best.map(|(_, _, w)| w)
    }
}

/// Optimal-string-alignment distance (Levenshtein with adjacent transpositions), the measure the
/// fuzzy automaton uses; only called on the few words the automaton already matched.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}
