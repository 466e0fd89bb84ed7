//! The attempt writer on PostgreSQL: a sqlx connection it keeps (its prepared statements
//! stay warm), replaced after an error in case the error was the connection's.

use std::collections::HashMap;

use sqlx::any::{AnyRow, AnyTypeInfoKind};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Connection, Row, TypeInfo, ValueRef};

use super::batch::{store_attempts, BatchConnection, SqlValue};
use super::{Store, StoreError, StoredBatch};
use crate::db::notices;
use crate::db::progress::{NewAttempt, UserKey};
use crate::db::remembered::Change;

/// Stores batches on a connection of the pool.
pub(super) struct PoolStore {
    pool: AnyPool,
    conn: Option<PoolConnection<Any>>,
    /// Who announces the batches' moves (see `db/notices.rs`).
    origin: u64,
}

impl PoolStore {
    pub(super) fn new(pool: AnyPool, origin: u64) -> Self {
        Self {
            pool,
            conn: None,
            origin,
        }
    }
}

impl Store for PoolStore {
    async fn store(
        &mut self,
        attempts: &[&NewAttempt],
        user_ids: &mut HashMap<UserKey, String>,
    ) -> Result<StoredBatch, StoreError> {
        let conn = match &mut self.conn {
            Some(conn) => conn,
            None => self.conn.insert(self.pool.acquire().await?),
        };
        let result = async {
            let mut tx = conn.begin().await?;
            let stored = store_attempts(&mut *tx, attempts, user_ids).await?;
            let moved = Change::Moved {
                moves: stored.moved.clone(),
            };
            notices::announce(&mut tx, self.origin, &moved).await?;
            tx.commit().await?;
            Ok(stored)
        }
        .await;
        if result.is_err() {
            self.conn = None;
        }
        result
    }
}

impl BatchConnection for AnyConnection {
    fn rows_per_insert(&self) -> usize {
        usize::MAX
    }

    async fn rows(
        &mut self,
        sql: &str,
        params: Vec<SqlValue>,
    ) -> Result<Vec<Vec<SqlValue>>, StoreError> {
        let mut query = sqlx::query(sql);
        for param in params {
            query = match param {
                SqlValue::Null => query.bind(None::<String>),
                SqlValue::Int(number) => query.bind(number),
                SqlValue::Text(text) => query.bind(text),
            };
        }
        let rows = query.fetch_all(&mut *self).await?;
        rows.iter()
            .map(|row| (0..row.len()).map(|i| value(row, i)).collect())
            .collect()
    }
}

fn value(row: &AnyRow, index: usize) -> Result<SqlValue, StoreError> {
    let raw = row.try_get_raw(index)?;
    if raw.is_null() {
        return Ok(SqlValue::Null);
    }
    let kind = raw.type_info().kind();
    Ok(match kind {
        AnyTypeInfoKind::SmallInt | AnyTypeInfoKind::Integer | AnyTypeInfoKind::BigInt => {
            SqlValue::Int(row.try_get(index)?)
        }
        AnyTypeInfoKind::Text => SqlValue::Text(row.try_get(index)?),
        other => {
            return Err(StoreError::Writer(format!(
                "unexpected column type {other:?} ({})",
                raw.type_info().name()
            )))
        }
    })
}
