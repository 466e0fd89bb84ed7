//! Group commit of task attempts: many completions share one durable commit.
//!
//! An acknowledged completion must be on disk, so every attempt is committed before the
//! widget hears its outcome, and on SQLite every commit is synced (`synchronous = FULL`).
//! One commit per attempt would make the disk sync the ceiling. Instead one writer task per
//! process takes every attempt waiting at that moment (up to [`MAX_BATCH`]), stores them in
//! one write transaction, commits once, and only then answers each. While it commits, the
//! next attempts queue up and form the next batch, so batches grow with the load and no
//! attempt waits on a timer.
//!
//! A statement that fails for one attempt (its task deleted meanwhile, say) would roll back
//! the batch, so a failed batch is retried one attempt per transaction: each attempt gets
//! its own outcome or its own error, and nothing is answered before it is committed.

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool};
use tokio::sync::{mpsc, oneshot};

use super::changes::LocalWrites;
use super::progress::{store_attempts, NewAttempt, StoredAttempt, UserKey};
use super::{begin_write_on, Backend, Db};

/// Most attempts in one transaction (a bound on how long one commit holds the write lock).
const MAX_BATCH: usize = 256;

/// Most user ids the writer remembers.
const MAX_USER_IDS: usize = 100_000;

/// Attempts waiting for the writer; senders wait when it is full.
const QUEUE: usize = 4096;

#[derive(Debug)]
struct Job {
    attempt: NewAttempt,
    reply: oneshot::Sender<Result<StoredAttempt, sqlx::Error>>,
}

/// The sending side of the writer; the writer task ends when every handle is dropped.
#[derive(Debug, Clone)]
pub(super) struct AttemptWriter {
    jobs: mpsc::Sender<Job>,
}

impl AttemptWriter {
    /// Starts the writer task of a database.
    pub(super) fn start(pool: AnyPool, backend: Backend, local: Option<Arc<LocalWrites>>) -> Self {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(pool, backend, local, queue));
        Self { jobs }
    }
}

impl Db {
    /// Stores a verified attempt durably (see the module docs) and answers what it did: a
    /// passed verdict completes the task once and awards its points once, however many
    /// attempts race for it.
    pub async fn store_attempt(&self, attempt: NewAttempt) -> Result<StoredAttempt, sqlx::Error> {
        let (reply, answer) = oneshot::channel();
        let stopped = || sqlx::Error::PoolClosed;
        self.attempts
            .jobs
            .send(Job { attempt, reply })
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn run(
    pool: AnyPool,
    backend: Backend,
    local: Option<Arc<LocalWrites>>,
    mut queue: mpsc::Receiver<Job>,
) {
    // One connection kept for the writer: its page cache and prepared statements stay warm
    // from batch to batch. Replaced after an error, in case the error was the connection's.
    let mut writer: Option<PoolConnection<Any>> = None;
    // The ids of users seen lately (they never change), so known users cost no statement.
    let mut user_ids: HashMap<UserKey, String> = HashMap::new();
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let attempts: Vec<&NewAttempt> = batch.iter().map(|job| &job.attempt).collect();
        let stored = store_batch(&pool, &mut writer, &mut user_ids, backend, &attempts).await;
        // Whatever happened, the progress of these users may have changed (a failed commit
        // may still have reached the disk).
        if let Some(local) = &local {
            local.progress.forget(
                attempts
                    .iter()
                    .map(|attempt| (attempt.campaign_id.as_str(), &attempt.user)),
            );
        }
        match stored {
            Ok(stored) => {
                for (job, stored) in batch.drain(..).zip(stored) {
                    let _ = job.reply.send(Ok(stored));
                }
            }
            Err(error) => {
                if batch.len() > 1 {
                    tracing::warn!(%error, size = batch.len(), "a batch of attempts failed; storing them one by one");
                }
                for job in batch.drain(..) {
                    let attempt = &job.attempt;
                    let stored =
                        store_batch(&pool, &mut writer, &mut user_ids, backend, &[attempt]).await;
                    if let Some(local) = &local {
                        local
                            .progress
                            .forget([(attempt.campaign_id.as_str(), &attempt.user)]);
                    }
                    let _ = job
                        .reply
                        .send(stored.map(|mut one| one.pop().expect("one attempt, one answer")));
                }
            }
        }
    }
}

/// Stores `attempts` in one transaction on the writer's connection, in order, and commits.
async fn store_batch(
    pool: &AnyPool,
    writer: &mut Option<PoolConnection<Any>>,
    user_ids: &mut HashMap<UserKey, String>,
    backend: Backend,
    attempts: &[&NewAttempt],
) -> Result<Vec<StoredAttempt>, sqlx::Error> {
    let conn = match writer {
        Some(conn) => conn,
        None => writer.insert(pool.acquire().await?),
    };
    let result = async {
        let mut tx = begin_write_on(conn, backend).await?;
        if user_ids.len() > MAX_USER_IDS {
            user_ids.clear();
        }
        let stored = store_attempts(&mut tx, attempts, user_ids).await?;
        tx.commit().await?;

        Ok(stored)
    }
    .await;
    if result.is_err() {
        // The rollback undid any user this batch created: forget their ids too.
        *writer = None;
        user_ids.clear();
    }
    result
}
