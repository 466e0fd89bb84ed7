//! User tokens: the partner's backend asks for a token for one of its users.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use questlet_types::auth::UserTokenResponse;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::extract::{OrgAuth, UserAuth};
use crate::auth::jwt;
use crate::error::AppError;
use crate::json::AppQuery;
use crate::validation::{is_schema_space, valid_user};
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/token", get(get_user_token))
}

/// Query of `GET /token`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct UserTokenQuery {
    /// The user's id on the partner's platform (1–256 characters, not blank).
    #[param(required = true, min_length = 1, max_length = 256, pattern = "\\S")]
    account: Option<String>,
    /// Short platform name (a slug), e.g. `web` or `acme`.
    #[param(required = true, pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")]
    platform: Option<String>,
    /// The user's name, shown where texts say `{{user_name}}` and on leaderboards (1–64
    /// characters, not blank); the account when absent (shortened on leaderboards).
    #[param(min_length = 1, max_length = 64, pattern = "\\S")]
    name: Option<String>,
}

/// A user token for one of the organization's users, bound to this organization.
#[utoipa::path(
    get,
    path = "/token",
    tag = "auth",
    params(UserTokenQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A user token", body = UserTokenResponse),
        (status = 400, description = "A parameter is missing or invalid", body = questlet_types::ErrorResponse),
        (status = 401, description = "Missing or invalid organization credential", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn get_user_token(
    State(state): State<AppState>,
    org: OrgAuth,
    AppQuery(query): AppQuery<UserTokenQuery>,
) -> Result<Json<UserTokenResponse>, AppError> {
    let account = query.account.unwrap_or_default();
    let platform = query.platform.unwrap_or_default();
    valid_user(&account, &platform)?;
    if let Some(name) = &query.name {
        if name.trim_matches(is_schema_space).is_empty() || name.chars().count() > 64 {
            return Err(AppError::InvalidRequest(
                "name: must be 1-64 characters, not blank".into(),
            ));
        }
    }
    let user = UserAuth {
        organization_id: org.organization_id,
        platform,
        account,
        name: query.name,
    };
    if let Some(name) = &user.name {
        // Remembered for where the user is shown to others (leaderboards) and to the
        // partner (claims), which their token does not reach.
        state.db.set_user_name(&user.key(), name).await?;
    }
    jwt::user_token_response(&state, user).map(Json)
}
