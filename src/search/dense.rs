//! Dense retrieval: every paragraph's vector and its sentences' vectors, stored in the index
//! with the same commit as its text (so an answer never mixes versions), loaded once per
//! snapshot, and scored against the question's vector by brute force (a few thousand dot
//! products for the article; 10,000 paragraphs take a few milliseconds).

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::encoder::{DIM, dot};
use super::schema::{Fields, KIND_PARAGRAPH};

/// A paragraph's vector and its sentences' vectors, in sentence order.
#[derive(Debug, Clone, PartialEq)]
pub struct Vectors {
    pub paragraph: Vec<f32>,
    pub sentences: Vec<Vec<f32>>,
}

impl Vectors {
    /// Little-endian f32s: the paragraph's vector, then each sentence's.
    pub fn to_bytes(&self) -> Vec<u8> {
        std::iter::once(&self.paragraph)
            .chain(&self.sentences)
            .flatten()
            .flat_map(|x| x.to_le_bytes())
            .collect()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Vectors> {
        if bytes.is_empty() || !bytes.len().is_multiple_of(4 * DIM) {
            return None;
        }
        let floats: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let mut rows = floats.chunks_exact(DIM).map(<[f32]>::to_vec);
        let paragraph = rows.next()?;
        Some(Vectors {
            paragraph,
            sentences: rows.collect(),
        })
    }
}

/// What the vectors of a paragraph are reused by: its text (sentences follow from it) and
/// whether its sentences were read in its pass ([`super::encoder::Encoder::embed_in_context`]).
pub fn text_key(text: &str, in_context: bool) -> String {
    let mut hash = Sha256::new();
    if in_context {
        hash.update(b"in context\0");
    }
    hash.update(text.as_bytes());
    hash.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The vectors of one snapshot's paragraphs.
#[derive(Default)]
pub struct DenseIndex {
    entries: Vec<(DocAddress, String, Vectors)>,
}

/// How close a paragraph is to the question in meaning.
#[derive(Debug, Clone, Default)]
pub struct Closeness {
    /// Cosine of the question and the whole paragraph.
    pub paragraph: f32,
    /// Cosine of the question and each sentence.
    pub sentences: Vec<f32>,
}

impl Closeness {
    pub fn best_sentence(&self) -> f32 {
        self.sentences
            .iter()
            .copied()
            .fold(self.paragraph, f32::max)
    }

    /// The paragraph's score: `half` (`Params::closeness_half`, one half: the mean) of the
    /// sum of its own cosine and its best sentence's.
    pub fn score(&self, half: f32) -> f32 {
        half * (self.paragraph + self.best_sentence())
    }
}

impl DenseIndex {
    pub fn load(searcher: &Searcher, f: &Fields) -> tantivy::Result<DenseIndex> {
        let query = TermQuery::new(
            Term::from_field_text(f.kind, KIND_PARAGRAPH),
            IndexRecordOption::Basic,
        );
        let mut addresses: Vec<DocAddress> = searcher
            .search(&query, &DocSetCollector)?
            .into_iter()
            .collect();
        addresses.sort();
        let mut entries = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let vectors = doc
                .get_first(f.vectors)
                .and_then(|v| v.as_bytes())
                .and_then(Vectors::from_bytes);
            let key = doc
                .get_first(f.text_key)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            if let Some(vectors) = vectors {
                entries.push((address, key, vectors));
            }
        }
        Ok(DenseIndex { entries })
    }

    /// Every paragraph's closeness to `question`, by address.
    pub fn closeness(&self, question: &[f32]) -> HashMap<DocAddress, Closeness> {
        self.entries
            .iter()
            .map(|(address, _, v)| {
                let c = Closeness {
                    paragraph: dot(question, &v.paragraph),
                    sentences: v.sentences.iter().map(|s| dot(question, s)).collect(),
                };
                (*address, c)
            })
            .collect()
    }

    /// Vectors by text key, for a reindex to reuse.
    pub fn by_key(&self) -> HashMap<String, Vectors> {
        self.entries
            .iter()
            .map(|(_, key, v)| (key.clone(), v.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_round_trip_through_bytes() {
        let v = Vectors {
            paragraph: (0..DIM).map(|i| i as f32 / 7.0).collect(),
            sentences: vec![vec![0.5; DIM], vec![-1.0; DIM]],
        };
        assert_eq!(Vectors::from_bytes(&v.to_bytes()), Some(v));
        assert_eq!(Vectors::from_bytes(&[0; 7]), None);
        assert_eq!(Vectors::from_bytes(&[]), None);
    }

    #[test]
    fn closeness_mixes_the_paragraph_and_its_best_sentence() {
        let c = Closeness {
            paragraph: 0.2,
            sentences: vec![0.1, 0.6, 0.3],
        };
        assert_eq!(c.best_sentence(), 0.6);
        assert!((c.score(0.5) - 0.4).abs() < 1e-6);
    }
}
