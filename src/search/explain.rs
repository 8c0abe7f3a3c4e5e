//! Why an answer is what it is (`ask --explain`): each signal's contribution to the top
//! candidates' scores, and the doubts that decided between answering and refusing.

use serde::Serialize;

use super::fusion::{Doubts, QuestionFlags, SentenceSignals, Signals, Weights};

/// Candidates shown in an explanation.
const EXPLAINED: usize = 5;

/// One candidate passage and why it scored as it did.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub document: String,
    pub paragraph: u32,
    pub score: f32,
    pub signals: Signals,
    /// Each signal's weight × value; they add up to `score`.
    pub contributions: Vec<(&'static str, f32)>,
    #[serde(skip)]
    pub text: String,
    /// The passage's answer sentence and the phrase of it that answers.
    #[serde(skip)]
    pub answer: String,
    #[serde(skip)]
    pub answer_span: Option<String>,
    /// Each sentence of the passage as its answer (for training the answer-sentence model).
    #[serde(skip)]
    pub sentences: Vec<SentenceChoice>,
}

/// One sentence of a candidate passage, read as its answer.
#[derive(Debug, Clone)]
pub struct SentenceChoice {
    pub signals: SentenceSignals,
    pub text: String,
    /// The phrase of it that would answer.
    pub span: Option<String>,
}

/// The decision of one question.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub flags: QuestionFlags,
    /// What the refusal and the confidence were read from (none when nothing matched).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doubts: Option<Doubts>,
    /// The probability that the documents answer the question, and the bar below which the
    /// bot refuses.
    pub answerable: f32,
    pub refuse_below: f32,
    /// Each doubt's share of the answerability's log-odds.
    pub answerable_contributions: Vec<(&'static str, f32)>,
    /// The best candidates, best first.
    pub candidates: Vec<Candidate>,
    /// Every candidate read (for training the models), best first; never serialised.
    #[serde(skip)]
    pub all: Vec<Candidate>,
}

impl Explanation {
    /// The explanation of a question's answer or refusal from its candidates, best first.
    pub(super) fn new(
        flags: QuestionFlags,
        doubts: Option<Doubts>,
        all: Vec<Candidate>,
        w: &Weights,
    ) -> Explanation {
        Explanation {
            flags,
            doubts,
            answerable: doubts.map_or(0.0, |d| w.answerable(&d)),
            refuse_below: w.refuse_below,
            answerable_contributions: doubts
                .map_or_else(Vec::new, |d| w.answerable.contributions(&d)),
            candidates: all.iter().take(EXPLAINED).cloned().collect(),
            all,
        }
    }
}
