//! End users and their progress: completions (one per user and task) and attempts.

use std::collections::HashMap;
use std::sync::Arc;

use questlet_types::attempt::AttemptOutcome;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, FromRow, Row};

use super::group_commit::batch::ensure_users;
pub use super::group_commit::batch::NOT_PENDING;
use super::group_commit::StoreError;
use super::progress_cache::ADJUSTED;
pub use super::progress_cache::{Completions, Review};
use super::shared_reads::SharedReadError;
use super::webhooks::{self, NewEvent};
use super::{decode, value_rows, Db, Tx};
use crate::milestones::Milestones;
use crate::recurrence::{Slot, TaskRecord, STREAK_FACTOR};
use crate::time::now;
use crate::webhooks::events;

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
    /// The completion it may add (see `recurrence.rs`).
    pub slot: Slot,
    /// When it was made (the task engine's clock), Unix seconds.
    pub at: i64,
    /// The points the task awards if this attempt completes it.
    pub points: i64,
    /// The verifier's verdict: `Err(reason)` when the attempt failed.
    pub verdict: Result<(), String>,
    /// The answer as JSON, when it may be kept.
    pub answer: Option<String>,
    /// The GA client id the widget sent.
    pub ga_client_id: Option<String>,
    /// What the attempt claims in the transaction that stores it, for task types whose
    /// answer is a single-use thing (see [`Claim`]).
    pub claim: Option<Claim>,
    /// The leaderboards a completion counts on (`leaderboard::boards`).
    pub boards: [String; 3],
    /// What completing the campaign's tasks completes (for the `quest.completed` and
    /// `campaign.completed` webhook events).
    pub milestones: Arc<Milestones>,
}

/// Something single-use an attempt claims in the writer's transaction, so that racing
/// attempts meet on a key and one wins. A task type with such an answer adds a variant
/// here and its statement in `group_commit/batch.rs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The partner's id for a completion it reports (`api` tasks): claimed once per
    /// organization, so a repeat stores nothing and answers the first result.
    PartnerCompletion(String),
    /// The invite code offered (normalized), claimed from the task's pool with the
    /// completion (`invite_code` tasks).
    InviteCode(String),
    /// A step in the review queue (reviewed `custom` tasks).
    Submission(SubmissionStep),
    /// A solved proof-of-work puzzle's id: each puzzle counts once.
    Puzzle(String),
    /// A transaction that completed a contract transaction task (`<chain>:<hash>`): each
    /// counts once per task.
    Transaction(String),
}

impl NewAttempt {
    /// The partner completion id it claims.
    pub fn partner_completion(&self) -> Option<&String> {
        match &self.claim {
            Some(Claim::PartnerCompletion(id)) => Some(id),
            _ => None,
        }
    }

    /// The invite code it claims.
    pub fn invite_code(&self) -> Option<&String> {
        match &self.claim {
            Some(Claim::InviteCode(code)) => Some(code),
            _ => None,
        }
    }

    /// The puzzle it claims.
    pub fn puzzle(&self) -> Option<&String> {
        match &self.claim {
            Some(Claim::Puzzle(id)) => Some(id),
            _ => None,
        }
    }

    /// The transaction it claims.
    pub fn transaction(&self) -> Option<&String> {
        match &self.claim {
            Some(Claim::Transaction(tx)) => Some(tx),
            _ => None,
        }
    }

    /// Its step in the review queue.
    pub fn submission(&self) -> Option<&SubmissionStep> {
        match &self.claim {
            Some(Claim::Submission(step)) => Some(step),
            _ => None,
        }
    }
}

/// What an attempt does to the review queue of a reviewed custom task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmissionStep {
    /// The user sends a proof: it waits for review (the attempt is `pending`) unless one
    /// is pending or approved already; it replaces a rejected one.
    Submit {
        /// The proof.
        proof: String,
    },
    /// The partner decides on the pending submission `id` (the attempt's user and task are
    /// the submission's): an approval completes the task, a rejection fails the attempt
    /// with the message. A submission no longer pending is left as it is (the store
    /// answers a refusal).
    Review {
        /// The submission's id.
        id: String,
        /// Approve, or reject.
        approve: bool,
        /// The reviewer's message to the user.
        message: Option<String>,
    },
}

/// Whom and what a partner completion id was first used for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstUse {
    /// The task.
    pub task_id: String,
    /// The user's platform.
    pub platform: String,
    /// The user's account.
    pub account: String,
}

/// What storing an attempt did, and where the user stands after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAttempt {
    /// How it ended: a passed verdict completes the task once, then `already_completed`.
    pub outcome: AttemptOutcome,
    /// Points this attempt awarded (0 unless it completed the task).
    pub points_awarded: i64,
    /// The user's completed tasks after it, in every campaign of the organization, with
    /// their completions of each (read in the transaction that stored it).
    pub completions: Completions,
    /// For a repeated partner completion id: what it was first used for (the outcome and
    /// points above are then that first result's).
    pub first_use: Option<FirstUse>,
    /// Why the store refused a verified attempt (an invite code not in the pool, or taken).
    pub refusal: Option<String>,
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
    /// first sight (in campaign `campaign_id`, which the `user.created` event names).
    pub async fn ensure_user(
        &self,
        user: &UserKey,
        campaign_id: &str,
    ) -> Result<String, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id, deliveries) = ensure_user_in(&mut tx, user, campaign_id).await?;
        tx.commit().await?;
        self.outbox_committed(deliveries);
        Ok(id)
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

    /// A user's completed tasks in a campaign, with their completions of each: remembered
    /// where this process writes them all (see `progress_cache.rs`), otherwise read by a
    /// query shared with the concurrent calls on the same campaign (see `shared_reads.rs`).
    pub async fn campaign_completions(
        &self,
        user: &UserKey,
        campaign_id: &str,
    ) -> Result<Arc<Completions>, SharedReadError> {
        let read = || async {
            let key = (user.organization_id.clone(), campaign_id.to_owned());
            let question = (user.platform.clone(), user.account.clone());
            let read = self.shared.completions.read(key, question).await?;
            Ok::<_, SharedReadError>(read.unwrap_or_default())
        };
        let Some(local) = &self.local else {
            return read().await;
        };
        let key = (campaign_id.to_owned(), user.clone());
        if let Some(hit) = local.progress.get(&key) {
            return Ok(hit);
        }
        let stamp = local.progress.stamp();
        let read = read().await?;
        local.progress.insert_if_unchanged(stamp, key, read.clone());
        Ok(read)
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
        user: Option<&UserKey>,
        limit: i64,
    ) -> Result<Vec<ActivityRow>, sqlx::Error> {
        // Placeholders numbered in the order they appear (SQLite binds them so).
        let (only_user, limit_at) = if user.is_some() {
            (
                "AND u.organization_id = $2 AND u.platform = $3 AND u.account = $4",
                "$5",
            )
        } else {
            ("", "$2")
        };
        let sql = format!(
            "SELECT u.account, u.platform, t.key AS task_key, a.outcome, a.reason,
                    a.ga_client_id, a.created_at
             FROM task_attempts a
             JOIN users u ON u.id = a.user_id
             JOIN tasks t ON t.id = a.task_id
             JOIN quests q ON q.id = t.quest_id
             WHERE q.campaign_id = $1 {only_user}
             ORDER BY a.seq DESC
             LIMIT {limit_at}"
        );
        let mut query = sqlx::query_as(&sql).bind(campaign_id);
        if let Some(user) = user {
            query = query
                .bind(&user.organization_id)
                .bind(&user.platform)
                .bind(&user.account);
        }
        query.bind(limit).fetch_all(self.pool()).await
    }
}

/// Rows of users' completions read in one statement, at most this many users each (far
/// below either backend's limit on bound values).
const USERS_PER_READ: usize = 500;

/// The query behind [`Db::campaign_completions`]: the completions (and proofs under review)
/// in campaign `campaign_id` of each of `users` (`(platform, account)` in organization
/// `organization_id`); a user without any is left out.
pub(super) async fn read_completions(
    pool: AnyPool,
    (organization_id, campaign_id): (String, String),
    users: Vec<(String, String)>,
) -> Result<HashMap<(String, String), Arc<Completions>>, sqlx::Error> {
    let mut read: HashMap<(String, String), Completions> = HashMap::new();
    for users in users.chunks(USERS_PER_READ) {
        let values = value_rows(3, users.len(), 2);
        // One statement for both: a completions row has no review state, a review row
        // (rare: only reviewed custom tasks have one) no completions.
        let sql = format!(
            "SELECT u.platform, u.account, c.task_id, CAST(SUM(c.points) AS BIGINT),
                    COUNT(*), MAX(c.slot * {STREAK_FACTOR} + c.streak), MAX(c.created_at),
                    NULL, NULL
             FROM task_completions c
             JOIN users u ON u.id = c.user_id
             JOIN tasks t ON t.id = c.task_id
             JOIN quests q ON q.id = t.quest_id
             WHERE u.organization_id = $1 AND q.campaign_id = $2
               AND (u.platform, u.account) IN (VALUES {values})
             GROUP BY u.platform, u.account, c.task_id
             UNION ALL
             SELECT u.platform, u.account, s.task_id, CAST(0 AS BIGINT), CAST(0 AS BIGINT),
                    CAST(0 AS BIGINT), CAST(0 AS BIGINT), s.state, s.message
             FROM task_submissions s
             JOIN users u ON u.id = s.user_id
             JOIN tasks t ON t.id = s.task_id
             JOIN quests q ON q.id = t.quest_id
             WHERE u.organization_id = $1 AND q.campaign_id = $2
               AND (u.platform, u.account) IN (VALUES {values})
             UNION ALL
             SELECT u.platform, u.account, a.campaign_id, CAST(SUM(a.applied) AS BIGINT),
                    CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT), '{ADJUSTED}', NULL
             FROM point_adjustments a
             JOIN users u ON u.id = a.user_id
             WHERE u.organization_id = $1 AND a.campaign_id = $2
               AND (u.platform, u.account) IN (VALUES {values})
             GROUP BY u.platform, u.account, a.campaign_id"
        );
        type Row = (
            String,
            String,
            String,
            i64,
            i64,
            i64,
            i64,
            Option<String>,
            Option<String>,
        );
        let mut query = sqlx::query_as::<_, Row>(&sql)
            .bind(&organization_id)
            .bind(&campaign_id);
        for (platform, account) in users {
            query = query.bind(platform).bind(account);
        }
        for (platform, account, task_id, points, count, packed, last_at, state, message) in
            query.fetch_all(&pool).await?
        {
            let record = TaskRecord::from_packed(points, count, packed, last_at);
            read.entry((platform, account))
                .or_default()
                .add_row(task_id, record, state.as_deref(), message)
                .map_err(|e| decode::corrupt("state", e))?;
        }
    }
    Ok(read
        .into_iter()
        .map(|(user, c)| (user, Arc::new(c)))
        .collect())
}

/// [`Db::ensure_user`] inside write transaction `tx`: the user's id, and how many webhook
/// deliveries the `user.created` event queued (for [`Db::outbox_committed`] once `tx`
/// commits).
pub(super) async fn ensure_user_in(
    tx: &mut Tx,
    user: &UserKey,
    campaign_id: &str,
) -> Result<(String, usize), StoreError> {
    let mut ids = HashMap::new();
    let created = ensure_users(&mut **tx, std::iter::once(user), &mut ids).await?;
    let events: Vec<NewEvent> = created
        .iter()
        .map(|user| events::user_created(user, Some(campaign_id), now()))
        .collect();
    let deliveries = webhooks::enqueue(&mut **tx, &events).await?.len();
    let id = ids
        .remove(user)
        .ok_or_else(|| StoreError::Writer("the user was not created".into()))?;
    Ok((id, deliveries))
}
