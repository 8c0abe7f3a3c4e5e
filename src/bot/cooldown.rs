//! A per-user limit on commands: at most N within a sliding window.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

use crate::config::CooldownRule;

/// Users seen within the window and when they sent their recent commands. A std mutex: the
/// critical section is a few comparisons and never awaits.
pub struct Cooldown {
    rule: CooldownRule,
    recent: Mutex<HashMap<u64, VecDeque<Instant>>>,
}

impl Cooldown {
    pub fn new(rule: CooldownRule) -> Cooldown {
        Cooldown {
            rule,
            recent: Mutex::new(HashMap::new()),
        }
    }

    /// Records a command of `user` now; false when the user is over the limit.
    pub fn admit(&self, user: u64) -> bool {
        self.admit_at(user, Instant::now())
    }

    fn admit_at(&self, user: u64, now: Instant) -> bool {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        // Forget users whose window has passed, so the map stays as small as the active users.
        if recent.len() > 10_000 {
            recent.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < self.rule.window)
            });
        }
        let times = recent.entry(user).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.rule.window)
        {
            times.pop_front();
        }
        if times.len() >= self.rule.commands as usize {
            return false;
        }
        times.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_user_over_the_limit_waits_for_the_window_and_others_do_not() {
        let cooldown = Cooldown::new(CooldownRule {
            commands: 3,
            window: Duration::from_secs(10),
        });
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(cooldown.admit_at(1, t0 + Duration::from_secs(i)));
        }
        assert!(!cooldown.admit_at(1, t0 + Duration::from_secs(5)));
        assert!(cooldown.admit_at(2, t0 + Duration::from_secs(5)));
        // The first command leaves the window at t0 + 10 s.
        assert!(cooldown.admit_at(1, t0 + Duration::from_secs(10)));
        assert!(!cooldown.admit_at(1, t0 + Duration::from_secs(10)));
    }
}
