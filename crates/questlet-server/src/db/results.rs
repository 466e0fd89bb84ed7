//! A campaign's results: counts of its completions, in total, per UTC day and per quest.
//! Each is one aggregate query over the campaign's completions (the results page is read by
//! a team now and then, not by every visitor).

use super::Db;

/// Seconds in a day: completions are counted per UTC day, `created_at / DAY`.
pub const DAY: i64 = 86_400;

/// Completions of campaign `$1`'s tasks, as `c`.
const CAMPAIGN_COMPLETIONS: &str = "task_completions c
    JOIN tasks t ON t.id = c.task_id JOIN quests q ON q.id = t.quest_id
    WHERE q.campaign_id = $1";

/// One day's counts as read: the day's number since the Unix epoch, completions, users.
pub type DayCounts = (i64, i64, i64);

impl Db {
    /// Campaign `campaign_id`'s completions and the users who made them.
    pub async fn campaign_totals(&self, campaign_id: &str) -> Result<(i64, i64), sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COUNT(DISTINCT c.user_id) AS BIGINT)
             FROM {CAMPAIGN_COMPLETIONS}"
        ))
        .bind(campaign_id)
        .fetch_one(self.pool())
        .await
    }

    /// Per UTC day from day number `first_day` on, the campaign's completions and the users
    /// who made them; days without any are left out.
    pub async fn campaign_days(
        &self,
        campaign_id: &str,
        first_day: i64,
    ) -> Result<Vec<DayCounts>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT CAST(c.created_at / {DAY} AS BIGINT) AS day, CAST(COUNT(*) AS BIGINT),
                    CAST(COUNT(DISTINCT c.user_id) AS BIGINT)
             FROM {CAMPAIGN_COMPLETIONS} AND c.created_at >= $2
             GROUP BY c.created_at / {DAY} ORDER BY day"
        ))
        .bind(campaign_id)
        .bind(first_day * DAY)
        .fetch_all(self.pool())
        .await
    }

    /// Per quest of the campaign (by id), the users who completed at least one of its tasks.
    pub async fn quest_starters(
        &self,
        campaign_id: &str,
    ) -> Result<Vec<(String, i64)>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT t.quest_id, CAST(COUNT(DISTINCT c.user_id) AS BIGINT)
             FROM {CAMPAIGN_COMPLETIONS} GROUP BY t.quest_id"
        ))
        .bind(campaign_id)
        .fetch_all(self.pool())
        .await
    }

    /// How many users completed every one of `tasks` (none of none).
    pub async fn users_with_every_task(&self, tasks: &[String]) -> Result<i64, sqlx::Error> {
        if tasks.is_empty() {
            return Ok(0);
        }
        let placeholders: Vec<String> = (1..=tasks.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT)
             FROM (SELECT c.user_id FROM task_completions c WHERE c.task_id IN ({})
                   GROUP BY c.user_id HAVING COUNT(DISTINCT c.task_id) = {}) AS done",
            placeholders.join(", "),
            tasks.len()
        );
        let mut query = sqlx::query_scalar(&sql);
        for task in tasks {
            query = query.bind(task);
        }
        query.fetch_one(self.pool()).await
    }
}
