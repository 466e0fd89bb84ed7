//! Extractors that authenticate a request once, before the handler runs:
//! [`OrgAuth`] for the partner/admin API (an API token or an OAuth2 access token) and
//! [`UserAuth`] for the user-scoped widget API (a user token).

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::jwt::{self, AccessClaims, UserClaims};
use super::secrets;
use crate::error::AppError;
use crate::AppState;

/// The organization a partner credential acts for.
#[derive(Debug, Clone)]
pub struct OrgAuth {
    /// The organization's id.
    pub organization_id: String,
}

impl OrgAuth {
    /// The organization's campaign `slug` (its row, not its tree), or 404: another
    /// organization's campaign is not found either.
    pub async fn campaign(
        &self,
        db: &crate::db::Db,
        slug: &str,
    ) -> Result<crate::db::campaigns::CampaignRow, AppError> {
        db.campaign_row(&self.organization_id, slug)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("campaign {slug}")))
    }
}

/// The end user a user token acts for.
#[derive(Debug, Clone)]
pub struct UserAuth {
    /// The organization's id: the token is valid there only.
    pub organization_id: String,
    /// The partner's platform name.
    pub platform: String,
    /// The user's account id on that platform.
    pub account: String,
    /// The user's name, when the partner gave one with the token (`{{user_name}}`).
    pub name: Option<String>,
}

impl UserAuth {
    /// The user as the storage layer keys it.
    pub fn key(&self) -> crate::db::progress::UserKey {
        crate::db::progress::UserKey {
            organization_id: self.organization_id.clone(),
            platform: self.platform.clone(),
            account: self.account.clone(),
        }
    }
}

/// The bearer token of the request, `None` when there is no Authorization header.
fn bearer(parts: &Parts) -> Result<Option<&str>, AppError> {
    let Some(value) = parts.headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| AppError::InvalidToken("the Authorization header is not text".into()))?;
    let (scheme, token) = value.split_once(' ').ok_or_else(|| {
        AppError::InvalidToken("the Authorization header must be `Bearer <token>`".into())
    })?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(AppError::InvalidToken(
            "the Authorization header must be `Bearer <token>`".into(),
        ));
    }
    Ok(Some(token.trim()))
}

/// Checks an organization API token (`qlt_<id>_<secret>`) and records its use.
async fn api_token_org(state: &AppState, token: &str) -> Result<String, AppError> {
    let invalid = || AppError::InvalidToken("unknown or revoked API token".into());
    let (id, secret) = secrets::split("qlt", token).ok_or_else(invalid)?;
    let row = state.db.api_token(id).await?.ok_or_else(invalid)?;
    // Compare even for revoked tokens, so timing does not tell revoked from unknown.
    let matches = secrets::verify_secret(secret, &row.secret_hash);
    if !matches || row.revoked_at.is_some() {
        return Err(invalid());
    }
    state.db.touch_api_token(id).await?;
    Ok(row.organization_id)
}

impl FromRequestParts<AppState> for OrgAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = bearer(parts)?.ok_or(AppError::MissingToken)?;
        let organization_id = if token.starts_with("qlt_") {
            api_token_org(state, token).await?
        } else {
            let claims: AccessClaims = jwt::verify(state, token, jwt::ACCESS_AUDIENCE).await?;
            if !state
                .db
                .oauth_client_active(&claims.sub, &claims.org)
                .await?
            {
                return Err(AppError::InvalidToken(
                    "the OAuth2 client was revoked".into(),
                ));
            }
            claims.org
        };
        Ok(OrgAuth { organization_id })
    }
}

async fn user_from_token(state: &AppState, token: &str) -> Result<UserAuth, AppError> {
    if let Some(user) = state.verified_tokens.get(token) {
        return Ok(user);
    }
    let claims: UserClaims = jwt::verify(state, token, jwt::USER_AUDIENCE).await?;
    let user = UserAuth {
        organization_id: claims.org,
        platform: claims.platform,
        account: claims.sub,
        name: claims.name,
    };
    state
        .verified_tokens
        .insert(token, user.clone(), claims.exp);
    Ok(user)
}

impl FromRequestParts<AppState> for UserAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = bearer(parts)?.ok_or(AppError::MissingToken)?;
        user_from_token(state, token).await
    }
}

/// Optional user auth: no header means anonymous, but a bad token is still a 401 (so the
/// widget learns that its token expired instead of silently losing the user's progress).
impl OptionalFromRequestParts<AppState> for UserAuth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, AppError> {
        match bearer(parts)? {
            None => Ok(None),
            Some(token) => user_from_token(state, token).await.map(Some),
        }
    }
}

impl UserAuth {
    /// Fails unless the token belongs to `organization_id` (tenant isolation).
    pub fn require_organization(&self, organization_id: &str) -> Result<(), AppError> {
        if self.organization_id == organization_id {
            Ok(())
        } else {
            Err(AppError::InvalidToken(
                "the user token belongs to another organization".into(),
            ))
        }
    }
}
