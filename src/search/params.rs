//! Every hand-set number of ranking and refusal, in one place.
//!
//! The learned models ([`Weights`](super::Weights), `models/fusion/fusion.json`) weigh the
//! signals of a candidate; these numbers shape the signals themselves: how many candidates are
//! read, what a heading or an alias counts, what a sentence gains when it holds the kind of
//! answer asked for. They travel with the weights (`Weights::params`), so the tuning example
//! scores other values without a rebuild: `cargo run --release --example squad -- FILE --set
//! holds_date=0.15,0.25,0.35`.

use serde::{Deserialize, Serialize};

use crate::corpus::Role;

/// The numbers; [`Params::SHIPPED`] holds the values the engine ships with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    // Retrieval.
    /// Candidates taken from BM25 and read closely for each question.
    pub candidates: usize,
    /// Candidates taken from dense retrieval, besides BM25's.
    pub dense_candidates: usize,
    /// Dense retrieval ranks a passage by this times the sum of its own cosine and its best
    /// sentence's (one half: their mean).
    pub closeness_half: f32,
    /// Passages BM25 scores for each question: a candidate that dense retrieval found gets its
    /// BM25 score too when it is among these.
    pub bm25_scored: usize,
    /// A word of the question in the heading a passage (or event) stands under counts this
    /// share of one in its text, in BM25.
    pub heading_boost: f32,
    /// The other alternatives of a concept (its aliases, its correction) add this share of their
    /// score to the best one's, in BM25.
    pub alternatives_tie: f32,

    // The question.
    /// What an alias of a word of the question counts next to the word itself.
    pub alias_weight: f32,
    /// What the correction of a misspelt word counts next to a word as written.
    pub fuzzy_weight: f32,
    /// What a word that frames the question rather than names its subject ("happen", "say",
    /// "relations") counts.
    pub frame_weight: f32,

    // Reading a passage.
    /// A concept is of the question's subject when its idf is at least this share of the most
    /// specific concept's.
    pub subject_idf: f32,
    /// A sentence is about the question's subject when it holds at least this share of the
    /// weight of the question's known words.
    pub subject_share: f32,
    /// A word of the question in the passage's heading counts this share of one in its text.
    pub heading_share: f32,
    /// What a sentence's lexical score gains when it holds the kind of answer asked for: a date
    /// for "when" (the kind most often given by one word of the sentence), a place, anything
    /// else.
    pub holds_date: f32,
    pub holds_place: f32,
    pub holds_other: f32,
    /// What a sentence's lexical score gains when one of its dates lies in the period the
    /// question names.
    pub date_in_period: f32,
    /// How much a passage counts next to body text, by role, unless the question names what
    /// the passage is ("the photo", "the title").
    pub title_factor: f32,
    pub caption_factor: f32,
    pub heading_factor: f32,

    // Refusal.
    /// A passage is about the question when it covers at least this share of the question's
    /// weight; only such passages show that the asked-for kind is missing.
    pub about_coverage: f32,

    // Events of a period ("what happened in 2015?").
    /// How sure such a question is when events of the period answer it.
    pub period_confidence: f32,
    /// An event whose date lies within the period fits 1, one whose date only overlaps it this
    /// much.
    pub overlap_fit: f32,
    /// A precise date outranks a vague one by at most this much.
    pub narrow_share: f32,
}

impl Params {
    pub const SHIPPED: Params = Params {
        candidates: 30,
        dense_candidates: 20,
        closeness_half: 0.5,
        bm25_scored: 200,
        heading_boost: 0.3,
        alternatives_tie: 0.1,
        alias_weight: 0.7,
        fuzzy_weight: 0.9,
        frame_weight: 0.3,
        subject_idf: 0.6,
        subject_share: 0.3,
        heading_share: 0.5,
        holds_date: 0.25,
        holds_place: 0.1,
        holds_other: 0.2,
        date_in_period: 0.3,
        title_factor: 0.9,
        caption_factor: 0.7,
        heading_factor: 0.6,
        about_coverage: 0.25,
        period_confidence: 0.9,
        overlap_fit: 0.4,
        narrow_share: 0.1,
    };

    /// Sets one number by its name, as the tuning example takes it (`holds_date=0.3`).
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let mut all = serde_json::to_value(*self).map_err(|e| e.to_string())?;
        let slot = all
            .get_mut(name)
            .ok_or_else(|| format!("no parameter named {name:?}"))?;
        *slot = serde_json::from_str(value).map_err(|e| format!("{name}={value}: {e}"))?;
        *self = serde_json::from_value(all).map_err(|e| format!("{name}={value}: {e}"))?;
        Ok(())
    }

    /// How much a passage counts next to body text, by role: titles, captions and headings
    /// are context more than content, unless the question names what the passage is.
    pub(super) fn role_factor(&self, role: Role, named: bool) -> f32 {
        if named {
            return 1.0;
        }
        match role {
            Role::Body | Role::Byline => 1.0,
            Role::Title => self.title_factor,
            Role::Caption => self.caption_factor,
            Role::Heading => self.heading_factor,
        }
    }
}

impl Default for Params {
    fn default() -> Self {
        Params::SHIPPED
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_set_by_its_name_and_a_wrong_one_is_refused() {
        let mut p = Params::SHIPPED;
        p.set("holds_date", "0.4").unwrap();
        assert_eq!(p.holds_date, 0.4);
        p.set("candidates", "40").unwrap();
        assert_eq!(p.candidates, 40);
        assert!(
            p.set("holds_dates", "0.4")
                .unwrap_err()
                .contains("no parameter")
        );
        assert!(p.set("candidates", "0.5").is_err());
        assert!(p.set("holds_date", "many").is_err());
    }

    #[test]
    fn context_counts_less_than_content_unless_named() {
        let p = Params::SHIPPED;
        assert!(p.role_factor(Role::Caption, false) < p.role_factor(Role::Body, false));
        assert!(p.role_factor(Role::Heading, false) < p.role_factor(Role::Caption, false));
        assert_eq!(p.role_factor(Role::Caption, true), 1.0);
        assert_eq!(p.role_factor(Role::Heading, true), 1.0);
    }
}
