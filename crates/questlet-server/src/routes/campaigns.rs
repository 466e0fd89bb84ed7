//! The partner/admin content API (organization credential): campaigns as whole documents
//! (campaign as code: import, export, replace) and their groups, quests and tasks one by one.
//!
//! Every edit goes the same way: export the stored campaign as a document, change the
//! document, validate it whole, and write it back with the keyed sync of
//! `db::campaigns::replace_campaign`. So one validator guards every path, items keep their
//! ids (and users their completions) across edits, and each edit is one transaction.
//! Edits answer with the whole updated campaign document.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use questlet_types::attempt::ActivityEntry;
use questlet_types::campaign_document::{
    CampaignStatusRequest, CampaignSummary, GroupDocument, QuestDocument, ReorderRequest,
    TaskDocument,
};
use questlet_types::{CampaignDocument, CampaignStatus};

use crate::auth::extract::OrgAuth;
use crate::error::AppError;
use crate::json::AppJson;
use crate::validation::validate_campaign;
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

/// The organization's campaign `slug` as a document.
async fn load(state: &AppState, org: &OrgAuth, slug: &str) -> Result<CampaignDocument, AppError> {
    let tree = state
        .db
        .campaign_tree(&org.organization_id, slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("campaign {slug}")))?;
    views::campaign_document(&tree)
}

/// Loads, changes, validates and saves a campaign; answers with the saved document.
async fn edit(
    state: &AppState,
    org: &OrgAuth,
    slug: &str,
    change: impl FnOnce(&mut CampaignDocument) -> Result<(), AppError>,
) -> Result<Json<CampaignDocument>, AppError> {
    let mut doc = load(state, org, slug).await?;
    change(&mut doc)?;
    validate_campaign(&doc)?;
    if !state
        .db
        .replace_campaign(&org.organization_id, &doc)
        .await?
    {
        return Err(AppError::NotFound(format!("campaign {slug}")));
    }
    Ok(Json(doc))
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
        Err(AppError::InvalidRequest(format!(
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
                AppError::InvalidRequest(format!(
                    "keys: {wanted:?} is not an item here (or repeats)"
                ))
            })?;
        sorted.push(items.remove(index));
    }
    if let Some(missing) = items.first() {
        return Err(AppError::InvalidRequest(format!(
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
    responses((status = 200, body = Vec<CampaignSummary>), (status = 401, body = questlet_types::ErrorResponse)))]
pub(super) async fn list_campaigns(
    State(state): State<AppState>,
    org: OrgAuth,
) -> Result<Json<Vec<CampaignSummary>>, AppError> {
    let rows = state.db.list_campaigns(&org.organization_id).await?;
    rows.into_iter()
        .map(|row| {
            Ok(CampaignSummary {
                status: CampaignStatus::parse(&row.status)
                    .ok_or_else(|| AppError::Internal(format!("campaign {} status", row.id)))?,
                slug: row.slug,
                title: row.title,
            })
        })
        .collect::<Result<_, AppError>>()
        .map(Json)
}

/// Creates a campaign from a whole document (campaign as code).
#[utoipa::path(post, path = "/v1/campaigns", tag = "campaigns", security(("bearer" = [])),
    request_body = CampaignDocument,
    responses(
        (status = 201, body = CampaignDocument),
        (status = 400, description = "Invalid document; the message names the field", body = questlet_types::ErrorResponse),
        (status = 409, description = "The slug is taken", body = questlet_types::ErrorResponse),
    ))]
pub(super) async fn create_campaign(
    State(state): State<AppState>,
    org: OrgAuth,
    AppJson(doc): AppJson<CampaignDocument>,
) -> Result<(StatusCode, Json<CampaignDocument>), AppError> {
    validate_campaign(&doc)?;
    state
        .db
        .insert_campaign(&org.organization_id, &doc)
        .await
        .map_err(|e| match AppError::from_sqlx(e) {
            AppError::Conflict(_) => {
                AppError::Conflict(format!("campaign {} already exists", doc.slug))
            }
            other => other,
        })?;
    let saved = load(&state, &org, &doc.slug).await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// Exports a campaign as one document, secrets included (it is the partner's own data).
#[utoipa::path(get, path = "/v1/campaigns/{campaign}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path, description = "Campaign slug")),
    responses((status = 200, body = CampaignDocument), (status = 404, body = questlet_types::ErrorResponse)))]
pub(super) async fn export_campaign(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
) -> Result<Json<CampaignDocument>, AppError> {
    load(&state, &org, &slug).await.map(Json)
}

/// Imports a whole document: creates the campaign, or replaces its content matching items by
/// key (users keep their completions of tasks whose keys remain).
#[utoipa::path(put, path = "/v1/campaigns/{campaign}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path, description = "Campaign slug")),
    request_body = CampaignDocument,
    responses((status = 200, body = CampaignDocument), (status = 400, body = questlet_types::ErrorResponse)))]
pub(super) async fn import_campaign(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
    AppJson(doc): AppJson<CampaignDocument>,
) -> Result<Json<CampaignDocument>, AppError> {
    if doc.slug != slug {
        return Err(AppError::InvalidRequest(format!(
            "slug: the document's slug {:?} must equal the path's {slug:?}",
            doc.slug
        )));
    }
    validate_campaign(&doc)?;
    if !state
        .db
        .replace_campaign(&org.organization_id, &doc)
        .await?
    {
        state.db.insert_campaign(&org.organization_id, &doc).await?;
    }
    load(&state, &org, &slug).await.map(Json)
}

/// Deletes a campaign with all its content and progress.
#[utoipa::path(delete, path = "/v1/campaigns/{campaign}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path, description = "Campaign slug")),
    responses((status = 204), (status = 404, body = questlet_types::ErrorResponse)))]
pub(super) async fn delete_campaign(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
) -> Result<StatusCode, AppError> {
    if state
        .db
        .delete_campaign(&org.organization_id, &slug)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound(format!("campaign {slug}")))
    }
}

/// Publishes, unpublishes (draft) or ends a campaign.
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/status", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path, description = "Campaign slug")),
    request_body = CampaignStatusRequest, responses((status = 200, body = CampaignDocument)))]
pub(super) async fn set_campaign_status(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
    AppJson(request): AppJson<CampaignStatusRequest>,
) -> Result<Json<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, |doc| {
        doc.status = request.status;
        Ok(())
    })
    .await
}

/// Adds a group (with any quests in it) at the end.
#[utoipa::path(post, path = "/v1/campaigns/{campaign}/groups", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path)), request_body = GroupDocument, responses((status = 200, body = CampaignDocument)))]
pub(super) async fn create_group(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
    AppJson(group): AppJson<GroupDocument>,
) -> Result<Json<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, |doc| {
        doc.groups.push(group);
        Ok(())
    })
    .await
}

/// Replaces a group (title and quests).
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/groups/{group}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("group" = String, Path)), request_body = GroupDocument, responses((status = 200, body = CampaignDocument)))]
pub(super) async fn replace_group(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, key)): Path<(String, String)>,
    AppJson(group): AppJson<GroupDocument>,
) -> Result<Json<CampaignDocument>, AppError> {
    same_key(&key, &group.key)?;
    edit(&state, &org, &slug, |doc| {
        *group_mut(doc, &key)? = group;
        Ok(())
    })
    .await
}

/// Deletes a group and its quests.
#[utoipa::path(delete, path = "/v1/campaigns/{campaign}/groups/{group}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("group" = String, Path)), responses((status = 200, body = CampaignDocument)))]
pub(super) async fn delete_group(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, key)): Path<(String, String)>,
) -> Result<Json<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, |doc| {
        remove_by_key(&mut doc.groups, |g| &g.key, &key, "group")
    })
    .await
}

/// Reorders the campaign's groups.
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/groups-order", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path)), request_body = ReorderRequest, responses((status = 200, body = CampaignDocument)))]
pub(super) async fn reorder_groups(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
    AppJson(order): AppJson<ReorderRequest>,
) -> Result<Json<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, |doc| {
        reorder(&mut doc.groups, |g| &g.key, &order.keys)
    })
    .await
}

/// Adds a quest at the end of a group.
#[utoipa::path(post, path = "/v1/campaigns/{campaign}/groups/{group}/quests", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("group" = String, Path)), request_body = QuestDocument, responses((status = 200, body = CampaignDocument)))]
pub(super) async fn create_quest(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, group)): Path<(String, String)>,
    AppJson(quest): AppJson<QuestDocument>,
) -> Result<Json<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, |doc| {
        group_mut(doc, &group)?.quests.push(quest);
        Ok(())
    })
    .await
}

/// Reorders a group's quests.
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/groups/{group}/quests-order", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("group" = String, Path)), request_body = ReorderRequest, responses((status = 200, body = CampaignDocument)))]
pub(super) async fn reorder_quests(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, group)): Path<(String, String)>,
    AppJson(order): AppJson<ReorderRequest>,
) -> Result<Json<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, |doc| {
        reorder(&mut group_mut(doc, &group)?.quests, |q| &q.key, &order.keys)
    })
    .await
}

/// Replaces a quest (its fields and tasks).
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/quests/{quest}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("quest" = String, Path)), request_body = QuestDocument, responses((status = 200, body = CampaignDocument)))]
pub(super) async fn replace_quest(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, key)): Path<(String, String)>,
    AppJson(quest): AppJson<QuestDocument>,
) -> Result<Json<CampaignDocument>, AppError> {
    same_key(&key, &quest.key)?;
    edit(&state, &org, &slug, |doc| {
        *quest_mut(doc, &key)? = quest;
        Ok(())
    })
    .await
}

/// Deletes a quest and its tasks.
#[utoipa::path(delete, path = "/v1/campaigns/{campaign}/quests/{quest}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("quest" = String, Path)), responses((status = 200, body = CampaignDocument)))]
pub(super) async fn delete_quest(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, key)): Path<(String, String)>,
) -> Result<Json<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, |doc| {
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
    params(("campaign" = String, Path), ("quest" = String, Path)), request_body = TaskDocument, responses((status = 200, body = CampaignDocument)))]
pub(super) async fn create_task(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, quest)): Path<(String, String)>,
    AppJson(task): AppJson<TaskDocument>,
) -> Result<Json<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, |doc| {
        quest_mut(doc, &quest)?.tasks.push(task);
        Ok(())
    })
    .await
}

/// Reorders a quest's tasks.
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/quests/{quest}/tasks-order", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("quest" = String, Path)), request_body = ReorderRequest, responses((status = 200, body = CampaignDocument)))]
pub(super) async fn reorder_tasks(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, quest)): Path<(String, String)>,
    AppJson(order): AppJson<ReorderRequest>,
) -> Result<Json<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, |doc| {
        reorder(&mut quest_mut(doc, &quest)?.tasks, |t| &t.key, &order.keys)
    })
    .await
}

/// Replaces a task.
#[utoipa::path(put, path = "/v1/campaigns/{campaign}/quests/{quest}/tasks/{task}", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path), ("quest" = String, Path), ("task" = String, Path)), request_body = TaskDocument, responses((status = 200, body = CampaignDocument)))]
pub(super) async fn replace_task(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, quest, key)): Path<(String, String, String)>,
    AppJson(task): AppJson<TaskDocument>,
) -> Result<Json<CampaignDocument>, AppError> {
    same_key(&key, &task.key)?;
    edit(&state, &org, &slug, |doc| {
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
    params(("campaign" = String, Path), ("quest" = String, Path), ("task" = String, Path)), responses((status = 200, body = CampaignDocument)))]
pub(super) async fn delete_task(
    State(state): State<AppState>,
    org: OrgAuth,
    Path((slug, quest, key)): Path<(String, String, String)>,
) -> Result<Json<CampaignDocument>, AppError> {
    edit(&state, &org, &slug, |doc| {
        remove_by_key(&mut quest_mut(doc, &quest)?.tasks, |t| &t.key, &key, "task")
    })
    .await
}

/// The newest task attempts in a campaign (up to 500), with the GA client id each sent.
#[utoipa::path(get, path = "/v1/campaigns/{campaign}/activity", tag = "campaigns", security(("bearer" = [])),
    params(("campaign" = String, Path, description = "Campaign slug")),
    responses((status = 200, body = Vec<ActivityEntry>), (status = 404, body = questlet_types::ErrorResponse)))]
pub(super) async fn list_campaign_activity(
    State(state): State<AppState>,
    org: OrgAuth,
    Path(slug): Path<String>,
) -> Result<Json<Vec<ActivityEntry>>, AppError> {
    let tree = state
        .db
        .campaign_tree(&org.organization_id, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("campaign {slug}")))?;
    let rows = state.db.campaign_activity(&tree.campaign.id, 500).await?;
    Ok(Json(
        rows.into_iter()
            .map(|row| ActivityEntry {
                account: row.account,
                platform: row.platform,
                task: row.task_key,
                outcome: row.outcome,
                reason: row.reason,
                ga_client_id: row.ga_client_id,
                created_at: row.created_at,
            })
            .collect(),
    ))
}
