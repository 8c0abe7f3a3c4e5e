//! A candidate passage read against the question: how much of the question it covers, each
//! sentence's lexical score (its share of the question, whether it holds what the question asks
//! for, whether its dates fall in the period asked about), and whether the passage holds the
//! kind of answer asked for at all.

use std::ops::Range;

use super::evidence::holds;
use super::lexical::{Passage, concept_match};
use super::question::{Analysis, QuestionKind};
use crate::corpus::Role;
use crate::corpus::date::Date;

/// A candidate paragraph read against the question.
pub(super) struct Reading {
    /// Share of the question's weight found in the paragraph, its heading or descriptive words.
    pub(super) coverage: f32,
    pub(super) best_sentence: usize,
    pub(super) sentence_score: f32,
    /// Each sentence's lexical score: its share of the question, type and date fit.
    pub(super) sentence_scores: Vec<f32>,
    pub(super) matches: Vec<Range<usize>>,
    /// The paragraph has dates, none of them in the period asked about.
    pub(super) dates_outside: bool,
    /// A sentence about the question's subject holds what the question asks for: a date for
    /// "when", a person for "who", a number for "how many", an amount for "what did it cost".
    pub(super) has_answer_type: bool,
}

/// A concept is of the question's subject when its idf is at least this share of the most
/// specific concept's.
const SUBJECT_IDF: f32 = 0.6;

/// A sentence is about the question's subject when it holds at least this share of the weight
/// of the question's known words.
const SUBJECT_SHARE: f32 = 0.3;

pub(super) fn read_candidate(a: &Analysis, p: &Passage, question_words: &[String]) -> Reading {
    let text = p.text.as_str();
    let sentences = p.sentences.as_slice();
    let total = a.total_weight().max(f32::EPSILON);
    let (heading_tokens, meta_tokens, sentence_tokens) =
        (&p.heading_tokens, &p.meta_tokens, &p.sentence_tokens);
    let range = a.range();

    let mut paragraph_weight = 0.0;
    let mut matches = Vec::new();
    let mut per_sentence = vec![0.0f32; sentences.len()];
    // Sentences that name the question's subject: one of its most specific known concepts.
    let mut about = vec![false; sentences.len()];
    let specific = SUBJECT_IDF
        * a.concepts
            .iter()
            .filter(|c| c.known)
            .map(|c| c.idf)
            .fold(0.0, f32::max);
    let known_weight: f32 = a.concepts.iter().filter(|c| c.known).map(|c| c.idf).sum();
    let mut known_per_sentence = vec![0.0f32; sentences.len()];
    let mut passage_about = false;
    for c in &a.concepts {
        let mut best: f32 = 0.0;
        for (i, toks) in sentence_tokens.iter().enumerate() {
            let (m, ranges) = concept_match(c, toks);
            per_sentence[i] += c.idf * m;
            if m > 0.0 && c.known {
                known_per_sentence[i] += c.idf * m;
                about[i] |= c.idf >= specific;
            }
            best = best.max(m);
            matches.extend(ranges);
        }
        let framed = concept_match(c, heading_tokens)
            .0
            .max(concept_match(c, meta_tokens).0);
        passage_about |= framed > 0.0 && c.known && c.idf >= specific;
        best = best
            .max(0.5 * concept_match(c, heading_tokens).0)
            .max(concept_match(c, meta_tokens).0);
        paragraph_weight += c.idf * best;
    }
    // A sentence holding a good share of what the question names is about its subject too, and
    // so is every sentence of a passage whose heading or descriptive words name it.
    for (i, w) in known_per_sentence.iter().enumerate() {
        about[i] |= passage_about || *w >= SUBJECT_SHARE * known_weight;
    }

    let mut best_sentence = 0;
    let mut best_score = f32::MIN;
    let mut sentence_scores = Vec::with_capacity(sentences.len());
    let mut holding = Vec::with_capacity(sentences.len());
    for (i, s) in sentences.iter().enumerate() {
        let body = &text[s.range.clone()];
        let held = holds(a.kind, body, &s.dates, question_words);
        holding.push(held);
        let mut score = per_sentence[i] / total;
        if held == Some(true) {
            score += match a.kind {
                QuestionKind::When => 0.25,
                QuestionKind::Place => 0.1,
                _ => 0.2,
            };
        }
        if let Some(r) = range
            && s.dates.iter().any(|d| d.overlaps(r))
        {
            score += 0.3;
        }
        sentence_scores.push(score);
        if score > best_score {
            best_score = score;
            best_sentence = i;
        }
    }
    let dates_outside = range.is_some_and(|r| {
        let dates: Vec<&Date> = sentences.iter().flat_map(|s| &s.dates).collect();
        !dates.is_empty() && !dates.iter().any(|d| d.overlaps(r))
    });
    matches.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let near_subject =
        |i: usize| about[i.saturating_sub(1)..(i + 2).min(about.len())].contains(&true);
    let has_answer_type = match a.kind {
        QuestionKind::Place | QuestionKind::Period | QuestionKind::Other => true,
        _ => (0..sentences.len()).any(|i| holding[i] == Some(true) && near_subject(i)),
    };
    Reading {
        has_answer_type,
        coverage: paragraph_weight / total,
        best_sentence,
        sentence_score: best_score.max(0.0),
        sentence_scores,
        matches,
        dates_outside,
    }
}

pub(super) fn role_factor(role: Role) -> f32 {
    match role {
        Role::Body | Role::Byline => 1.0,
        Role::Title => 0.9,
        Role::Caption => 0.7,
        Role::Heading => 0.6,
    }
}
