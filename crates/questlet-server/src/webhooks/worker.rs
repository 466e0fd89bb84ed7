//! The delivery worker, one per server process: it leases due deliveries from the outbox,
//! sends each (signed, through the outbound guard), logs the try and moves the delivery
//! on: delivered, due again later (see `schedule.rs`), or dead.
//!
//! Leases keep two workers (two processes on one PostgreSQL database) from sending one
//! delivery at once, and a try is recorded only by the worker still holding the lease, so
//! a delivery is marked delivered once. A worker that dies mid-try leaves its lease to run
//! out; a SQLite server, the only worker on its file, ends them all when it starts.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;
use tokio::task::JoinSet;

use super::schedule::{self, DeliveryConfig, Verdict};
use crate::db::webhooks::{LeasedDelivery, TryRecord, LEASE_SECONDS};
use crate::db::{Backend, Db};
use crate::outbound::{signature, Outbound};
use questlet_types::webhooks::DeliveryState;

/// Tries in flight at once, per process.
const IN_FLIGHT: usize = 32;

/// How often an idle worker looks for due deliveries: those another process wrote, and
/// retries coming due. (A commit in this process that writes deliveries wakes it at once.)
const POLL: Duration = Duration::from_millis(500);

/// Most characters of an answer kept in the log.
const SNIPPET_CHARS: usize = 1000;

/// Sends the outbox's deliveries; see the module docs.
#[derive(Clone)]
pub struct Worker {
    db: Db,
    outbound: Outbound,
    config: DeliveryConfig,
}

impl Worker {
    /// A worker over `db`, calling out through `outbound`.
    pub fn new(db: Db, outbound: Outbound, config: DeliveryConfig) -> Self {
        Self {
            db,
            outbound,
            config,
        }
    }

    /// Runs the worker on a task of its own, until the runtime stops.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.run())
    }

    async fn run(self) {
        if self.db.backend() == Backend::Sqlite {
            if let Err(error) = self.db.release_webhook_leases().await {
                tracing::warn!(%error, "could not end the webhook leases of a previous run");
            }
        }
        let wake: Arc<Notify> = self.db.outbox_wake();
        let mut tries = JoinSet::new();
        loop {
            while tries.len() >= IN_FLIGHT {
                tries.join_next().await;
            }
            let now = crate::time::now();
            let leased_until = now + LEASE_SECONDS;
            let room = (IN_FLIGHT - tries.len()) as i64;
            let leased = self
                .db
                .lease_webhook_deliveries(now, leased_until, room)
                .await
                .unwrap_or_else(|error| {
                    tracing::warn!(%error, "could not lease webhook deliveries");
                    Vec::new()
                });
            if leased.is_empty() {
                tokio::select! {
                    _ = wake.notified() => {}
                    _ = tokio::time::sleep(POLL) => {}
                    Some(_) = tries.join_next(), if !tries.is_empty() => {}
                }
                continue;
            }
            for delivery in leased {
                tries.spawn(self.clone().try_once(delivery, leased_until));
            }
        }
    }

    /// Sends `delivery` once and records how it went.
    async fn try_once(self, delivery: LeasedDelivery, leased_until: i64) {
        let now = crate::time::now();
        let keys: Vec<Vec<u8>> = delivery
            .secrets
            .iter()
            .filter_map(|secret| signature::secret_key(secret))
            .collect();
        let body = delivery.body.as_bytes();
        let headers = signature::headers(&keys, &delivery.event_id, now, body);
        let started = Instant::now();
        let result = self
            .outbound
            .post_json(&delivery.url, &headers, body.to_vec())
            .await;
        let latency = started.elapsed();
        let verdict = schedule::verdict(&result, now);
        let tries = u32::try_from(delivery.tries + 1).unwrap_or(u32::MAX);
        let wait = self
            .config
            .next_wait(tries, verdict, &mut rand::thread_rng());
        let state = match (verdict, wait) {
            (Verdict::Delivered, _) => DeliveryState::Delivered,
            (_, Some(_)) => DeliveryState::Pending,
            (_, None) => DeliveryState::Dead,
        };
        let (status, error, response) = match &result {
            Ok(answer) => {
                let text = String::from_utf8_lossy(&answer.body);
                let snippet: String = text.chars().take(SNIPPET_CHARS).collect();
                (Some(i64::from(answer.status.as_u16())), None, Some(snippet))
            }
            Err(error) => (None, Some(error.to_string()), None),
        };
        let record = TryRecord {
            at: now,
            status,
            error,
            latency_ms: i64::try_from(latency.as_millis()).unwrap_or(i64::MAX),
            response,
            state,
            next_attempt_at: now + wait.map_or(0, |w| w.as_secs_f64().ceil() as i64),
        };
        metrics::histogram!("questlet_webhook_try_seconds").record(latency.as_secs_f64());
        metrics::counter!("questlet_webhook_tries_total", "state" => state.as_str()).increment(1);
        match self
            .db
            .finish_webhook_try(&delivery, leased_until, &record)
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(
                    delivery = delivery.id,
                    "a webhook try outlived its lease; not recorded"
                );
            }
            Err(error) => {
                // The lease runs out and the delivery is tried again: at least once.
                tracing::warn!(%error, delivery = delivery.id, "could not record a webhook try");
            }
        }
    }
}
