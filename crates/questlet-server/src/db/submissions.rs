//! The review queue: proofs of reviewed custom tasks as the partner reads them. Proofs are
//! written and decided in the attempt writer's transactions (`group_commit/batch.rs`).

use questlet_types::ReviewState;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use super::{decode, value_rows, Db};

/// A submission with its quest, task and user.
#[derive(Debug, Clone)]
pub struct SubmissionRow {
    /// The submission's id.
    pub id: String,
    /// The task's id.
    pub task_id: String,
    /// The quest's key.
    pub quest_key: String,
    /// The task's key.
    pub task_key: String,
    /// The user's account.
    pub account: String,
    /// The user's platform.
    pub platform: String,
    /// The proof.
    pub proof: String,
    /// Its state.
    pub state: ReviewState,
    /// The reviewer's message.
    pub message: Option<String>,
    /// When it was sent.
    pub submitted_at: i64,
    /// When it was reviewed.
    pub reviewed_at: Option<i64>,
}

impl FromRow<'_, AnyRow> for SubmissionRow {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.try_get("id")?,
            task_id: row.try_get("task_id")?,
            quest_key: row.try_get("quest_key")?,
            task_key: row.try_get("task_key")?,
            account: row.try_get("account")?,
            platform: row.try_get("platform")?,
            proof: row.try_get("proof")?,
            state: decode::wire_name(row, "state", ReviewState::parse)?,
            message: row.try_get("message")?,
            submitted_at: row.try_get("submitted_at")?,
            reviewed_at: row.try_get("reviewed_at")?,
        })
    }
}

/// Which submissions of a campaign to list.
#[derive(Debug, Clone, Default)]
pub struct SubmissionFilter {
    /// Only this quest's (by key).
    pub quest_key: Option<String>,
    /// Only those in this state.
    pub state: Option<ReviewState>,
    /// At most this many.
    pub limit: i64,
    /// After skipping this many.
    pub offset: i64,
}

const SELECT: &str = "SELECT s.id, s.task_id, q.key AS quest_key, t.key AS task_key, u.account,
        u.platform, s.proof, s.state, s.message, s.submitted_at, s.reviewed_at
     FROM task_submissions s
     JOIN tasks t ON t.id = s.task_id
     JOIN quests q ON q.id = t.quest_id
     JOIN users u ON u.id = s.user_id";

impl Db {
    /// Campaign `campaign_id`'s submissions that `filter` selects, oldest first.
    pub async fn submissions(
        &self,
        campaign_id: &str,
        filter: &SubmissionFilter,
    ) -> Result<Vec<SubmissionRow>, sqlx::Error> {
        let sql = format!(
            "{SELECT}
             WHERE q.campaign_id = $1 AND ($2 IS NULL OR q.key = $2)
               AND ($3 IS NULL OR s.state = $3)
             ORDER BY s.submitted_at, s.id
             LIMIT $4 OFFSET $5"
        );
        sqlx::query_as(&sql)
            .bind(campaign_id)
            .bind(filter.quest_key.as_deref())
            .bind(filter.state.map(ReviewState::as_str))
            .bind(filter.limit)
            .bind(filter.offset)
            .fetch_all(self.pool())
            .await
    }

    /// The submissions of campaign `campaign_id` among `ids` (unknown ids are left out).
    pub async fn submissions_by_id(
        &self,
        campaign_id: &str,
        ids: &[String],
    ) -> Result<Vec<SubmissionRow>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{SELECT}
             WHERE q.campaign_id = $1 AND s.id IN (VALUES {})",
            value_rows(2, ids.len(), 1)
        );
        let mut query = sqlx::query_as(&sql).bind(campaign_id);
        for id in ids {
            query = query.bind(id);
        }
        query.fetch_all(self.pool()).await
    }
}
