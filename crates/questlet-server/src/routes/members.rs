//! The organization's console members: an owner lists, adds and removes them. Removing a
//! member ends their sessions; the last owner cannot be removed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use questlet_types::members::{CreateMemberRequest, MemberView, MembersResponse};

use crate::auth::extract::OwnerAuth;
use crate::error::AppError;
use crate::json::AppJson;
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/members", get(list_members).post(create_member))
        .route("/v1/members/{id}", delete(delete_member))
}

/// Lists the organization's members (never their passwords).
#[utoipa::path(get, path = "/v1/members", tag = "console", security(("bearer" = [])),
    responses(
        (status = 200, description = "The members, oldest first", body = MembersResponse),
        (status = 401, description = "Missing or invalid credential", body = questlet_types::ErrorResponse),
        (status = 403, description = "Not an owner", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn list_members(
    State(state): State<AppState>,
    org: OwnerAuth,
) -> Result<Json<MembersResponse>, AppError> {
    let rows = state.db.members(&org.organization_id).await?;
    Ok(Json(MembersResponse {
        members: rows.into_iter().map(Into::into).collect(),
    }))
}

/// Adds a member, who signs in at `/console/` with the email and password given.
#[utoipa::path(post, path = "/v1/members", tag = "console", security(("bearer" = [])),
    request_body = CreateMemberRequest,
    responses(
        (status = 201, description = "The new member", body = MemberView),
        (status = 400, description = "A bad email, name or password", body = questlet_types::ErrorResponse),
        (status = 401, description = "Missing or invalid credential", body = questlet_types::ErrorResponse),
        (status = 403, description = "Not an owner", body = questlet_types::ErrorResponse),
        (status = 409, description = "The email is a member already", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn create_member(
    State(state): State<AppState>,
    org: OwnerAuth,
    AppJson(request): AppJson<CreateMemberRequest>,
) -> Result<(StatusCode, Json<MemberView>), AppError> {
    let now = state.clock.now();
    let member = crate::members::add(&state.db, &org.organization_id, &request, now).await?;
    Ok((StatusCode::CREATED, Json(member.into())))
}

/// Removes a member and ends their sessions.
#[utoipa::path(delete, path = "/v1/members/{id}", tag = "console", security(("bearer" = [])),
    params(("id" = String, Path, description = "Member id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Missing or invalid credential", body = questlet_types::ErrorResponse),
        (status = 403, description = "Not an owner", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such member in this organization", body = questlet_types::ErrorResponse),
        (status = 409, description = "The organization's last owner", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn delete_member(
    State(state): State<AppState>,
    org: OwnerAuth,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    match state.db.delete_member(&org.organization_id, &id).await? {
        Some(true) => Ok(StatusCode::NO_CONTENT),
        Some(false) => Err(AppError::Conflict(format!(
            "member {id} is the organization's last owner"
        ))),
        None => Err(AppError::NotFound(format!("member {id}"))),
    }
}
