//! Ranking: the candidates of a question, BM25's and dense retrieval's, read and scored by
//! fusion, each with its answer sentence.

use tantivy::DocAddress;
use tantivy::collector::TopDocs;

use super::context::Context;
use super::dense::Closeness;
use super::fusion::Signals;
use super::hits::Hit;
use super::lexical::paragraph_query;
use super::question::{Analysis, Question};
use super::reading::{Reading, read_candidate, role_factor};

/// Candidates read closely for each question.
pub(super) const CANDIDATES: usize = 30;

/// Candidates taken from dense retrieval, besides BM25's.
const DENSE_CANDIDATES: usize = 20;

pub(super) struct Scored {
    pub(super) hit: Hit,
    pub(super) reading: Reading,
    pub(super) signals: Signals,
}

/// The candidates of a question, BM25's and dense retrieval's, read and scored by fusion.
pub(super) fn rank_paragraphs(
    ctx: &mut Context,
    a: &Analysis,
    q: &Question,
    question_vector: &[f32],
) -> tantivy::Result<Vec<Scored>> {
    let searcher = ctx.snap.searcher.clone();
    let lexical = match paragraph_query(ctx.fields, a) {
        Some(query) => {
            searcher.search(&query, &TopDocs::with_limit(CANDIDATES).order_by_score())?
        }
        None => Vec::new(),
    };
    let max_bm25 = lexical.first().map_or(1.0, |(s, _)| *s).max(f32::EPSILON);
    let closeness = ctx.snap.dense.closeness(question_vector);
    let mut by_meaning: Vec<(&DocAddress, &Closeness)> = closeness.iter().collect();
    by_meaning.sort_by(|x, y| y.1.score().total_cmp(&x.1.score()).then(x.0.cmp(y.0)));
    let mut candidates: Vec<(DocAddress, f32)> = lexical
        .iter()
        .map(|(bm25, address)| (*address, bm25 / max_bm25))
        .collect();
    for (address, _) in by_meaning.into_iter().take(DENSE_CANDIDATES) {
        if !candidates.iter().any(|(c, _)| c == address) {
            candidates.push((*address, 0.0));
        }
    }
    let question_words: Vec<String> = crate::corpus::words::plain_words(&q.text).collect();
    let mut scored = Vec::new();
    for (address, bm25) in candidates {
        let p = ctx.passage(&searcher, address)?;
        let reading = read_candidate(a, &p, &question_words);
        let close = closeness.get(&address).cloned().unwrap_or_default();
        let signals = Signals {
            dense: close.score(),
            coverage: reading.coverage,
            sentence: reading.sentence_score,
            bm25,
            dates_outside: reading.dates_outside,
            typed: reading.typed,
            role: role_factor(p.role, reading.names_role),
        };
        let w = &ctx.weights;
        let best = &p.sentences[w
            .answer_sentence(&close.sentences, &reading.sentence_scores, &reading.holding)
            .min(p.sentences.len() - 1)];
        let hit = p.hit(best, w.score(&signals), reading.matches.clone());
        scored.push(Scored {
            hit,
            reading,
            signals,
        });
    }
    scored.sort_by(|x, y| y.hit.score.total_cmp(&x.hit.score));
    Ok(scored)
}
