//! Stored credentials: organization API tokens and OAuth2 clients (hashes only).

use super::remembered::Change;
use super::stamped_map::remembered_or_read;
use super::Db;
use crate::auth::secrets::NewSecret;
use crate::time::now;

/// How often, in seconds, a token's `last_used_at` is written at most.
const TOUCH_EVERY: i64 = 60;

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

/// An organization API token as stored (never the secret itself).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiTokenRow {
    /// Public id (the middle part of the token).
    pub id: String,
    /// Owning organization.
    pub organization_id: String,
    /// The partner's label.
    pub label: String,
    /// SHA-256 of the secret, hex.
    pub secret_hash: String,
    /// Creation time.
    pub created_at: i64,
    /// Last use, to the minute.
    pub last_used_at: Option<i64>,
    /// Revocation time.
    pub revoked_at: Option<i64>,
}

/// An OAuth2 client as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OAuthClientRow {
    /// Public client id.
    pub client_id: String,
    /// Owning organization.
    pub organization_id: String,
    /// The partner's label.
    pub label: String,
    /// SHA-256 of the secret, hex.
    pub secret_hash: String,
    /// Creation time.
    pub created_at: i64,
    /// Revocation time.
    pub revoked_at: Option<i64>,
}

const OAUTH_CLIENT_COLUMNS: &str =
    "client_id, organization_id, label, secret_hash, created_at, revoked_at";

const API_TOKEN_COLUMNS: &str =
    "id, organization_id, label, secret_hash, created_at, last_used_at, revoked_at";

impl Db {
    /// An API token by id.
    ///
    /// An unrevoked token's row is remembered from its first read until it is revoked (see
    /// `remembered.rs`), so a request's credential costs no query; its `last_used_at` is
    /// then the one first read.
    pub async fn api_token(&self, id: &str) -> Result<Option<ApiTokenRow>, sqlx::Error> {
        let sql = format!("SELECT {API_TOKEN_COLUMNS} FROM api_tokens WHERE id = $1");
        let read = sqlx::query_as(&sql).bind(id).fetch_optional(self.pool());
        let unrevoked = |row: &ApiTokenRow| row.revoked_at.is_none();
        let tokens = self.remembered().map(|remembered| &remembered.api_tokens);
        remembered_or_read(tokens, id.to_owned(), read, unrevoked).await
    }

    /// Records that a token was used; at most one write a minute per token.
    pub async fn touch_api_token(&self, id: &str) -> Result<(), sqlx::Error> {
        let now = now();
        {
            // A use is recorded at most once a minute: within that, this process knows it
            // has recorded one, and every request after the first skips the write.
            let mut touched = self
                .touched_tokens
                .lock()
                .expect("the touch map is never poisoned");
            if touched.get(id).is_some_and(|&at| now - at < TOUCH_EVERY) {
                return Ok(());
            }
            touched.insert(id.to_owned(), now);
        }
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1
             WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
        )
        .bind(now)
        .bind(id)
        .bind(now - TOUCH_EVERY)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// An organization's API tokens, newest first.
    pub async fn list_api_tokens(
        &self,
        organization_id: &str,
    ) -> Result<Vec<ApiTokenRow>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {API_TOKEN_COLUMNS} FROM api_tokens WHERE organization_id = $1
             ORDER BY created_at DESC, id"
        ))
        .bind(organization_id)
        .fetch_all(self.pool())
        .await
    }

    /// Revokes one of an organization's tokens; `false` when it has no such active token.
    pub async fn revoke_api_token(
        &self,
        organization_id: &str,
        id: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let revoked = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1
             WHERE id = $2 AND organization_id = $3 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .bind(organization_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let revoked = (revoked == 1).then(|| Change::TokenRevoked { id: id.to_owned() });
        self.commit_with(tx, revoked.as_slice()).await?;
        Ok(revoked.is_some())
    }

    /// An OAuth2 client by id; an unrevoked one is remembered like an API token.
    pub async fn oauth_client(
        &self,
        client_id: &str,
    ) -> Result<Option<OAuthClientRow>, sqlx::Error> {
        let sql = format!("SELECT {OAUTH_CLIENT_COLUMNS} FROM oauth_clients WHERE client_id = $1");
        let read = sqlx::query_as(&sql)
            .bind(client_id)
            .fetch_optional(self.pool());
        let unrevoked = |row: &OAuthClientRow| row.revoked_at.is_none();
        let clients = self
            .remembered()
            .map(|remembered| &remembered.oauth_clients);
        remembered_or_read(clients, client_id.to_owned(), read, unrevoked).await
    }

    /// An organization's OAuth2 clients, newest first.
    pub async fn list_oauth_clients(
        &self,
        organization_id: &str,
    ) -> Result<Vec<OAuthClientRow>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {OAUTH_CLIENT_COLUMNS} FROM oauth_clients WHERE organization_id = $1
             ORDER BY created_at DESC, client_id"
        ))
        .bind(organization_id)
        .fetch_all(self.pool())
        .await
    }

    /// Whether the client exists, belongs to the organization and is not revoked.
    pub async fn oauth_client_active(
        &self,
        client_id: &str,
        organization_id: &str,
    ) -> Result<bool, sqlx::Error> {
        Ok(self
            .oauth_client(client_id)
            .await?
            .is_some_and(|c| c.organization_id == organization_id && c.revoked_at.is_none()))
    }
}

impl Db {
    /// Revokes one of an organization's OAuth2 clients; `false` when it has no such active
    /// client. Access tokens it was issued stop working at once.
    pub async fn revoke_oauth_client(
        &self,
        organization_id: &str,
        client_id: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let revoked = sqlx::query(
            "UPDATE oauth_clients SET revoked_at = $1
             WHERE client_id = $2 AND organization_id = $3 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(client_id)
        .bind(organization_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let revoked = (revoked == 1).then(|| Change::ClientRevoked {
            client_id: client_id.to_owned(),
        });
        self.commit_with(tx, revoked.as_slice()).await?;
        Ok(revoked.is_some())
    }
}
