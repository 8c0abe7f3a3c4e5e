//! Everything one request needs, borrowed from the engine and one snapshot, and the steps every
//! request shares: analysing the question, reading a stored passage.

use std::ops::Range;
use std::sync::Arc;

use tantivy::DocAddress;
use tantivy::tokenizer::TextAnalyzer;

use super::Snapshot;
use super::encoder::Encoder;
use super::fusion::Weights;
use super::lexical::{self, Passage};
use super::question::{self, Analysis, Correction, Lexicon, Question};
use super::schema::Fields;

/// Everything a request needs, borrowed from the engine and one snapshot.
pub struct Context<'a> {
    pub snap: &'a Snapshot,
    pub fields: &'a Fields,
    pub stemmer: TextAnalyzer,
    pub words: TextAnalyzer,
    pub weights: Weights,
    pub encoder: &'a Encoder,
}

impl Context<'_> {
    pub(super) fn fork(&self) -> Context<'_> {
        Context {
            snap: self.snap,
            fields: self.fields,
            stemmer: self.stemmer.clone(),
            words: self.words.clone(),
            weights: self.weights,
            encoder: self.encoder,
        }
    }

    /// A stored paragraph, parsed and stemmed, from this snapshot's cache.
    pub(super) fn passage(
        &mut self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
    ) -> tantivy::Result<Arc<Passage>> {
        lexical::passage(
            &self.snap.passages,
            self.fields,
            &mut self.stemmer,
            searcher,
            address,
        )
    }
}

/// The analysis of `q` against this snapshot's vocabulary and aliases, with the context's own
/// analyzers (not copies).
pub(super) fn analysis(ctx: &mut Context, q: &Question) -> Analysis {
    let Context {
        snap,
        fields,
        stemmer,
        words,
        encoder,
        weights,
        ..
    } = ctx;
    let lexicon = Lexicon {
        searcher: &snap.searcher,
        text: fields.text,
        role: fields.role,
        words_field: fields.words,
        meta: fields.meta,
        aliases: &snap.aliases,
        encoder,
    };
    question::analyse(q, &lexicon, stemmer, words, &weights.params)
}

/// The question with its corrections made, each word written as the user wrote it
/// (capitalised, in capitals); `None` when nothing was corrected.
pub(super) fn corrected(q: &Question, corrections: &[Correction]) -> Option<String> {
    if corrections.is_empty() {
        return None;
    }
    let mut out = q.text.clone();
    for c in corrections {
        if let Some(range) = find_word_ignoring_case(&out, &c.from) {
            out.replace_range(range, &c.to);
        }
    }
    Some(out)
}

/// Where the word `needle` (lower case) occurs in `text` ignoring case, as a byte range of
/// `text`: a whole word, not part of a longer one. Lower-casing can change byte lengths
/// ("Ⱥ" → "ⱥ"), so offsets into a lower-cased copy would not fit `text`.
fn find_word_ignoring_case(text: &str, needle: &str) -> Option<Range<usize>> {
    let wanted: Vec<char> = needle.chars().collect();
    if wanted.is_empty() {
        return None;
    }
    let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    for (start, _) in text.char_indices() {
        if word_char(text[..start].chars().next_back()) {
            continue;
        }
        let mut matched = 0;
        for (offset, c) in text[start..].char_indices() {
            let mut fits = true;
            for lower in c.to_lowercase() {
                if wanted.get(matched) == Some(&lower) {
                    matched += 1;
                } else {
                    fits = false;
                    break;
                }
            }
            if !fits {
                break;
            }
            if matched == wanted.len() {
                let end = start + offset + c.len_utf8();
                if word_char(text[end..].chars().next()) {
                    break;
                }
                return Some(start..end);
            }
        }
    }
    None
}
