//! Chooses the fusion weights by cross-validation, and reports held-out figures.
//!
//! ```sh
//! cargo run --release --example tune -- ../shared/eval/dev.jsonl ../shared/eval/dev2.jsonl \
//!     tests/eval/held.jsonl tests/eval/extra.jsonl tests/eval/fresh.jsonl \
//!     tests/eval/fresh2.jsonl tests/eval/fresh3.jsonl
//! ```
//!
//! The questions of the files given are pooled. Two protocols score them held out: 5 folds
//! (question `i` in fold `i % 5`) and, with several files, leave-one-file-out (each file a
//! fold, so a file is scored with weights chosen on the others). For each fold the grid point
//! best on the other folds is scored on it; the held-out figures are those of the folds, given
//! for the pool, for each file and for the public sets (`shared/eval/`) together. Files after
//! `--test` are never tuned on: they are scored once with the weights best on the whole pool.
//! Matching follows `score.py` (case-folded, quotes and dashes normalised).

use std::path::Path;

use dossier::search::{Engine, Weights};

#[path = "../tests/eval/matching.rs"]
mod matching;
use matching::{contains_any, date_match};

#[derive(serde::Deserialize)]
struct Question {
    question: String,
    category: String,
    answers: Vec<String>,
    date: Option<String>,
}

/// One question's outcome under one set of weights.
#[derive(Clone, Copy, Default)]
struct Outcome {
    answerable: bool,
    abstained: bool,
    p1: bool,
    a1: bool,
    r3: bool,
    dated: bool,
    date1: bool,
    paraphrase: bool,
    unsure: bool,
}

fn judge(engine: &Engine, q: &Question) -> Outcome {
    let answer = engine.ask(&q.question).expect("answer");
    let has = |text: &str, cap: usize| contains_any(text, &q.answers, cap);
    let first = answer.hits.first();
    let date1 = match (first, q.date.as_deref()) {
        (Some(h), Some(gold)) => date_match(gold, &h.dates, &q.category),
        _ => false,
    };
    Outcome {
        answerable: q.category != "unanswerable",
        abstained: answer.hits.is_empty(),
        p1: first.is_some_and(|h| has(&h.text, 1200)),
        a1: first.is_some_and(|h| has(&h.answer, 400)),
        r3: answer.hits.iter().take(3).any(|h| has(&h.text, 1200)),
        dated: q.date.is_some(),
        date1,
        paraphrase: q.category == "paraphrase",
        unsure: answer.unsure(),
    }
}

#[derive(Default, Debug)]
struct Figures {
    n: usize,
    p1: f64,
    a1: f64,
    r3: f64,
    date1: f64,
    paraphrase: f64,
    abstain: f64,
    false_abstentions: f64,
}

fn figures(outcomes: &[Outcome]) -> Figures {
    let share = |filter: &dyn Fn(&Outcome) -> bool, hit: &dyn Fn(&Outcome) -> bool| {
        let pool: Vec<&Outcome> = outcomes.iter().filter(|o| filter(o)).collect();
        if pool.is_empty() {
            f64::NAN
        } else {
            pool.iter().filter(|o| hit(o)).count() as f64 / pool.len() as f64
        }
    };
    Figures {
        n: outcomes.len(),
        p1: share(&|o| o.answerable, &|o| o.p1),
        a1: share(&|o| o.answerable, &|o| o.a1),
        r3: share(&|o| o.answerable, &|o| o.r3),
        date1: share(&|o| o.answerable && o.dated, &|o| o.date1),
        paraphrase: share(&|o| o.paraphrase, &|o| o.p1),
        abstain: share(&|o| !o.answerable, &|o| o.abstained),
        false_abstentions: share(&|o| o.answerable, &|o| o.abstained),
    }
}

/// What the grid search maximises: answers first, refusing an answerable question costs most.
fn objective(outcomes: &[Outcome]) -> f64 {
    outcomes
        .iter()
        .map(|o| {
            if o.answerable {
                f64::from(u8::from(o.p1)) + 0.5 * f64::from(u8::from(o.a1))
                    - 2.0 * f64::from(u8::from(o.abstained))
            } else {
                0.5 * f64::from(u8::from(o.abstained))
            }
        })
        .sum()
}

fn grid() -> Vec<Weights> {
    let mut out = Vec::new();
    for coverage in [0.3, 0.5, 0.7, 1.0] {
        for sentence in [0.0, 0.1, 0.2, 0.4] {
            for bm25 in [0.0, 0.1] {
                for answer_lexical in [0.5, 1.0, 2.0] {
                    for typed in [0.0, 0.05, 0.1] {
                        out.push(Weights {
                            coverage,
                            sentence,
                            bm25,
                            answer_lexical,
                            typed,
                            ..Weights::default()
                        });
                    }
                }
            }
        }
    }
    out
}

/// Each question's outcome under the grid point best on the other folds (`fold_of` gives a
/// question's fold).
fn cross_validate(
    outcomes: &[Vec<Outcome>],
    grid: &[Weights],
    folds: usize,
    fold_of: &dyn Fn(usize) -> usize,
) -> Vec<Outcome> {
    let n = outcomes.first().map_or(0, Vec::len);
    let mut held_out = vec![Outcome::default(); n];
    for fold in 0..folds {
        let score = |g: usize| {
            let picked: Vec<Outcome> = (0..n)
                .filter(|&i| fold_of(i) != fold)
                .map(|i| outcomes[g][i])
                .collect();
            objective(&picked)
        };
        let best = (0..grid.len())
            .max_by(|&a, &b| score(a).total_cmp(&score(b)))
            .unwrap_or(0);
        println!("fold {fold}: {:?}", grid[best]);
        for i in (0..n).filter(|&i| fold_of(i) == fold) {
            held_out[i] = outcomes[best][i];
        }
    }
    held_out
}

fn load(path: &str) -> Vec<Question> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}: {e}")))
        .collect()
}

/// Whether "unsure" tells: P@1 of the answers shown as sure and of those shown as unsure.
fn calibration(outcomes: &[Outcome]) -> String {
    let part = |unsure: bool| {
        let pool: Vec<&Outcome> = outcomes
            .iter()
            .filter(|o| o.answerable && !o.abstained && o.unsure == unsure)
            .collect();
        let right = pool.iter().filter(|o| o.p1).count();
        format!("{right}/{}", pool.len())
    };
    let wrongly_answered = outcomes
        .iter()
        .filter(|o| !o.answerable && !o.abstained && o.unsure)
        .count();
    format!(
        "right among sure answers {}, among unsure {}; unanswerable shown as unsure {wrongly_answered}",
        part(false),
        part(true)
    )
}

fn print(label: &str, f: &Figures) {
    println!(
        "{label:<28} n={:<4} P@1 {:.3}  A@1 {:.3}  R@3 {:.3}  Date@1 {:.3}  paraphrase {:.3}  abstain {:.3}  false-abst {:.3}",
        f.n, f.p1, f.a1, f.r3, f.date1, f.paraphrase, f.abstain, f.false_abstentions
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pool = Vec::new();
    // The file each pooled question comes from, for held-out figures per file.
    let mut sources: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let mut tests = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--test" {
            let path = it.next().expect("--test FILE");
            tests.push((path.clone(), load(path)));
        } else {
            let start = pool.len();
            pool.extend(load(a));
            sources.push((a.clone(), start..pool.len()));
        }
    }
    let index = tempfile::tempdir().expect("temp dir");
    let mut engine = Engine::open(Path::new("data"), index.path()).expect("engine");
    let grid = grid();
    // outcomes[g][q]: every question under every grid point, computed once.
    let mut outcomes: Vec<Vec<Outcome>> = Vec::new();
    for w in &grid {
        engine = engine.with_weights(*w);
        outcomes.push(pool.iter().map(|q| judge(&engine, q)).collect());
    }
    let report = |label: &str, held_out: &[Outcome]| {
        print(label, &figures(held_out));
        if sources.len() > 1 {
            for (path, range) in &sources {
                print(
                    &format!("  held-out {path}"),
                    &figures(&held_out[range.clone()]),
                );
            }
            let public: Vec<Outcome> = sources
                .iter()
                .filter(|(path, _)| path.contains("shared/eval/"))
                .flat_map(|(_, range)| held_out[range.clone()].to_vec())
                .collect();
            if !public.is_empty() {
                print("  held-out, public sets", &figures(&public));
            }
        }
    };
    let interleaved = cross_validate(&outcomes, &grid, 5, &|i| i % 5);
    report("pool, 5-fold held-out", &interleaved);
    if sources.len() > 1 {
        // Each file written on its own is a fold: the weights that score a file were chosen on
        // the others, as they will be for questions written by someone else.
        let file_of = |i: usize| {
            sources
                .iter()
                .position(|(_, r)| r.contains(&i))
                .unwrap_or(0)
        };
        let by_file = cross_validate(&outcomes, &grid, sources.len(), &file_of);
        report("pool, leave-one-file-out", &by_file);
    }
    let best = (0..grid.len())
        .max_by(|&a, &b| objective(&outcomes[a]).total_cmp(&objective(&outcomes[b])))
        .unwrap_or(0);
    println!("best on the whole pool: {:?}", grid[best]);
    print("pool, tuned (not a test)", &figures(&outcomes[best]));
    println!("  {}", calibration(&outcomes[best]));
    let default = grid
        .iter()
        .position(|w| *w == Weights::default())
        .map_or_else(|| "not in the grid".to_string(), |g| format!("{g}"));
    println!("default weights: grid point {default}");
    engine = engine.with_weights(grid[best]);
    for (path, questions) in &tests {
        let o: Vec<Outcome> = questions.iter().map(|q| judge(&engine, q)).collect();
        print(path, &figures(&o));
        println!("  {}", calibration(&o));
    }
}
