//! OAuth2 client-credentials clients over the API: create (the secret is shown once), list metadata,
//! revoke (its access tokens stop working at once).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use questlet_types::auth::{CreateOAuthClientRequest, CreateOAuthClientResponse, OAuthClientView};

use crate::auth::extract::OwnerAuth;
use crate::auth::secrets;
use crate::db::credentials::OAuthClientRow;
use crate::error::AppError;
use crate::json::AppJson;
use crate::validation::valid_label;
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/oauth-clients",
            get(list_oauth_clients).post(create_oauth_client),
        )
        .route("/v1/oauth-clients/{client_id}", delete(revoke_oauth_client))
}

impl From<OAuthClientRow> for OAuthClientView {
    fn from(row: OAuthClientRow) -> Self {
        OAuthClientView {
            client_id: row.client_id,
            label: row.label,
            created_at: row.created_at,
            revoked_at: row.revoked_at,
        }
    }
}

/// Creates an OAuth2 client. Its secret is in this response only.
#[utoipa::path(post, path = "/v1/oauth-clients", tag = "oauth clients", security(("bearer" = [])),
    request_body = CreateOAuthClientRequest,
    responses(
        (status = 201, description = "The new client, its secret shown once", body = CreateOAuthClientResponse),
        (status = 400, body = questlet_types::ErrorResponse),
        (status = 401, body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn create_oauth_client(
    State(state): State<AppState>,
    org: OwnerAuth,
    AppJson(request): AppJson<CreateOAuthClientRequest>,
) -> Result<(StatusCode, Json<CreateOAuthClientResponse>), AppError> {
    let label = valid_label(&request.label)?;
    let client = secrets::generate_client();
    state
        .db
        .insert_oauth_client(&org.organization_id, label, &client)
        .await?;
    let row = state
        .db
        .oauth_client(&client.id)
        .await?
        .ok_or_else(|| AppError::Internal("a new client vanished".into()))?;
    Ok((
        StatusCode::CREATED,
        Json(CreateOAuthClientResponse {
            metadata: row.into(),
            client_secret: client.plaintext,
        }),
    ))
}

/// Lists the organization's OAuth2 clients (metadata only).
#[utoipa::path(get, path = "/v1/oauth-clients", tag = "oauth clients", security(("bearer" = [])),
    responses((status = 200, body = Vec<OAuthClientView>), (status = 401, body = questlet_types::ErrorResponse)))]
pub(super) async fn list_oauth_clients(
    State(state): State<AppState>,
    org: OwnerAuth,
) -> Result<Json<Vec<OAuthClientView>>, AppError> {
    let rows = state.db.list_oauth_clients(&org.organization_id).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Revokes an OAuth2 client: no new tokens, and its issued tokens stop working.
#[utoipa::path(delete, path = "/v1/oauth-clients/{client_id}", tag = "oauth clients", security(("bearer" = [])),
    params(("client_id" = String, Path, description = "Client id")),
    responses((status = 204), (status = 404, body = questlet_types::ErrorResponse)))]
pub(super) async fn revoke_oauth_client(
    State(state): State<AppState>,
    org: OwnerAuth,
    Path(client_id): Path<String>,
) -> Result<StatusCode, AppError> {
    if state
        .db
        .revoke_oauth_client(&org.organization_id, &client_id)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound(format!("OAuth2 client {client_id}")))
    }
}
