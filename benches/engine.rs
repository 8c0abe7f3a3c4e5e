//! In-process speed of the engine on the article: answering new and repeated questions,
//! searching, the timeline and its picture, reindexing (from scratch and unchanged) and loading the model.
//! `cargo bench --bench engine`; figures in BENCHMARKS.md.

use std::hint::black_box;
use std::path::Path;

mod common;

use common::{questions, variant};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use dossier::bot::render::chart;
use dossier::corpus::date::{Date, Point};
use dossier::search::encoder::{self, Encoder};
use dossier::search::{Engine, TimelineFilter};

fn engine(c: &mut Criterion) {
    let (engine, _index) = common::fixtures::article_engine();
    let questions = questions(&["tests/eval/dev.jsonl"]);

    let mut group = c.benchmark_group("article");
    // Criterion calls the routine once per sample: the count lives outside it, so no text is
    // asked twice.
    let asked = std::cell::Cell::new(0);
    group.bench_function(
        "ask a new question (dev-set mean, encoding included)",
        |b| {
            b.iter(|| {
                let i = asked.get() + 1;
                asked.set(i);
                let q = variant(&questions[i % questions.len()], i);
                black_box(engine.ask(&q).unwrap())
            })
        },
    );
    group.bench_function("ask a repeated question (answer cache)", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(engine.ask(&questions[i % questions.len()]).unwrap())
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
    timeline_pictures(&mut group, &engine);
    group.sample_size(20);
    group.bench_function("reindex, nothing changed", |b| {
        b.iter(|| black_box(engine.reindex().unwrap()))
    });
    group.sample_size(10);
    group.bench_function("index the article from scratch (model loaded)", |b| {
        b.iter(|| {
            let fresh = tempfile::tempdir().unwrap();
            black_box(Engine::open(Path::new("data"), fresh.path()).unwrap())
        })
    });
    group.bench_function("load the model", |b| {
        b.iter(|| black_box(Encoder::load(&encoder::default_dir()).unwrap()))
    });
    group.finish();
}

/// Benchmarks drawing the timeline picture of the article's events, and of 1,000 events.
fn timeline_pictures(group: &mut BenchmarkGroup<'_, WallTime>, engine: &Engine) {
    let events = engine
        .timeline(&TimelineFilter::default(), 0, usize::MAX)
        .unwrap()
        .events;
    group.bench_function("timeline picture, the article's 30 events", |b| {
        b.iter(|| black_box(chart::png(&events, None, None, "").unwrap()))
    });
    // 1,000 events: the article's, spread over 1900–2019 one year apart per 30.
    let thousand: Vec<_> = (0..1000)
        .map(|i| {
            let mut e = events[i % events.len()].clone();
            e.date = Date::Point(Point::Year(1900 + (i as i32 % 120)));
            e
        })
        .collect();
    let png = chart::png(&thousand, None, None, "").unwrap();
    eprintln!("timeline picture of 1,000 events: {} bytes", png.len());
    group.bench_function("timeline picture, 1,000 events", |b| {
        b.iter(|| black_box(chart::png(&thousand, None, None, "").unwrap()))
    });
}

criterion_group!(benches, engine);
criterion_main!(benches);
