//! Who opened which quest in the widget: the first step of each quest's funnel on the
//! results page. A user counts once per quest, from their first open.

use super::progress::{ensure_user_in, UserKey};
use super::{Db, StoreError};

impl Db {
    /// Records that `user` opened quest `quest_id` of campaign `campaign_id` at `at` (Unix
    /// seconds), creating the user on first sight as an attempt would. A repeated open
    /// changes nothing, and costs one read instead of a write.
    pub async fn record_quest_open(
        &self,
        user: &UserKey,
        campaign_id: &str,
        quest_id: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        let opened: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM quest_opens o JOIN users u ON u.id = o.user_id
             WHERE o.quest_id = $1
               AND u.organization_id = $2 AND u.platform = $3 AND u.account = $4",
        )
        .bind(quest_id)
        .bind(&user.organization_id)
        .bind(&user.platform)
        .bind(&user.account)
        .fetch_optional(self.pool())
        .await?;
        if opened.is_some() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        let (user_id, deliveries) = ensure_user_in(&mut tx, user, campaign_id).await?;
        sqlx::query(
            "INSERT INTO quest_opens (quest_id, user_id, opened_at) VALUES ($1, $2, $3)
             ON CONFLICT (quest_id, user_id) DO NOTHING",
        )
        .bind(quest_id)
        .bind(&user_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.outbox_committed(deliveries);
        Ok(())
    }

    /// Per quest of campaign `campaign_id` (by id), the users who opened it.
    pub async fn quest_openers(
        &self,
        campaign_id: &str,
    ) -> Result<Vec<(String, i64)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT o.quest_id, CAST(COUNT(*) AS BIGINT)
             FROM quest_opens o JOIN quests q ON q.id = o.quest_id
             WHERE q.campaign_id = $1 GROUP BY o.quest_id",
        )
        .bind(campaign_id)
        .fetch_all(self.pool())
        .await
    }
}
