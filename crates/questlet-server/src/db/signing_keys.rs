//! Stored JWT signing keys.

use sqlx::FromRow;

use super::Db;
use crate::time::now;

/// A signing key as stored.
#[derive(Debug, Clone, FromRow)]
pub struct SigningKeyRow {
    /// Key id (the JWT header's `kid`).
    pub kid: String,
    /// JWS algorithm (`EdDSA`).
    pub algorithm: String,
    /// Private key, PKCS#8, base64.
    pub private_pkcs8: String,
    /// Public key, raw, base64url.
    pub public_key: String,
}

impl Db {
    /// Every unretired key, oldest first (the first one signs).
    pub async fn active_signing_keys(&self) -> Result<Vec<SigningKeyRow>, sqlx::Error> {
        sqlx::query_as(
            "SELECT kid, algorithm, private_pkcs8, public_key FROM signing_keys
             WHERE retired_at IS NULL ORDER BY created_at, kid",
        )
        .fetch_all(self.pool())
        .await
    }

    /// Stores a new signing key.
    pub async fn insert_signing_key(&self, key: &SigningKeyRow) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO signing_keys (kid, algorithm, private_pkcs8, public_key, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&key.kid)
        .bind(&key.algorithm)
        .bind(&key.private_pkcs8)
        .bind(&key.public_key)
        .bind(now())
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
