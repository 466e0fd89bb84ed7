//! Limits failed attempts per key (an OAuth2 client id) in a sliding window, so a client
//! secret cannot be guessed at speed. In memory, per server process.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed attempts per key within the window.
pub struct FailureLimiter {
    max_failures: usize,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl FailureLimiter {
    /// Allows at most `max_failures` failures per key within `window`.
    pub fn new(max_failures: usize, window: Duration) -> Self {
        Self {
            max_failures,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Seconds until `key` may try again, or `None` when it may try now.
    pub fn retry_after(&self, key: &str) -> Option<u64> {
        let mut failures = self.failures.lock().expect("lock");
        let now = Instant::now();
        let entry = failures.get_mut(key)?;
        entry.retain(|t| now.duration_since(*t) < self.window);
        if entry.len() < self.max_failures {
            return None;
        }
        let oldest = entry.first().copied()?;
        Some((self.window - now.duration_since(oldest)).as_secs().max(1))
    }

    /// Records a failure for `key`.
    pub fn record_failure(&self, key: &str) {
        let mut failures = self.failures.lock().expect("lock");
        if failures.len() > 100_000 {
            // Bound memory under a flood of distinct keys: forget old entries.
            let window = self.window;
            failures.retain(|_, times| times.last().is_some_and(|t| t.elapsed() < window));
        }
        failures
            .entry(key.to_owned())
            .or_default()
            .push(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_and_only_that_key() {
        let limiter = FailureLimiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert_eq!(limiter.retry_after("a"), None);
            limiter.record_failure("a");
        }
        assert!(limiter.retry_after("a").is_some_and(|s| s > 0 && s <= 60));
        assert_eq!(limiter.retry_after("b"), None);
    }
}
