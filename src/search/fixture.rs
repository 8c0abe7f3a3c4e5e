//! Test fixtures for the engine's parts: the index's stemmer, concepts, analyses and passages
//! built by hand from sentences of the article.

use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

use super::lexical::{Passage, stem_tokens};
use super::question::{Alt, Analysis, Concept, QuestionKind, stems};
use crate::corpus::date::Date;
use crate::corpus::{Role, Sentence};

/// The stemmer the index uses for its text fields.
pub(super) fn stemmer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// A concept of one word or phrase, as the analysis would make it.
pub(super) fn concept(words: &str, idf: f32, known: bool) -> Concept {
    Concept {
        alts: vec![Alt::new(stems(&mut stemmer(), words), 1.0)],
        idf,
        known,
        entity: false,
    }
}

pub(super) fn analysis(kind: QuestionKind, concepts: Vec<Concept>, focus: Vec<usize>) -> Analysis {
    Analysis {
        concepts,
        dates: Vec::new(),
        kind,
        corrections: Vec::new(),
        focus,
    }
}

/// A body paragraph of `sentences`, each with the EDTF dates it holds.
pub(super) fn passage(sentences: &[(&str, &[&str])]) -> Passage {
    let mut text = String::new();
    let mut parsed = Vec::new();
    for (sentence, dates) in sentences {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(sentence);
        parsed.push(Sentence {
            range: start..text.len(),
            dates: dates.iter().filter_map(|d| Date::parse_edtf(d)).collect(),
        });
    }
    let mut stemmer = stemmer();
    Passage {
        sentence_tokens: parsed
            .iter()
            .map(|s| stem_tokens(&mut stemmer, &text[s.range.clone()], s.range.start))
            .collect(),
        heading_tokens: Vec::new(),
        meta_tokens: Vec::new(),
        document: "russia-pakistan-alliance".to_string(),
        paragraph: 1,
        title: "Russia & Pakistan – A New Alliance".to_string(),
        author: None,
        role: Role::Body,
        heading: None,
        sentences: parsed,
        text,
    }
}
