//! Lexical retrieval: the tantivy queries built from an analysed question (BM25 over
//! paragraphs, headings and descriptive words, with aliases and corrections as weaker
//! alternatives), and the stored passages read back, parsed and stemmed once per snapshot.

use std::collections::HashMap;
use std::ops::{Bound, Range};
use std::sync::{Arc, RwLock};

use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DocAddress, TantivyDocument, Term};

use super::hits::{Hit, HitKind};
use super::params::Params;
use super::question::{Analysis, Concept, stem_key};
use super::schema::{Fields, KIND_PARAGRAPH};
use crate::corpus::{Role, Sentence};

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn alt_query(field: Field, stems: &[String]) -> Box<dyn Query> {
    match stems {
        [one] => Box::new(TermQuery::new(
            term(field, one),
            IndexRecordOption::WithFreqs,
        )),
        many => Box::new(PhraseQuery::new(
            many.iter().map(|s| term(field, s)).collect(),
        )),
    }
}

/// One clause per concept: the best of its alternatives in any of `fields`.
/// Of a concept's alternatives (the word, its aliases, its corrections) the best counts; each
/// other adds `Params::alternatives_tie` of its score.
pub(super) fn concept_queries(
    concepts: &[Concept],
    fields: &[(Field, f32)],
    params: &Params,
) -> Vec<(Occur, Box<dyn Query>)> {
    concepts
        .iter()
        .filter_map(|c| {
            let mut options: Vec<Box<dyn Query>> = Vec::new();
            for alt in c.alts.iter().filter(|a| !a.stems.is_empty()) {
                for &(field, boost) in fields {
                    options.push(Box::new(BoostQuery::new(
                        alt_query(field, &alt.stems),
                        boost * alt.weight,
                    )));
                }
            }
            (!options.is_empty()).then(|| {
                let best: Box<dyn Query> = Box::new(DisjunctionMaxQuery::with_tie_breaker(
                    options,
                    params.alternatives_tie,
                ));
                (Occur::Should, best)
            })
        })
        .collect()
}

pub(super) fn kind_filter(f: &Fields, kind: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(term(f.kind, kind), IndexRecordOption::Basic))
}

pub(super) fn i64_range(field: Field, lo: Bound<i64>, hi: Bound<i64>) -> Box<dyn Query> {
    let map = |b: Bound<i64>| match b {
        Bound::Included(v) => Bound::Included(Term::from_field_i64(field, v)),
        Bound::Excluded(v) => Bound::Excluded(Term::from_field_i64(field, v)),
        Bound::Unbounded => Bound::Unbounded,
    };
    Box::new(RangeQuery::new(map(lo), map(hi)))
}

/// Paragraph retrieval: text counts fully, the heading a paragraph stands under less, the
/// descriptive words of titles, bylines and captions fully.
pub(super) fn paragraph_query(f: &Fields, a: &Analysis, params: &Params) -> Option<BooleanQuery> {
    let should = concept_queries(
        &a.concepts,
        &[
            (f.text, 1.0),
            (f.heading, params.heading_boost),
            (f.meta, 1.0),
        ],
        params,
    );
    if should.is_empty() {
        return None;
    }
    Some(BooleanQuery::new(vec![
        (Occur::Must, kind_filter(f, KIND_PARAGRAPH)),
        (Occur::Must, Box::new(BooleanQuery::new(should))),
    ]))
}

/// A stored paragraph or event.
pub(super) struct Stored {
    pub(super) doc: TantivyDocument,
}

impl Stored {
    pub(super) fn str(&self, field: Field) -> Option<&str> {
        self.doc.get_first(field).and_then(|v| v.as_str())
    }
    pub(super) fn string(&self, field: Field) -> String {
        self.str(field).unwrap_or_default().to_string()
    }
    pub(super) fn u32(&self, field: Field) -> u32 {
        self.doc
            .get_first(field)
            .and_then(|v| v.as_u64())
            .unwrap_or(0) as u32
    }
}

/// A stemmed token with its byte range in the text it came from. The stem is kept as a hash:
/// matching compares integers, not strings.
pub(super) struct Tok {
    key: u64,
    range: Range<usize>,
}

pub(super) fn stem_tokens(stemmer: &mut TextAnalyzer, text: &str, base: usize) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut stream = stemmer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push(Tok {
            key: stem_key(&t.text),
            range: base + t.offset_from..base + t.offset_to,
        });
    }
    out
}

/// A stored paragraph, parsed and stemmed once per index version: re-ranking reads the same
/// candidates question after question, and stemming them again was most of the answer time.
pub(crate) struct Passage {
    pub(super) text: String,
    pub(super) role: Role,
    pub(super) heading: Option<String>,
    pub(super) sentences: Vec<Sentence>,
    pub(super) document: String,
    pub(super) paragraph: u32,
    pub(super) title: String,
    pub(super) author: Option<String>,
    pub(super) sentence_tokens: Vec<Vec<Tok>>,
    pub(super) heading_tokens: Vec<Tok>,
    pub(super) meta_tokens: Vec<Tok>,
}

impl Passage {
    /// This passage as a hit answered by `sentence`, with `score` and the question's `matches`.
    pub(super) fn hit(&self, sentence: &Sentence, score: f32, matches: Vec<Range<usize>>) -> Hit {
        Hit {
            kind: HitKind::Paragraph,
            document: self.document.clone(),
            paragraph: self.paragraph,
            answer: self.text[sentence.range.clone()].to_string(),
            answer_range: sentence.range.clone(),
            dates: sentence.dates.clone(),
            score,
            role: self.role,
            heading: self.heading.clone(),
            title: self.title.clone(),
            author: self.author.clone(),
            url: None,
            answer_span: None,
            matches,
            text: self.text.clone(),
            snippet: None,
        }
    }
}

/// Passages of one snapshot by address. Bounded: past `PASSAGE_CACHE` entries it starts over.
#[derive(Default)]
pub(crate) struct PassageCache(RwLock<HashMap<DocAddress, Arc<Passage>>>);

const PASSAGE_CACHE: usize = 50_000;

pub(super) fn passage(
    cache: &PassageCache,
    f: &Fields,
    stemmer: &mut TextAnalyzer,
    searcher: &tantivy::Searcher,
    address: DocAddress,
) -> tantivy::Result<Arc<Passage>> {
    let cache = &cache.0;
    if let Some(p) = cache
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(&address)
    {
        return Ok(p.clone());
    }
    let stored = Stored {
        doc: searcher.doc(address)?,
    };
    let text = stored.string(f.text);
    let role = Role::parse(stored.str(f.role).unwrap_or_default()).unwrap_or(Role::Body);
    let heading = stored.str(f.heading).map(str::to_string);
    let mut sentences: Vec<Sentence> =
        serde_json::from_str(stored.str(f.sentences).unwrap_or("[]")).unwrap_or_default();
    if sentences.is_empty() {
        sentences.push(Sentence {
            range: 0..text.len(),
            dates: Vec::new(),
        });
    }
    let p = Arc::new(Passage {
        heading_tokens: heading
            .as_deref()
            .map(|h| stem_tokens(stemmer, h, 0))
            .unwrap_or_default(),
        meta_tokens: stem_tokens(stemmer, role.descriptive_words(), 0),
        sentence_tokens: sentences
            .iter()
            .map(|s| stem_tokens(stemmer, &text[s.range.clone()], s.range.start))
            .collect(),
        document: stored.string(f.doc),
        paragraph: stored.u32(f.paragraph),
        title: stored.string(f.doc_title),
        author: stored.str(f.doc_author).map(str::to_string),
        text,
        role,
        heading,
        sentences,
    });
    let mut cache = cache.write().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= PASSAGE_CACHE {
        cache.clear();
    }
    cache.insert(address, p.clone());
    Ok(p)
}

/// How well `tokens` hold a concept (the weight of its best alternative present), and where.
pub(super) fn concept_match(c: &Concept, tokens: &[Tok]) -> (f32, Vec<Range<usize>>) {
    let mut best = 0.0;
    let mut ranges = Vec::new();
    for alt in &c.alts {
        let n = alt.stems.len();
        if n == 0 || tokens.len() < n {
            continue;
        }
        let keys = &alt.keys;
        let mut found = Vec::new();
        for w in 0..=tokens.len() - n {
            if (0..n).all(|k| tokens[w + k].key == keys[k]) {
                found.push(tokens[w].range.start..tokens[w + n - 1].range.end);
            }
        }
        if !found.is_empty() {
            if alt.weight > best {
                best = alt.weight;
            }
            ranges.extend(found);
        }
    }
    (best, ranges)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::stemmer;
    use super::super::question::Alt;
    use super::*;

    fn concept(alts: &[(&[&str], f32)]) -> Concept {
        Concept {
            alts: alts
                .iter()
                .map(|(stems, w)| Alt::new(stems.iter().map(|s| s.to_string()).collect(), *w))
                .collect(),
            idf: 1.0,
            known: true,
            entity: false,
        }
    }

    #[test]
    fn a_concept_matches_by_its_best_alternative_where_it_occurs() {
        let text = "Russia lifted the arms embargo; Moscow sells helicopters.";
        let tokens = stem_tokens(&mut stemmer(), text, 100);
        let table: [(Concept, f32, Vec<&str>); 4] = [
            (concept(&[(&["embargo"], 1.0)]), 1.0, vec!["embargo"]),
            (
                concept(&[(&["russia"], 1.0), (&["moscow"], 0.7)]),
                1.0,
                vec!["Russia", "Moscow"],
            ),
            (
                concept(&[(&["kremlin"], 1.0), (&["moscow"], 0.7)]),
                0.7,
                vec!["Moscow"],
            ),
            (
                concept(&[(&["arm", "embargo"], 1.0)]),
                1.0,
                vec!["arms embargo"],
            ),
        ];
        for (c, weight, found) in table {
            let (w, ranges) = concept_match(&c, &tokens);
            assert_eq!(w, weight, "{:?}", c.alts[0].stems);
            let at: Vec<&str> = ranges
                .iter()
                .map(|r| &text[r.start - 100..r.end - 100])
                .collect();
            assert_eq!(at, found);
        }
        let absent = concept(&[(&["china"], 1.0), (&["beij"], 0.7)]);
        assert_eq!(concept_match(&absent, &tokens), (0.0, vec![]));
        // A phrase matches only in order.
        let reversed = concept(&[(&["embargo", "arm"], 1.0)]);
        assert_eq!(concept_match(&reversed, &tokens).0, 0.0);
    }
}
