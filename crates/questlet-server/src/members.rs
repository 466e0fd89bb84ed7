//! Adding a console member, the one way the admin API and `questlet-server org add-member`
//! share: the email normalized, the name and password checked, the password hashed.

use questlet_types::members::{CreateMemberRequest, MemberView};

use crate::auth::passwords;
use crate::db::members::{MemberRow, NewMember};
use crate::db::Db;
use crate::error::AppError;
use crate::validation::{is_schema_space, valid_label};

/// Longest email accepted (RFC 5321's path limit), in characters.
const MAX_EMAIL: usize = 254;

/// `email` lowercase, as members are keyed by; 400 unless it is `local@domain` with one `@`,
/// no blank and at most 254 characters: exactly what the OpenAPI document's pattern says
/// (`^[^@\s]+@[^@\s]+$`), so a value it allows is never refused here and the reverse.
pub fn normalized_email(email: &str) -> Result<String, AppError> {
    let shaped = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains('@')
    });
    if !shaped || email.chars().count() > MAX_EMAIL || email.chars().any(is_schema_space) {
        return Err(AppError::InvalidRequest(
            "email: must be local@domain, without blanks, at most 254 characters".into(),
        ));
    }
    Ok(email.to_lowercase())
}

/// Adds `request`'s member to organization `organization_id` at `now`; 400 for a bad
/// field, 409 for an email that is a member already.
pub async fn add(
    db: &Db,
    organization_id: &str,
    request: &CreateMemberRequest,
    now: i64,
) -> Result<MemberRow, AppError> {
    let email = normalized_email(&request.email)?;
    let name = valid_label(&request.name)
        .map_err(|_| AppError::InvalidRequest("name: must be 1-100 characters".into()))?;
    let password = request.password.clone();
    // argon2 takes tens of milliseconds of one core: off the async workers.
    let password_hash = tokio::task::spawn_blocking(move || passwords::hash(&password))
        .await
        .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))?
        .map_err(|e| match e {
            passwords::PasswordError::Length => AppError::InvalidRequest(format!("password: {e}")),
            other => AppError::Internal(other.to_string()),
        })?;
    let member = NewMember {
        organization_id,
        email: &email,
        name,
        role: request.role,
        password_hash: &password_hash,
    };
    db.insert_member(&member, now)
        .await
        .map_err(|e| match AppError::from_sqlx(e) {
            AppError::Conflict(_) => AppError::Conflict(format!("email {email}: already a member")),
            other => other,
        })
}

impl From<MemberRow> for MemberView {
    fn from(row: MemberRow) -> Self {
        MemberView {
            id: row.id,
            email: row.email,
            name: row.name,
            role: row.role,
            created_at: row.created_at,
        }
    }
}
