//! Invite code pools: a partner uploads the single-use codes of an `invite_code` task and
//! reads how many are claimed.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use questlet_types::partner::{CodePoolRequest, CodePoolResponse};
use questlet_types::TaskConfig;

use super::partner_completions::find_task;
use crate::auth::extract::OrgAuth;
use crate::error::AppError;
use crate::json::AppJson;
use crate::tasks::invite_code;
use crate::AppState;

/// Most codes one request adds.
const MAX_CODES: usize = 10_000;

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/v1/campaigns/{campaign}/quests/{quest}/tasks/{task}/codes",
        get(get_invite_codes).post(create_invite_codes),
    )
}

/// The `invite_code` task named by the path, or why not.
async fn invite_task(
    state: &AppState,
    org: &OrgAuth,
    (campaign, quest, task): &(String, String, String),
) -> Result<String, AppError> {
    let (tree, _, index) = find_task(state, &org.organization_id, campaign, quest, task).await?;
    let task = &tree.tasks[index];
    if !matches!(task.config, TaskConfig::InviteCode { .. }) {
        return Err(AppError::Conflict(format!(
            "task {} is a {} task: only invite_code tasks have codes",
            task.key,
            task.kind.as_str()
        )));
    }
    Ok(task.id.clone())
}

/// Adds single-use codes to an `invite_code` task's pool (codes it has are skipped). Codes
/// are compared trimmed and case-insensitively; each is accepted once, and a user claims one
/// code per task.
#[utoipa::path(
    post,
    path = "/v1/campaigns/{campaign}/quests/{quest}/tasks/{task}/codes",
    tag = "campaigns",
    params(
        ("campaign" = String, Path, description = "Campaign slug"),
        ("quest" = String, Path, description = "Quest key"),
        ("task" = String, Path, description = "Task key (an `invite_code` task)"),
    ),
    request_body = CodePoolRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "How many codes were new, and the pool's counts", body = CodePoolResponse),
        (status = 400, description = "A code is empty or too long, or there are too many", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such campaign, quest or task", body = questlet_types::ErrorResponse),
        (status = 409, description = "Not an `invite_code` task", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn create_invite_codes(
    State(state): State<AppState>,
    Path(path): Path<(String, String, String)>,
    org: OrgAuth,
    AppJson(request): AppJson<CodePoolRequest>,
) -> Result<Json<CodePoolResponse>, AppError> {
    let codes = normalized_codes(&request, invite_code::normalize)?;
    let task_id = invite_task(&state, &org, &path).await?;
    let added = state.db.add_invite_codes(&task_id, &codes).await?;
    let counts = state.db.invite_code_counts(&task_id).await?;
    Ok(Json(CodePoolResponse {
        added,
        total: counts.total,
        claimed: counts.claimed,
    }))
}

/// A pool upload's codes, each as `normalize` keeps it, or which one is wrong.
pub(super) fn normalized_codes(
    request: &CodePoolRequest,
    normalize: fn(&str) -> Option<String>,
) -> Result<Vec<String>, AppError> {
    if request.codes.is_empty() || request.codes.len() > MAX_CODES {
        return Err(AppError::InvalidRequest(format!(
            "codes: must hold 1 to {MAX_CODES} codes"
        )));
    }
    let mut codes = Vec::with_capacity(request.codes.len());
    for (i, code) in request.codes.iter().enumerate() {
        codes.push(normalize(code).ok_or_else(|| {
            AppError::InvalidRequest(format!("codes[{i}]: must be 1-64 characters, not blank"))
        })?);
    }
    Ok(codes)
}

/// How many codes an `invite_code` task's pool holds and how many are claimed.
#[utoipa::path(
    get,
    path = "/v1/campaigns/{campaign}/quests/{quest}/tasks/{task}/codes",
    tag = "campaigns",
    params(
        ("campaign" = String, Path, description = "Campaign slug"),
        ("quest" = String, Path, description = "Quest key"),
        ("task" = String, Path, description = "Task key (an `invite_code` task)"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The pool's counts (`added` is 0)", body = CodePoolResponse),
        (status = 404, description = "No such campaign, quest or task", body = questlet_types::ErrorResponse),
        (status = 409, description = "Not an `invite_code` task", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn get_invite_codes(
    State(state): State<AppState>,
    Path(path): Path<(String, String, String)>,
    org: OrgAuth,
) -> Result<Json<CodePoolResponse>, AppError> {
    let task_id = invite_task(&state, &org, &path).await?;
    let counts = state.db.invite_code_counts(&task_id).await?;
    Ok(Json(CodePoolResponse {
        added: 0,
        total: counts.total,
        claimed: counts.claimed,
    }))
}
