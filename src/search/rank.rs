//! Ranking: the candidates of a question, BM25's and dense retrieval's, read and scored by
//! fusion, each with its answer sentence.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use tantivy::DocAddress;
use tantivy::collector::TopDocs;

use super::context::Context;
use super::dense::Closeness;
use super::explain::{Candidate, SentenceChoice};
use super::fusion::{SentenceSignals, Signals, Weights, sentence_signals};
use super::hits::Hit;
use super::lexical::{Passage, paragraph_query};
use super::question::{Analysis, Question, QuestionKind};
use super::reading::{Reading, read_candidate};

/// A candidate read and scored: its passage and the sentence chosen as its answer. The
/// [`Hit`] is made only for the candidates shown ([`Scored::hit`]).
pub(super) struct Scored {
    pub(super) passage: Arc<Passage>,
    /// The answer sentence: its index in the passage's sentences.
    pub(super) best: usize,
    pub(super) score: f32,
    /// Where the question's words are in the passage's text.
    pub(super) matches: Vec<Range<usize>>,
    pub(super) signals: Signals,
    /// Each sentence of the passage (its range in the passage's text) and its signals as an
    /// answer.
    pub(super) sentences: Vec<(Range<usize>, SentenceSignals)>,
}

impl Scored {
    pub(super) fn hit(&self) -> Hit {
        let p = &self.passage;
        p.hit(&p.sentences[self.best], self.score, self.matches.clone())
    }

    /// The answer sentence's text.
    pub(super) fn answer(&self) -> &str {
        &self.passage.text[self.passage.sentences[self.best].range.clone()]
    }

    /// The candidate as an explanation shows it: each signal's contribution to its score.
    pub(super) fn candidate(&self, w: &Weights) -> Candidate {
        Candidate {
            document: self.passage.document.clone(),
            paragraph: self.passage.paragraph,
            score: self.score,
            signals: self.signals,
            contributions: w.rank.contributions(&self.signals),
            text: self.passage.text.clone(),
            answer: self.answer().to_string(),
            answer_span: None,
            sentences: self
                .sentences
                .iter()
                .map(|(range, signals)| SentenceChoice {
                    signals: *signals,
                    text: self.passage.text[range.clone()].to_string(),
                    span: None,
                })
                .collect(),
        }
    }
}

/// The headings (or first words) of the closest passages: what the documents do speak of,
/// shown with a refusal.
pub(super) fn nearest_topics(scored: &[Scored]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in scored.iter().take(6) {
        let label = s.passage.heading.clone().unwrap_or_else(|| {
            let words: Vec<&str> = s.answer().split_whitespace().take(8).collect();
            format!("{}…", words.join(" "))
        });
        if !out.contains(&label) {
            out.push(label);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// The candidates of a question, BM25's and dense retrieval's, read and scored by fusion.
pub(super) fn rank_paragraphs(
    ctx: &mut Context,
    a: &Analysis,
    q: &Question,
    question_vector: &[f32],
) -> tantivy::Result<Vec<Scored>> {
    let searcher = ctx.snap.searcher.clone();
    let closeness = ctx.snap.dense.closeness(question_vector);
    let candidates = candidates(ctx, &searcher, a, &closeness)?;
    let asked = Asked::new(q);
    let half = ctx.weights.params.closeness_half;
    let best_closeness = closeness
        .values()
        .map(|c| c.score(half))
        .fold(f32::MIN, f32::max);
    let mut scored = Vec::new();
    for (address, bm25, bm25_place) in candidates {
        let p = ctx.passage(&searcher, address)?;
        let close = closeness.get(&address).cloned().unwrap_or_default();
        let reading = read_candidate(a, &p, &asked.words, &ctx.weights.params);
        let signals = Signals {
            paragraph_cosine: close.paragraph,
            sentence_cosine: close.best_sentence(),
            cosine_gap: close.score(half) - best_closeness,
            bm25,
            bm25_rank: bm25_place.map_or(0.0, |place| 1.0 / (1.0 + place as f32)),
            coverage: reading.coverage,
            sentence: reading.sentence_score,
            typed: flag(reading.typed),
            answer_kind: flag(reading.has_answer_type),
            names_all: flag(reading.names_all),
            dates_outside: flag(reading.dates_outside),
            role: ctx.weights.params.role_factor(p.role, reading.names_role),
            absent: reading.absent,
            absent_share: reading.absent_share,
            sentence_cover: reading.sentence_cover,
            number_absent: flag(asked.numbers.iter().any(|n| !p.text.contains(n.as_str()))),
            negation_unmatched: 0.0,
        };
        scored.push(answered(ctx, a, &asked, p, &close, reading, signals));
    }
    // Ties (rare, but two copies of one passage tie) keep the retrieval order: deterministic.
    scored.sort_by(|x, y| y.score.total_cmp(&x.score));
    Ok(scored)
}

/// A candidate: its address, its BM25 score over the best, and its place in BM25's order.
type Retrieved = (DocAddress, f32, Option<usize>);

/// BM25's first candidates and dense retrieval's, in that order (`Params::candidates`,
/// `Params::dense_candidates`).
fn candidates(
    ctx: &Context,
    searcher: &tantivy::Searcher,
    a: &Analysis,
    closeness: &HashMap<DocAddress, Closeness>,
) -> tantivy::Result<Vec<Retrieved>> {
    let params = &ctx.weights.params;
    let lexical = match paragraph_query(ctx.fields, a, params) {
        Some(query) => searcher.search(
            &query,
            &TopDocs::with_limit(params.bm25_scored).order_by_score(),
        )?,
        None => Vec::new(),
    };
    let max_bm25 = lexical.first().map_or(1.0, |(s, _)| *s).max(f32::EPSILON);
    let mut by_meaning: Vec<(&DocAddress, &Closeness)> = closeness.iter().collect();
    let half = params.closeness_half;
    let by_closeness = |x: &(&DocAddress, &Closeness)| x.1.score(half);
    by_meaning.sort_by(|x, y| {
        by_closeness(y)
            .total_cmp(&by_closeness(x))
            .then(x.0.cmp(y.0))
    });
    let bm25_of = |address: &DocAddress| {
        lexical
            .iter()
            .position(|(_, a)| a == address)
            .map_or((*address, 0.0, None), |place| {
                (*address, lexical[place].0 / max_bm25, Some(place))
            })
    };
    let mut candidates: Vec<Retrieved> = lexical
        .iter()
        .take(params.candidates)
        .map(|(_, address)| bm25_of(address))
        .collect();
    for (address, _) in by_meaning.into_iter().take(params.dense_candidates) {
        if !candidates.iter().any(|(c, _, _)| c == address) {
            candidates.push(bm25_of(address));
        }
    }
    Ok(candidates)
}

/// What the ranking reads of the question's own words.
struct Asked {
    words: Vec<String>,
    /// The numbers the question gives, as runs of digits ("F-16s" gives "16", "1,000" gives
    /// "1" and "000"): a passage that holds them writes them so too.
    numbers: Vec<String>,
    /// The question holds a negation.
    negated: bool,
}

impl Asked {
    fn new(q: &Question) -> Asked {
        let words: Vec<String> = crate::corpus::words::plain_words(&q.text).collect();
        let numbers = q
            .text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|run| !run.is_empty())
            .map(str::to_string)
            .collect();
        let negated = words.iter().any(|w| is_negation(w));
        Asked {
            words,
            numbers,
            negated,
        }
    }
}

/// A candidate with its answer sentence chosen and its score by fusion.
fn answered(
    ctx: &Context,
    a: &Analysis,
    asked: &Asked,
    p: Arc<Passage>,
    close: &Closeness,
    reading: Reading,
    mut signals: Signals,
) -> Scored {
    let w = &ctx.weights;
    let dated: Vec<bool> = p
        .sentences
        .iter()
        .map(|s| a.kind == QuestionKind::When && !s.dates.is_empty())
        .collect();
    let sentences = sentence_signals(
        &close.sentences,
        &reading.sentence_scores,
        &reading.holding,
        &dated,
    );
    let best_index = w.answer_sentence(&sentences).min(p.sentences.len() - 1);
    let best = &p.sentences[best_index];
    signals.negation_unmatched = flag(
        asked.negated
            && !crate::corpus::words::plain_words(&p.text[best.range.clone()])
                .any(|w| is_negation(&w)),
    );
    let score = w.score(&signals);
    let sentences = p
        .sentences
        .iter()
        .map(|s| s.range.clone())
        .zip(sentences)
        .collect();
    Scored {
        best: best_index,
        score,
        matches: reading.matches,
        signals,
        sentences,
        passage: p,
    }
}

/// "not", "never", "no", "didn't": a word that turns a statement around.
fn is_negation(word: &str) -> bool {
    matches!(word, "not" | "never" | "no" | "nor" | "neither" | "without") || word.ends_with("n't")
}

fn flag(b: bool) -> f32 {
    f32::from(u8::from(b))
}
