//! The bot's database: the question log and the votes on answers, in SQLite (a file, the
//! default) or PostgreSQL (a `postgres://` URL), through sqlx's `Any` driver with one set of
//! migrations applied at start.
//!
//! Answering never waits on the database. The store runs on a thread of its own with its own
//! runtime: logged questions go through a bounded queue ([`Store::log`] never blocks; what does
//! not fit is counted as dropped), while votes and queries wait for the database, because a vote
//! is acknowledged only once it is stored ([`Store::vote`]).

mod writer;

use std::fmt;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::corpus::hex;
use tokio::sync::mpsc;

pub use writer::QUEUE;

/// How long a caller waits for a vote or a query before telling the user it failed.
pub const WAIT: Duration = Duration::from_secs(3);

/// The database could not do what was asked; the text is for the log, not for users.
#[derive(Debug, Clone, thiserror::Error)]
#[error("database: {0}")]
pub struct StoreError(pub String);

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> StoreError {
        StoreError(err.to_string())
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(err: sqlx::migrate::MigrateError) -> StoreError {
        StoreError(err.to_string())
    }
}

/// What became of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Answered,
    /// Answered as "the closest passage": low confidence.
    Unsure,
    Abstained,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Unsure => "unsure",
            Outcome::Abstained => "abstained",
        }
    }
}

/// One logged question.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    /// Made by the bot; the feedback buttons carry it.
    pub id: i64,
    pub at: i64,
    /// The name of the transport it came by: "gateway", "http", "console" or "cli".
    pub transport: &'static str,
    pub guild: Option<u64>,
    pub channel: Option<u64>,
    pub user_hash: String,
    pub question: String,
    pub outcome: Outcome,
    /// The first hit's document and paragraph.
    pub hit: Option<(String, u32)>,
    pub confidence: f32,
    /// When the index that answered was built (Unix seconds).
    pub generation: i64,
}

/// A user's vote on an answer; a second vote by the same user replaces the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vote {
    pub question: i64,
    pub user_hash: String,
    pub helpful: bool,
    pub reason: Option<String>,
    pub at: i64,
}

/// Questions alike, that went unanswered, were answered with low confidence, or voted 👎.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Gap {
    /// The question as first asked.
    pub question: String,
    /// How many times it (or a question written the same way) was asked.
    pub count: u32,
    pub abstained: u32,
    pub unsure: u32,
    pub down_votes: u32,
    pub reasons: Vec<String>,
    /// The latest time it was asked.
    pub last_asked: i64,
}

/// The figures `/about` shows for a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Figures {
    pub questions: u64,
    pub answered: u64,
    pub up_votes: u64,
    pub down_votes: u64,
    /// Log rows dropped since start because the database could not keep up.
    pub dropped: u64,
}

/// A change a moderator made from Discord, as the audit keeps it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub at: i64,
    pub user_hash: String,
    /// `alias add`, `alias remove`, `document remove`.
    pub action: String,
    /// The document id, or the alias as `term = also`.
    pub target: String,
    /// SHA-256 of the file before and after (none where it did not exist).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A user id as stored: a keyed hash, so the log never holds the id itself.
#[derive(Clone)]
pub struct UserHasher {
    key: Arc<[u8]>,
}

impl UserHasher {
    pub fn new(key: &[u8]) -> UserHasher {
        UserHasher { key: key.into() }
    }

    /// HMAC-SHA-256 of the id (8 bytes, big-endian) under the key, as 32 hex digits.
    pub fn hash(&self, user: u64) -> String {
        // HMAC takes a key of any length: this never fails.
        Hmac::<Sha256>::new_from_slice(&self.key)
            .map(|mut mac| {
                mac.update(&user.to_be_bytes());
                hex(&mac.finalize().into_bytes()[..16])
            })
            .unwrap_or_default()
    }
}

impl fmt::Debug for UserHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UserHasher([redacted])")
    }
}

/// What the store thread is asked to do and wait for.
enum Job {
    Vote(Vote, ReplyTo<bool>),
    Gaps(i64, ReplyTo<Vec<gaps::Row>>),
    Figures(i64, ReplyTo<Figures>),
    Purge(i64, ReplyTo<u64>),
    /// The user-hash key an older version kept in the database; with `true`, removed from it.
    OldHashKey(bool, ReplyTo<Option<String>>),
    Audit(Change, ReplyTo<()>),
    History(i64, ReplyTo<Vec<Change>>),
    Announce(Generation, ReplyTo<()>),
    Announced(ReplyTo<Option<Generation>>),
    Ping(ReplyTo<()>),
}

/// The PostgreSQL `NOTIFY` channel of new generations.
pub const GENERATION_CHANNEL: &str = "dossier_generation";

/// An index generation as processes announce it: the data it was built from and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    pub data_hash: String,
    pub built_at: i64,
}

/// Where the store thread sends a job's result.
type ReplyTo<T> = std::sync::mpsc::Sender<Result<T, StoreError>>;

/// The database, served by its own thread. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    log: mpsc::Sender<Asked>,
    jobs: mpsc::Sender<Job>,
    dropped: Arc<AtomicU64>,
    backend: &'static str,
    /// The PostgreSQL URL, for `LISTEN`; `None` on SQLite.
    listen_url: Option<Arc<str>>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

/// The sqlx URL for `DOSSIER_DATABASE`: a `postgres://` URL as it is, anything else a SQLite
/// file (its directory is created).
pub fn url_of(database: &str) -> Result<String, StoreError> {
    if database.starts_with("postgres://") || database.starts_with("postgresql://") {
        return Ok(database.to_string());
    }
    let path = database.strip_prefix("sqlite://").unwrap_or(database);
    if let Some(dir) = Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        private_dir(dir)
            .map_err(|e| StoreError(format!("cannot create {}: {e}", dir.display())))?;
    }
    // Made 0600 before SQLite opens it; SQLite gives its journal files the same mode.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .map_err(|e| StoreError(format!("cannot open {path}: {e}")))?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
        .map_err(|e| StoreError(format!("cannot make {path} private: {e}")))?;
    Ok(format!("sqlite://{path}?mode=rwc"))
}

/// Creates `dir` (and its parents) readable by this user alone (0700); a directory already
/// there keeps its mode.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Where the user-hash key file of `database` is.
fn key_path(database: &str) -> std::path::PathBuf {
    let sqlite = !(database.starts_with("postgres://") || database.starts_with("postgresql://"));
    let dir = Path::new(database.strip_prefix("sqlite://").unwrap_or(database))
        .parent()
        .filter(|_| sqlite)
        .unwrap_or(Path::new("state"));
    dir.join("user-hash.key")
}

impl Store {
    /// Opens the database (`DOSSIER_DATABASE`: a file path or a `postgres://` URL), applies the
    /// migrations, and starts the thread that serves it.
    pub fn open(database: &str) -> Result<Store, StoreError> {
        let url = url_of(database)?;
        let listen_url = (writer::backend(&url) == "postgres").then(|| Arc::from(url.as_str()));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (log_tx, log_rx) = mpsc::channel(QUEUE);
        let (jobs_tx, jobs_rx) = mpsc::channel(64);
        let dropped = Arc::new(AtomicU64::new(0));
        let counter = dropped.clone();
        std::thread::Builder::new()
            .name("dossier-store".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = ready_tx.send(Err(StoreError(e.to_string())));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let pool = match writer::connect(&url).await {
                        Ok(pool) => pool,
                        Err(err) => {
                            let _ = ready_tx.send(Err(err));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(writer::backend(&url)));
                    writer::serve(pool, log_rx, jobs_rx, counter).await;
                });
            })
            .map_err(|e| StoreError(format!("cannot start the store thread: {e}")))?;
        let backend = ready_rx
            .recv()
            .map_err(|_| StoreError("the store thread stopped".into()))??;
        Ok(Store {
            log: log_tx,
            jobs: jobs_tx,
            dropped,
            backend,
            listen_url,
        })
    }

    /// Records the generation this process built on a moderator's request, for the others.
    pub fn announce(&self, generation: Generation) -> Result<(), StoreError> {
        self.ask(|reply| Job::Announce(generation, reply))
    }

    /// The generation announced last, if any.
    pub fn announced(&self) -> Result<Option<Generation>, StoreError> {
        self.ask(Job::Announced)
    }

    /// On PostgreSQL, a channel that receives a message at every announcement (and when the
    /// listening connection is made again); `None` on SQLite, whose processes share one
    /// `index/` instead.
    pub fn announcements(&self) -> Option<std::sync::mpsc::Receiver<()>> {
        let url = self.listen_url.clone()?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("dossier-listen".into())
            .spawn(move || {
                if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    runtime.block_on(writer::listen(&url, tx));
                }
            })
            .ok()?;
        Some(rx)
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// Queues a question for the log; never waits. When the queue is full (the database is
    /// slow or down) the row is dropped and counted.
    pub fn log(&self, asked: Asked) {
        if self.log.try_send(asked).is_err() {
            let dropped = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if dropped.is_power_of_two() {
                tracing::warn!(dropped, "question log queue full; rows dropped");
            }
        }
    }

    /// Log rows dropped since start.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Stores a vote, and returns once it is stored (or could not be): `false` when no
    /// answer of its id was logged, so nothing was stored.
    pub fn vote(&self, vote: Vote) -> Result<bool, StoreError> {
        self.ask(|reply| Job::Vote(vote, reply))
    }

    /// The gaps of the questions asked since `since` (Unix seconds), most asked first.
    /// The rows are read on the store thread; they are grouped on the caller's.
    pub fn gaps(&self, since: i64) -> Result<Vec<Gap>, StoreError> {
        Ok(gaps::group(self.ask(|reply| Job::Gaps(since, reply))?))
    }

    /// The figures of the questions asked since `since`.
    pub fn figures(&self, since: i64) -> Result<Figures, StoreError> {
        let mut figures = self.ask(|reply| Job::Figures(since, reply))?;
        figures.dropped = self.dropped();
        Ok(figures)
    }

    /// Deletes the questions (and their votes) asked before `before`; how many went.
    pub fn purge(&self, before: i64) -> Result<u64, StoreError> {
        self.ask(|reply| Job::Purge(before, reply))
    }

    /// Records a moderator's change, and returns once it is stored.
    pub fn audit(&self, change: Change) -> Result<(), StoreError> {
        self.ask(|reply| Job::Audit(change, reply))
    }

    /// The latest `limit` changes, newest first.
    pub fn history(&self, limit: i64) -> Result<Vec<Change>, StoreError> {
        self.ask(|reply| Job::History(limit, reply))
    }

    /// The key of the user-id hash when `DOSSIER_HASH_KEY` is not set. It is kept in a file
    /// of its own, never in the database, so the database alone cannot link a question to a
    /// user: `user-hash.key` (0600) beside the SQLite file, or in `state/` for PostgreSQL.
    /// Made from the operating system's CSPRNG at the first start. A key an older version kept
    /// in the database moves to the file (then leaves the database), so the hashes already
    /// stored keep matching.
    pub fn user_hash_key(&self, database: &str) -> Result<String, StoreError> {
        let path = key_path(database);
        let failed = |e: std::io::Error| StoreError(format!("{}: {e}", path.display()));
        match std::fs::read_to_string(&path) {
            Ok(key) if !key.trim().is_empty() => {
                self.ask(|reply| Job::OldHashKey(true, reply))?;
                return Ok(key.trim().to_string());
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(failed(e)),
        }
        let key = match self.ask(|reply| Job::OldHashKey(false, reply))? {
            Some(old) => old,
            None => {
                let mut bytes = [0u8; 32];
                getrandom::fill(&mut bytes)
                    .map_err(|e| StoreError(format!("no randomness for the hash key: {e}")))?;
                hex(&bytes)
            }
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            private_dir(dir).map_err(failed)?;
        }
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&path)
            .and_then(|mut file| {
                use std::io::Write;
                file.write_all(key.as_bytes())?;
                file.sync_all()
            });
        written.map_err(failed)?;
        self.ask(|reply| Job::OldHashKey(true, reply))?;
        Ok(key)
    }

    /// Whether the database answers a query now (for `/readyz`).
    pub fn ping(&self) -> Result<(), StoreError> {
        self.ask(Job::Ping)
    }

    /// Sends a job to the store thread and waits for its answer, at most [`WAIT`]. Blocking:
    /// a few milliseconds on a healthy database.
    fn ask<T>(&self, job: impl FnOnce(ReplyTo<T>) -> Job) -> Result<T, StoreError> {
        let (tx, rx) = std::sync::mpsc::channel();
        self.jobs
            .try_send(job(tx))
            .map_err(|_| StoreError("the database is busy".into()))?;
        rx.recv_timeout(WAIT)
            .map_err(|_| StoreError("the database did not answer in time".into()))?
    }
}

/// Unix seconds now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A new question id: 63 bits from the time, a counter and the question, hashed.
pub fn new_id(question: &str) -> i64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let digest = Sha256::new()
        .chain_update(nanos.to_be_bytes())
        .chain_update(COUNTER.fetch_add(1, Ordering::Relaxed).to_be_bytes())
        .chain_update(std::process::id().to_be_bytes())
        .chain_update(question.as_bytes())
        .finalize();
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    (u64::from_be_bytes(bytes) >> 1) as i64
}

mod gaps;
#[cfg(test)]
mod tests;
