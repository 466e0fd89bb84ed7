//! Points the partner awards or deducts (adjustments), beside those completions award.
//! Each adjustment is kept once per partner-chosen reward id, with what it moved and the
//! user's points right after, so a repeated id answers the first result.

use super::group_commit::StoreError;
use super::leaderboard::{self, ScoreChange};
use super::progress::UserKey;
use super::remembered::Change;
use super::{new_id, webhooks, Db};
use crate::tasks::referral;
use crate::webhooks::events;

/// An award or deduction to store.
#[derive(Debug, Clone)]
pub struct NewAdjustment {
    /// The user (created on first sight).
    pub user: UserKey,
    /// The campaign whose points move.
    pub campaign_id: String,
    /// The partner's id for it, unique in the organization.
    pub reward_id: String,
    /// Points to add, or to take when negative.
    pub points: i64,
    /// The partner's note.
    pub reason: Option<String>,
    /// Whether a deduction may take the user below zero.
    pub allow_negative: bool,
    /// When, Unix seconds.
    pub at: i64,
    /// The leaderboards it counts on (`leaderboard::boards`).
    pub boards: [String; 3],
}

/// A stored adjustment.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AdjustmentRow {
    /// Its campaign.
    pub campaign_id: String,
    /// Its user's platform.
    pub platform: String,
    /// Its user's account.
    pub account: String,
    /// The points asked for.
    pub requested: i64,
    /// The points it moved.
    pub applied: i64,
    /// The user's points in the campaign right after it.
    pub points_after: i64,
}

/// What storing an adjustment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adjusted {
    /// It was stored now.
    Applied(AdjustmentRow),
    /// Its reward id was used before: nothing changed; the first adjustment.
    Repeated(AdjustmentRow),
}

impl Db {
    /// Stores `adjustment` once per reward id: a repeat changes nothing and answers the
    /// first. A deduction stops at zero unless it allows less. Adjustments of one user are
    /// serialized (their user row is locked), so two deductions cannot both see the same
    /// points; completions meanwhile only add points.
    pub async fn adjust_points(&self, adjustment: &NewAdjustment) -> Result<Adjusted, StoreError> {
        let organization_id = &adjustment.user.organization_id;
        if let Some(first) = self
            .adjustment(organization_id, &adjustment.reward_id)
            .await?
        {
            return Ok(Adjusted::Repeated(first));
        }
        let mut tx = self.begin_write().await?;
        let user = &adjustment.user;
        let created = sqlx::query(
            "INSERT INTO users (id, organization_id, platform, account, created_at, referral_code)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (organization_id, platform, account) DO NOTHING",
        )
        .bind(new_id())
        .bind(&user.organization_id)
        .bind(&user.platform)
        .bind(&user.account)
        .bind(adjustment.at)
        .bind(referral::code(user))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        // A no-op update: it takes the user's row lock (PostgreSQL; SQLite's write
        // transaction holds the whole database already) and answers the id.
        let user_id: String = sqlx::query_scalar(
            "UPDATE users SET referral_code = referral_code
             WHERE organization_id = $1 AND platform = $2 AND account = $3
             RETURNING id",
        )
        .bind(&user.organization_id)
        .bind(&user.platform)
        .bind(&user.account)
        .fetch_one(&mut *tx)
        .await?;
        let points: i64 = sqlx::query_scalar(
            "SELECT CAST(
                COALESCE((SELECT SUM(c.points) FROM task_completions c
                          JOIN tasks t ON t.id = c.task_id
                          JOIN quests q ON q.id = t.quest_id
                          WHERE c.user_id = $1 AND q.campaign_id = $2), 0)
              + COALESCE((SELECT SUM(a.applied) FROM point_adjustments a
                          WHERE a.user_id = $1 AND a.campaign_id = $2), 0) AS BIGINT)",
        )
        .bind(&user_id)
        .bind(&adjustment.campaign_id)
        .fetch_one(&mut *tx)
        .await?;
        let applied = if adjustment.points < 0 && !adjustment.allow_negative {
            adjustment.points.max(-points.max(0))
        } else {
            adjustment.points
        };
        let inserted = sqlx::query(
            "INSERT INTO point_adjustments (organization_id, reward_id, campaign_id, user_id,
                requested, applied, points_after, reason, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (organization_id, reward_id) DO NOTHING",
        )
        .bind(organization_id)
        .bind(&adjustment.reward_id)
        .bind(&adjustment.campaign_id)
        .bind(&user_id)
        .bind(adjustment.points)
        .bind(applied)
        .bind(points + applied)
        .bind(&adjustment.reason)
        .bind(adjustment.at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            // Another call stored this reward id first (and has committed).
            tx.rollback().await?;
            let first = self
                .adjustment(organization_id, &adjustment.reward_id)
                .await?;
            return first
                .map(Adjusted::Repeated)
                .ok_or(StoreError::Sqlx(sqlx::Error::RowNotFound));
        }
        // The leaderboards move with the points, in this transaction.
        let change = ScoreChange {
            campaign_id: adjustment.campaign_id.clone(),
            boards: adjustment.boards.clone(),
            user_id,
            delta: applied,
            at: adjustment.at,
        };
        let moved = Change::Moved {
            moves: leaderboard::apply(&mut *tx, &[change]).await?,
        };
        let mut events = Vec::with_capacity(2);
        if created {
            let campaign = Some(adjustment.campaign_id.as_str());
            events.push(events::user_created(user, campaign, adjustment.at));
        }
        events.push(events::points_adjusted(
            adjustment,
            applied,
            points + applied,
        ));
        let deliveries = webhooks::enqueue(&mut *tx, &events).await?.len();
        self.commit_with(tx, &[moved]).await?;
        self.outbox_committed(deliveries);
        if let Some(local) = &self.local {
            local
                .progress
                .forget([(adjustment.campaign_id.clone(), user.clone())]);
        }
        Ok(Adjusted::Applied(AdjustmentRow {
            campaign_id: adjustment.campaign_id.clone(),
            platform: user.platform.clone(),
            account: user.account.clone(),
            requested: adjustment.points,
            applied,
            points_after: points + applied,
        }))
    }

    /// The adjustment of the organization with `reward_id`, if any.
    async fn adjustment(
        &self,
        organization_id: &str,
        reward_id: &str,
    ) -> Result<Option<AdjustmentRow>, sqlx::Error> {
        sqlx::query_as(
            "SELECT a.campaign_id, u.platform, u.account, a.requested, a.applied, a.points_after
             FROM point_adjustments a JOIN users u ON u.id = a.user_id
             WHERE a.organization_id = $1 AND a.reward_id = $2",
        )
        .bind(organization_id)
        .bind(reward_id)
        .fetch_optional(self.pool())
        .await
    }
}
