//! Rewards: gift code pools, users' claims, and the names partners give users.
//!
//! A claim is one `reward_claims` row keyed by (campaign, reward, user), so a user claims a
//! reward once however many claims race. A gift code is given in the claim's transaction by
//! marking one free code of the pool as the user's: on SQLite the write transaction holds
//! the database; on PostgreSQL concurrent claims each take a different free code
//! (`FOR UPDATE SKIP LOCKED`), so a pool of N codes gives exactly N of them and then says
//! none are left.

use std::collections::HashMap;

use super::invite_codes::CodeCounts;
use super::progress::{ensure_user_in, UserKey};
use super::remembered::Change;
use super::{value_rows, webhooks, Backend, Db, StoreError};
use crate::time::now;
use crate::webhooks::events;

/// Most codes written by one statement (well below either backend's limit on bound values).
const CODES_PER_INSERT: usize = 400;

/// A user's claim of a reward.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClaimRow {
    /// The reward's key.
    pub reward_key: String,
    /// The gift code given, if the reward gives codes.
    pub code: Option<String>,
    /// The user's points in the campaign when they claimed.
    pub points: i64,
    /// When, Unix seconds.
    pub claimed_at: i64,
}

/// A claim as the partner lists it: with who made it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClaimantRow {
    /// The user's platform.
    pub platform: String,
    /// The user's account.
    pub account: String,
    /// The user's name, as the partner last gave it.
    pub name: Option<String>,
    /// The gift code given, if any.
    pub code: Option<String>,
    /// The user's points when they claimed.
    pub points: i64,
    /// When, Unix seconds.
    pub claimed_at: i64,
}

/// A claim to make (see [`Db::claim_reward`]).
#[derive(Debug, Clone)]
pub struct NewClaim<'a> {
    /// The campaign's id.
    pub campaign_id: &'a str,
    /// The reward's key.
    pub reward_key: &'a str,
    /// Who claims (created on first sight).
    pub user: &'a UserKey,
    /// Whether the claim takes a code from the reward's pool.
    pub gift_code: bool,
    /// The user's points in the campaign now.
    pub points: i64,
}

/// What a claim did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claimed {
    /// The claim was made now.
    New(ClaimRow),
    /// The user had claimed the reward before: their first claim, unchanged.
    Before(ClaimRow),
    /// The reward's pool has no free code left; nothing was stored.
    NoneLeft,
}

impl Db {
    /// Adds `codes` (normalized) to the pool of gift code reward `reward_key`, skipping ones
    /// it has; answers how many were new.
    pub async fn add_gift_codes(
        &self,
        campaign_id: &str,
        reward_key: &str,
        codes: &[String],
    ) -> Result<i64, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let created = now();
        let mut added = 0;
        for chunk in codes.chunks(CODES_PER_INSERT) {
            let sql = format!(
                "INSERT INTO reward_codes (campaign_id, reward_key, code, created_at) VALUES {}
                 ON CONFLICT (campaign_id, reward_key, code) DO NOTHING",
                value_rows(1, chunk.len(), 4)
            );
            let mut query = sqlx::query(&sql);
            for code in chunk {
                query = query
                    .bind(campaign_id)
                    .bind(reward_key)
                    .bind(code)
                    .bind(created);
            }
            added += query.execute(&mut *tx).await?.rows_affected() as i64;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// How many codes reward `reward_key`'s pool holds, and how many are given.
    pub async fn gift_code_counts(
        &self,
        campaign_id: &str,
        reward_key: &str,
    ) -> Result<CodeCounts, sqlx::Error> {
        let (total, claimed): (i64, i64) = sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT),
                    CAST(COUNT(claimed_by) AS BIGINT)
             FROM reward_codes WHERE campaign_id = $1 AND reward_key = $2",
        )
        .bind(campaign_id)
        .bind(reward_key)
        .fetch_one(self.pool())
        .await?;
        Ok(CodeCounts { total, claimed })
    }

    /// Whether reward `reward_key`'s pool has a code not yet given.
    async fn has_free_code(
        &self,
        campaign_id: &str,
        reward_key: &str,
    ) -> Result<bool, sqlx::Error> {
        let free: Option<String> = sqlx::query_scalar(
            "SELECT code FROM reward_codes
             WHERE campaign_id = $1 AND reward_key = $2 AND claimed_by IS NULL LIMIT 1",
        )
        .bind(campaign_id)
        .bind(reward_key)
        .fetch_optional(self.pool())
        .await?;
        Ok(free.is_some())
    }

    /// Free gift codes per reward of campaign `campaign_id` (rewards without free codes are
    /// absent).
    pub async fn gift_codes_left(
        &self,
        campaign_id: &str,
    ) -> Result<HashMap<String, i64>, sqlx::Error> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT reward_key, CAST(COUNT(*) AS BIGINT) FROM reward_codes
             WHERE campaign_id = $1 AND claimed_by IS NULL GROUP BY reward_key",
        )
        .bind(campaign_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().collect())
    }

    /// `user`'s claims in campaign `campaign_id`, by reward key.
    pub async fn user_claims(
        &self,
        campaign_id: &str,
        user: &UserKey,
    ) -> Result<HashMap<String, ClaimRow>, sqlx::Error> {
        let rows: Vec<ClaimRow> = sqlx::query_as(
            "SELECT c.reward_key, c.code, c.points, c.claimed_at FROM reward_claims c
             JOIN users u ON u.id = c.user_id
             WHERE u.organization_id = $1 AND u.platform = $2 AND u.account = $3
               AND c.campaign_id = $4",
        )
        .bind(&user.organization_id)
        .bind(&user.platform)
        .bind(&user.account)
        .bind(campaign_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| (row.reward_key.clone(), row))
            .collect())
    }

    /// Makes `claim` once per user and reward: a repeat answers the first claim; a gift code
    /// reward whose pool is empty stores nothing and answers [`Claimed::NoneLeft`].
    pub async fn claim_reward(&self, claim: &NewClaim<'_>) -> Result<Claimed, StoreError> {
        if claim.gift_code
            && !self
                .has_free_code(claim.campaign_id, claim.reward_key)
                .await?
        {
            // A given code stays given, so a pool found empty is empty until the partner
            // adds more: the claims that lose a race for the last codes answer from one
            // read instead of queueing for a write each.
            return Ok(
                match self
                    .user_claims(claim.campaign_id, claim.user)
                    .await?
                    .remove(claim.reward_key)
                {
                    Some(first) => Claimed::Before(first),
                    None => Claimed::NoneLeft,
                },
            );
        }
        let at = now();
        let mut tx = self.begin_write().await?;
        let (user_id, mut deliveries) =
            ensure_user_in(&mut tx, claim.user, claim.campaign_id).await?;
        let inserted = sqlx::query(
            "INSERT INTO reward_claims (campaign_id, reward_key, user_id, code, points, claimed_at)
             VALUES ($1, $2, $3, NULL, $4, $5)
             ON CONFLICT (campaign_id, reward_key, user_id) DO NOTHING",
        )
        .bind(claim.campaign_id)
        .bind(claim.reward_key)
        .bind(&user_id)
        .bind(claim.points)
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            // Claimed before (by this call's twin, which has committed).
            tx.rollback().await?;
            let first = self
                .user_claims(claim.campaign_id, claim.user)
                .await?
                .remove(claim.reward_key)
                .ok_or_else(|| StoreError::Writer("a claim vanished".into()))?;
            return Ok(Claimed::Before(first));
        }
        let mut code = None;
        if claim.gift_code {
            // PostgreSQL: skip the codes other claims are giving right now rather than wait
            // for them and then find them given. SQLite: the write transaction is alone.
            let lock = match self.backend() {
                Backend::Postgres => "FOR UPDATE SKIP LOCKED",
                Backend::Sqlite => "",
            };
            code = sqlx::query_scalar(&format!(
                "UPDATE reward_codes SET claimed_by = $3, claimed_at = $4
                 WHERE campaign_id = $1 AND reward_key = $2 AND code = (
                     SELECT code FROM reward_codes
                     WHERE campaign_id = $1 AND reward_key = $2 AND claimed_by IS NULL
                     ORDER BY code LIMIT 1 {lock})
                 RETURNING code"
            ))
            .bind(claim.campaign_id)
            .bind(claim.reward_key)
            .bind(&user_id)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(code) = &code else {
                tx.rollback().await?;
                return Ok(Claimed::NoneLeft);
            };
            sqlx::query(
                "UPDATE reward_claims SET code = $4
                 WHERE campaign_id = $1 AND reward_key = $2 AND user_id = $3",
            )
            .bind(claim.campaign_id)
            .bind(claim.reward_key)
            .bind(&user_id)
            .bind(code)
            .execute(&mut *tx)
            .await?;
        }
        let event = events::reward_claimed(claim, code.as_deref(), at);
        deliveries += webhooks::enqueue(&mut *tx, &[event]).await?.len();
        tx.commit().await?;
        self.outbox_committed(deliveries);
        Ok(Claimed::New(ClaimRow {
            reward_key: claim.reward_key.to_owned(),
            code,
            points: claim.points,
            claimed_at: at,
        }))
    }

    /// The claims of reward `reward_key`, oldest first, with who made them.
    pub async fn reward_claims(
        &self,
        campaign_id: &str,
        reward_key: &str,
    ) -> Result<Vec<ClaimantRow>, sqlx::Error> {
        sqlx::query_as(
            "SELECT u.platform, u.account, n.name, c.code, c.points, c.claimed_at
             FROM reward_claims c
             JOIN users u ON u.id = c.user_id
             LEFT JOIN user_names n ON n.organization_id = u.organization_id
               AND n.platform = u.platform AND n.account = u.account
             WHERE c.campaign_id = $1 AND c.reward_key = $2
             ORDER BY c.claimed_at, u.account",
        )
        .bind(campaign_id)
        .bind(reward_key)
        .fetch_all(self.pool())
        .await
    }

    /// Remembers `name` as what `user` is called (shown on leaderboards and with claims);
    /// writes only when it changed.
    pub async fn set_user_name(&self, user: &UserKey, name: &str) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let renamed = sqlx::query(
            "INSERT INTO user_names (organization_id, platform, account, name)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (organization_id, platform, account)
             DO UPDATE SET name = excluded.name WHERE user_names.name <> excluded.name",
        )
        .bind(&user.organization_id)
        .bind(&user.platform)
        .bind(&user.account)
        .bind(name)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Boards' tops show names.
        let renamed = (renamed > 0).then(|| Change::Renamed {
            platform: user.platform.clone(),
            account: user.account.clone(),
        });
        self.commit_with(tx, renamed.as_slice()).await
    }
}
