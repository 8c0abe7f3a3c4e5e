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
