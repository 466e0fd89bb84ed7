//! Group commit of task attempts: many completions share one durable commit.
//!
//! An acknowledged completion must be on disk, so every attempt is committed before the
//! widget hears its outcome, and on SQLite every commit is synced (`synchronous = FULL`).
//! One commit per attempt would make the disk sync the ceiling. Instead one writer per
//! process takes every attempt waiting at that moment (up to [`MAX_BATCH`]), stores them in
//! one write transaction with a few set-based statements (`batch.rs`), commits once, and
//! only then answers each. While it commits, the next attempts queue up and form the next
//! batch, so batches grow with the load and no attempt waits on a timer.
//!
//! The writer keeps its own connection. On PostgreSQL it is a sqlx connection driven by a
//! task. On SQLite it is a plain SQLite connection on a thread of its own (`sqlite.rs`): a
//! whole batch then runs as one piece of synchronous work, where sqlx would hand every
//! statement to its connection thread and back, and on two busy cores those hand-offs, not
//! SQLite, were most of a batch's time.
//!
//! A statement that fails for one attempt (its task deleted meanwhile, say) would roll back
//! the batch, so a failed batch is retried one attempt per transaction: each attempt gets
//! its own outcome or its own error, and nothing is answered before it is committed.

pub(crate) mod batch;
mod postgres;
mod sqlite;

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot, Notify};

use super::changes::LocalWrites;
use super::leaderboard::BoardMove;
use super::progress::{NewAttempt, StoredAttempt, UserKey};
use super::remembered::{Change, Remembered};
use super::Db;

/// Most attempts in one transaction (a bound on how long one commit holds the write lock).
const MAX_BATCH: usize = 256;

/// Most user ids a writer remembers.
const MAX_USER_IDS: usize = 100_000;

/// Attempts waiting for the writer; senders wait when it is full.
const QUEUE: usize = 4096;

/// Why an attempt could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// sqlx failed (PostgreSQL, or the pool).
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// The SQLite writer's connection failed.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The writer stopped or read something it did not expect.
    #[error("attempt writer: {0}")]
    Writer(String),
}

#[derive(Debug)]
struct Job {
    attempt: NewAttempt,
    reply: oneshot::Sender<Result<StoredAttempt, StoreError>>,
}

/// The sending side of the writer; the writer ends when every handle is dropped.
#[derive(Debug, Clone)]
pub(super) struct AttemptWriter {
    jobs: mpsc::Sender<Job>,
}

/// What a committed batch did.
#[derive(Debug)]
pub(crate) struct StoredBatch {
    /// Each attempt's answer, in the order given.
    pub stored: Vec<StoredAttempt>,
    /// The users' moves on leaderboards.
    pub moved: Vec<BoardMove>,
    /// Webhook deliveries written to the outbox.
    pub deliveries: usize,
}

/// Where a writer stores batches: one transaction per call, committed before it returns.
trait Store {
    /// Stores `attempts` in one transaction, in order, and commits. `user_ids` remembers
    /// users' ids between batches (the caller clears it after a failure, since a rollback
    /// may have undone users the batch created). After a failure the next call starts on a
    /// fresh connection, in case the failure was the connection's.
    fn store(
        &mut self,
        attempts: &[&NewAttempt],
        user_ids: &mut HashMap<UserKey, String>,
    ) -> impl Future<Output = Result<StoredBatch, StoreError>> + Send;
}

impl AttemptWriter {
    /// Starts the writer of a database: a thread with its own connection to the SQLite file
    /// `sqlite_file`, or a task on `pool` (PostgreSQL).
    /// `outbox` is woken after each commit that wrote webhook deliveries.
    pub(super) fn start(
        pool: AnyPool,
        sqlite_file: Option<PathBuf>,
        local: Option<Arc<LocalWrites>>,
        remembered: Arc<Remembered>,
        outbox: Arc<Notify>,
    ) -> Self {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let origin = remembered.origin;
        let writes = Writes {
            local,
            remembered,
            outbox,
        };
        match sqlite_file {
            Some(path) => {
                let store = sqlite::SqliteStore::new(path);
                std::thread::Builder::new()
                    .name("questlet-attempts".into())
                    .spawn(move || futures_executor::block_on(run(store, writes, queue)))
                    .expect("spawn the attempt writer thread");
            }
            None => {
                tokio::spawn(run(postgres::PoolStore::new(pool, origin), writes, queue));
            }
        }
        Self { jobs }
    }
}

impl Db {
    /// Stores a verified attempt durably (see the module docs) and answers what it did: a
    /// passed verdict completes the task once and awards its points once, however many
    /// attempts race for it.
    pub async fn store_attempt(&self, attempt: NewAttempt) -> Result<StoredAttempt, StoreError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || StoreError::Writer("the attempt writer has stopped".into());
        self.attempts
            .jobs
            .send(Job { attempt, reply })
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// Who hears of the writer's commits: this process's caches and its webhook worker.
struct Writes {
    /// Users' progress, where it is kept (SQLite).
    local: Option<Arc<LocalWrites>>,
    /// Boards' tops.
    remembered: Arc<Remembered>,
    outbox: Arc<Notify>,
}

async fn run(mut store: impl Store, writes: Writes, mut queue: mpsc::Receiver<Job>) {
    let mut user_ids: HashMap<UserKey, String> = HashMap::new();
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        if user_ids.len() > MAX_USER_IDS {
            user_ids.clear();
        }
        let attempts: Vec<&NewAttempt> = batch.iter().map(|job| &job.attempt).collect();
        // How well commits are shared (at `/metrics`).
        metrics::histogram!("questlet_attempt_batch_size").record(attempts.len() as f64);
        let stored = store_batch(&mut store, &attempts, &mut user_ids).await;
        writes.committed(&attempts, &stored);
        match stored {
            Ok(stored) => {
                for (job, stored) in batch.drain(..).zip(stored.stored) {
                    let _ = job.reply.send(Ok(stored));
                }
            }
            Err(error) => {
                if batch.len() > 1 {
                    tracing::warn!(%error, size = batch.len(), "a batch of attempts failed; storing them one by one");
                }
                for job in batch.drain(..) {
                    let stored = store_batch(&mut store, &[&job.attempt], &mut user_ids).await;
                    writes.committed(&[&job.attempt], &stored);
                    let _ = job.reply.send(
                        stored.map(|mut one| one.stored.pop().expect("one attempt, one answer")),
                    );
                }
            }
        }
    }
}

/// [`Store::store`], forgetting the remembered user ids when it fails: the rollback may
/// have undone users the batch created.
async fn store_batch(
    store: &mut impl Store,
    attempts: &[&NewAttempt],
    user_ids: &mut HashMap<UserKey, String>,
) -> Result<StoredBatch, StoreError> {
    let stored = store.store(attempts, user_ids).await;
    if stored.is_err() {
        user_ids.clear();
    }
    stored
}

impl Writes {
    /// After a batch (`stored`, committed or not): applies its moves to what this process
    /// remembers (or drops every board when it failed: a failed commit may still have
    /// reached the disk, or not; and its users' progress whatever happened), and wakes the webhook worker when it wrote deliveries.
    fn committed(&self, attempts: &[&NewAttempt], stored: &Result<StoredBatch, StoreError>) {
        if let Ok(StoredBatch { deliveries, .. }) = stored {
            if *deliveries > 0 {
                self.outbox.notify_one();
            }
        }
        self.remembered.apply(&match stored {
            Ok(stored) => Change::Moved {
                moves: stored.moved.clone(),
            },
            Err(_) => Change::Boards,
        });
        if let Some(local) = &self.local {
            local.progress.forget(
                attempts
                    .iter()
                    .map(|attempt| (attempt.campaign_id.clone(), attempt.user.clone())),
            );
        }
    }
}
