//! The index's vocabulary as the analysis reads it: stems, document frequencies, spelling
//! corrections by the fuzzy automaton, and glued model names ("su35").

use std::collections::BTreeSet;

use tantivy::collector::TopDocs;
use tantivy::query::{FuzzyTermQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Searcher, TantivyDocument, Term};

use super::{ADJECTIVE_ENDINGS, AliasTable, forms};
use crate::corpus::Role;
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
    /// The role of a block (title, heading, body…).
    pub role: Field,
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
    /// opening the question, unless they are ordinary words written in capitals. A word is
    /// ordinary by its form when it is one of the encoder vocabulary's most frequent words and
    /// an adjective ("Western", "Asian") or part of a longer capitalised phrase ("the White
    /// House"); a lone frequent noun the documents lack ("Australia") is still a name. It is
    /// ordinary by use when it is a word of the vocabulary the documents hold, but never
    /// capitalised ("Who did Emma Marry?" of a text saying "she married"): capitals alone do
    /// not make a name.
    pub(super) fn names_something(
        &self,
        stemmer: &mut TextAnalyzer,
        written: &[String],
        at: usize,
        len: usize,
    ) -> bool {
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
        let words = &written[at..(at + len).min(written.len())];
        let lower = |w: &String| {
            let w = w.to_lowercase();
            w.trim_end_matches("'s")
                .trim_end_matches('\u{2019}')
                .to_string()
        };
        let ordinary = |w: &String| {
            let w = lower(w);
            self.encoder.is_common_word(&w)
                && (in_phrase || ADJECTIVE_ENDINGS.iter().any(|e| w.ends_with(e)))
        };
        if words.iter().all(ordinary) {
            return false;
        }
        !words.iter().all(|w| {
            let w = lower(w);
            self.is_real_word(&w) && self.ordinary_in_documents(stemmer, &w)
        })
    }

    /// Whether `word` (lowercase) is an English word: a whole word of the encoder's vocabulary,
    /// or one inflected by a suffix the vocabulary may lack ("decreases", "bounding",
    /// "studied", "stopped").
    pub(super) fn is_real_word(&self, word: &str) -> bool {
        let known = |w: &str| w.chars().count() >= 3 && self.encoder.is_vocabulary_word(w);
        if self.encoder.is_vocabulary_word(word) {
            return true;
        }
        INFLECTIONS.iter().any(|suffix| {
            let Some(base) = word.strip_suffix(suffix) else {
                return false;
            };
            let undoubled = base
                .char_indices()
                .next_back()
                .filter(|&(i, c)| base[..i].ends_with(c))
                .map(|(i, _)| &base[..i]);
            known(base)
                || known(&format!("{base}e"))
                || base
                    .strip_suffix('i')
                    .is_some_and(|b| known(&format!("{b}y")))
                || undoubled.is_some_and(known)
        })
    }

    pub(super) fn idf(&self, df: u64) -> f32 {
        let n = self.searcher.num_docs() as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The closest word of the index to an unknown `word`, if one is close enough: one edit
    /// for words of 5 to 7 letters, two for longer ones. Only what is not a word is corrected:
    /// a word of fewer than 5 letters ("four", "born") or a real word ("bounded", "decrease")
    /// is left as written, even when the documents lack it (see [`Lexicon::other_form`]). A
    /// correction never adds or removes a negation ("insignificant" is not "significant").
    /// Ties go to the fewest edits, then the most documents, then alphabetical order, so the
    /// choice depends on the other documents only through which words the index holds.
    pub(super) fn correct(&self, word: &str) -> Option<String> {
        let len = word.chars().count();
        let distance = match len {
            0..=4 => return None,
            5..=7 => 1,
            _ => 2,
        };
        if self.is_real_word(word) {
            return None;
        }
        let candidates = self.near(word, distance);
        candidates
            .into_iter()
            .filter(|c| !c.chars().any(|ch| ch.is_ascii_digit()) && !negates(word, c))
            .map(|c| {
                let d = edit_distance(word, &c);
                let df = self.df(self.words_field, &c);
                (d, std::cmp::Reverse(df), c)
            })
            .min()
            .map(|(_, _, c)| c)
    }

    /// The words of the index within `distance` edits of `word`.
    fn near(&self, word: &str, distance: u8) -> BTreeSet<String> {
        let query = FuzzyTermQuery::new(
            Term::from_field_text(self.words_field, word),
            distance,
            true,
        );
        let mut out = BTreeSet::new();
        let Ok(automaton) = query.automaton() else {
            return out;
        };
        // A term is in every segment that holds it; its document frequency is their sum.
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.words_field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(candidate) = std::str::from_utf8(stream.key()) {
                    out.insert(candidate.to_string());
                }
            }
        }
        out
    }

    /// The form the documents use of a real `word` they lack: another spelling
    /// ("neighbour" → "neighbor", "defence" → "defense"), a form of an irregular verb ("send"
    /// → "sent") or the place a demonym names ("Asian" → "Asia"), if they hold one. Never
    /// another word: "bounded" is not "founded", "decrease" not "increase". Ties go to the
    /// fewest edits, then the most documents, then alphabetical order.
    pub(super) fn other_form(&self, stemmer: &mut TextAnalyzer, word: &str) -> Option<String> {
        let held = |lex: &Self, stemmer: &mut TextAnalyzer, form: &str| -> u64 {
            let s = stems(stemmer, form);
            s.iter().map(|s| lex.stem_df(s)).min().unwrap_or(0)
        };
        let mut forms: Vec<String> = forms::irregular_forms(word)
            .into_iter()
            .map(str::to_string)
            .collect();
        forms.extend(
            forms::place_names(word)
                .into_iter()
                .filter(|place| !self.ordinary_in_documents(stemmer, place)),
        );
        let len = word.chars().count();
        if len >= 4 {
            let distance = if len <= 7 { 1 } else { 2 };
            forms.extend(
                self.near(word, distance)
                    .into_iter()
                    .filter(|c| forms::spelt_otherwise(word, c)),
            );
        }
        forms
            .into_iter()
            .filter(|f| f != word)
            .map(|f| {
                let df = held(self, stemmer, &f);
                (edit_distance(word, &f), std::cmp::Reverse(df), f)
            })
            .filter(|(_, df, _)| df.0 > 0)
            .min()
            .map(|(_, _, f)| f)
    }

    /// Whether the documents use `word` (lowercase) as an ordinary word: they hold its stem,
    /// and always in lower case where it does not open a sentence ("married"), never
    /// capitalised as a name is ("Emma"). Titles and headings, capitalised throughout, do not
    /// tell.
    pub(super) fn ordinary_in_documents(&self, stemmer: &mut TextAnalyzer, word: &str) -> bool {
        let stems = stems(stemmer, word);
        let [stem] = stems.as_slice() else {
            return false;
        };
        let query = TermQuery::new(
            Term::from_field_text(self.text, stem),
            IndexRecordOption::Basic,
        );
        let Ok(top) = self.searcher.search(
            &query,
            &TopDocs::with_limit(ORDINARY_PASSAGES).order_by_score(),
        ) else {
            return false;
        };
        let mut lower_seen = false;
        for (_, address) in top {
            let Ok(doc) = self.searcher.doc::<TantivyDocument>(address) else {
                continue;
            };
            let role = doc.get_first(self.role).and_then(|v| v.as_str());
            if role.is_some_and(|r| r == Role::Title.as_str() || r == Role::Heading.as_str()) {
                continue;
            }
            let Some(text) = doc.get_first(self.text).and_then(|v| v.as_str()) else {
                continue;
            };
            let mut stream = stemmer.token_stream(text);
            while stream.advance() {
                let token = stream.token();
                if token.text != *stem || opens_sentence(&text[..token.offset_from]) {
                    continue;
                }
                if text[token.offset_from..]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
                {
                    return false;
                }
                lower_seen = true;
            }
        }
        lower_seen
    }
}

/// Suffixes of inflected forms ("-s", "-ed", "-ing", "-ly").
const INFLECTIONS: &[&str] = &["s", "es", "ed", "ing", "ly"];

/// Passages read to tell whether the documents write a word as a name.
const ORDINARY_PASSAGES: usize = 100;

/// Whether a word after `before` opens a sentence (or the text).
fn opens_sentence(before: &str) -> bool {
    let before = before.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '(' | '[' | '\u{201c}' | '\u{2018}')
    });
    before.is_empty() || before.ends_with(['.', '!', '?', ':', ';', '\u{2022}'])
}

/// Prefixes that negate a word ("insignificant", "impossible", "nonlethal", "atypical").
const NEGATIONS: &[&str] = &["un", "in", "im", "il", "ir", "non", "dis", "a"];

/// Whether turning `a` into `b` is best explained by adding or removing a negation prefix:
/// such a "correction" would reverse the question.
pub(super) fn negates(a: &str, b: &str) -> bool {
    let d = edit_distance(a, b);
    NEGATIONS.iter().any(|p| {
        [(a, b), (b, a)].into_iter().any(|(x, y)| {
            x.strip_prefix(p)
                .is_some_and(|rest| !y.starts_with(p) && edit_distance(rest, y) < d)
        })
    })
}

/// `word` written in the case of `like`: all capitals ("PAKISTAN"), a capital first
/// ("Hervé"), or as it is.
pub(super) fn in_case_of(like: &str, word: &str) -> String {
    let letters = || like.chars().filter(|c| c.is_alphabetic());
    if letters().count() > 1 && letters().all(char::is_uppercase) {
        return word.to_uppercase();
    }
    if like.chars().next().is_some_and(char::is_uppercase) {
        let mut chars = word.chars();
        return chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
    }
    word.to_string()
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
