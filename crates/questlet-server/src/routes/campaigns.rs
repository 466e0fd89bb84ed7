//! The partner/admin content API (organization credential): campaigns as whole documents
//! (campaign as code: import, export, replace) and their groups, quests and tasks one by one.
//!
//! Every edit goes the same way, in one write transaction (`db::campaigns::CampaignEdit`):
//! take the campaign (bumping its version, which makes concurrent editors wait their turn),
//! check `If-Match`, read it as a document, change the document, validate it whole, and
//! write it back with the keyed sync. So one validator guards every path, items keep their
//! ids (and users their completions) across edits, and no edit is lost to another.
//! Edits answer with the whole updated campaign document and its new version as the `ETag`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use questlet_types::attempt::ActivityEntry;
use questlet_types::campaign_document::{
    CampaignStatusRequest, CampaignSummary, GroupDocument, QuestDocument, ReorderRequest,
    TaskDocument,
};
use questlet_types::{CampaignDocument, ErrorResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::extract::{OrgAuth, ReviewerAuth};
use crate::db::campaigns::Precondition;
use crate::error::AppError;
use crate::etag::{IfMatch, IfMatchHeader, Tagged};
use crate::json::{AppJson, AppQuery};
use crate::validation::{check_chains, validate_campaign};
use crate::{views, AppState};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/campaigns", get(list_campaigns).post(create_campaign))
        .route(
            "/v1/campaigns/{campaign}",
            get(export_campaign)
                .put(import_campaign)
                .delete(delete_campaign),
        )
        .route("/v1/campaigns/{campaign}/status", put(set_campaign_status))
        .route(
            "/v1/campaigns/{campaign}/activity",
            get(list_campaign_activity),
        )
        .route(
            "/v1/campaigns/{campaign}/groups",
            axum::routing::post(create_group),
        )
        .route("/v1/campaigns/{campaign}/groups-order", put(reorder_groups))
        .route(
            "/v1/campaigns/{campaign}/groups/{group}",
            put(replace_group).delete(delete_group),
        )
        .route(
            "/v1/campaigns/{campaign}/groups/{group}/quests",
            axum::routing::post(create_quest),
        )
        .route(
            "/v1/campaigns/{campaign}/groups/{group}/quests-order",
            put(reorder_quests),
        )
        .route(
            "/v1/campaigns/{campaign}/quests/{quest}",
            put(replace_quest).delete(delete_quest),
        )
        .route(
            "/v1/campaigns/{campaign}/quests/{quest}/tasks",
            axum::routing::post(create_task),
        )
        .route(
            "/v1/campaigns/{campaign}/quests/{quest}/tasks-order",
            put(reorder_tasks),
        )
        .route(
            "/v1/campaigns/{campaign}/quests/{quest}/tasks/{task}",
            put(replace_task).delete(delete_task),
        )
}

/// What every edit answers, as OpenAPI shows it (never built: handlers answer [`Tagged`]).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
enum EditResponses {
    /// The campaign document as saved.
    #[response(status = 200, headers(("ETag" = String, description = "The campaign's new version, `\"<version>\"`: send it as If-Match with the next write")))]
    Saved(Box<CampaignDocument>),
    /// The body, or the document it would make, is invalid; the message names the field.
    #[response(status = 400)]
    Invalid(ErrorResponse),
    /// Each field is valid but together they break a rule (unique keys, dates in order,
    /// references to quests, a path and a body that must agree); the message names the field.
    #[response(status = 422)]
    Unprocessable(ErrorResponse),
    /// No valid organization credential.
    #[response(status = 401)]
    Unauthorized(ErrorResponse),
    /// No such campaign, group, quest or task in the organization.
    #[response(status = 404)]
    NotFound(ErrorResponse),
    /// `If-Match` names another version than the campaign's current one (or the campaign
    /// does not exist): read it again, then retry.
    #[response(status = 412)]
    PreconditionFailed(ErrorResponse),
}

/// Edits a campaign in one transaction: takes it (concurrent edits wait their turn), reads
/// it as a document, changes and validates it, checks `expected`, and saves it; answers the
/// saved document with its new version. The precondition comes last, as RFC 9110 orders it:
/// a request that would fail anyway (404, 400, 422) fails for that reason, not with a 412.
async fn edit(
    state: &AppState,
    org: &OrgAuth,
    slug: &str,
    expected: &Precondition,
    change: impl FnOnce(&mut CampaignDocument) -> Result<(), AppError>,
) -> Result<Tagged<CampaignDocument>, AppError> {
    // Without its campaign the edit is a 404 with or without `If-Match` (RFC 9110 §13.2.1:
    // preconditions are ignored when the request would fail anyway).
    let edit = state
        .db
        .begin_campaign_edit(&org.organization_id, slug, &Precondition::Unconditional)
        .await?;
    let mut doc = views::campaign_document(edit.tree())?;
    change(&mut doc)?;
    validate(state, &doc)?;
    edit.check(expected)?;
    let version = edit.save(&doc).await?;
    Ok(Tagged(version, doc))
}

/// Checks a campaign document written through the API: its own rules, and that its
/// on-chain tasks are on chains this server knows.
fn validate(state: &AppState, doc: &CampaignDocument) -> Result<(), AppError> {
    validate_campaign(doc)?;
    check_chains(doc, |chain| state.evm.knows(chain))
}

fn group_mut<'a>(
    doc: &'a mut CampaignDocument,
    key: &str,
) -> Result<&'a mut GroupDocument, AppError> {
    doc.groups
        .iter_mut()
        .find(|g| g.key == key)
        .ok_or_else(|| AppError::NotFound(format!("group {key}")))
}

fn quest_mut<'a>(
    doc: &'a mut CampaignDocument,
    key: &str,
) -> Result<&'a mut QuestDocument, AppError> {
    doc.groups
        .iter_mut()
        .flat_map(|g| g.quests.iter_mut())
        .find(|q| q.key == key)
        .ok_or_else(|| AppError::NotFound(format!("quest {key}")))
}

fn same_key(path_key: &str, body_key: &str) -> Result<(), AppError> {
    if path_key == body_key {
        Ok(())
    } else {
        Err(AppError::Unprocessable(format!(
            "key: the body's key {body_key:?} must equal the path's {path_key:?}"
        )))
    }
}

/// Puts `items` in the order of `keys`, which must name each item exactly once.
fn reorder<T>(
    items: &mut Vec<T>,
    key: impl Fn(&T) -> &str,
    keys: &[String],
) -> Result<(), AppError> {
    let mut sorted = Vec::with_capacity(items.len());
    for wanted in keys {
        let index = items
            .iter()
            .position(|item| key(item) == wanted)
            .ok_or_else(|| {
                AppError::Unprocessable(format!(
                    "keys: {wanted:?} is not an item here (or repeats)"
                ))
            })?;
        sorted.push(items.remove(index));
    }
    if let Some(missing) = items.first() {
        return Err(AppError::Unprocessable(format!(
            "keys: {:?} is missing; list every item once",
            key(missing)
        )));
    }
    *items = sorted;
    Ok(())
}

fn remove_by_key<T>(
    items: &mut Vec<T>,
    key: impl Fn(&T) -> &str,
    wanted: &str,
    what: &str,
) -> Result<(), AppError> {
    let index = items
        .iter()
        .position(|item| key(item) == wanted)
        .ok_or_else(|| AppError::NotFound(format!("{what} {wanted}")))?;
    items.remove(index);
    Ok(())
}

/// Lists the organization's campaigns.
#[utoipa::path(get, path = "/v1/campaigns", tag = "campaigns", security(("bearer" = [])),
    responses((status = 200, body = Vec<CampaignSummary>), (status = 401, body = ErrorResponse)))]
pub(super) async fn list_campaigns(
    State(state): State<AppState>,
    // Reviewers too: they find the review queues through it.
    org: ReviewerAuth,
) -> Result<Json<Vec<CampaignSummary>>, AppError> {
    let rows = state.db.list_campaigns(&org.organization_id).await?;
    Ok(Json(views::campaign_summaries(rows)))
}

/// Creates a campaign from a whole document (campaign as code).
#[utoipa::path(post, path = "/v1/campaigns", tag = "campaigns", security(("bearer" = [])),
    request_body = CampaignDocument,
    responses(
        (status = 201, body = CampaignDocument, description = "The campaign as stored",
            headers(("ETag" = String, description = "The campaign's version, `\"1\"`"))),
        (status = 400, description = "Invalid document; the message names the field", body = ErrorResponse),
        (status = 401, description = "No valid organization credential", body = ErrorResponse),
        (status = 409, description = "The slug is taken", body = ErrorResponse),
        (status = 422, description = "Each field is valid but together they break a rule (unique keys, dates in order, references to quests); the message names the field", body = ErrorResponse),
    ))]
pub(super) async fn create_campaign(
    State(state): State<AppState>,
    org: OrgAuth,
    AppJson(doc): AppJson<CampaignDocument>,
) -> Result<(StatusCode, Tagged<CampaignDocument>), AppError> {
    validate(&state, &doc)?;
    let version = state
        .db
        .insert_campaign(&org.organization_id, &doc)
        .await
        .map_err(|e| match AppError::from_sqlx(e) {
            AppError::Conflict(_) => {
                AppError::Conflict(format!("campaign {} already exists", doc.slug))
            }
            other => other,
        })?;
    Ok((StatusCode::CREATED, Tagged(version, doc)))
}

/// Exports a campaign as one document, secrets included (it is the partner's own data).
#[utoipa::path(get, path = "/v1/campaigns/{campaign}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path, description = "Campaign slug")),
    responses(
        (status = 200, body = CampaignDocument, description = "The campaign",
            headers(("ETag" = String, description = "The campaign's version, `\"<version>\"`: send it as If-Match to edit this state"))),
        (status = 401, description = "No valid organization credential", body = ErrorResponse),
        (status = 404, description = "No such campaign", body = ErrorResponse),
    ))]
pub(super) async fn export_campaign(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
) -> Result<Tagged<CampaignDocument>, AppError> {
    let tree = org.campaign_tree(&state.db, &slug).await?;
    Ok(Tagged(
        tree.campaign.version,
        views::campaign_document(&tree)?,
    ))
}

/// Imports a whole document: creates the campaign, or replaces its content matching items by
/// key (users keep their completions of tasks whose keys remain). With `If-Match` it only
/// replaces (an existing campaign at that version, or at any with `*`).
#[utoipa::path(put, path = "/v1/campaigns/{campaign}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path, description = "Campaign slug"), IfMatchHeader),
    request_body = CampaignDocument,
    responses(EditResponses))]
pub(super) async fn import_campaign(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
    IfMatch(expected): IfMatch,
    AppJson(doc): AppJson<CampaignDocument>,
) -> Result<Tagged<CampaignDocument>, AppError> {
    if doc.slug != slug {
        return Err(AppError::Unprocessable(format!(
            "slug: the document's slug {:?} must equal the path's {slug:?}",
            doc.slug
        )));
    }
    validate(&state, &doc)?;
    let version = state
        .db
        .import_campaign(&org.organization_id, &doc, &expected)
        .await?;
    Ok(Tagged(version, doc))
}

/// Deletes a campaign with all its content and progress.
#[utoipa::path(delete, path = "/v1/campaigns/{campaign}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path, description = "Campaign slug"), IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid organization credential", body = ErrorResponse),
        (status = 404, description = "No such campaign", body = ErrorResponse),
        (status = 412, description = "If-Match names another version than the campaign's current one", body = ErrorResponse),
    ))]
pub(super) async fn delete_campaign(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
    IfMatch(expected): IfMatch,
) -> Result<StatusCode, AppError> {
    state
        .db
        .delete_campaign(&org.organization_id, &slug, &expected)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publishes, unpublishes (draft) or ends a campaign.
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/status", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path, description = "Campaign slug"), IfMatchHeader),
    request_body = CampaignStatusRequest, responses(EditResponses))]
pub(super) async fn set_campaign_status(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
    IfMatch(expected): IfMatch,
    AppJson(request): AppJson<CampaignStatusRequest>,
) -> Result<Tagged<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, &expected, |doc| {
        doc.status = request.status;
        Ok(())
    })
    .await
}

/// Adds a group (with any quests in it) at the end.
#[utoipa::path(post, path = "/v1/campaigns/{campaign}/groups", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), IfMatchHeader), request_body = GroupDocument, responses(EditResponses))]
pub(super) async fn create_group(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
    IfMatch(expected): IfMatch,
    AppJson(group): AppJson<GroupDocument>,
) -> Result<Tagged<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, &expected, |doc| {
        doc.groups.push(group);
        Ok(())
    })
    .await
}

/// Replaces a group (title and quests).
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/groups/{group}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("group" = String, Path), IfMatchHeader), request_body = GroupDocument, responses(EditResponses))]
pub(super) async fn replace_group(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, key)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    AppJson(group): AppJson<GroupDocument>,
) -> Result<Tagged<CampaignDocument>, AppError> {
    same_key(&key, &group.key)?;
    edit(&state, &org, &slug, &expected, |doc| {
        *group_mut(doc, &key)? = group;
        Ok(())
    })
    .await
}

/// Deletes a group and its quests.
#[utoipa::path(delete, path = "/v1/campaigns/{campaign}/groups/{group}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("group" = String, Path), IfMatchHeader), responses(EditResponses))]
pub(super) async fn delete_group(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, key)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
) -> Result<Tagged<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, &expected, |doc| {
        remove_by_key(&mut doc.groups, |g| &g.key, &key, "group")
    })
    .await
}

/// Reorders the campaign's groups.
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/groups-order", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), IfMatchHeader), request_body = ReorderRequest, responses(EditResponses))]
pub(super) async fn reorder_groups(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
    IfMatch(expected): IfMatch,
    AppJson(order): AppJson<ReorderRequest>,
) -> Result<Tagged<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, &expected, |doc| {
        reorder(&mut doc.groups, |g| &g.key, &order.keys)
    })
    .await
}

/// Adds a quest at the end of a group.
#[utoipa::path(post, path = "/v1/campaigns/{campaign}/groups/{group}/quests", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("group" = String, Path), IfMatchHeader), request_body = QuestDocument, responses(EditResponses))]
pub(super) async fn create_quest(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, group)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    AppJson(quest): AppJson<QuestDocument>,
) -> Result<Tagged<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, &expected, |doc| {
        group_mut(doc, &group)?.quests.push(quest);
        Ok(())
    })
    .await
}

/// Reorders a group's quests.
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/groups/{group}/quests-order", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("group" = String, Path), IfMatchHeader), request_body = ReorderRequest, responses(EditResponses))]
pub(super) async fn reorder_quests(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, group)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    AppJson(order): AppJson<ReorderRequest>,
) -> Result<Tagged<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, &expected, |doc| {
        reorder(&mut group_mut(doc, &group)?.quests, |q| &q.key, &order.keys)
    })
    .await
}

/// Replaces a quest (its fields and tasks).
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/quests/{quest}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("quest" = String, Path), IfMatchHeader), request_body = QuestDocument, responses(EditResponses))]
pub(super) async fn replace_quest(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, key)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    AppJson(quest): AppJson<QuestDocument>,
) -> Result<Tagged<CampaignDocument>, AppError> {
    same_key(&key, &quest.key)?;
    edit(&state, &org, &slug, &expected, |doc| {
        *quest_mut(doc, &key)? = quest;
        Ok(())
    })
    .await
}

/// Deletes a quest and its tasks.
#[utoipa::path(delete, path = "/v1/campaigns/{campaign}/quests/{quest}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("quest" = String, Path), IfMatchHeader), responses(EditResponses))]
pub(super) async fn delete_quest(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, key)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
) -> Result<Tagged<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, &expected, |doc| {
        let group = doc
            .groups
            .iter_mut()
            .find(|g| g.quests.iter().any(|q| q.key == key))
            .ok_or_else(|| AppError::NotFound(format!("quest {key}")))?;
        remove_by_key(&mut group.quests, |q| &q.key, &key, "quest")
    })
    .await
}

/// Adds a task at the end of a quest.
#[utoipa::path(post, path = "/v1/campaigns/{campaign}/quests/{quest}/tasks", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("quest" = String, Path), IfMatchHeader), request_body = TaskDocument, responses(EditResponses))]
pub(super) async fn create_task(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, quest)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    AppJson(task): AppJson<TaskDocument>,
) -> Result<Tagged<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, &expected, |doc| {
        quest_mut(doc, &quest)?.tasks.push(task);
        Ok(())
    })
    .await
}

/// Reorders a quest's tasks.
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/quests/{quest}/tasks-order", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("quest" = String, Path), IfMatchHeader), request_body = ReorderRequest, responses(EditResponses))]
pub(super) async fn reorder_tasks(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, quest)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
    AppJson(order): AppJson<ReorderRequest>,
) -> Result<Tagged<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, &expected, |doc| {
        reorder(&mut quest_mut(doc, &quest)?.tasks, |t| &t.key, &order.keys)
    })
    .await
}

/// Replaces a task.
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/quests/{quest}/tasks/{task}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("quest" = String, Path), ("task" = String, Path), IfMatchHeader), request_body = TaskDocument, responses(EditResponses))]
pub(super) async fn replace_task(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, quest, key)): Path<(String, String, String)>,
    IfMatch(expected): IfMatch,
    AppJson(task): AppJson<TaskDocument>,
) -> Result<Tagged<CampaignDocument>, AppError> {
    same_key(&key, &task.key)?;
    edit(&state, &org, &slug, &expected, |doc| {
        let slot = quest_mut(doc, &quest)?
            .tasks
            .iter_mut()
            .find(|t| t.key == key)
            .ok_or_else(|| AppError::NotFound(format!("task {key}")))?;
        *slot = task;
        Ok(())
    })
    .await
}

/// Deletes a task.
#[utoipa::path(delete, path = "/v1/campaigns/{campaign}/quests/{quest}/tasks/{task}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("quest" = String, Path), ("task" = String, Path), IfMatchHeader), responses(EditResponses))]
pub(super) async fn delete_task(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, quest, key)): Path<(String, String, String)>,
    IfMatch(expected): IfMatch,
) -> Result<Tagged<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, &expected, |doc| {
        remove_by_key(&mut quest_mut(doc, &quest)?.tasks, |t| &t.key, &key, "task")
    })
    .await
}

/// Query of `GET /v1/campaigns/{campaign}/activity`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ActivityQuery {
    /// Only this user's attempts: their account (with `platform`).
    #[param(min_length = 1, max_length = 256, pattern = "\\S")]
    account: Option<String>,
    /// That user's platform (default `web`).
    #[param(pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")]
    platform: Option<String>,
}

/// The newest task attempts in a campaign (up to 500), with the GA client id each sent;
/// with `account` (and `platform`), one user's.
#[utoipa::path(get, path = "/v1/campaigns/{campaign}/activity", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path, description = "Campaign slug"), ActivityQuery),
    responses((status = 200, body = Vec<ActivityEntry>), (status = 400, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub(super) async fn list_campaign_activity(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
    AppQuery(query): AppQuery<ActivityQuery>,
) -> Result<Json<Vec<ActivityEntry>>, AppError> {
    let user =
        crate::validation::user_of_query(&org.organization_id, query.account, query.platform)?;
    let stored = org.campaign(&state.db, &slug).await?;
    let rows = state
        .db
        .campaign_activity(&stored.id, user.as_ref(), 500)
        .await?;
    Ok(Json(views::activity(rows)))
}
