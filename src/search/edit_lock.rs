//! One change to the data at a time: a moderator's edit (write, reindex, audit) or a reindex
//! holds an exclusive lock on the data directory itself, so two edits never interleave, in one
//! process or in several sharing the directory (an `flock` on the directory, which writes
//! nothing and is released when the holder ends, even by a crash).

use std::fs::{File, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

use super::SearchError;
use crate::corpus::DataError;

/// How long a change waits for the one before it; past this, it is refused as busy before
/// anything is written.
const WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(20);

/// Held while the data directory is changed and reindexed; dropping it lets the next change in.
#[derive(Debug)]
pub struct EditLock {
    _dir: File,
}

pub(super) fn acquire(data_dir: &Path) -> Result<EditLock, SearchError> {
    let failed = |source| {
        SearchError::Data(DataError::Unreadable {
            path: data_dir.to_path_buf(),
            source,
        })
    };
    let dir = File::open(data_dir).map_err(failed)?;
    let started = Instant::now();
    loop {
        match dir.try_lock() {
            Ok(()) => return Ok(EditLock { _dir: dir }),
            Err(TryLockError::WouldBlock) if started.elapsed() < WAIT => std::thread::sleep(POLL),
            Err(TryLockError::WouldBlock) => return Err(SearchError::Busy),
            Err(TryLockError::Error(e)) => return Err(failed(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path()).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let path = dir.path().to_path_buf();
        let waiter = std::thread::spawn(move || {
            let second = acquire(&path).unwrap();
            tx.send(()).unwrap();
            drop(second);
        });
        assert!(
            rx.recv_timeout(Duration::from_millis(200)).is_err(),
            "the second waits while the first holds the lock"
        );
        drop(first);
        rx.recv_timeout(WAIT)
            .expect("the second gets it once the first lets go");
        waiter.join().unwrap();
    }
}
