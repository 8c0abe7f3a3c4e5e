//! What the engine answers with: hits, answers, pages of search results and of the timeline,
//! and the bounded cache of answers of one snapshot.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::RwLock;

use serde::Serialize;

use super::abstain::Refusal;
use super::explain::Explanation;
use super::fusion;
use super::question::{Correction, QuestionKind};
use crate::corpus::Role;
use crate::corpus::date::Date;

/// Answers of one snapshot by question text. Bounded: past `ANSWER_CACHE` entries it starts
/// over.
#[derive(Default)]
pub(crate) struct AnswerCache(RwLock<HashMap<String, Answer>>);

const ANSWER_CACHE: usize = 4096;

impl AnswerCache {
    pub(crate) fn get(&self, question: &str) -> Option<Answer> {
        self.0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(question)
            .cloned()
    }

    pub(crate) fn put(&self, answer: &Answer) {
        let mut cache = self.0.write().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= ANSWER_CACHE {
            cache.clear();
        }
        cache.insert(answer.question.clone(), answer.clone());
    }

    pub(crate) fn clear(&self) {
        self.0.write().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HitKind {
    Paragraph,
    Event,
}

/// A passage that answers, with its answer sentence and that sentence's dates.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind: HitKind,
    pub document: String,
    pub paragraph: u32,
    /// The passage as written.
    pub text: String,
    /// The sentence of `text` that best answers.
    pub answer: String,
    pub dates: Vec<Date>,
    pub score: f32,
    pub role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Where a browser finds the document (its metadata's `url`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The phrase of `answer` that answers ("June 2014", "Rollo"), on the first hit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_span: Option<String>,
    /// Where `answer` is in `text`.
    #[serde(skip)]
    pub answer_range: Range<usize>,
    /// Byte ranges of `text` where the question's words (or their aliases) occur.
    #[serde(skip)]
    pub matches: Vec<Range<usize>>,
    /// For `search`: a short fragment around the matches, with highlighted ranges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<Snippet>,
}

/// A fragment of a passage with the matched words marked, from tantivy's snippet generator.
#[derive(Debug, Clone, Serialize)]
pub struct Snippet {
    pub fragment: String,
    pub highlighted: Vec<Range<usize>>,
}

/// The answer to one question.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub question: String,
    pub hits: Vec<Hit>,
    /// The question as corrected, when a word was not in the article and a close one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    pub kind: QuestionKind,
    /// For a follow-up: the question it was understood as, standing on its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub understood_as: Option<String>,
    /// How sure the bot is that the first hit answers (0–1); 0 when there are no hits.
    pub confidence: f32,
    /// When there are no hits: why the bot refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Refusal>,
    /// When there are no hits: what the article is about nearest to the question.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nearest: Vec<String>,
    /// Why the top hits scored as they did and why the bot answered or refused (`ask
    /// --explain`; never serialised otherwise).
    #[serde(skip)]
    pub explain: Option<Explanation>,
}

impl Answer {
    /// The first hit is only the closest passage: the bot is not sure it answers.
    pub fn unsure(&self) -> bool {
        !self.hits.is_empty() && self.confidence < fusion::LOW_CONFIDENCE
    }
}

/// One page of search results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    pub query: String,
    pub hits: Vec<Hit>,
    pub total: usize,
    pub offset: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
}

/// Which events a timeline shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineFilter {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub topic: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEvent {
    pub date: Date,
    pub text: String,
    pub document: String,
    pub paragraph: u32,
    #[serde(skip)]
    pub sentence: String,
    #[serde(skip)]
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelinePage {
    pub events: Vec<TimelineEvent>,
    pub total: usize,
    pub offset: usize,
}
