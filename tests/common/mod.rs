//! Fixtures over the real article, for the tests and the benchmarks (which include this file):
//! an engine over a temporary index, and the shipped data copied where a test may change it.
#![allow(dead_code)] // each test binary uses part of it

use std::path::Path;

use dossier::search::Engine;
use tempfile::TempDir;

/// The shipped article.
pub const DATA: &str = "data";

/// An engine over the documents in `data` with its own temporary index, which lives as long
/// as the returned directory.
pub fn engine_over(data: &Path) -> (Engine, TempDir) {
    let index = tempfile::tempdir().unwrap();
    let engine = Engine::open(data, index.path()).unwrap();
    (engine, index)
}

/// An engine over the shipped article, with its own temporary index.
pub fn article_engine() -> (Engine, TempDir) {
    engine_over(Path::new(DATA))
}

/// Copies the shipped `data/` into `to` (created), for tests that change the data.
pub fn copy_data(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(DATA).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}
