//! The nonces of Sign-In with Ethereum messages (migration 0020; the message checks are in
//! `auth/siwe.rs`): issued per organization, each good for one sign-in until it expires.

use super::Db;

impl Db {
    /// Records `nonce` as issued for `organization_id` at `now`, good until `expires_at`;
    /// deletes the expired ones meanwhile.
    pub async fn issue_wallet_nonce(
        &self,
        organization_id: &str,
        nonce: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM wallet_nonces WHERE expires_at <= $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO wallet_nonces (nonce, organization_id, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(nonce)
        .bind(organization_id)
        .bind(expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Uses up `nonce` of `organization_id` at `now`: whether it was issued there, has not
    /// expired and was not used before. Of concurrent sign-ins with one nonce, one wins.
    pub async fn use_wallet_nonce(
        &self,
        organization_id: &str,
        nonce: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let used = sqlx::query(
            "UPDATE wallet_nonces SET used_at = $3
             WHERE nonce = $1 AND organization_id = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(nonce)
        .bind(organization_id)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(used.rows_affected() == 1)
    }
}
