//! The attempt writer on SQLite: a plain SQLite connection of its own, on the writer's
//! thread, so a batch runs from `BEGIN IMMEDIATE` to the synced `COMMIT` without leaving
//! the thread. It opens the file the rest of the server opens through sqlx, with the same
//! settings; SQLite's own locking makes the two share it safely.

use std::collections::HashMap;
use std::path::PathBuf;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params_from_iter, Connection, ToSql};

use super::batch::{store_attempts, BatchConnection, SqlValue};
use super::{Store, StoreError};
use crate::db::progress::{NewAttempt, StoredAttempt, UserKey};
use crate::db::SQLITE_SETTINGS;

/// Prepared statements kept per connection (a batch's SQL varies with its size).
const STATEMENT_CACHE: usize = 256;

/// Stores batches on its own connection to the SQLite file.
pub(super) struct SqliteStore {
    path: PathBuf,
    conn: Option<Connection>,
}

impl SqliteStore {
    pub(super) fn new(path: PathBuf) -> Self {
        Self { path, conn: None }
    }
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
    ) -> Result<Vec<StoredAttempt>, StoreError> {
        let conn = match &mut self.conn {
            Some(conn) => conn,
            None => self.conn.insert(open(&self.path)?),
        };
        let result = async {
            // IMMEDIATE: take the write lock now (see `Db::begin_write`).
            conn.execute_batch("BEGIN IMMEDIATE")?;
            let stored = store_attempts(conn, attempts, user_ids).await?;
            conn.execute_batch("COMMIT")?;
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
