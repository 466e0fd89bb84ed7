//! Partner completions: the partner's backend completes an `api` task for one of its users,
//! idempotently by its own completion id.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use questlet_types::partner::{PartnerCompletionRequest, PartnerCompletionResponse};
use questlet_types::{CampaignStatus, TaskConfig};

use super::widget_campaigns::check_windows;
use crate::auth::extract::OrgAuth;
use crate::db::campaigns::CampaignTree;
use crate::db::leaderboard;
use crate::db::progress::{Claim, NewAttempt, UserKey};
use crate::error::AppError;
use crate::json::AppJson;
use crate::milestones::Milestones;
use crate::validation::{is_schema_space, valid_user};
use crate::{recurrence, AppState};

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/v1/campaigns/{campaign}/quests/{quest}/tasks/{task}/completions",
        post(create_partner_completion),
    )
}

/// The organization's campaign `campaign` with the numbers of its quest `quest_key` and that
/// quest's task `task_key` (keys, as in campaign documents), or a 404 naming what is missing.
pub(super) async fn find_task(
    state: &AppState,
    organization_id: &str,
    campaign: &str,
    quest_key: &str,
    task_key: &str,
) -> Result<(CampaignTree, usize, usize), AppError> {
    let tree = state
        .db
        .campaign_tree(organization_id, campaign)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("campaign {campaign}")))?;
    let quest = tree
        .quests
        .iter()
        .position(|q| q.key == quest_key)
        .ok_or_else(|| AppError::NotFound(format!("quest {quest_key} in campaign {campaign}")))?;
    let task = tree
        .tasks
        .iter()
        .position(|t| t.quest_id == tree.quests[quest].id && t.key == task_key)
        .ok_or_else(|| AppError::NotFound(format!("task {task_key} in quest {quest_key}")))?;
    Ok((tree, quest, task))
}

/// Completes an `api` task for a user `(account, platform)` of the organization (created on
/// first sight), as reported by the partner's backend. Idempotent by `completion_id`: a
/// repeat changes nothing and answers the first result; an id already used for another
/// user or task is a conflict. The task's rules apply as to any completion (recurrence,
/// multiplier, windows).
#[utoipa::path(
    post,
    path = "/v1/campaigns/{campaign}/quests/{quest}/tasks/{task}/completions",
    tag = "campaigns",
    params(
        ("campaign" = String, Path, description = "Campaign slug"),
        ("quest" = String, Path, description = "Quest key"),
        ("task" = String, Path, description = "Task key (an `api` task)"),
    ),
    request_body = PartnerCompletionRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "What the completion did (the first result, for a repeated id)", body = PartnerCompletionResponse),
        (status = 400, description = "A field is invalid", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such campaign, quest or task", body = questlet_types::ErrorResponse),
        (status = 409, description = "Not an `api` task, the campaign is a draft or not open, or the id was used for another completion", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn create_partner_completion(
    State(state): State<AppState>,
    Path((campaign, quest_key, task_key)): Path<(String, String, String)>,
    org: OrgAuth,
    AppJson(request): AppJson<PartnerCompletionRequest>,
) -> Result<Json<PartnerCompletionResponse>, AppError> {
    valid_user(&request.account, &request.platform)?;
    let completion_id = request.completion_id.trim_matches(is_schema_space);
    if completion_id.is_empty() || request.completion_id.chars().count() > 128 {
        return Err(AppError::InvalidRequest(
            "completion_id: must be 1-128 characters".into(),
        ));
    }
    let (tree, quest, task) = find_task(
        &state,
        &org.organization_id,
        &campaign,
        &quest_key,
        &task_key,
    )
    .await?;
    let (quest, task) = (&tree.quests[quest], &tree.tasks[task]);
    if !matches!(task.config, TaskConfig::Api {}) {
        return Err(AppError::Conflict(format!(
            "task {task_key} is a {} task: only api tasks are completed through this call",
            task.kind.as_str()
        )));
    }
    match tree.campaign.status {
        CampaignStatus::Draft => {
            return Err(AppError::Conflict("the campaign is not published".into()))
        }
        CampaignStatus::Ended => return Err(AppError::Conflict("the campaign has ended".into())),
        CampaignStatus::Published => {}
    }
    let now = state.clock.now();
    check_windows(&tree, quest, task, now)?;
    let user = UserKey {
        organization_id: org.organization_id.clone(),
        platform: request.platform.clone(),
        account: request.account.clone(),
    };
    let stored = state
        .db
        .store_attempt(NewAttempt {
            user,
            campaign_id: tree.campaign.id.clone(),
            task_id: task.id.clone(),
            slot: recurrence::slot(task.rules.recurrence, &tree.campaign.time_zone, now),
            at: now,
            points: task.points_per_completion(),
            verdict: Ok(()),
            answer: None,
            ga_client_id: None,
            claim: Some(Claim::PartnerCompletion(completion_id.to_owned())),
            boards: leaderboard::boards(&tree.campaign.time_zone, now),
            milestones: Arc::new(Milestones::of(&tree)),
        })
        .await?;
    if let Some(first) = &stored.first_use {
        if first.task_id != task.id
            || first.platform != request.platform
            || first.account != request.account
        {
            return Err(AppError::Conflict(format!(
                "completion_id {completion_id} was used for another completion"
            )));
        }
    }
    Ok(Json(PartnerCompletionResponse {
        completion_id: completion_id.to_owned(),
        outcome: stored.outcome,
        points_awarded: stored.points_awarded,
    }))
}
