//! Fusion: one score per candidate paragraph from every signal — meaning (dense cosines),
//! words (BM25 and how much of the question a passage holds, aliases and corrections
//! included), dates, the question's type, the passage's role — and how sure the bot is.
//!
//! The weights are few and named; they are the grid point best over the public question sets
//! and ours together (481 questions, `examples/tune.rs`, which reports them held out by 5-fold
//! and by leave-one-file-out cross-validation), never chosen by looking at single questions.

/// The weights of the signals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Share of the question's weighted words the passage holds.
    pub coverage: f32,
    /// Best lexical sentence score (coverage in one sentence plus type and date fit).
    pub sentence: f32,
    /// BM25, relative to the best candidate's.
    pub bm25: f32,
    /// Penalty when the passage has dates, none in the period asked about.
    pub dates_outside: f32,
    /// Bonus when a sentence about the question's subject holds the kind of answer asked for
    /// (a date, a person, a number, a stretch of time).
    pub typed: f32,
    /// How much the lexical reading counts next to the dense cosine when picking the answer
    /// sentence.
    pub answer_lexical: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            coverage: 0.5,
            sentence: 0.2,
            bm25: 0.0,
            dates_outside: 0.1,
            typed: 0.05,
            answer_lexical: 1.0,
        }
    }
}

/// What is known of one candidate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Signals {
    /// Mean of the paragraph's cosine and its best sentence's cosine.
    pub dense: f32,
    pub coverage: f32,
    pub sentence: f32,
    /// BM25 over the best BM25 of the candidates (0 when BM25 did not retrieve it).
    pub bm25: f32,
    pub dates_outside: bool,
    /// A sentence about the subject holds the kind of answer asked for.
    pub typed: bool,
    /// Role factor: captions and headings count less than body text.
    pub role: f32,
}

impl Weights {
    pub fn score(&self, s: &Signals) -> f32 {
        let mut score =
            s.dense + self.coverage * s.coverage + self.sentence * s.sentence + self.bm25 * s.bm25;
        if s.dates_outside {
            score -= self.dates_outside;
        }
        if s.typed {
            score += self.typed;
        }
        score * s.role
    }

    /// The sentence of a passage that best answers: its cosine to the question plus its
    /// lexical score.
    ///
    /// When the best sentence lacks the kind of answer asked for (`holding[i] == Some(false)`)
    /// and a neighbour holds it, the neighbour answers: "Pakistan and Russia signed the
    /// agreement." is followed by who signed it.
    pub fn answer_sentence(
        &self,
        cosines: &[f32],
        lexical: &[f32],
        holding: &[Option<bool>],
    ) -> usize {
        let score =
            |i: usize| cosines.get(i).copied().unwrap_or(0.0) + self.answer_lexical * lexical[i];
        let mut best = (0, f32::MIN);
        for i in 0..lexical.len() {
            if score(i) > best.1 {
                best = (i, score(i));
            }
        }
        let best = best.0;
        if holding.get(best) != Some(&Some(false)) {
            return best;
        }
        [best.checked_sub(1), Some(best + 1)]
            .into_iter()
            .flatten()
            .filter(|&j| j < lexical.len() && holding.get(j) == Some(&Some(true)))
            .max_by(|&x, &y| score(x).total_cmp(&score(y)))
            .unwrap_or(best)
    }
}

/// How sure the bot is that the first hit answers, 0–1: from the first hit's closeness in
/// meaning, how much of the question it holds, and its lead over the second.
pub fn confidence(first: &Signals, second: Option<&Signals>, w: &Weights) -> f32 {
    let lead = second.map_or(0.2, |s| (w.score(first) - w.score(s)).max(0.0));
    let x = 8.0 * (first.dense - 0.4) + 2.0 * (first.coverage - 0.5) + 3.0 * lead;
    1.0 / (1.0 + (-x).exp())
}

/// Below this, an answer is shown as "the closest passage", not as the answer.
pub const LOW_CONFIDENCE: f32 = 0.35;

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(dense: f32, coverage: f32) -> Signals {
        Signals {
            dense,
            coverage,
            sentence: coverage,
            bm25: coverage,
            dates_outside: false,
            typed: false,
            role: 1.0,
        }
    }

    #[test]
    fn every_signal_moves_the_score_its_way() {
        // Every weight positive (the tuned BM25 weight is 0: dense and coverage carry it).
        let w = Weights {
            bm25: 0.1,
            typed: 0.1,
            ..Weights::default()
        };
        let base = signals(0.5, 0.5);
        let cases: [(&str, Signals, bool); 6] = [
            ("closer in meaning", Signals { dense: 0.7, ..base }, true),
            (
                "more of the words",
                Signals {
                    coverage: 0.9,
                    ..base
                },
                true,
            ),
            ("higher bm25", Signals { bm25: 1.0, ..base }, true),
            (
                "dates outside the period",
                Signals {
                    dates_outside: true,
                    ..base
                },
                false,
            ),
            ("a caption", Signals { role: 0.7, ..base }, false),
            (
                "holds the kind asked for",
                Signals {
                    typed: true,
                    ..base
                },
                true,
            ),
        ];
        for (what, s, higher) in cases {
            assert_eq!(w.score(&s) > w.score(&base), higher, "{what}");
        }
    }

    #[test]
    fn the_answer_sentence_weighs_meaning_and_words() {
        let w = Weights::default();
        assert_eq!(
            w.answer_sentence(&[0.2, 0.6, 0.3], &[0.0, 0.0, 0.0], &[]),
            1
        );
        assert_eq!(
            w.answer_sentence(&[0.2, 0.3, 0.3], &[0.0, 0.0, 0.9], &[]),
            2
        );
        assert_eq!(w.answer_sentence(&[], &[0.1], &[]), 0);
    }

    #[test]
    fn a_neighbour_holding_the_kind_asked_for_answers_instead() {
        let w = Weights::default();
        let (held, not) = (Some(true), Some(false));
        // The best sentence holds no person; the next one does.
        assert_eq!(
            w.answer_sentence(&[0.6, 0.3, 0.1], &[0.0; 3], &[not, held, held]),
            1
        );
        // Of two neighbours, the closer in meaning.
        assert_eq!(
            w.answer_sentence(&[0.2, 0.6, 0.3], &[0.0; 3], &[held, not, held]),
            2
        );
        // Only neighbours: a far sentence does not take over.
        assert_eq!(
            w.answer_sentence(&[0.6, 0.3, 0.1], &[0.0; 3], &[not, not, held]),
            0
        );
        // A best sentence that holds it, or a kind any sentence holds, stays.
        assert_eq!(w.answer_sentence(&[0.6, 0.3], &[0.0; 2], &[held, held]), 0);
        assert_eq!(w.answer_sentence(&[0.6, 0.3], &[0.0; 2], &[None, None]), 0);
    }

    #[test]
    fn confidence_rises_with_closeness_and_lead() {
        let w = Weights::default();
        let strong = signals(0.7, 0.9);
        let weak = signals(0.2, 0.2);
        assert!(confidence(&strong, Some(&weak), &w) > 0.9);
        assert!(confidence(&weak, Some(&weak), &w) < LOW_CONFIDENCE);
        let c = confidence(&strong, None, &w);
        assert!((0.0..=1.0).contains(&c));
    }
}
