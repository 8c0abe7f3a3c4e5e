//! What the benchmarks share: the tests' fixtures, the questions they ask, and a way to make a
//! question new.

#[path = "../../tests/integration/common/mod.rs"]
pub mod fixtures;

/// The questions of the eval files `paths`, in order.
pub fn questions(paths: &[&str]) -> Vec<String> {
    paths
        .iter()
        .flat_map(|path| {
            std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("{path}: {e}"))
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter_map(|v| v["question"].as_str().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `text` made distinct by trailing punctuation, which the analysis ignores: the answer cache
/// is keyed by the question's text, so each variant is answered anew, encoding included.
pub fn variant(text: &str, i: usize) -> String {
    let marks: String = format!("{i:b}")
        .chars()
        .map(|b| if b == '1' { '!' } else { '?' })
        .collect();
    format!("{text} {marks}")
}

/// Logs `rows` questions (`row(n)`: the text and outcome of the n-th) from id `base` on, and
/// returns once they are written; every `slack` rows it lets the writer drain, so that the
/// queue never overflows.
#[allow(dead_code)] // the store and http_load benchmarks
pub fn log_all(
    store: &dossier::store::Store,
    base: i64,
    rows: i64,
    slack: u64,
    row: impl Fn(i64) -> (String, dossier::store::Outcome),
) {
    for n in 0..rows {
        let (question, outcome) = row(n);
        store.log(dossier::store::Asked {
            id: base + n,
            at: base + n,
            transport: "gateway",
            guild: Some(1),
            channel: Some(2),
            user_hash: "0123456789abcdef0123456789abcdef".into(),
            question,
            outcome,
            hit: (outcome == dossier::store::Outcome::Answered)
                .then(|| ("russia-pakistan-alliance".into(), 21)),
            confidence: 0.9,
            generation: 1,
        });
        if ((n + 1) as u64).is_multiple_of(slack) {
            while store.figures(base).map_or(0, |f| f.questions) + slack < (n + 1) as u64 {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        }
    }
    while store.figures(base).map_or(0, |f| f.questions) < rows as u64 - store.dropped() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// The `n`-th of many distinct questions the article does not answer, as a community might
/// ask them: three of twenty words and a year.
#[allow(dead_code)] // the store and http_load benchmarks
pub fn unanswered(n: i64) -> String {
    const WORDS: [&str; 20] = [
        "embargo",
        "pipeline",
        "Putin",
        "Sharif",
        "jets",
        "helicopters",
        "India",
        "Crimea",
        "sanctions",
        "exercises",
        "gas",
        "Kremlin",
        "Islamabad",
        "treaty",
        "visit",
        "deal",
        "army",
        "navy",
        "trade",
        "nuclear",
    ];
    let w = |k: u32| WORDS[((n / 20_i64.pow(k)) % 20) as usize];
    format!(
        "Why did the {} {} {} matter in {}?",
        w(0),
        w(1),
        w(2),
        1900 + n
    )
}
