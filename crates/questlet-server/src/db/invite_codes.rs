//! Invite codes: the single-use codes a partner uploads for an `invite_code` task, and the
//! claims users make on them (claimed in the attempt writer's transaction, see
//! `group_commit/batch.rs`).

use super::{value_rows, Db};
use crate::time::now;

/// Most codes written by one statement (well below either backend's limit on bound values).
const CODES_PER_INSERT: usize = 500;

/// How many codes a task has and how many are claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeCounts {
    /// Codes in the pool.
    pub total: i64,
    /// Codes users have claimed.
    pub claimed: i64,
}

impl Db {
    /// Adds `codes` (normalized) to task `task_id`'s pool, skipping ones it has; answers how
    /// many were new.
    pub async fn add_invite_codes(
        &self,
        task_id: &str,
        codes: &[String],
    ) -> Result<i64, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let created = now();
        let mut added = 0;
        for chunk in codes.chunks(CODES_PER_INSERT) {
            let sql = format!(
                "INSERT INTO invite_codes (task_id, code, created_at) VALUES {}
                 ON CONFLICT (task_id, code) DO NOTHING",
                value_rows(1, chunk.len(), 3)
            );
            let mut query = sqlx::query(&sql);
            for code in chunk {
                query = query.bind(task_id).bind(code).bind(created);
            }
            added += query.execute(&mut *tx).await?.rows_affected() as i64;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// How many codes task `task_id` has, and how many are claimed.
    pub async fn invite_code_counts(&self, task_id: &str) -> Result<CodeCounts, sqlx::Error> {
        let (total, claimed): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM invite_codes WHERE task_id = $1),
                    (SELECT COUNT(*) FROM invite_claims WHERE task_id = $1)",
        )
        .bind(task_id)
        .fetch_one(self.pool())
        .await?;
        Ok(CodeCounts { total, claimed })
    }
}
