//! Referrals: who brought whom. A user's code is derived from who they are
//! (`tasks/referral.rs`) and stored on their row when it is created, so that a code finds
//! its user; a new user's row records the code they arrived with.

use super::progress::UserKey;
use super::{new_id, webhooks, Db, StoreError};
use crate::tasks::referral;
use crate::time::now;
use crate::webhooks::events;

/// Most rows a backfill step writes in one transaction.
const BACKFILL_BATCH: i64 = 500;

impl Db {
    /// Records that `user` arrived at campaign `campaign_id` with `referrer_code`: only
    /// when the user is new to the organization (this creates their row), so a user is
    /// referred once, and never before they did anything. Answers whether it was recorded.
    pub async fn record_referral(
        &self,
        user: &UserKey,
        campaign_id: &str,
        referrer_code: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let at = now();
        let recorded = sqlx::query(
            "INSERT INTO users (id, organization_id, platform, account, created_at,
                referral_code, referred_by, referred_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $5)
             ON CONFLICT (organization_id, platform, account) DO NOTHING",
        )
        .bind(new_id())
        .bind(&user.organization_id)
        .bind(&user.platform)
        .bind(&user.account)
        .bind(at)
        .bind(referral::code(user))
        .bind(referrer_code)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let mut deliveries = 0;
        if recorded {
            let referrer: Option<(String, String)> = sqlx::query_as(
                "SELECT platform, account FROM users
                 WHERE organization_id = $1 AND referral_code = $2",
            )
            .bind(&user.organization_id)
            .bind(referrer_code)
            .fetch_optional(&mut *tx)
            .await?;
            let events = [
                events::user_created(user, Some(campaign_id), at),
                events::referral_recorded(user, campaign_id, referrer_code, referrer, at),
            ];
            deliveries = webhooks::enqueue(&mut *tx, &events).await?.len();
        }
        tx.commit().await?;
        self.outbox_committed(deliveries);
        Ok(recorded)
    }

    /// The users of organization `organization_id` that the holder of `code` referred,
    /// earliest first, at most `limit`.
    pub async fn referred_users(
        &self,
        organization_id: &str,
        code: &str,
        limit: i64,
    ) -> Result<Vec<UserKey>, sqlx::Error> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT platform, account FROM users
             WHERE organization_id = $1 AND referred_by = $2
             ORDER BY referred_at, id LIMIT $3",
        )
        .bind(organization_id)
        .bind(code)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(platform, account)| UserKey {
                organization_id: organization_id.to_owned(),
                platform,
                account,
            })
            .collect())
    }

    /// The account of the user who referred `user`, if someone did and has a row.
    pub async fn referrer_account(&self, user: &UserKey) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT r.account FROM users u
             JOIN users r ON r.organization_id = u.organization_id
                AND r.referral_code = u.referred_by
             WHERE u.organization_id = $1 AND u.platform = $2 AND u.account = $3
             ORDER BY r.created_at LIMIT 1",
        )
        .bind(&user.organization_id)
        .bind(&user.platform)
        .bind(&user.account)
        .fetch_optional(self.pool())
        .await
    }

    /// Stores the referral code of every user created before codes existed; answers how
    /// many it stored. Run at start-up, after the migrations: it walks the users in id
    /// order (the primary key), so a large table is read once.
    pub async fn backfill_referral_codes(&self) -> Result<u64, sqlx::Error> {
        let missing: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM users WHERE referral_code IS NULL LIMIT 1")
                .fetch_optional(self.pool())
                .await?;
        if missing.is_none() {
            return Ok(0);
        }
        let mut stored = 0;
        let mut after = String::new();
        loop {
            let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
                "SELECT id, organization_id, platform, account, referral_code FROM users
                 WHERE id > $1 ORDER BY id LIMIT $2",
            )
            .bind(&after)
            .bind(BACKFILL_BATCH)
            .fetch_all(self.pool())
            .await?;
            let Some(last) = rows.last() else {
                return Ok(stored);
            };
            after = last.0.clone();
            let missing: Vec<_> = rows.into_iter().filter(|r| r.4.is_none()).collect();
            if missing.is_empty() {
                continue;
            }
            let mut tx = self.begin_write().await?;
            for (id, organization_id, platform, account, _) in missing {
                let key = UserKey {
                    organization_id,
                    platform,
                    account,
                };
                sqlx::query("UPDATE users SET referral_code = $1 WHERE id = $2")
                    .bind(referral::code(&key))
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                stored += 1;
            }
            tx.commit().await?;
        }
    }
}
