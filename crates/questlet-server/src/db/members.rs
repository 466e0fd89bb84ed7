//! The partner console's team: members (an argon2id hash, never the password) and their
//! sessions (the SHA-256 of the cookie's secret, never the cookie).

use questlet_types::members::MemberRole;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use super::{decode, new_id, Db};
use crate::auth::secrets::NewSecret;

/// A member as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    /// The member's id.
    pub id: String,
    /// Their organization.
    pub organization_id: String,
    /// Their email, lowercase.
    pub email: String,
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: MemberRole,
    /// The argon2id PHC string of their password.
    pub password_hash: String,
    /// When they were added, Unix seconds.
    pub created_at: i64,
}

impl FromRow<'_, AnyRow> for MemberRow {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.try_get("id")?,
            organization_id: row.try_get("organization_id")?,
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            role: decode::wire_name(row, "role", MemberRole::parse)?,
            password_hash: row.try_get("password_hash")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

/// A session as stored, with its member and the member's organization's slug.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// SHA-256 of the cookie's secret, hex.
    pub secret_hash: String,
    /// Last use, Unix seconds (written at most once a minute).
    pub last_seen_at: i64,
    /// When it ends at the latest, Unix seconds.
    pub expires_at: i64,
    /// Whose session it is.
    pub member: MemberRow,
    /// The member's organization's slug.
    pub organization_slug: String,
}

impl FromRow<'_, AnyRow> for SessionRow {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            secret_hash: row.try_get("secret_hash")?,
            last_seen_at: row.try_get("last_seen_at")?,
            expires_at: row.try_get("expires_at")?,
            member: MemberRow::from_row(row)?,
            organization_slug: row.try_get("organization_slug")?,
        })
    }
}

/// A member to add (see [`Db::insert_member`]).
#[derive(Debug, Clone)]
pub struct NewMember<'a> {
    /// Their organization.
    pub organization_id: &'a str,
    /// Their email, lowercase.
    pub email: &'a str,
    /// Their name.
    pub name: &'a str,
    /// Their role.
    pub role: MemberRole,
    /// The argon2id PHC string of their password.
    pub password_hash: &'a str,
}

const MEMBER_COLUMNS: &str = "m.id, m.organization_id, m.email, m.name, m.role, m.password_hash,
     m.created_at";

impl Db {
    /// Adds a member at `now`; an email that is a member already is a unique violation.
    pub async fn insert_member(
        &self,
        member: &NewMember<'_>,
        now: i64,
    ) -> Result<MemberRow, sqlx::Error> {
        let id = new_id();
        sqlx::query(
            "INSERT INTO members (id, organization_id, email, name, role, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(member.organization_id)
        .bind(member.email)
        .bind(member.name)
        .bind(member.role.as_str())
        .bind(member.password_hash)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(MemberRow {
            id,
            organization_id: member.organization_id.to_owned(),
            email: member.email.to_owned(),
            name: member.name.to_owned(),
            role: member.role,
            password_hash: member.password_hash.to_owned(),
            created_at: now,
        })
    }

    /// The member whose email is `email` (lowercase), in whichever organization.
    pub async fn member_by_email(&self, email: &str) -> Result<Option<MemberRow>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {MEMBER_COLUMNS} FROM members m WHERE m.email = $1"
        ))
        .bind(email)
        .fetch_optional(self.pool())
        .await
    }

    /// An organization's members, oldest first.
    pub async fn members(&self, organization_id: &str) -> Result<Vec<MemberRow>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {MEMBER_COLUMNS} FROM members m WHERE m.organization_id = $1
             ORDER BY m.created_at, m.id"
        ))
        .bind(organization_id)
        .fetch_all(self.pool())
        .await
    }

    /// Removes member `id` of the organization with their sessions, unless they are its
    /// last owner; answers whether they were removed (`None`: no such member).
    pub async fn delete_member(
        &self,
        organization_id: &str,
        id: &str,
    ) -> Result<Option<bool>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let role: Option<String> =
            sqlx::query_scalar("SELECT role FROM members WHERE organization_id = $1 AND id = $2")
                .bind(organization_id)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(role) = role else {
            return Ok(None);
        };
        if role == MemberRole::Owner.as_str() {
            let owners: i64 = sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM members
                 WHERE organization_id = $1 AND role = $2",
            )
            .bind(organization_id)
            .bind(MemberRole::Owner.as_str())
            .fetch_one(&mut *tx)
            .await?;
            if owners <= 1 {
                return Ok(Some(false));
            }
        }
        // Sessions first: SQLite enforces the cascade only with foreign keys switched on.
        sqlx::query("DELETE FROM member_sessions WHERE member_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM members WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(true))
    }

    /// Stores a new session of `member_id`, begun at `now`, ending by `expires_at`.
    pub async fn insert_session(
        &self,
        member_id: &str,
        secret: &NewSecret,
        now: i64,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO member_sessions (id, member_id, secret_hash, created_at, last_seen_at,
                 expires_at)
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(&secret.id)
        .bind(member_id)
        .bind(&secret.hash)
        .bind(now)
        .bind(expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Session `id` with its member, if it exists.
    pub async fn session(&self, id: &str) -> Result<Option<SessionRow>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT s.secret_hash, s.last_seen_at, s.expires_at, o.slug AS organization_slug,
                    {MEMBER_COLUMNS}
             FROM member_sessions s
             JOIN members m ON m.id = s.member_id
             JOIN organizations o ON o.id = m.organization_id
             WHERE s.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await
    }

    /// Records that session `id` was used at `now`.
    pub async fn touch_session(&self, id: &str, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE member_sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends session `id` (signing out, or found expired).
    pub async fn delete_session(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM member_sessions WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
