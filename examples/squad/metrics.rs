//! Scoring one question as SQuAD and our scorer do, and tables of figures.

use dossier::search::Answer;

use super::learn::{Cand, Sample, SentCand};
pub use super::matching::norm;
use super::{Group, Item};

/// One question's outcome for one system.
#[derive(Clone, Copy, Default)]
pub struct Outcome {
    pub answerable: bool,
    pub refused: bool,
    pub p1: bool,
    pub r3: bool,
    pub a1: bool,
    pub em: f64,
    pub f1: f64,
    /// How sure the system is that it answers (for the ROC AUC and calibration).
    pub confidence: f32,
}

fn holds_answer(text: &str, answers: &[String]) -> bool {
    let t = norm(text);
    answers.iter().any(|a| t.contains(&norm(a)))
}

/// SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces.
fn squad_tokens(s: &str) -> Vec<String> {
    let lower = s.to_lowercase();
    let plain: String = lower
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c.is_whitespace() {
                c
            } else {
                ' '
            }
        })
        .collect();
    plain
        .split_whitespace()
        .filter(|w| !matches!(*w, "a" | "an" | "the"))
        .map(str::to_string)
        .collect()
}

/// Exact match and token F1 of a predicted span against the gold answers (the best of them).
pub fn em_f1(predicted: Option<&str>, answers: &[String]) -> (f64, f64) {
    let Some(p) = predicted else {
        return (0.0, 0.0);
    };
    let p = squad_tokens(p);
    let mut best = (0.0f64, 0.0f64);
    for a in answers {
        let g = squad_tokens(a);
        let em = f64::from(u8::from(p == g));
        let mut common = 0usize;
        let mut pool = g.clone();
        for t in &p {
            if let Some(i) = pool.iter().position(|x| x == t) {
                pool.swap_remove(i);
                common += 1;
            }
        }
        let f1 = if common == 0 {
            0.0
        } else {
            let precision = common as f64 / p.len() as f64;
            let recall = common as f64 / g.len() as f64;
            2.0 * precision * recall / (precision + recall)
        };
        best = (best.0.max(em), best.1.max(f1));
    }
    best
}

/// Whether a passage is the one that answers: the gold paragraph (SQuAD) or, for our own
/// questions, a passage holding a gold answer.
pub fn is_gold(g: &Group, item: &Item, text: &str) -> bool {
    if item.answers.is_empty() || text.trim().is_empty() {
        return false;
    }
    match item.gold {
        Some(i) => norm(&g.paragraphs[i]).contains(&norm(text)),
        None => holds_answer(text, &item.answers),
    }
}

/// The outcome of dossier's answer, and the training sample of its candidates.
pub fn judge(g: &Group, item: &Item, answer: &Answer) -> (Outcome, Option<Sample>) {
    let answerable = !item.answers.is_empty();
    let first = answer.hits.first();
    let (em, f1) = em_f1(first.and_then(|h| h.answer_span.as_deref()), &item.answers);
    let outcome = Outcome {
        answerable,
        refused: answer.hits.is_empty(),
        p1: first.is_some_and(|h| is_gold(g, item, &h.text)),
        r3: answer
            .hits
            .iter()
            .take(3)
            .any(|h| is_gold(g, item, &h.text)),
        a1: first.is_some_and(|h| answerable && holds_answer(&h.answer, &item.answers)),
        em,
        f1,
        confidence: answer.confidence,
    };
    let sample = answer.explain.as_ref().map(|e| Sample {
        ours: item.gold.is_none(),
        answerable,
        flags: e.flags,
        cands: e
            .all
            .iter()
            .map(|c| {
                let (em, f1) = em_f1(c.answer_span.as_deref(), &item.answers);
                Cand {
                    s: c.signals,
                    gold: is_gold(g, item, &c.text),
                    a1: answerable && holds_answer(&c.answer, &item.answers),
                    em,
                    f1,
                    sents: c
                        .sentences
                        .iter()
                        .map(|s| {
                            let (em, f1) = em_f1(s.span.as_deref(), &item.answers);
                            SentCand {
                                s: s.signals,
                                a1: answerable && holds_answer(&s.text, &item.answers),
                                em,
                                f1,
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
    });
    (outcome, sample)
}

/// ROC AUC of `confidence` for telling answerable questions from unanswerable ones.
pub fn auc(outcomes: &[Outcome]) -> f64 {
    let pos: Vec<f32> = outcomes
        .iter()
        .filter(|o| o.answerable)
        .map(|o| o.confidence)
        .collect();
    let neg: Vec<f32> = outcomes
        .iter()
        .filter(|o| !o.answerable)
        .map(|o| o.confidence)
        .collect();
    if pos.is_empty() || neg.is_empty() {
        return f64::NAN;
    }
    let mut wins = 0.0;
    for p in &pos {
        for n in &neg {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (pos.len() * neg.len()) as f64
}

/// Expected calibration error of `confidence` as the probability that the shown first hit is
/// the passage that answers (10 equal-width bins, answered questions).
pub fn ece(outcomes: &[Outcome]) -> f64 {
    let shown: Vec<&Outcome> = outcomes.iter().filter(|o| !o.refused).collect();
    let mut bins = [(0usize, 0.0f64, 0.0f64); 10];
    for o in &shown {
        let b = ((o.confidence * 10.0) as usize).min(9);
        bins[b].0 += 1;
        bins[b].1 += f64::from(o.confidence);
        bins[b].2 += f64::from(u8::from(o.answerable && o.p1));
    }
    let n = shown.len().max(1) as f64;
    bins.iter()
        .filter(|b| b.0 > 0)
        .map(|b| (b.1 - b.2).abs() / n)
        .sum()
}

/// Figures by group, and over every question.
#[derive(Default)]
pub struct Table {
    rows: Vec<(String, Vec<Outcome>)>,
}

impl Table {
    pub fn add(&mut self, name: &str, outcomes: &[Outcome]) {
        self.rows.push((name.to_string(), outcomes.to_vec()));
    }

    pub fn render(&self) -> String {
        let mut out = String::from(
            "| group | questions | P@1 | R@3 | A@1 | EM | F1 | answerable refused | unanswerable refused | ROC AUC | ECE |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
        );
        let all: Vec<Outcome> = self.rows.iter().flat_map(|r| r.1.clone()).collect();
        let mut rows: Vec<(&str, &[Outcome])> = self
            .rows
            .iter()
            .map(|(n, o)| (n.as_str(), o.as_slice()))
            .collect();
        let squad: Vec<Outcome> = self
            .rows
            .iter()
            .filter(|r| !r.0.contains("(ours)"))
            .flat_map(|r| r.1.clone())
            .collect();
        if self.rows.len() > 1 {
            if squad.len() < all.len() {
                rows.push(("**SQuAD articles**", &squad));
            }
            rows.push(("**all**", &all));
        }
        for (name, o) in rows {
            let ans: Vec<&Outcome> = o.iter().filter(|o| o.answerable).collect();
            let share = |f: &dyn Fn(&Outcome) -> f64| {
                ans.iter().map(|o| f(o)).sum::<f64>() / ans.len().max(1) as f64
            };
            let b = |x: bool| f64::from(u8::from(x));
            let unans: Vec<&Outcome> = o.iter().filter(|o| !o.answerable).collect();
            let unans_refused =
                unans.iter().filter(|o| o.refused).count() as f64 / unans.len().max(1) as f64;
            out.push_str(&format!(
                "| {name} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.1} % | {:.1} % | {:.3} | {:.3} |\n",
                o.len(),
                share(&|o| b(o.p1 && !o.refused)),
                share(&|o| b(o.r3 && !o.refused)),
                share(&|o| b(o.a1 && !o.refused)),
                share(&|o| if o.refused { 0.0 } else { o.em }),
                share(&|o| if o.refused { 0.0 } else { o.f1 }),
                100.0 * share(&|o| b(o.refused)),
                100.0 * unans_refused,
                auc(o),
                ece(o),
            ));
        }
        out
    }
}
