//! Scale sweep: a deterministic synthetic corpus (documents of 100 paragraphs, each of three
//! sentences, one in three dated) at several sizes; for each, the index build from scratch
//! (every paragraph and sentence encoded), answer latency p50/p99 over 300 new questions, the
//! reindex after editing one document (only its paragraphs re-encoded), and the process's peak
//! RSS.
//!
//! First, the article itself: model load, reindex from scratch and unchanged, and answer
//! latency percentiles for new questions (question encoding included) and for repeated ones
//! (answered from the cache).
//!
//! `cargo bench --bench scale` (env `SIZES`, default `1000,10000` paragraphs).

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use dossier::search::Engine;
use dossier::search::encoder::{self, Encoder};

mod common;
use common::{questions, variant};

const WORDS: &[&str] = &[
    "treaty",
    "pipeline",
    "embargo",
    "minister",
    "border",
    "harbour",
    "election",
    "reactor",
    "railway",
    "summit",
    "tariff",
    "refinery",
    "alliance",
    "satellite",
    "corridor",
    "festival",
    "province",
    "council",
    "garrison",
    "merchant",
    "frigate",
    "caravan",
    "archive",
    "observatory",
    "canal",
    "vineyard",
    "foundry",
    "assembly",
    "delegation",
    "monsoon",
    "orchard",
    "garrison",
];
const NAMES: &[&str] = &[
    "Arvena", "Belkor", "Castria", "Dunmore", "Elstra", "Fennick", "Goradin", "Halvek", "Istrava",
    "Jorvik", "Kelmar", "Lunesse", "Marrow", "Norvale", "Ostrin", "Pellago",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A small deterministic generator (64-bit LCG): the same corpus on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.next() % list.len()]
    }
}

fn sentence(rng: &mut Lcg, dated: bool) -> String {
    let mut s = String::new();
    if dated {
        let _ = write!(s, "In {} {}, ", rng.pick(MONTHS), 1900 + rng.next() % 120);
    }
    let _ = write!(
        s,
        "{} and {} discussed the {} near the {} of {} with the {}.",
        rng.pick(NAMES),
        rng.pick(NAMES),
        rng.pick(WORDS),
        rng.pick(WORDS),
        rng.pick(NAMES),
        rng.pick(WORDS)
    );
    if dated {
        s
    } else {
        let mut chars = s.chars();
        chars
            .next()
            .map_or(s.clone(), |c| c.to_uppercase().chain(chars).collect())
    }
}

/// Paragraphs per synthetic document (an article of the size people write).
const PER_DOCUMENT: usize = 100;

fn generate(dir: &Path, paragraphs: usize) {
    let mut rng = Lcg(42);
    let per_document = PER_DOCUMENT;
    for d in 0..paragraphs.div_ceil(per_document) {
        let mut text = format!("Synthetic Report {d}\n\nBy A. Writer.\n\n");
        for p in 0..per_document.min(paragraphs - d * per_document) {
            for k in 0..3 {
                text.push_str(&sentence(&mut rng, (p + k) % 9 == 0));
                text.push(' ');
            }
            text.push_str("\n\n");
        }
        std::fs::write(dir.join(format!("report-{d:05}.txt")), text).unwrap();
    }
}

fn generated_questions(n: usize) -> Vec<String> {
    let mut rng = Lcg(7);
    (0..n)
        .map(|i| match i % 3 {
            0 => format!(
                "When did {} discuss the {}?",
                rng.pick(NAMES),
                rng.pick(WORDS)
            ),
            1 => format!(
                "What happened with the {} in {}?",
                rng.pick(WORDS),
                1900 + rng.next() % 120
            ),
            _ => format!(
                "Who talked about the {} near the {}?",
                rng.pick(WORDS),
                rng.pick(WORDS)
            ),
        })
        .collect()
}

/// The `p` quantile of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Latency percentiles of `ask` over `questions`, each asked once.
fn latencies(engine: &Engine, questions: &[String]) -> Vec<Duration> {
    let mut times: Vec<Duration> = questions
        .iter()
        .map(|q| {
            let t = Instant::now();
            std::hint::black_box(engine.ask(q).unwrap());
            t.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn report(label: &str, times: &[Duration]) {
    println!(
        "{label}, {} answers: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        times.len(),
        ms(percentile(times, 0.5)),
        ms(percentile(times, 0.99)),
        ms(*times.last().unwrap())
    );
}

/// The article itself: model load, reindex, and answers to every public question (dev and
/// dev2) made new 10 times over, then the same texts again from the cache.
fn article() {
    let started = Instant::now();
    std::hint::black_box(Encoder::load(&encoder::default_dir()).unwrap());
    println!("model load: {:.0} ms", ms(started.elapsed()));

    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let engine = Engine::open(Path::new("data"), dir.path()).unwrap();
    println!(
        "article index from scratch (model loaded, every paragraph encoded): {:.0} ms",
        ms(started.elapsed())
    );
    let started = Instant::now();
    let summary = engine.reindex().unwrap();
    assert!(summary.changed.is_empty() && summary.added.is_empty());
    println!("reindex, nothing changed: {:.1} ms", ms(started.elapsed()));

    let public = questions(&["tests/eval/dev.jsonl", "tests/eval/dev2.jsonl"]);
    let new: Vec<String> = (0..10)
        .flat_map(|round| {
            public
                .iter()
                .enumerate()
                .map(move |(i, q)| variant(q, round * 1000 + i + 1))
        })
        .collect();
    latencies(&engine, &new[..public.len()]); // warm-up
    report(
        "article, new questions",
        &latencies(&engine, &new[public.len()..]),
    );
    report(
        "article, repeated questions (cache)",
        &latencies(&engine, &new),
    );
    println!("peak RSS so far: {:.0} MB", peak_rss_mb());
}

fn main() {
    let sizes: Vec<usize> = std::env::var("SIZES")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    article();
    println!("paragraphs | build | answer p50 | answer p99 | edit one document | peak RSS so far");
    for size in sizes {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        generate(&data, size);
        let started = Instant::now();
        let engine = Engine::open(&data, &dir.path().join("index")).unwrap();
        let build = started.elapsed();
        let info = engine.info();
        assert_eq!(
            info.paragraphs,
            size + 2 * size.div_ceil(PER_DOCUMENT),
            "titles and bylines count"
        );
        let qs: Vec<String> = generated_questions(330)
            .iter()
            .enumerate()
            .map(|(i, q)| variant(q, i + 1))
            .collect();
        latencies(&engine, &qs[..30]); // warm-up
        let times = latencies(&engine, &qs[30..]);

        // Edit one document: a sentence added to every paragraph's end.
        let first = data.join("report-00000.txt");
        let text = std::fs::read_to_string(&first).unwrap();
        std::fs::write(&first, text.replace(". \n\n", ". It was noted.\n\n")).unwrap();
        let started = Instant::now();
        let summary = engine.reindex().unwrap();
        let edit = started.elapsed();
        println!(
            "{size:>10} | {:>7.1} s | {:>7.2} ms | {:>7.2} ms | {:>6.2} s ({} changed) | {:>6.0} MB  ({} events)",
            build.as_secs_f64(),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            edit.as_secs_f64(),
            summary.changed.len(),
            peak_rss_mb(),
            info.events
        );
    }
}
