//! Telegram storage: the bots an organization registered (migration 0019; the checks are in
//! `auth/telegram.rs`).

use super::{new_id, Db};
use crate::time::now;

/// A registered bot as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TelegramBotRow {
    /// Its id here.
    pub id: String,
    /// The organization.
    pub organization_id: String,
    /// Telegram's id of the bot.
    pub bot_id: i64,
    /// Its token, when the partner shared it (never leaves the server).
    pub token: Option<String>,
    /// The partner's label.
    pub label: String,
    /// When it was registered.
    pub created_at: i64,
}

const BOT_COLUMNS: &str = "id, organization_id, bot_id, token, label, created_at";

/// The provider name of Telegram users' links (see `db/identities.rs`).
pub const TELEGRAM: &str = "telegram";

impl Db {
    /// Registers a bot for an organization; `None` when it has that bot already.
    pub async fn insert_telegram_bot(
        &self,
        organization_id: &str,
        bot_id: i64,
        token: Option<&str>,
        label: &str,
    ) -> Result<Option<TelegramBotRow>, sqlx::Error> {
        let row = TelegramBotRow {
            id: new_id(),
            organization_id: organization_id.to_owned(),
            bot_id,
            token: token.map(str::to_owned),
            label: label.to_owned(),
            created_at: now(),
        };
        let inserted = sqlx::query(&format!(
            "INSERT INTO telegram_bots ({BOT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (organization_id, bot_id) DO NOTHING"
        ))
        .bind(&row.id)
        .bind(&row.organization_id)
        .bind(row.bot_id)
        .bind(&row.token)
        .bind(&row.label)
        .bind(row.created_at)
        .execute(self.pool())
        .await?;
        Ok((inserted.rows_affected() == 1).then_some(row))
    }

    /// An organization's bots, oldest first.
    pub async fn telegram_bots(
        &self,
        organization_id: &str,
    ) -> Result<Vec<TelegramBotRow>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {BOT_COLUMNS} FROM telegram_bots WHERE organization_id = $1
             ORDER BY created_at, id"
        ))
        .bind(organization_id)
        .fetch_all(self.pool())
        .await
    }

    /// Removes one of an organization's bots; `false` when it has no such bot.
    pub async fn delete_telegram_bot(
        &self,
        organization_id: &str,
        id: &str,
    ) -> Result<bool, sqlx::Error> {
        let deleted =
            sqlx::query("DELETE FROM telegram_bots WHERE id = $1 AND organization_id = $2")
                .bind(id)
                .bind(organization_id)
                .execute(self.pool())
                .await?;
        Ok(deleted.rows_affected() == 1)
    }
}
