//! Identities from elsewhere (a Telegram user, a wallet) linked to users of an organization
//! (`identity_links`, migration 0019): signing in by a linked identity acts as its user.

use super::Db;
use crate::time::now;

/// What [`Db::link_identity`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Linked {
    /// The identity is linked to the user (now, or already before).
    Linked,
    /// The identity is linked to another user: (platform, account).
    ToAnother(String, String),
    /// The user has another identity of the provider linked.
    UserHasAnother,
}

impl Db {
    /// The user (platform, account) that `provider`'s identity `external_id` is linked to.
    pub async fn linked_user(
        &self,
        organization_id: &str,
        provider: &str,
        external_id: &str,
    ) -> Result<Option<(String, String)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT platform, account FROM identity_links
             WHERE organization_id = $1 AND provider = $2 AND external_id = $3",
        )
        .bind(organization_id)
        .bind(provider)
        .bind(external_id)
        .fetch_optional(self.pool())
        .await
    }

    /// The id of `provider`'s identity linked to user (`platform`, `account`), if any.
    pub async fn linked_identity(
        &self,
        organization_id: &str,
        provider: &str,
        platform: &str,
        account: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT external_id FROM identity_links
             WHERE organization_id = $1 AND provider = $2 AND platform = $3 AND account = $4",
        )
        .bind(organization_id)
        .bind(provider)
        .bind(platform)
        .bind(account)
        .fetch_optional(self.pool())
        .await
    }

    /// Links `provider`'s identity `external_id` to user (`platform`, `account`), unless
    /// either is linked to another already (a link is never moved silently).
    pub async fn link_identity(
        &self,
        organization_id: &str,
        provider: &str,
        external_id: &str,
        platform: &str,
        account: &str,
    ) -> Result<Linked, sqlx::Error> {
        sqlx::query(
            "INSERT INTO identity_links
               (organization_id, provider, external_id, platform, account, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(organization_id)
        .bind(provider)
        .bind(external_id)
        .bind(platform)
        .bind(account)
        .bind(now())
        .execute(self.pool())
        .await?;
        // Whatever the insert did, the link as it stands says which case this is (a
        // concurrent link of the same identity is read, not overwritten).
        Ok(
            match self
                .linked_user(organization_id, provider, external_id)
                .await?
            {
                Some((p, a)) if p == platform && a == account => Linked::Linked,
                Some((p, a)) => Linked::ToAnother(p, a),
                None => Linked::UserHasAnother,
            },
        )
    }
}
