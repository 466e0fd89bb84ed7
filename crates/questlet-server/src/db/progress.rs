//! End users and their progress: completions (one per user and task) and attempts.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use questlet_types::attempt::AttemptOutcome;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

use super::progress_cache::Completions;
use super::{decode, new_id, Db};
use crate::time::now;

/// The end user an attempt is by: `(platform, account)` in one organization.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserKey {
    /// The organization's id.
    pub organization_id: String,
    /// The partner's platform name.
    pub platform: String,
    /// The user's account on that platform.
    pub account: String,
}

/// A verified attempt to store (see [`Db::store_attempt`]).
#[derive(Debug, Clone)]
pub struct NewAttempt {
    /// Who made it (created on first sight).
    pub user: UserKey,
    /// The campaign the task belongs to (for the user's totals in the answer).
    pub campaign_id: String,
    /// The task.
    pub task_id: String,
    /// The points the task awards if this attempt completes it.
    pub points: i64,
    /// The verifier's verdict: `Err(reason)` when the attempt failed.
    pub verdict: Result<(), String>,
    /// The answer as JSON, when it may be kept.
    pub answer: Option<String>,
    /// The GA client id the widget sent.
    pub ga_client_id: Option<String>,
}

/// What storing an attempt did, and where the user stands after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAttempt {
    /// How it ended: a passed verdict completes the task once, then `already_completed`.
    pub outcome: AttemptOutcome,
    /// Points this attempt awarded (0 unless it completed the task).
    pub points_awarded: i64,
    /// The user's points in the campaign after it.
    pub user_points: i64,
    /// The user's completed tasks in the campaign after it.
    pub completed_tasks: i64,
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
    /// first sight.
    pub async fn ensure_user(&self, user: &UserKey) -> Result<String, sqlx::Error> {
        let mut conn = self.pool().acquire().await?;
        let mut ids = HashMap::new();
        ensure_users(&mut conn, std::iter::once(user), &mut ids).await?;
        ids.remove(user).ok_or(sqlx::Error::RowNotFound)
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

    /// A user's completed tasks in a campaign, with the points each awarded: remembered
    /// where this process writes them all (see `progress_cache.rs`), otherwise one query.
    /// None for a user never seen (reading never creates one).
    pub async fn campaign_completions(
        &self,
        user: &UserKey,
        campaign_id: &str,
    ) -> Result<Arc<Completions>, sqlx::Error> {
        let Some(local) = &self.local else {
            return Ok(Arc::new(self.read_completions(user, campaign_id).await?));
        };
        if let Some(hit) = local.progress.get(campaign_id, user) {
            return Ok(hit);
        }
        let stamp = local.progress.stamp();
        let read = Arc::new(self.read_completions(user, campaign_id).await?);
        local
            .progress
            .insert_if_unchanged(stamp, campaign_id, user, read.clone());
        Ok(read)
    }

    async fn read_completions(
        &self,
        user: &UserKey,
        campaign_id: &str,
    ) -> Result<Completions, sqlx::Error> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT c.task_id, c.points FROM task_completions c
             JOIN users u ON u.id = c.user_id
             JOIN tasks t ON t.id = c.task_id
             JOIN quests q ON q.id = t.quest_id
             WHERE u.organization_id = $1 AND u.platform = $2 AND u.account = $3
               AND q.campaign_id = $4",
        )
        .bind(&user.organization_id)
        .bind(&user.platform)
        .bind(&user.account)
        .bind(campaign_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().collect())
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

/// `(...), (...)`: `rows` groups of `columns` numbered placeholders, from `$1`.
fn value_rows(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let cells: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Stores a batch of attempts on `conn`, inside the caller's transaction, in a few
/// statements however many there are: the users (created on first sight; `user_ids` is the
/// caller's memory of their ids, see [`ensure_users`]), the completions
/// of passed verdicts (the (user, task) key makes a second one a no-op, so points are
/// awarded once, and within a batch the first attempt in order wins), every attempt in the
/// activity log, and each user's totals after the batch. Answers in the order given.
pub(super) async fn store_attempts(
    conn: &mut AnyConnection,
    attempts: &[&NewAttempt],
    user_ids: &mut HashMap<UserKey, String>,
) -> Result<Vec<StoredAttempt>, sqlx::Error> {
    ensure_users(conn, attempts.iter().map(|a| &a.user), user_ids).await?;
    let user_ids = &*user_ids;
    let user_of = |attempt: &NewAttempt| user_ids[&attempt.user].as_str();

    // Completions: the first passed attempt of each (user, task) in the batch is inserted;
    // the key decides against earlier batches.
    let mut candidates: Vec<&NewAttempt> = Vec::new();
    for attempt in attempts.iter().filter(|a| a.verdict.is_ok()) {
        let pair = (user_of(attempt), attempt.task_id.as_str());
        if !candidates
            .iter()
            .any(|c| (user_of(c), c.task_id.as_str()) == pair)
        {
            candidates.push(attempt);
        }
    }
    let mut completed: HashSet<(String, String)> = HashSet::new();
    if !candidates.is_empty() {
        let sql = format!(
            "INSERT INTO task_completions (user_id, task_id, points, ga_client_id, created_at)
             VALUES {}
             ON CONFLICT (user_id, task_id) DO NOTHING
             RETURNING user_id, task_id",
            value_rows(candidates.len(), 5)
        );
        let mut insert = sqlx::query_as::<_, (String, String)>(&sql);
        let created = now();
        for attempt in &candidates {
            insert = insert
                .bind(user_of(attempt))
                .bind(&attempt.task_id)
                .bind(attempt.points)
                .bind(&attempt.ga_client_id)
                .bind(created);
        }
        completed = insert.fetch_all(&mut *conn).await?.into_iter().collect();
    }
    let outcomes: Vec<(AttemptOutcome, i64)> = attempts
        .iter()
        .map(|attempt| match &attempt.verdict {
            Err(_) => (AttemptOutcome::Failed, 0),
            Ok(()) => {
                let pair = (user_of(attempt).to_owned(), attempt.task_id.clone());
                if completed.remove(&pair) {
                    (AttemptOutcome::Completed, attempt.points)
                } else {
                    (AttemptOutcome::AlreadyCompleted, 0)
                }
            }
        })
        .collect();

    let sql = format!(
        "INSERT INTO task_attempts (id, user_id, task_id, outcome, reason, answer,
            ga_client_id, created_at)
         VALUES {}",
        value_rows(attempts.len(), 8)
    );
    let mut insert = sqlx::query(&sql);
    let created = now();
    for (attempt, (outcome, _)) in attempts.iter().zip(&outcomes) {
        insert = insert
            .bind(new_id())
            .bind(user_of(attempt))
            .bind(&attempt.task_id)
            .bind(outcome.as_str())
            .bind(attempt.verdict.as_ref().err())
            .bind(&attempt.answer)
            .bind(&attempt.ga_client_id)
            .bind(created);
    }
    insert.execute(&mut *conn).await?;

    let totals = user_totals(
        conn,
        attempts
            .iter()
            .map(|a| (user_of(a), a.campaign_id.as_str())),
    )
    .await?;
    Ok(attempts
        .iter()
        .zip(outcomes)
        .map(|(attempt, (outcome, points_awarded))| {
            let (user_points, completed_tasks) = totals
                .get(&(user_of(attempt).to_owned(), attempt.campaign_id.clone()))
                .copied()
                .unwrap_or_default();
            StoredAttempt {
                outcome,
                points_awarded,
                user_points,
                completed_tasks,
            }
        })
        .collect())
}

/// The ids of `users`, creating those never seen: the ones in `known` cost nothing, new
/// ones one statement for the whole batch, and only users created meanwhile by someone else
/// a second. Safe under concurrency: the unique key decides, and the select reads the
/// winners' rows. Users are never deleted, so a known id stays right.
pub(super) async fn ensure_users<'a>(
    conn: &mut AnyConnection,
    users: impl Iterator<Item = &'a UserKey>,
    known: &mut HashMap<UserKey, String>,
) -> Result<(), sqlx::Error> {
    let mut missing: Vec<&UserKey> = Vec::new();
    for user in users {
        if !known.contains_key(user) && !missing.contains(&user) {
            missing.push(user);
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO users (id, organization_id, platform, account, created_at)
         VALUES {}
         ON CONFLICT (organization_id, platform, account) DO NOTHING
         RETURNING id, organization_id, platform, account",
        value_rows(missing.len(), 5)
    );
    let mut insert = sqlx::query_as::<_, (String, String, String, String)>(&sql);
    let created = now();
    for user in &missing {
        insert = insert
            .bind(new_id())
            .bind(&user.organization_id)
            .bind(&user.platform)
            .bind(&user.account)
            .bind(created);
    }
    let mut found = insert.fetch_all(&mut *conn).await?;
    let existing: Vec<&UserKey> = missing
        .into_iter()
        .filter(|user| {
            !found.iter().any(|(_, o, p, a)| {
                (o, p, a) == (&user.organization_id, &user.platform, &user.account)
            })
        })
        .collect();
    if !existing.is_empty() {
        let sql = format!(
            "SELECT id, organization_id, platform, account FROM users
             WHERE (organization_id, platform, account) IN (VALUES {})",
            value_rows(existing.len(), 3)
        );
        let mut select = sqlx::query_as::<_, (String, String, String, String)>(&sql);
        for user in &existing {
            select = select
                .bind(&user.organization_id)
                .bind(&user.platform)
                .bind(&user.account);
        }
        found.extend(select.fetch_all(&mut *conn).await?);
    }
    for (id, organization_id, platform, account) in found {
        let user = UserKey {
            organization_id,
            platform,
            account,
        };
        known.insert(user, id);
    }
    Ok(())
}

/// Points and completed tasks of each `(user id, campaign id)`, in one statement.
async fn user_totals<'a>(
    conn: &mut AnyConnection,
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<HashMap<(String, String), (i64, i64)>, sqlx::Error> {
    let mut distinct: Vec<(&str, &str)> = Vec::new();
    for pair in pairs {
        if !distinct.contains(&pair) {
            distinct.push(pair);
        }
    }
    let sql = format!(
        "SELECT c.user_id, q.campaign_id,
                CAST(COALESCE(SUM(c.points), 0) AS BIGINT), COUNT(*)
         FROM task_completions c
         JOIN tasks t ON t.id = c.task_id
         JOIN quests q ON q.id = t.quest_id
         WHERE (c.user_id, q.campaign_id) IN (VALUES {})
         GROUP BY c.user_id, q.campaign_id",
        value_rows(distinct.len(), 2)
    );
    let mut select = sqlx::query_as::<_, (String, String, i64, i64)>(&sql);
    for (user_id, campaign_id) in &distinct {
        select = select.bind(*user_id).bind(*campaign_id);
    }
    Ok(select
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(user_id, campaign_id, points, count)| ((user_id, campaign_id), (points, count)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::value_rows;

    #[test]
    fn value_rows_number_placeholders_row_by_row() {
        assert_eq!(value_rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(value_rows(1, 1), "($1)");
    }
}
