//! When a delivery is tried again: what a try's outcome means (delivered, retry, give up),
//! exponential backoff with jitter, and the endpoint's `Retry-After`.

use std::time::Duration;

use rand::Rng;

use crate::outbound::{OutboundError, OutboundResponse};

/// How deliveries are retried (`questlet-server serve --webhook-retry-base-secs`,
/// `--webhook-max-tries`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryConfig {
    /// The wait before the first retry; each later one waits [`FACTOR`] times longer (up
    /// to [`MAX_WAIT`]), less a random part of up to half (jitter, so that the retries of
    /// many failed deliveries do not arrive together).
    pub retry_base: Duration,
    /// Tries before a delivery is given up (dead).
    pub max_tries: u32,
}

impl Default for DeliveryConfig {
    /// 8 tries over about 15 hours: 10 s, 40 s, 2.7 min, 11 min, 43 min, 2.8 h, 11 h.
    fn default() -> Self {
        Self {
            retry_base: Duration::from_secs(10),
            max_tries: 8,
        }
    }
}

/// How much longer each retry waits than the one before.
pub const FACTOR: u32 = 4;

/// The longest wait between two tries (also the most a `Retry-After` is honoured for).
pub const MAX_WAIT: Duration = Duration::from_secs(24 * 3600);

/// What a try's outcome means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The endpoint answered 2xx.
    Delivered,
    /// Worth another try (no answer, 408, 429, 5xx), not before `not_before` when the
    /// endpoint said so (`Retry-After`).
    Retry {
        /// The endpoint's `Retry-After`.
        not_before: Option<Duration>,
    },
    /// Another try would get the same answer (another 4xx, or the URL is one the outbound
    /// policy refuses).
    GiveUp,
}

/// The verdict on a try that got `result`, at `now` (Unix seconds, for a dated
/// `Retry-After`).
pub fn verdict(result: &Result<OutboundResponse, OutboundError>, now: i64) -> Verdict {
    match result {
        Ok(answer) if answer.status.is_success() => Verdict::Delivered,
        Ok(answer) => {
            let status = answer.status.as_u16();
            if status == 408 || status == 429 || answer.status.is_server_error() {
                let not_before = answer
                    .headers
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| retry_after(value, now));
                Verdict::Retry { not_before }
            } else {
                Verdict::GiveUp
            }
        }
        Err(OutboundError::BadUrl | OutboundError::Forbidden(_)) => Verdict::GiveUp,
        Err(OutboundError::Timeout(_) | OutboundError::TooLarge(_) | OutboundError::Failed(_)) => {
            Verdict::Retry { not_before: None }
        }
    }
}

/// A `Retry-After` value: seconds, or an HTTP date (seconds from `now` until it).
pub fn retry_after(value: &str, now: i64) -> Option<Duration> {
    let value = value.trim();
    let seconds = match value.parse::<u64>() {
        Ok(seconds) => seconds,
        Err(_) => {
            let at = jiff::fmt::rfc2822::parse(value)
                .ok()?
                .timestamp()
                .as_second();
            u64::try_from(at - now).unwrap_or(0)
        }
    };
    Some(Duration::from_secs(seconds).min(MAX_WAIT))
}

impl DeliveryConfig {
    /// The wait before the next try after `tries` tries that ended in `verdict`; `None`
    /// when the delivery is given up (the verdict says so, or it was the last try).
    pub fn next_wait(&self, tries: u32, verdict: Verdict, rng: &mut impl Rng) -> Option<Duration> {
        let Verdict::Retry { not_before } = verdict else {
            return None;
        };
        if tries >= self.max_tries {
            return None;
        }
        let exponent = tries.saturating_sub(1).min(16);
        let full = self
            .retry_base
            .saturating_mul(FACTOR.saturating_pow(exponent))
            .min(MAX_WAIT);
        let jittered = full.mul_f64(rng.gen_range(0.5..=1.0));
        Some(jittered.max(not_before.unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn answer(status: u16, retry: Option<&str>) -> Result<OutboundResponse, OutboundError> {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(value) = retry {
            headers.insert(reqwest::header::RETRY_AFTER, value.parse().unwrap());
        }
        Ok(OutboundResponse {
            status: reqwest::StatusCode::from_u16(status).unwrap(),
            headers,
            body: Vec::new(),
        })
    }

    #[test]
    fn statuses_decide_retry_or_give_up() {
        let retry = Verdict::Retry { not_before: None };
        assert_eq!(verdict(&answer(200, None), 0), Verdict::Delivered);
        assert_eq!(verdict(&answer(204, None), 0), Verdict::Delivered);
        for status in [408, 429, 500, 502, 503] {
            assert_eq!(verdict(&answer(status, None), 0), retry, "{status}");
        }
        for status in [400, 401, 404, 410, 301] {
            assert_eq!(
                verdict(&answer(status, None), 0),
                Verdict::GiveUp,
                "{status}"
            );
        }
        let timeout = Err(OutboundError::Timeout(Duration::from_secs(5)));
        assert_eq!(verdict(&timeout, 0), retry);
        let refused = Err(OutboundError::Forbidden("10.0.0.1".into()));
        assert_eq!(verdict(&refused, 0), Verdict::GiveUp);
    }

    #[test]
    fn retry_after_is_read_in_seconds_or_as_a_date() {
        assert_eq!(
            verdict(&answer(429, Some("7")), 0),
            Verdict::Retry {
                not_before: Some(Duration::from_secs(7))
            }
        );
        // 1994-11-06T08:49:37Z is 784111777.
        let dated = retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777 - 30);
        assert_eq!(dated, Some(Duration::from_secs(30)));
        assert_eq!(retry_after("999999999", 0), Some(MAX_WAIT));
        assert_eq!(retry_after("soon", 0), None);
    }

    #[test]
    fn waits_grow_with_jitter_and_end_at_the_last_try() {
        let config = DeliveryConfig::default();
        let mut rng = StdRng::seed_from_u64(7);
        let retry = Verdict::Retry { not_before: None };
        let mut previous_full = Duration::ZERO;
        for tries in 1..config.max_tries {
            let full = config.retry_base * FACTOR.pow(tries - 1);
            let wait = config.next_wait(tries, retry, &mut rng).unwrap();
            assert!(wait >= full / 2 && wait <= full, "{tries}: {wait:?}");
            assert!(full > previous_full);
            previous_full = full;
        }
        assert_eq!(config.next_wait(config.max_tries, retry, &mut rng), None);
        assert_eq!(config.next_wait(1, Verdict::GiveUp, &mut rng), None);
        let later = Verdict::Retry {
            not_before: Some(Duration::from_secs(600)),
        };
        assert_eq!(
            config.next_wait(1, later, &mut rng),
            Some(Duration::from_secs(600))
        );
    }
}
