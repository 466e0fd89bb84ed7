//! The attempt writer on SQLite: a plain SQLite connection of its own, on the writer's
//! thread, so a batch runs from `BEGIN IMMEDIATE` to the synced `COMMIT` without leaving
//! the thread. It opens the file the rest of the server opens through sqlx, with the same
//! settings; SQLite's own locking makes the two share it safely.
//!
//! Checkpoints (copying the log's pages into the database file) run on a thread of their
//! own, beside the writer: left to SQLite, every thousandth page a commit would copy the
//! log and sync the file before answering, and those commits set the p99. The writer's
//! connection never checkpoints; after every [`COMMITS_PER_CHECKPOINT`] commits it wakes
//! the checkpointer, whose `PASSIVE` checkpoint never blocks the writer or readers.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params_from_iter, Connection, ToSql};

use super::batch::{store_attempts, BatchConnection, SqlValue};
use super::{Store, StoreError, StoredBatch};
use crate::db::progress::{NewAttempt, UserKey};
use crate::db::SQLITE_SETTINGS;

/// Prepared statements kept per connection (a batch's SQL varies with its size).
const STATEMENT_CACHE: usize = 256;

/// Commits between two checkpoints (a batch's commit logs a few pages per attempt).
const COMMITS_PER_CHECKPOINT: u64 = 16;

/// Stores batches on its own connection to the SQLite file.
pub(super) struct SqliteStore {
    path: PathBuf,
    conn: Option<Connection>,
    checkpoints: Arc<Checkpoints>,
}

impl SqliteStore {
    pub(super) fn new(path: PathBuf) -> Self {
        let checkpoints = Arc::new(Checkpoints::default());
        let (thread_path, thread_checkpoints) = (path.clone(), checkpoints.clone());
        std::thread::Builder::new()
            .name("questlet-checkpoints".into())
            .spawn(move || thread_checkpoints.run(&thread_path))
            .expect("spawn the checkpoint thread");
        Self {
            path,
            conn: None,
            checkpoints,
        }
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.checkpoints.update(|state| state.stopped = true);
    }
}

/// What the writer tells the checkpoint thread.
#[derive(Debug, Default)]
struct Checkpoints {
    state: Mutex<CheckpointState>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct CheckpointState {
    /// Commits since the last checkpoint began.
    commits: u64,
    /// The writer is gone: checkpoint what is left and stop.
    stopped: bool,
}

impl Checkpoints {
    /// Changes the state, waking the checkpoint thread when it has something to do.
    fn update(&self, change: impl FnOnce(&mut CheckpointState)) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        change(&mut state);
        if state.commits >= COMMITS_PER_CHECKPOINT || state.stopped {
            self.changed.notify_one();
        }
    }

    /// The checkpoint thread: a `PASSIVE` checkpoint whenever enough commits are logged.
    fn run(&self, path: &PathBuf) {
        let mut conn = None;
        loop {
            let stopped = {
                let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
                let mut state = self
                    .changed
                    .wait_while(state, |s| s.commits < COMMITS_PER_CHECKPOINT && !s.stopped)
                    .unwrap_or_else(|e| e.into_inner());
                state.commits = 0;
                state.stopped
            };
            let result = match &mut conn {
                Some(conn) => checkpoint(conn),
                None => open(path).and_then(|opened| checkpoint(conn.insert(opened))),
            };
            if let Err(error) = result {
                // The next commits try again (on a fresh connection); until then SQLite's
                // readers and writer are unaffected, the log only grows.
                tracing::warn!(%error, "a checkpoint of the SQLite log failed");
                conn = None;
            }
            if stopped {
                return;
            }
        }
    }
}

fn checkpoint(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
}

fn open(path: &PathBuf) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open(path)?;
    for setting in SQLITE_SETTINGS {
        // `journal_mode` answers with a row: a batch reads past it.
        conn.execute_batch(setting)?;
    }
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

impl Store for SqliteStore {
    async fn store(
        &mut self,
        attempts: &[&NewAttempt],
        user_ids: &mut HashMap<UserKey, String>,
    ) -> Result<StoredBatch, StoreError> {
        let conn = match &mut self.conn {
            Some(conn) => conn,
            None => {
                let conn = open(&self.path)?;
                // The checkpoint thread does it (see the module docs).
                conn.execute_batch("PRAGMA wal_autocheckpoint = 0")?;
                self.conn.insert(conn)
            }
        };
        let result = async {
            // IMMEDIATE: take the write lock now (see `Db::begin_write`).
            conn.execute_batch("BEGIN IMMEDIATE")?;
            let stored = store_attempts(conn, attempts, user_ids).await?;
            conn.execute_batch("COMMIT")?;
            self.checkpoints.update(|state| state.commits += 1);
            Ok(stored)
        }
        .await;
        if result.is_err() {
            // Roll back whatever is open, and start over on a fresh connection.
            if let Some(conn) = self.conn.take() {
                let _ = conn.execute_batch("ROLLBACK");
            }
        }
        result
    }
}

impl ToSql for SqlValue {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            SqlValue::Null => ToSqlOutput::Owned(rusqlite::types::Value::Null),
            SqlValue::Int(number) => ToSqlOutput::from(*number),
            SqlValue::Text(text) => ToSqlOutput::from(text.as_str()),
        })
    }
}

impl BatchConnection for Connection {
    fn rows_per_insert(&self) -> usize {
        1
    }

    async fn rows(
        &mut self,
        sql: &str,
        params: Vec<SqlValue>,
    ) -> Result<Vec<Vec<SqlValue>>, StoreError> {
        // `$n` placeholders are numbered in order of appearance, so they bind by position.
        let mut statement = self.prepare_cached(sql)?;
        let columns = statement.column_count();
        let mut rows = statement.query(params_from_iter(params.iter()))?;
        let mut read = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for index in 0..columns {
                values.push(match row.get_ref(index)? {
                    ValueRef::Null => SqlValue::Null,
                    ValueRef::Integer(number) => SqlValue::Int(number),
                    ValueRef::Text(text) => {
                        SqlValue::Text(String::from_utf8_lossy(text).into_owned())
                    }
                    other => {
                        return Err(StoreError::Writer(format!(
                            "unexpected column type {:?}",
                            other.data_type()
                        )))
                    }
                });
            }
            read.push(values);
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    #[test]
    fn the_checkpoint_thread_copies_the_log_into_the_database_after_enough_commits() {
        let dir = std::env::temp_dir().join(format!("questlet-ckpt-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("q.db");
        let writer = open(&path).unwrap();
        writer
            .execute_batch("PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x TEXT)")
            .unwrap();
        let store = SqliteStore::new(path.clone());
        let size = || std::fs::metadata(&path).unwrap().len();
        let before = size();
        for _ in 0..COMMITS_PER_CHECKPOINT - 1 {
            writer
                .execute("INSERT INTO t VALUES (?1)", ["x".repeat(100_000)])
                .unwrap();
            store.checkpoints.update(|state| state.commits += 1);
        }
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(size(), before, "no checkpoint before enough commits");
        store.checkpoints.update(|state| state.commits += 1);
        // The checkpoint grows the file as it copies pages, so wait for the whole
        // log (16 rows of 100 kB) to arrive, not for the first change in size.
        let deadline = Instant::now() + Duration::from_secs(10);
        while size() <= 1_500_000 {
            assert!(
                Instant::now() < deadline,
                "the log was never checkpointed: {} bytes",
                size()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
