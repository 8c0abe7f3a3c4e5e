//! The question log's cost: how many rows a second the background writer sustains (SQLite, and
//! PostgreSQL when `DOSSIER_TEST_POSTGRES` is set), and the answer latency through `App` with
//! logging on and off (repeated questions, so the difference is the logging itself, and new
//! questions), and `/gaps` over 6,000 logged questions with a vote stored meanwhile.
//! `cargo bench --bench store`; figures in BENCHMARKS.md.

use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;

use common::{log_all, questions, variant};
use dossier::bot::App;
use dossier::bot::command::{Command, Origin, Request, Transport};
use dossier::bot::feedback::Feedback;
use dossier::config::Settings;
use dossier::store::{self, Outcome, Store, UserHasher};

const ROWS: i64 = 50_000;

/// Rows a second from `log` to committed, in batches, the queue kept from overflowing.
fn writer(name: &str, store: &Store) {
    let base = store::now() * 1000;
    let started = Instant::now();
    log_all(store, base, ROWS, 2048, |n| {
        (
            format!("When did Russia lift its arms embargo on Pakistan? {n}"),
            Outcome::Answered,
        )
    });
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{name}: {ROWS} rows in {secs:.2} s = {:.0} rows/s, {} dropped",
        ROWS as f64 / secs,
        store.dropped()
    );
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn latency(name: &str, app: &App, texts: &[String]) {
    let mut times: Vec<Duration> = texts
        .iter()
        .map(|question| {
            let request = Request {
                origin: Some(Origin {
                    transport: Transport::Gateway,
                    user: 42,
                    guild: Some(1),
                    channel: Some(2),
                }),
                ..Request::new(Command::Ask {
                    question: question.clone(),
                    after: None,
                })
            };
            let started = Instant::now();
            std::hint::black_box(app.execute(&request));
            started.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{name}: {} answers, p50 {:.3} ms, p99 {:.3} ms",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
}

/// `/gaps` over 6,000 distinct unanswered questions (issue 28: pairwise grouping took ~63 s
/// on the store thread), and how long a vote waits for the store meanwhile.
fn gaps(store: &Store) {
    const QUESTIONS: i64 = 6_000;
    let base = store::now() * 1000 + 500_000_000;
    log_all(store, base, QUESTIONS, 1024, |n| {
        (common::unanswered(n), Outcome::Abstained)
    });
    let voter = store.clone();
    let vote = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(5));
        let started = Instant::now();
        let stored = voter.vote(store::Vote {
            question: base,
            user_hash: "fedcba9876543210fedcba9876543210".into(),
            helpful: false,
            reason: None,
            at: base,
        });
        (stored, started.elapsed())
    });
    let started = Instant::now();
    let listed = store.gaps(base).unwrap();
    let took = started.elapsed();
    let (stored, waited) = vote.join().unwrap();
    println!(
        "gaps over {} logged questions: {} gaps in {:.1} ms; a vote meanwhile stored {:?} in {:.1} ms",
        store.figures(base).map_or(0, |f| f.questions),
        listed.len(),
        took.as_secs_f64() * 1000.0,
        stored,
        waited.as_secs_f64() * 1000.0
    );
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    gaps(&Store::open(dir.path().join("gaps.db").to_str().unwrap()).unwrap());
    let sqlite = Store::open(dir.path().join("bench.db").to_str().unwrap()).unwrap();
    writer("writer, SQLite (WAL)", &sqlite);
    if let Ok(url) = std::env::var("DOSSIER_TEST_POSTGRES") {
        writer("writer, PostgreSQL", &Store::open(&url).unwrap());
    }

    let (engine, _index) = common::fixtures::article_engine();
    let engine = Arc::new(engine);
    let off = App::new(engine.clone(), Settings::default());
    let on = App::new(engine, Settings::default()).with_feedback(Feedback {
        store: sqlite,
        hasher: UserHasher::new(b"bench"),
        log_questions: true,
    });
    let asked = questions(&["tests/eval/dev.jsonl", "tests/eval/held.jsonl"]);
    let repeated: Vec<String> = (0..20_000)
        .map(|i| asked[i % asked.len()].clone())
        .collect();
    latency("logging off, repeated questions", &off, &repeated);
    latency("logging on, repeated questions", &on, &repeated);
    let fresh = |salt: usize| -> Vec<String> {
        (0..300)
            .map(|i| variant(&asked[i % asked.len()], salt + i))
            .collect()
    };
    latency("logging off, new questions", &off, &fresh(100_000));
    latency("logging on, new questions", &on, &fresh(200_000));
}
