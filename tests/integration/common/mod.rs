//! Fixtures over the real article, for the tests and the benchmarks (which include this file):
//! an engine over a temporary index, and the shipped data copied where a test may change it.
#![allow(dead_code)] // each test binary uses part of it

use std::path::Path;

use dossier::search::Engine;
use tempfile::TempDir;

/// The shipped article.
pub const DATA: &str = "data";

/// An engine over the documents in `data` with its own temporary index, which lives as long
/// as the returned directory. The index starts as a copy of the article's ([`seed_index`]), so
/// only what `data` changes is encoded.
pub fn engine_over(data: &Path) -> (Engine, TempDir) {
    let index = tempfile::tempdir().unwrap();
    seed_index(index.path());
    let engine = Engine::open(data, index.path()).unwrap();
    (engine, index)
}

/// Copies the article's index, built once per test process, into `index_root`: opening an
/// engine there over the article encodes nothing, over changed data only what changed (its
/// vectors are reused by text). A test of building itself opens an empty index of its own.
pub fn seed_index(index_root: &Path) {
    static TEMPLATE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        // Under target/tmp, one per process: statics are never dropped, so a TempDir would
        // stay behind; earlier processes' templates are removed here instead.
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let name = format!("article-index-{}", std::process::id());
        if let Ok(entries) = std::fs::read_dir(root) {
            for entry in entries.flatten() {
                let old = entry.file_name().to_string_lossy().into_owned();
                if old.starts_with("article-index-") && old != name {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = root.join(name);
        let _ = std::fs::remove_dir_all(&dir);
        Engine::open(Path::new(DATA), &dir).unwrap();
        dir
    });
    copy_dir(template, index_root);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else if !entry.file_name().to_string_lossy().ends_with(".lock") {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
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

/// A `dossier serve --http 127.0.0.1:0` process with JSON logs, and where it listens.
pub struct Served {
    pub child: std::process::Child,
    pub url: String,
    pub logs: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Served {
    /// Starts it in `dir` with the environment `configure` sets (data, index, keys, …) and
    /// waits until it listens.
    pub fn start(dir: &Path, configure: impl FnOnce(&mut std::process::Command)) -> Served {
        use std::io::BufRead;
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"));
        command
            .args(["serve", "--http", "127.0.0.1:0"])
            .current_dir(dir)
            .env("DOSSIER_LOG_FORMAT", "json")
            .env_remove("DISCORD_GUILD_ID")
            .env_remove("DOSSIER_HTTP_ADDR")
            .env_remove("DOSSIER_DATABASE")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        configure(&mut command);
        let mut child = command.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let logs = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = logs.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
                    && v["message"] == "HTTP interactions endpoint listening"
                {
                    let _ = tx.send(v["addr"].as_str().unwrap_or_default().to_string());
                }
                sink.lock().unwrap().push(line);
            }
        });
        let addr = rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("the bot did not start: {:?}", logs.lock().unwrap()));
        Served {
            child,
            url: format!("http://{addr}"),
            logs,
        }
    }

    /// SIGTERM, then every log line once the process has exited 0.
    pub fn stop(mut self) -> Vec<String> {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let status = self.child.wait().unwrap();
        assert!(status.success(), "exit 0 on SIGTERM: {status:?}");
        std::thread::sleep(std::time::Duration::from_millis(100));
        self.logs.lock().unwrap().clone()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `.ci/postgres` with `args` (none: start; `stop`) on `port`: a PostgreSQL server of the
/// test's own, so that stopping it does not stop anyone else's. Its URL when started.
///
/// The port must lie below Linux's ephemeral range (32768–60999): the tests' own loopback
/// connections take their client ports from that range, and a port held by one of them, or
/// by one in TIME_WAIT, refuses the server's bind and the server exits at start-up.
pub fn own_postgres(port: &str, args: &[&str]) -> String {
    assert!(
        port.parse::<u16>().is_ok_and(|p| p < 32768),
        "{port}: choose a port below the ephemeral range"
    );
    let out = std::process::Command::new(".ci/postgres")
        .args(args)
        .env("DOSSIER_PG_PORT", port)
        .output()
        .unwrap();
    assert!(
        out.status.success() || args == ["stop"],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
