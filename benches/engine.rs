//! In-process speed of the engine on the article: answering the dev questions, searching,
//! the timeline, and a full reindex. `cargo bench --bench engine`; figures in BENCHMARKS.md.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use dossier::search::{Engine, TimelineFilter};

/// The public dev questions, the load the answer-quality scorer puts on `ask`.
fn questions() -> Vec<String> {
    std::fs::read_to_string("tests/eval/dev.jsonl")
        .expect("tests/eval/dev.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["question"].as_str().map(str::to_string))
        .collect()
}

fn engine(c: &mut Criterion) {
    let index = tempfile::tempdir().unwrap();
    let engine = Engine::open(Path::new("data"), index.path()).unwrap();
    let questions = questions();

    let mut group = c.benchmark_group("article");
    group.bench_function("ask one question (dev-set mean)", |b| {
        let mut i = 0;
        b.iter(|| {
            let q = &questions[i % questions.len()];
            i += 1;
            black_box(engine.ask(q).unwrap())
        })
    });
    group.bench_function("ask 30 dev questions", |b| {
        b.iter(|| {
            for q in &questions {
                black_box(engine.ask(q).unwrap());
            }
        })
    });
    group.bench_function("search page", |b| {
        b.iter(|| {
            black_box(
                engine
                    .search("Russia arms embargo helicopters", 0, 5)
                    .unwrap(),
            )
        })
    });
    group.bench_function("timeline, all events", |b| {
        let all = TimelineFilter::default();
        b.iter(|| black_box(engine.timeline(&all, 0, 100).unwrap()))
    });
    group.bench_function("timeline, topic and range", |b| {
        let filter = TimelineFilter {
            from: dossier::corpus::date::parse_user_date("2014"),
            to: dossier::corpus::date::parse_user_date("2015"),
            topic: "Putin".into(),
        };
        b.iter(|| black_box(engine.timeline(&filter, 0, 25).unwrap()))
    });
    group.sample_size(20);
    group.bench_function("reindex the article", |b| {
        b.iter(|| black_box(engine.reindex().unwrap()))
    });
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
