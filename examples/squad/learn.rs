//! Fitting the fusion's four linear models, and scoring them held out.
//!
//! - rank: a softmax over each answerable question's candidates, fitted so that the passage
//!   that answers comes first (L2-regularised, Adam);
//! - answerable and correct: logistic regressions over the doubts of the first two candidates
//!   (ranked by the fitted rank model), labelled "the question is answerable" and "the first
//!   candidate is the passage that answers";
//! - answer: a softmax over the sentences of each passage that answers, fitted so that a
//!   sentence holding a gold answer is chosen;
//! - refuse_below: the bar on the answerability that refuses most unanswerable questions while
//!   refusing at most `MAX_FALSE_REFUSALS` of the answerable ones in the data fitted on; a
//!   wrongly refused answerable question costs `REFUSAL_COST` right refusals.

use std::path::Path;

use dossier::search::{Doubts, QuestionFlags, SentenceSignals, Signals, Weights, doubts, sigmoid};

use super::metrics::{Outcome, Table};

/// One candidate passage of a question, with what it would score if ranked first.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Cand {
    pub s: Signals,
    pub gold: bool,
    pub a1: bool,
    pub em: f64,
    pub f1: f64,
    /// Each sentence of the passage as its answer.
    #[serde(default)]
    pub sents: Vec<SentCand>,
}

/// One sentence of a candidate passage, with what it would score as the answer.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct SentCand {
    pub s: SentenceSignals,
    pub a1: bool,
    pub em: f64,
    pub f1: f64,
}

impl Cand {
    /// What the passage scores ranked first, its answer sentence chosen by `w`: (A@1, EM, F1).
    fn answered(&self, w: &Weights) -> (bool, f64, f64) {
        if self.sents.is_empty() {
            return (self.a1, self.em, self.f1);
        }
        let signals: Vec<SentenceSignals> = self.sents.iter().map(|s| s.s).collect();
        let s = &self.sents[w.answer_sentence(&signals)];
        (s.a1, s.em, s.f1)
    }
}

/// One question: its flags and every candidate the engine read.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Sample {
    /// A question about our own article.
    #[serde(default)]
    pub ours: bool,
    pub answerable: bool,
    pub flags: QuestionFlags,
    pub cands: Vec<Cand>,
}

const MAX_FALSE_REFUSALS: f64 = 0.04;

/// How many SQuAD articles our own article's questions count as (`OWN_SHARE`, default 1).
fn own_share() -> f64 {
    std::env::var("OWN_SHARE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1.0)
}
const REFUSAL_COST: f64 = 3.0;
const L2: f64 = 1e-3;
const STEPS: usize = 600;

/// Adam over a loss given as (loss, gradient) of the weights.
fn minimise(dim: usize, mut loss: impl FnMut(&[f64], &mut [f64]) -> f64) -> Vec<f64> {
    let (lr, b1, b2, eps) = (0.05, 0.9, 0.999, 1e-8);
    let mut w = vec![0.0; dim];
    let (mut m, mut v) = (vec![0.0; dim], vec![0.0; dim]);
    let mut grad = vec![0.0; dim];
    for t in 1..=STEPS {
        grad.iter_mut().for_each(|g| *g = 0.0);
        loss(&w, &mut grad);
        for i in 0..dim {
            grad[i] += L2 * w[i];
            m[i] = b1 * m[i] + (1.0 - b1) * grad[i];
            v[i] = b2 * v[i] + (1.0 - b2) * grad[i] * grad[i];
            let mh = m[i] / (1.0 - b1.powi(t as i32));
            let vh = v[i] / (1.0 - b2.powi(t as i32));
            w[i] -= lr * mh / (vh.sqrt() + eps);
        }
    }
    w
}

fn values(s: &Signals) -> Vec<f64> {
    s.values().into_iter().map(f64::from).collect()
}

fn dotf(w: &[f64], x: &[f64]) -> f64 {
    w.iter().zip(x).map(|(a, b)| a * b).sum()
}

/// A question's candidates (features, whether it answers) and the question's weight.
type Weighted = (Vec<(Vec<f64>, bool)>, f64);

fn fit_rank(samples: &[(&Sample, f64)]) -> Signals {
    let data: Vec<Weighted> = samples
        .iter()
        .filter(|(s, _)| s.cands.iter().any(|c| c.gold))
        .map(|(s, weight)| {
            (
                s.cands.iter().map(|c| (values(&c.s), c.gold)).collect(),
                *weight,
            )
        })
        .collect();
    let w = fit_softmax(&data, Signals::NAMES.len());
    Signals::from_values(&w.iter().map(|x| *x as f32).collect::<Vec<_>>())
}

/// The answer-sentence model: a softmax over the sentences of every passage that answers an
/// answerable question, some sentence of which holds a gold answer.
fn fit_answer(samples: &[(&Sample, f64)]) -> SentenceSignals {
    let data: Vec<Weighted> = samples
        .iter()
        .filter(|(s, _)| s.answerable)
        .flat_map(|(s, weight)| {
            s.cands
                .iter()
                .filter(|c| c.gold && c.sents.iter().any(|x| x.a1))
                .map(move |c| {
                    let sents = c
                        .sents
                        .iter()
                        .map(|x| (x.s.values().into_iter().map(f64::from).collect(), x.a1))
                        .collect();
                    (sents, *weight)
                })
        })
        .collect();
    let w = fit_softmax(&data, SentenceSignals::NAMES.len());
    SentenceSignals::from_values(&w.iter().map(|x| *x as f32).collect::<Vec<_>>())
}

/// A softmax over each group's rows, fitted to put the positive rows first.
fn fit_softmax(data: &[Weighted], dim: usize) -> Vec<f64> {
    let n: f64 = data.iter().map(|d| d.1).sum::<f64>().max(1.0);
    minimise(dim, |w, grad| {
        let mut loss = 0.0;
        for (q, weight) in data {
            let scores: Vec<f64> = q.iter().map(|(x, _)| dotf(w, x)).collect();
            let max = scores.iter().copied().fold(f64::MIN, f64::max);
            let z: f64 = scores.iter().map(|s| (s - max).exp()).sum();
            let golds = q.iter().filter(|c| c.1).count() as f64;
            for ((x, gold), s) in q.iter().zip(&scores) {
                let p = (s - max).exp() / z;
                let y = if *gold { 1.0 / golds } else { 0.0 };
                if *gold {
                    loss -= weight * y * (p.max(1e-12)).ln();
                }
                for (g, xi) in grad.iter_mut().zip(x) {
                    *g += weight * (p - y) * xi / n;
                }
            }
        }
        loss / n
    })
}

fn fit_logistic(data: &[(Vec<f64>, bool, f64)]) -> Doubts {
    let n: f64 = data.iter().map(|d| d.2).sum::<f64>().max(1.0);
    let w = minimise(Doubts::NAMES.len(), |w, grad| {
        let mut loss = 0.0;
        for (x, y, weight) in data {
            let p = 1.0 / (1.0 + (-dotf(w, x)).exp());
            let y = f64::from(u8::from(*y));
            loss -= weight * (y * p.max(1e-12).ln() + (1.0 - y) * (1.0 - p).max(1e-12).ln());
            for (g, xi) in grad.iter_mut().zip(x) {
                *g += weight * (p - y) * xi / n;
            }
        }
        loss / n
    });
    Doubts::from_values(&w.iter().map(|x| *x as f32).collect::<Vec<_>>())
}

/// The candidates of a sample in the order of `rank`.
fn ranked<'a>(s: &'a Sample, rank: &Signals) -> Vec<&'a Cand> {
    let mut order: Vec<&Cand> = s.cands.iter().collect();
    order.sort_by(|x, y| rank.dot(&y.s).total_cmp(&rank.dot(&x.s)));
    order
}

fn sample_doubts<'a>(s: &'a Sample, w: &Weights) -> Option<(Doubts, Vec<&'a Cand>)> {
    let order = ranked(s, &w.rank);
    let first = order.first()?;
    let d = doubts(&s.flags, &first.s, order.get(1).map(|c| &c.s), w);
    Some((d, order))
}

/// Fits the four models and the refusal bar on the groups given; each group counts as much
/// as any other, however many questions it has.
pub fn fit(groups: &[&[Sample]]) -> Weights {
    let total: usize = groups.iter().map(|g| g.len()).sum();
    let samples: Vec<(&Sample, f64)> = groups
        .iter()
        .flat_map(|g| {
            let share = if g.first().is_some_and(|s| s.ours) {
                own_share()
            } else {
                1.0
            };
            let weight = share * total as f64 / (groups.len() * g.len().max(1)) as f64;
            g.iter().map(move |s| (s, weight))
        })
        .collect();
    let mut w = Weights {
        rank: fit_rank(&samples),
        answer: fit_answer(&samples),
        ..Weights::default()
    };
    let mut answerable = Vec::new();
    let mut correct = Vec::new();
    for (s, weight) in &samples {
        if let Some((d, order)) = sample_doubts(s, &w) {
            let x: Vec<f64> = d.values().into_iter().map(f64::from).collect();
            answerable.push((x.clone(), s.answerable, *weight));
            correct.push((x, s.answerable && order[0].gold, *weight));
        }
    }
    let samples: Vec<&Sample> = samples.iter().map(|(s, _)| *s).collect();
    let samples = samples.as_slice();
    w.answerable = fit_logistic(&answerable);
    w.correct = fit_logistic(&correct);
    w.refuse_below = refusal_bar(samples, &w);
    w
}

fn refusal_bar(samples: &[&Sample], w: &Weights) -> f32 {
    let probs: Vec<(f32, bool)> = samples
        .iter()
        .filter_map(|s| sample_doubts(s, w).map(|(d, _)| (d, s.answerable)))
        // Questions refused on evidence are refused whatever the bar.
        .filter(|(d, _)| d.unknown_name == 0.0 && d.unknown_focus == 0.0)
        .map(|(d, answerable)| (w.answerable(&d), answerable))
        .collect();
    let answerable = probs.iter().filter(|p| p.1).count().max(1) as f64;
    let mut best = (0.0f32, f64::MIN);
    for step in 0..100 {
        let bar = step as f32 / 100.0;
        let wrong = probs.iter().filter(|p| p.1 && p.0 < bar).count() as f64;
        let right = probs.iter().filter(|p| !p.1 && p.0 < bar).count() as f64;
        if wrong / answerable > MAX_FALSE_REFUSALS {
            break;
        }
        let utility = right - REFUSAL_COST * wrong;
        if utility > best.1 {
            best = (bar, utility);
        }
    }
    best.0
}

/// The outcome of a sample under `w`, as the engine would answer it.
fn outcome(s: &Sample, w: &Weights) -> Outcome {
    let Some((d, order)) = sample_doubts(s, w) else {
        return Outcome {
            answerable: s.answerable,
            refused: true,
            ..Outcome::default()
        };
    };
    let refused = w.refuses(&d);
    let first = order[0];
    let (a1, em, f1) = first.answered(w);
    Outcome {
        answerable: s.answerable,
        refused,
        p1: !refused && first.gold,
        r3: !refused && order.iter().take(3).any(|c| c.gold),
        a1: !refused && a1,
        em: if refused { 0.0 } else { em },
        f1: if refused { 0.0 } else { f1 },
        confidence: sigmoid(w.correct.dot(&d)),
    }
}

/// Questions of one group held out by fold: question `i` in fold `i % FOLDS`, each fold scored
/// with models fitted on the other groups and the group's other folds. For our own article,
/// whose new questions are about the same document: what a new question about it meets.
pub fn held_out_by_question(groups: &[Vec<Sample>], k: usize, name: &str) -> Table {
    const FOLDS: usize = 5;
    let mut outcomes = Vec::new();
    for fold in 0..FOLDS {
        let (test, rest): (Vec<_>, Vec<_>) = groups[k]
            .iter()
            .enumerate()
            .partition(|(i, _)| i % FOLDS == fold);
        let rest: Vec<Sample> = rest.into_iter().map(|(_, s)| s.clone()).collect();
        let mut train: Vec<&[Sample]> = groups
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != k)
            .map(|(_, g)| g.as_slice())
            .collect();
        train.push(&rest);
        let w = fit(&train);
        outcomes.extend(test.iter().map(|(_, s)| outcome(s, &w)));
    }
    let mut table = Table::default();
    table.add(name, &outcomes);
    table
}

/// Leave one group out: each group scored with models fitted on the others.
pub fn held_out(groups: &[Vec<Sample>], names: &[String]) -> Table {
    let mut table = Table::default();
    for (k, held) in groups.iter().enumerate() {
        let train: Vec<&[Sample]> = groups
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != k)
            .map(|(_, g)| g.as_slice())
            .collect();
        let w = fit(&train);
        let outcomes: Vec<Outcome> = held.iter().map(|s| outcome(s, &w)).collect();
        table.add(&names[k], &outcomes);
        eprintln!("held out {}: refuse below {:.2}", names[k], w.refuse_below);
    }
    table
}

/// How often each evidence flag fires on answerable and on unanswerable questions, by group
/// (with `STATS=1`): which flags are evidence anywhere, and which only in one document.
pub fn flag_stats(groups: &[Vec<Sample>], names: &[String], w: &Weights) {
    for (g, name) in groups.iter().zip(names) {
        let mut line = format!("{name}:");
        for (i, flag) in Doubts::NAMES.iter().enumerate() {
            if !matches!(
                *flag,
                "names_all"
                    | "unknown_name"
                    | "unknown_focus"
                    | "missing_kind"
                    | "missing_date"
                    | "contradiction"
                    | "number_absent"
                    | "negation_unmatched"
            ) {
                continue;
            }
            let (mut on_ans, mut on_unans) = (0, 0);
            for s in g {
                if let Some((d, _)) = sample_doubts(s, w) {
                    let v = d.values()[i];
                    let fired = if *flag == "names_all" {
                        v == 0.0
                    } else {
                        v > 0.0
                    };
                    if fired && s.answerable {
                        on_ans += 1;
                    } else if fired {
                        on_unans += 1;
                    }
                }
            }
            line.push_str(&format!(" {flag} {on_ans}/{on_unans}"));
        }
        eprintln!("{line}");
    }
}

/// Writes the fitted models with how they were made.
pub fn write(out: &Path, w: &Weights, groups: &[String]) {
    let file = serde_json::json!({
        "provenance": format!(
            "fitted by `OWN_SHARE={} cargo run --release --example squad -- \
             ../shared/eval/external/squad-public.json --own <our question files> --train \
             models/fusion/fusion.json` on {} question groups ({}; our article's questions \
             counting as {} groups); rank: softmax over each question's candidates; answer: \
             softmax over the sentences of each passage that answers; answerable and correct: \
             logistic regression over the doubts; refuse_below: at most {:.0} % of the \
             answerable questions fitted on refused. Held-out figures (leave one article out; \
             our questions by 5 folds) in BENCHMARKS.md.",
            own_share(),
            groups.len(),
            groups.join(", "),
            own_share(),
            MAX_FALSE_REFUSALS * 100.0
        ),
        "weights": w,
    });
    let text = serde_json::to_string_pretty(&file).expect("json") + "\n";
    std::fs::write(out, text).expect("write the models");
}
