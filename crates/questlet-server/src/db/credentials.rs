//! Stored credentials: organization API tokens and OAuth2 clients (hashes only).

use super::Db;
use crate::auth::secrets::NewSecret;
use crate::time::now;

impl Db {
    /// Stores a new API token's id and hash for an organization.
    pub async fn insert_api_token(
        &self,
        organization_id: &str,
        label: &str,
        token: &NewSecret,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO api_tokens (id, organization_id, label, secret_hash, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&token.id)
        .bind(organization_id)
        .bind(label)
        .bind(&token.hash)
        .bind(now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Stores a new OAuth2 client's id and secret hash for an organization.
    pub async fn insert_oauth_client(
        &self,
        organization_id: &str,
        label: &str,
        client: &NewSecret,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO oauth_clients (client_id, organization_id, label, secret_hash, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&client.id)
        .bind(organization_id)
        .bind(label)
        .bind(&client.hash)
        .bind(now())
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
