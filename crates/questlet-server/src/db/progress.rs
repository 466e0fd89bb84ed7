//! End users and their progress: completions (one per user and task) and attempts.

use std::collections::HashMap;

use questlet_types::attempt::AttemptOutcome;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use super::{decode, new_id, Db};
use crate::time::now;

/// An attempt to record.
#[derive(Debug, Clone)]
pub struct NewAttempt<'a> {
    /// The user.
    pub user_id: &'a str,
    /// The task.
    pub task_id: &'a str,
    /// How it ended.
    pub outcome: AttemptOutcome,
    /// Why it failed.
    pub reason: Option<&'a str>,
    /// The answer as JSON, when it may be kept.
    pub answer: Option<String>,
    /// The GA client id the widget sent.
    pub ga_client_id: Option<&'a str>,
}

/// An attempt as stored.
#[derive(Debug, Clone)]
pub struct AttemptRow {
    /// Task id.
    pub task_id: String,
    /// Outcome.
    pub outcome: AttemptOutcome,
    /// GA client id.
    pub ga_client_id: Option<String>,
}

impl FromRow<'_, AnyRow> for AttemptRow {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            task_id: row.try_get("task_id")?,
            outcome: decode::wire_name(row, "outcome", AttemptOutcome::parse)?,
            ga_client_id: row.try_get("ga_client_id")?,
        })
    }
}

impl Db {
    /// The user's id for `(platform, account)` in an organization, creating the user on
    /// first sight. Safe under concurrency: the unique key decides, everyone re-reads.
    pub async fn ensure_user(
        &self,
        organization_id: &str,
        platform: &str,
        account: &str,
    ) -> Result<String, sqlx::Error> {
        sqlx::query(
            "INSERT INTO users (id, organization_id, platform, account, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (organization_id, platform, account) DO NOTHING",
        )
        .bind(new_id())
        .bind(organization_id)
        .bind(platform)
        .bind(account)
        .bind(now())
        .execute(self.pool())
        .await?;
        self.user_id(organization_id, platform, account)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }

    /// The user's id for `(platform, account)` in an organization, if the user exists.
    pub async fn user_id(
        &self,
        organization_id: &str,
        platform: &str,
        account: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM users WHERE organization_id = $1 AND platform = $2 AND account = $3",
        )
        .bind(organization_id)
        .bind(platform)
        .bind(account)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(id,)| id))
    }

    /// The user's completed tasks in a campaign, with the points each awarded.
    pub async fn campaign_completions(
        &self,
        user_id: &str,
        campaign_id: &str,
    ) -> Result<HashMap<String, i64>, sqlx::Error> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT c.task_id, c.points FROM task_completions c
             JOIN tasks t ON t.id = c.task_id
             JOIN quests q ON q.id = t.quest_id
             WHERE c.user_id = $1 AND q.campaign_id = $2",
        )
        .bind(user_id)
        .bind(campaign_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().collect())
    }

    /// Records a completion. Returns `true` when this call completed the task and `false`
    /// when it was already completed: the (user, task) key makes concurrent duplicates award
    /// points once. Committed before the caller answers, so an acknowledged completion
    /// survives a crash.
    pub async fn complete_task(
        &self,
        user_id: &str,
        task_id: &str,
        points: i64,
        ga_client_id: Option<&str>,
    ) -> Result<bool, sqlx::Error> {
        let result = sqlx::query(
            "INSERT INTO task_completions (user_id, task_id, points, ga_client_id, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (user_id, task_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(task_id)
        .bind(points)
        .bind(ga_client_id)
        .bind(now())
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Appends an attempt to the activity log.
    pub async fn record_attempt(&self, attempt: &NewAttempt<'_>) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO task_attempts (id, user_id, task_id, outcome, reason, answer,
                ga_client_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id())
        .bind(attempt.user_id)
        .bind(attempt.task_id)
        .bind(attempt.outcome.as_str())
        .bind(attempt.reason)
        .bind(&attempt.answer)
        .bind(attempt.ga_client_id)
        .bind(now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A user's attempts, oldest first.
    pub async fn user_attempts(&self, user_id: &str) -> Result<Vec<AttemptRow>, sqlx::Error> {
        sqlx::query_as(
            "SELECT task_id, outcome, ga_client_id FROM task_attempts
             WHERE user_id = $1 ORDER BY seq",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await
    }
}

/// An attempt with its user and task, for the partner's activity feed.
#[derive(Debug, Clone)]
pub struct ActivityRow {
    /// The user's account.
    pub account: String,
    /// The user's platform.
    pub platform: String,
    /// The task's key.
    pub task_key: String,
    /// Outcome.
    pub outcome: AttemptOutcome,
    /// Failure reason.
    pub reason: Option<String>,
    /// GA client id.
    pub ga_client_id: Option<String>,
    /// Time.
    pub created_at: i64,
}

impl FromRow<'_, AnyRow> for ActivityRow {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            account: row.try_get("account")?,
            platform: row.try_get("platform")?,
            task_key: row.try_get("task_key")?,
            outcome: decode::wire_name(row, "outcome", AttemptOutcome::parse)?,
            reason: row.try_get("reason")?,
            ga_client_id: row.try_get("ga_client_id")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

impl Db {
    /// The newest attempts in a campaign, newest first, at most `limit`.
    pub async fn campaign_activity(
        &self,
        campaign_id: &str,
        limit: i64,
    ) -> Result<Vec<ActivityRow>, sqlx::Error> {
        sqlx::query_as(
            "SELECT u.account, u.platform, t.key AS task_key, a.outcome, a.reason,
                    a.ga_client_id, a.created_at
             FROM task_attempts a
             JOIN users u ON u.id = a.user_id
             JOIN tasks t ON t.id = a.task_id
             JOIN quests q ON q.id = t.quest_id
             WHERE q.campaign_id = $1
             ORDER BY a.seq DESC
             LIMIT $2",
        )
        .bind(campaign_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await
    }
}
