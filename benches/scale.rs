//! Scale sweep: a deterministic synthetic corpus (documents of 1,000 paragraphs, each of three
//! sentences, one in three dated) at several sizes; for each, the index build time, query
//! latency p50/p99 over 300 generated questions, and the process's peak RSS.
//!
//! First, the article itself: answer latency percentiles over the dev questions.
//!
//! `cargo bench --bench scale` (env `SIZES`, default `1000,10000,100000` paragraphs).

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use dossier::search::Engine;

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

fn generate(dir: &Path, paragraphs: usize) {
    let mut rng = Lcg(42);
    let per_document = 1000;
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

fn questions(n: usize) -> Vec<String> {
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

/// The article itself: every public dev question 100 times, latency percentiles per answer.
fn article_latency() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(Path::new("data"), dir.path()).unwrap();
    let questions: Vec<String> = std::fs::read_to_string("tests/eval/dev.jsonl")
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["question"].as_str().map(str::to_string))
        .collect();
    let mut times = Vec::new();
    for round in 0..101 {
        for q in &questions {
            let t = Instant::now();
            std::hint::black_box(engine.ask(q).unwrap());
            if round > 0 {
                times.push(t.elapsed());
            }
        }
    }
    times.sort();
    let pct = |p: f64| percentile(&times, p);
    println!(
        "article, {} answers: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; peak RSS {:.0} MB",
        times.len(),
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
        peak_rss_mb()
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::var("SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    article_latency();
    println!("paragraphs | build | query p50 | query p99 | peak RSS so far");
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
            size + 2 * size.div_ceil(1000),
            "titles and bylines count"
        );
        let mut times: Vec<Duration> = Vec::new();
        let qs = questions(300);
        for q in qs.iter().take(30) {
            engine.ask(q).unwrap(); // warm-up
        }
        for q in &qs {
            let t = Instant::now();
            let answer = engine.ask(q).unwrap();
            times.push(t.elapsed());
            std::hint::black_box(answer);
        }
        times.sort();
        let pct = |p: f64| percentile(&times, p);
        println!(
            "{size:>10} | {:>6.2} s | {:>7.2} ms | {:>7.2} ms | {:>6.0} MB  ({} events)",
            build.as_secs_f64(),
            pct(0.5).as_secs_f64() * 1e3,
            pct(0.99).as_secs_f64() * 1e3,
            peak_rss_mb(),
            info.events
        );
    }
}
