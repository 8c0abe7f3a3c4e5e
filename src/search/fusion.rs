//! Fusion: one score per candidate passage from every signal — meaning (dense cosines), words
//! (BM25 and how much of the question a passage holds, aliases and corrections included), dates,
//! the question's type, the passage's role — and how sure the bot is.
//!
//! Every weight is learned, none is set by hand (the few numbers that shape the signals are
//! [`Params`], in one place): `models/fusion.json` holds four linear models
//! fitted by `examples/squad.rs` on the public question sets with a written, held-out protocol
//! (leave one article out; see BENCHMARKS.md):
//!
//! - `rank`: a weight for each [`Signals`] feature; candidates are ordered by the weighted sum
//!   (a softmax over a question's candidates, fitted to put the passage that answers first);
//! - `answerable`: logistic regression over [`Doubts`] — the probability that the documents
//!   answer the question at all; below `refuse_below` the bot refuses;
//! - `correct`: logistic regression over [`Doubts`] — the probability that the first hit is the
//!   passage that answers: the `confidence` users see;
//! - `answer`: a weight for each [`SentenceSignals`] feature; a passage's answer sentence is
//!   the one of best weighted sum (a softmax over its sentences, fitted to choose one holding
//!   the answer).

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::params::Params;

/// A struct of named `f32` features (or of the weights of those features: the same names),
/// with the helpers a linear model needs.
macro_rules! features {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: f32,)*
        }

        impl $name {
            /// The features' names, in the order of [`Self::values`].
            pub const NAMES: &'static [&'static str] = &[$(stringify!($field)),*];

            pub fn values(&self) -> Vec<f32> {
                vec![$(self.$field),*]
            }

            /// The features from values in the order of [`Self::NAMES`] (missing ones are 0).
            pub fn from_values(values: &[f32]) -> Self {
                let mut it = values.iter().copied();
                $name { $($field: it.next().unwrap_or(0.0),)* }
            }

            /// The weighted sum of `features` with these weights.
            pub fn dot(&self, features: &Self) -> f32 {
                0.0 $(+ self.$field * features.$field)*
            }

            /// Each feature's share of [`Self::dot`]: (name, weight × value).
            pub fn contributions(&self, features: &Self) -> Vec<(&'static str, f32)> {
                vec![$((stringify!($field), self.$field * features.$field)),*]
            }
        }
    };
}

features! {
    /// What is known of one candidate passage. Flags are 0 or 1.
    Signals {
        /// Cosine of the question and the whole passage.
        paragraph_cosine,
        /// Cosine of the question and the passage's closest sentence.
        sentence_cosine,
        /// The passage's mean cosine less the best candidate's (0 for the closest).
        cosine_gap,
        /// BM25 over the best BM25 of the candidates (0 when BM25 did not retrieve it).
        bm25,
        /// 1 / (1 + the passage's place in BM25's order); 0 when BM25 did not retrieve it.
        bm25_rank,
        /// Share of the question's weighted words the passage holds.
        coverage,
        /// Best lexical sentence score (coverage in one sentence plus type and date fit).
        sentence,
        /// A sentence about the question's subject holds the kind of answer asked for.
        typed,
        /// The passage is about the question and holds the kind of answer asked for (always 1
        /// for kinds whose absence proves nothing).
        answer_kind,
        /// Every name the question gives occurs in the passage.
        names_all,
        /// The passage has dates, none in the period the question names: it contradicts it.
        dates_outside,
        /// Role factor: captions and headings count less than body text.
        role,
        /// The most specific word of the question the documents hold and the passage lacks, as
        /// a share of the most specific word's weight.
        absent,
        /// Share of the question's known weight the passage lacks.
        absent_share,
        /// The best sentence's (and its neighbours') share of the question's weight.
        sentence_cover,
        /// A number the question gives is not in the passage.
        number_absent,
        /// The question says "not", "never", "no"; the passage's answer sentence does not.
        negation_unmatched,
    }
}

features! {
    /// What is known of a question and its two best candidates: what the refusal and the
    /// confidence are read from. Flags are 0 or 1.
    Doubts {
        /// Always 1: the intercept.
        bias,
        /// The first candidate's rank score.
        score,
        /// Its lead over the second.
        margin,
        paragraph_cosine,
        sentence_cosine,
        coverage,
        /// The best passage names every name of the question.
        names_all,
        /// A name the question gives occurs nowhere in the documents.
        unknown_name,
        /// What the question asks about ("how many *bombs*") occurs nowhere.
        unknown_focus,
        /// The passages about the question lack the kind of answer asked for (not a date).
        missing_kind,
        /// The passages about a "when" question hold no date or other time.
        missing_date,
        /// Share of the question's weighted words the documents hold at all.
        known_share,
        /// The best passage's dates all fall outside the period the question names.
        contradiction,
        absent,
        absent_share,
        sentence_cover,
        number_absent,
        negation_unmatched,
        /// The second candidate's rank score.
        second_score,
    }
}

features! {
    /// What is known of one sentence of a passage: which sentence answers.
    SentenceSignals {
        /// Cosine of the question and the sentence.
        cosine,
        /// The sentence's lexical score (coverage plus type and date fit).
        lexical,
        /// The sentence holds the kind of answer asked for.
        holds,
        /// The sentence lacks it (a kind whose absence shows).
        lacks,
        /// The passage's first sentence.
        first,
        /// The question asks when and the sentence gives a date (not only a time such as
        /// "the Soviet era").
        dated,
    }
}

/// Each sentence's signals, from its cosine to the question (missing ones are 0), its lexical
/// score, whether it holds the kind of answer asked for (`None`: the kind's absence shows
/// nothing) and whether it gives a date a when-question asks for.
pub fn sentence_signals(
    cosines: &[f32],
    lexical: &[f32],
    holding: &[Option<bool>],
    dated: &[bool],
) -> Vec<SentenceSignals> {
    (0..lexical.len())
        .map(|i| SentenceSignals {
            cosine: cosines.get(i).copied().unwrap_or(0.0),
            lexical: lexical[i],
            holds: flag(holding.get(i) == Some(&Some(true))),
            lacks: flag(holding.get(i) == Some(&Some(false))),
            first: flag(i == 0),
            dated: flag(dated.get(i) == Some(&true)),
        })
        .collect()
}

/// What a question's analysis says before any passage is read.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct QuestionFlags {
    /// The question asks when.
    #[serde(default)]
    pub asks_date: bool,
    pub unknown_name: bool,
    pub unknown_focus: bool,
    pub known_share: f32,
}

fn flag(b: bool) -> f32 {
    f32::from(u8::from(b))
}

/// The doubts of a question from its flags and its first two candidates (by rank score).
pub fn doubts(
    flags: &QuestionFlags,
    first: &Signals,
    second: Option<&Signals>,
    w: &Weights,
) -> Doubts {
    let score = w.rank.dot(first);
    let margin = second.map_or(1.0, |s| score - w.rank.dot(s));
    let top: Vec<&Signals> = std::iter::once(first).chain(second).collect();
    let about: Vec<&&Signals> = top
        .iter()
        .filter(|s| s.coverage >= w.params.about_coverage)
        .collect();
    let missing_kind = !about.is_empty() && about.iter().all(|s| s.answer_kind == 0.0);
    Doubts {
        bias: 1.0,
        score,
        margin,
        paragraph_cosine: first.paragraph_cosine,
        sentence_cosine: first.sentence_cosine,
        coverage: first.coverage,
        names_all: first.names_all,
        unknown_name: flag(flags.unknown_name),
        unknown_focus: flag(flags.unknown_focus),
        missing_kind: flag(missing_kind && !flags.asks_date),
        missing_date: flag(missing_kind && flags.asks_date),
        known_share: flags.known_share,
        contradiction: first.dates_outside,
        absent: first.absent,
        absent_share: first.absent_share,
        sentence_cover: first.sentence_cover,
        number_absent: first.number_absent,
        negation_unmatched: first.negation_unmatched,
        second_score: second.map_or(0.0, |s| w.rank.dot(s)),
    }
}

/// The learned models, as shipped in `models/fusion.json`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// The weight of each signal in a candidate's rank score.
    pub rank: Signals,
    /// Logistic regression: the documents answer the question.
    pub answerable: Doubts,
    /// Logistic regression: the first hit is the passage that answers (the confidence).
    pub correct: Doubts,
    /// The bot refuses when the probability that the question is answerable is below this.
    pub refuse_below: f32,
    /// The weight of each signal of a sentence in choosing a passage's answer sentence.
    pub answer: SentenceSignals,
    /// The hand-set numbers that shape the signals: not in the file, set where they are named.
    #[serde(skip)]
    pub params: Params,
}

/// The shipped models: the file is compiled in, so the binary needs nothing at run time.
const SHIPPED: &str = include_str!("../../models/fusion/fusion.json");

/// The shipped file: the weights and how they were made.
#[derive(Deserialize)]
struct Shipped {
    weights: Weights,
}

static DEFAULT: LazyLock<Weights> = LazyLock::new(|| {
    serde_json::from_str::<Shipped>(SHIPPED)
        .map(|s| s.weights)
        // The file is checked by a unit test; a broken build never ships.
        .unwrap_or_else(|e| panic!("models/fusion/fusion.json: {e}"))
});

impl Default for Weights {
    fn default() -> Self {
        *DEFAULT
    }
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl Weights {
    pub fn score(&self, s: &Signals) -> f32 {
        self.rank.dot(s)
    }

    /// The probability that the documents answer the question.
    pub fn answerable(&self, d: &Doubts) -> f32 {
        sigmoid(self.answerable.dot(d))
    }

    /// Whether the bot refuses: the documents never mention a name or the thing the question
    /// asks about (evidence, not a guess: nothing in them can answer), or the question is
    /// unlikely to be answerable.
    pub fn refuses(&self, d: &Doubts) -> bool {
        d.unknown_name > 0.0 || d.unknown_focus > 0.0 || self.answerable(d) < self.refuse_below
    }

    /// The probability that the first hit answers: the confidence.
    pub fn confidence(&self, d: &Doubts) -> f32 {
        sigmoid(self.correct.dot(d))
    }

    /// The sentence of a passage that answers: the best weighted sum of its signals (the
    /// first of equals); 0 for a passage without sentences.
    pub fn answer_sentence(&self, sentences: &[SentenceSignals]) -> usize {
        let mut best = (0, f32::MIN);
        for (i, s) in sentences.iter().enumerate() {
            let score = self.answer.dot(s);
            if score > best.1 {
                best = (i, score);
            }
        }
        best.0
    }
}

/// Below this, an answer is shown as "the closest passage", not as the answer: the bot thinks
/// it more likely wrong than right.
pub const LOW_CONFIDENCE: f32 = 0.5;

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(cosine: f32, coverage: f32) -> Signals {
        Signals {
            paragraph_cosine: cosine,
            sentence_cosine: cosine,
            coverage,
            sentence: coverage,
            bm25: coverage,
            bm25_rank: 0.5,
            names_all: 1.0,
            answer_kind: 1.0,
            role: 1.0,
            ..Signals::default()
        }
    }

    #[test]
    fn the_shipped_models_load_and_every_weight_is_finite() {
        let w = Weights::default();
        for v in w
            .rank
            .values()
            .into_iter()
            .chain(w.answerable.values())
            .chain(w.correct.values())
        {
            assert!(v.is_finite());
        }
        assert!((0.0..1.0).contains(&w.refuse_below));
    }

    #[test]
    fn closeness_in_meaning_and_words_rank_a_passage_higher() {
        let w = Weights::default();
        let base = signals(0.4, 0.4);
        assert!(w.score(&signals(0.7, 0.4)) > w.score(&base), "meaning");
        assert!(w.score(&signals(0.4, 0.9)) > w.score(&base), "words");
    }

    #[test]
    fn evidence_against_an_answer_lowers_answerability() {
        let w = Weights::default();
        let flags = QuestionFlags {
            known_share: 1.0,
            ..QuestionFlags::default()
        };
        let (first, second) = (signals(0.7, 0.9), signals(0.3, 0.3));
        let clear = doubts(&flags, &first, Some(&second), &w);
        let unknown = doubts(
            &QuestionFlags {
                unknown_name: true,
                known_share: 0.5,
                ..flags
            },
            &first,
            Some(&second),
            &w,
        );
        assert!(w.answerable(&unknown) < w.answerable(&clear));
        let weak = doubts(&flags, &signals(0.1, 0.1), Some(&signals(0.1, 0.1)), &w);
        assert!(w.confidence(&weak) < w.confidence(&clear));
    }

    #[test]
    fn missing_kind_needs_a_passage_about_the_question() {
        let w = Weights::default();
        let flags = QuestionFlags::default();
        let lacking = Signals {
            answer_kind: 0.0,
            ..signals(0.5, 0.8)
        };
        assert_eq!(doubts(&flags, &lacking, None, &w).missing_kind, 1.0);
        let far = Signals {
            coverage: 0.1,
            ..lacking
        };
        assert_eq!(doubts(&flags, &far, None, &w).missing_kind, 0.0);
        assert_eq!(
            doubts(&flags, &lacking, Some(&signals(0.5, 0.8)), &w).missing_kind,
            0.0
        );
    }

    fn choose(cosines: &[f32], lexical: &[f32], holding: &[Option<bool>]) -> usize {
        Weights::default().answer_sentence(&sentence_signals(cosines, lexical, holding, &[]))
    }

    #[test]
    fn the_answer_sentence_weighs_meaning_and_words() {
        assert_eq!(choose(&[0.2, 0.6, 0.3], &[0.0, 0.0, 0.0], &[]), 1);
        assert_eq!(choose(&[0.2, 0.3, 0.3], &[0.0, 0.0, 0.9], &[]), 2);
        assert_eq!(choose(&[], &[0.1], &[]), 0);
        assert_eq!(Weights::default().answer_sentence(&[]), 0);
    }

    #[test]
    fn a_sentence_holding_the_kind_asked_for_beats_a_close_one_lacking_it() {
        let (held, not) = (Some(true), Some(false));
        assert_eq!(choose(&[0.6, 0.55, 0.1], &[0.5; 3], &[not, held, held]), 1);
        assert_eq!(choose(&[0.6, 0.3], &[0.5; 2], &[held, held]), 0);
    }

    #[test]
    fn sentence_signals_read_cosines_words_and_kinds() {
        let s = sentence_signals(
            &[0.5, 0.7],
            &[0.2, 0.6, 0.1],
            &[None, Some(true)],
            &[false, true],
        );
        assert_eq!(s.len(), 3);
        assert_eq!((s[0].first, s[1].first), (1.0, 0.0));
        assert_eq!((s[1].lexical, s[2].lexical), (0.6, 0.1));
        assert_eq!((s[1].holds, s[0].holds, s[2].cosine), (1.0, 0.0, 0.0));
        assert_eq!((s[0].dated, s[1].dated, s[2].dated), (0.0, 1.0, 0.0));
    }
}
