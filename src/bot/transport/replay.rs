//! Replay protection for the HTTP endpoint: a signature stays valid for the whole timestamp
//! window, so the ids of interactions already handled are remembered for that long and a
//! second delivery is refused.
//!
//! Bounded twice: ids leave after the window, and at most `capacity` are kept (the oldest go
//! first; answering beats remembering forever). The set belongs to one process: behind a load
//! balancer, a replay sent to another process is not caught here.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Replays {
    window: Duration,
    capacity: usize,
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    ids: HashSet<u64>,
    /// When each id was first seen, oldest first.
    order: VecDeque<(Instant, u64)>,
}

impl Replays {
    pub fn new(window: Duration, capacity: usize) -> Replays {
        Replays {
            window,
            capacity: capacity.max(1),
            seen: Mutex::new(Seen::default()),
        }
    }

    /// Records `id` now; false when it was already seen within the window.
    pub fn first_time(&self, id: u64) -> bool {
        self.first_time_at(id, Instant::now())
    }

    fn first_time_at(&self, id: u64, now: Instant) -> bool {
        // A std mutex: a few hash operations, never held across an await.
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let Seen { ids, order } = &mut *seen;
        while let Some(&(at, old)) = order.front() {
            if now.duration_since(at) < self.window && order.len() < self.capacity {
                break;
            }
            order.pop_front();
            ids.remove(&old);
        }
        if !ids.insert(id) {
            return false;
        }
        order.push_back((now, id));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_refused_within_the_window_and_forgotten_after_it() {
        let replays = Replays::new(Duration::from_secs(600), 1000);
        let t0 = Instant::now();
        assert!(replays.first_time_at(1, t0));
        assert!(!replays.first_time_at(1, t0 + Duration::from_secs(599)));
        assert!(replays.first_time_at(2, t0 + Duration::from_secs(599)));
        assert!(replays.first_time_at(1, t0 + Duration::from_secs(600)));
    }

    #[test]
    fn memory_stays_within_the_capacity() {
        let replays = Replays::new(Duration::from_secs(600), 100);
        let t0 = Instant::now();
        for id in 0..10_000 {
            assert!(replays.first_time_at(id, t0));
        }
        let seen = replays.seen.lock().unwrap();
        assert_eq!((seen.ids.len(), seen.order.len()), (100, 100));
        drop(seen);
        assert!(!replays.first_time_at(9_999, t0), "recent ids are kept");
    }
}
