//! Organization API tokens: generate (the secret is shown once), list metadata,
//! revoke. Rotation is generate-then-revoke.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use questlet_types::auth::{ApiTokenView, CreateApiTokenRequest, CreateApiTokenResponse};

use crate::auth::extract::OwnerAuth;
use crate::auth::secrets;
use crate::db::credentials::ApiTokenRow;
use crate::error::AppError;
use crate::json::AppJson;
use crate::validation::valid_label;
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/api-tokens",
            get(list_api_tokens).post(create_api_token),
        )
        .route("/v1/api-tokens/{id}", delete(revoke_api_token))
}

impl From<ApiTokenRow> for ApiTokenView {
    fn from(row: ApiTokenRow) -> Self {
        ApiTokenView {
            id: row.id,
            label: row.label,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        }
    }
}

/// Generates a new API token. Its secret is in this response only.
#[utoipa::path(post, path = "/v1/api-tokens", tag = "api tokens", security(("bearer" = [])),
    request_body = CreateApiTokenRequest,
    responses(
        (status = 201, description = "The new token, shown once", body = CreateApiTokenResponse),
        (status = 400, description = "Invalid label", body = questlet_types::ErrorResponse),
        (status = 401, description = "Missing or invalid credential", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn create_api_token(
    State(state): State<AppState>,
    org: OwnerAuth,
    AppJson(request): AppJson<CreateApiTokenRequest>,
) -> Result<(StatusCode, Json<CreateApiTokenResponse>), AppError> {
    let label = valid_label(&request.label)?;
    let token = secrets::generate("qlt");
    state
        .db
        .insert_api_token(&org.organization_id, label, &token)
        .await?;
    let row = state
        .db
        .api_token(&token.id)
        .await?
        .ok_or_else(|| AppError::Internal("a new token vanished".into()))?;
    Ok((
        StatusCode::CREATED,
        Json(CreateApiTokenResponse {
            metadata: row.into(),
            token: token.plaintext,
        }),
    ))
}

/// Lists the organization's API tokens (metadata only, never secrets).
#[utoipa::path(get, path = "/v1/api-tokens", tag = "api tokens", security(("bearer" = [])),
    responses(
        (status = 200, description = "The tokens, newest first", body = Vec<ApiTokenView>),
        (status = 401, description = "Missing or invalid credential", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn list_api_tokens(
    State(state): State<AppState>,
    org: OwnerAuth,
) -> Result<Json<Vec<ApiTokenView>>, AppError> {
    let rows = state.db.list_api_tokens(&org.organization_id).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Revokes an API token; it authorizes nothing afterwards.
#[utoipa::path(delete, path = "/v1/api-tokens/{id}", tag = "api tokens", security(("bearer" = [])),
    params(("id" = String, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No such active token in this organization", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn revoke_api_token(
    State(state): State<AppState>,
    org: OwnerAuth,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if state.db.revoke_api_token(&org.organization_id, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound(format!("API token {id}")))
    }
}
