//! Processes that agree on the index generation. With PostgreSQL, a reindex a moderator asked
//! for in any process is announced (a `generation` row, then `NOTIFY`); every process listens,
//! reads its own data directory again when it no longer matches, and so serves the announced
//! generation within a moment. A process whose data directory holds something else says so in
//! its logs and in `/about`. With SQLite, processes on one machine share one `index/` and
//! follow each other's tantivy commits instead.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use tracing::{info, warn};

use super::App;
use crate::corpus;
use crate::search::SearchError;
use crate::store::Generation;

/// How often the announced generation is read even without a notification (a notification
/// lost while the listening connection was down).
const POLL: Duration = Duration::from_secs(5);

impl App {
    /// Tells the other processes that this one now serves a new generation (after a reindex a
    /// moderator asked for); a database that cannot be told is logged, not fatal.
    pub(super) fn announce(&self) {
        let Some(feedback) = &self.feedback else {
            return;
        };
        let info = self.engine.info();
        let generation = Generation {
            data_hash: info.data_hash.clone(),
            built_at: info.built_at as i64,
        };
        match feedback.store.announce(generation) {
            Ok(()) => self.set_disagreement(None),
            Err(err) => warn!(error = %err, "the new generation could not be announced"),
        }
    }

    /// Follows the announced generation on a thread of its own (PostgreSQL only).
    pub fn follow_generations(&self) {
        let Some(announcements) = self.feedback.as_ref().and_then(|f| f.store.announcements())
        else {
            return;
        };
        let app = self.clone();
        let started = std::thread::Builder::new()
            .name("dossier-follow".into())
            .spawn(move || app.follow(&announcements));
        if let Err(err) = started {
            warn!(error = %err, "cannot follow the announced generation");
        }
    }

    fn follow(&self, announcements: &Receiver<()>) {
        loop {
            match announcements.recv_timeout(POLL) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => self.catch_up(),
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// Serves the announced generation: reads the data directory again when it changed since
    /// this process's index was built; says so when it holds other data.
    fn catch_up(&self) {
        let Some(feedback) = &self.feedback else {
            return;
        };
        let announced = match feedback.store.announced() {
            Ok(Some(announced)) => announced,
            // Nobody announced yet: this process's generation is the one.
            Ok(None) => return self.announce(),
            Err(err) => return warn!(error = %err, "cannot read the announced generation"),
        };
        let serving = self.engine.snapshot().info.data_hash.clone();
        if serving == announced.data_hash {
            return self.set_disagreement(None);
        }
        let on_disk = corpus::fingerprint(self.engine.data_dir()).ok();
        if on_disk.as_deref() != Some(serving.as_str()) {
            match self.engine.reindex() {
                Ok(summary) => info!(
                    millis = summary.elapsed.as_millis() as u64,
                    "reindexed for the announced generation"
                ),
                Err(SearchError::Busy) => return,
                Err(err) => warn!(error = %err, "cannot reindex for the announced generation"),
            }
        }
        let serving = self.engine.snapshot().info.data_hash.clone();
        if serving == announced.data_hash {
            info!(generation = %short(&serving), "serving the announced generation");
            self.set_disagreement(None);
        } else {
            self.set_disagreement(Some(announced.data_hash));
        }
    }

    fn set_disagreement(&self, announced: Option<String>) {
        let mut current = self.disagrees.write().unwrap_or_else(|e| e.into_inner());
        if let Some(hash) = &announced
            && current.as_ref() != Some(hash)
        {
            warn!(
                announced = %short(hash),
                serving = %short(&self.engine.snapshot().info.data_hash),
                "this process's data directory differs from the generation announced"
            );
        }
        *current = announced;
    }

    /// The generation announced by another process when this one serves different data.
    pub fn disagreement(&self) -> Option<String> {
        self.disagrees
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// The first 12 hex digits of a data hash: what `/about` and the logs show.
pub fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
