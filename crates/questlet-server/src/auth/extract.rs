//! Extractors that authenticate a request once, before the handler runs:
//! [`OrgAuth`] for the partner/admin API (an API token, an OAuth2 access token, or a console
//! member's session cookie) and [`UserAuth`] for the user-scoped widget API (a user token).
//!
//! Roles are checked here too, so a handler states what it needs by its extractor's type:
//! [`OrgAuth`] lets an editor or an owner in, [`OwnerAuth`] only an owner, [`ReviewerAuth`]
//! any member. A partner credential acts as an owner. Whatever is added to the admin API
//! takes `OrgAuth` and so is closed to reviewers unless it says otherwise.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use questlet_types::members::MemberRole;

use super::jwt::{self, AccessClaims, UserClaims};
use super::{secrets, sessions};
use crate::error::AppError;
use crate::AppState;

/// The organization a partner credential or a member's session acts for, as an editor or
/// an owner.
#[derive(Debug, Clone)]
pub struct OrgAuth {
    /// The organization's id.
    pub organization_id: String,
    /// The role it acts in: an owner for a partner credential, else the member's.
    pub role: MemberRole,
}

/// [`OrgAuth`] of an owner (or a partner credential): credentials, webhooks, bots, members.
#[derive(Debug, Clone)]
pub struct OwnerAuth(pub OrgAuth);

/// [`OrgAuth`] of any member, reviewers included: the review queues.
#[derive(Debug, Clone)]
pub struct ReviewerAuth(pub OrgAuth);

impl std::ops::Deref for OwnerAuth {
    type Target = OrgAuth;

    fn deref(&self) -> &OrgAuth {
        &self.0
    }
}

impl std::ops::Deref for ReviewerAuth {
    type Target = OrgAuth;

    fn deref(&self) -> &OrgAuth {
        &self.0
    }
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

    /// The organization's campaign `slug` with its groups, quests and tasks, or 404 as
    /// [`campaign`](Self::campaign).
    pub async fn campaign_tree(
        &self,
        db: &crate::db::Db,
        slug: &str,
    ) -> Result<crate::db::campaigns::CampaignTree, AppError> {
        db.campaign_tree(&self.organization_id, slug)
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

/// Who the request acts for, in whatever role: a bearer credential if one is sent, else
/// a console session cookie (see `sessions.rs`, which also checks a write's CSRF token).
async fn authenticate(parts: &Parts, state: &AppState) -> Result<OrgAuth, AppError> {
    if let Some(token) = bearer(parts)? {
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
        return Ok(OrgAuth {
            organization_id,
            role: MemberRole::Owner,
        });
    }
    let value = sessions::cookie_value(&parts.headers).ok_or(AppError::MissingToken)?;
    let session = sessions::authenticate(state, &value, &parts.method, &parts.headers).await?;
    let member = session.row.member;
    Ok(OrgAuth {
        organization_id: member.organization_id,
        role: member.role,
    })
}

impl OrgAuth {
    /// This, if its role is at least `role`; else 403 naming both.
    fn at_least(self, role: MemberRole) -> Result<Self, AppError> {
        if self.role >= role {
            Ok(self)
        } else {
            Err(AppError::Forbidden(format!(
                "this needs the {} role; you are a {}",
                role.as_str(),
                self.role.as_str()
            )))
        }
    }
}

impl FromRequestParts<AppState> for OrgAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        authenticate(parts, state)
            .await?
            .at_least(MemberRole::Editor)
    }
}

impl FromRequestParts<AppState> for OwnerAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(Self(
            authenticate(parts, state)
                .await?
                .at_least(MemberRole::Owner)?,
        ))
    }
}

impl FromRequestParts<AppState> for ReviewerAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(Self(authenticate(parts, state).await?))
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

/// A console member's own session, from the session cookie only (a bearer credential has
/// no session): signing out and reading who is signed in.
#[derive(Debug, Clone)]
pub struct MemberSession(pub sessions::Session);

impl FromRequestParts<AppState> for MemberSession {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let value = sessions::cookie_value(&parts.headers).ok_or(AppError::MissingToken)?;
        let session = sessions::authenticate(state, &value, &parts.method, &parts.headers).await?;
        Ok(Self(session))
    }
}

/// A member's session where one is welcome but not needed (the widget's campaign read,
/// which a member's console preview makes): a missing, unknown or ended session is none,
/// and the request goes on as anyone's.
impl OptionalFromRequestParts<AppState> for MemberSession {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, AppError> {
        let Some(value) = sessions::cookie_value(&parts.headers) else {
            return Ok(None);
        };
        match sessions::authenticate(state, &value, &parts.method, &parts.headers).await {
            Ok(session) => Ok(Some(Self(session))),
            Err(AppError::InvalidToken(_)) => Ok(None),
            Err(error) => Err(error),
        }
    }
}
