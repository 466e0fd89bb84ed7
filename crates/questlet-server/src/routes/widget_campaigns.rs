//! The widget API: one call returns everything the widget paints for a campaign (with the
//! caller's progress when a user token is sent), and task attempts.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use questlet_types::attempt::{
    AttemptOutcome, ProofOfWorkChallenge, TaskAnswer, TaskAttemptRequest, TaskAttemptResponse,
};
use questlet_types::{CampaignStatus, QuestStatus, TaskConfig, WidgetCampaignResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::extract::{MemberSession, UserAuth};
use crate::campaign_cache::RenderedCampaign;
use crate::db::campaigns::{CampaignTree, QuestRow, TaskRow};
use crate::db::leaderboard;
use crate::db::progress::{Claim, NewAttempt, SubmissionStep};
use crate::encoding::Encoding;
use crate::error::AppError;
use crate::etag::{derived_hash, none_match};
use crate::json::{AppJson, AppQuery};
use crate::tags::{self, TagValues};
use crate::tasks::referral;
use crate::views::{self, Progress};
use crate::{recurrence, tasks, AppState};

pub(super) fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/v1/widget/{organization}/campaigns/{campaign}",
            get(get_widget_campaign),
        )
        .route(
            "/v1/widget/{organization}/campaigns/{campaign}/tasks/{task}/attempts",
            post(create_task_attempt),
        )
        .route(
            "/v1/widget/{organization}/campaigns/{campaign}/tasks/{task}/challenge",
            post(create_task_challenge),
        )
        .layer(crate::cors::widget_cors(state.clone()))
}

/// A campaign that the widget may see (not a draft), rendered at its current version.
pub(super) async fn visible_campaign(
    state: &AppState,
    organization: &str,
    campaign: &str,
) -> Result<Arc<RenderedCampaign>, AppError> {
    let rendered = any_campaign(state, organization, campaign).await?;
    if rendered.tree.campaign.status == CampaignStatus::Draft {
        return Err(campaign_not_found(organization, campaign));
    }
    Ok(rendered)
}

/// Any campaign of the organization, drafts too (a member's preview), rendered at its
/// current version.
async fn any_campaign(
    state: &AppState,
    organization: &str,
    campaign: &str,
) -> Result<Arc<RenderedCampaign>, AppError> {
    state
        .campaigns
        .get(&state.db, organization, campaign)
        .await?
        .ok_or_else(|| campaign_not_found(organization, campaign))
}

fn campaign_not_found(organization: &str, campaign: &str) -> AppError {
    AppError::NotFound(format!("campaign {organization}/{campaign}"))
}

/// The user's progress in the campaign (one query). Reading never creates the user:
/// someone who has not attempted anything yet simply has no completions.
async fn user_progress(
    state: &AppState,
    user: &UserAuth,
    tree: &CampaignTree,
) -> Result<Progress, AppError> {
    user.require_organization(&tree.campaign.organization_id)?;
    read_progress(state, user, &tree.campaign.id).await
}

async fn read_progress(
    state: &AppState,
    user: &UserAuth,
    campaign_id: &str,
) -> Result<Progress, AppError> {
    let key = user.key();
    let completions = state.db.campaign_completions(&key, campaign_id).await?;
    Ok(Progress::from_completions(
        &key,
        user.name.as_deref(),
        campaign_id,
        &completions,
        |_| true,
    ))
}

/// The campaign and, for a user, their progress. Where the database is asked for both
/// (PostgreSQL), the two reads run at once: the progress read starts with the campaign id
/// of this process's last rendering, and is read again in the rare case the version check
/// finds another campaign under the slug.
pub(super) async fn campaign_and_progress(
    state: &AppState,
    organization: &str,
    campaign: &str,
    user: Option<&UserAuth>,
) -> Result<(Arc<RenderedCampaign>, Option<Progress>), AppError> {
    let Some(user) = user else {
        return Ok((visible_campaign(state, organization, campaign).await?, None));
    };
    let guess = state
        .campaigns
        .last_known_ids(organization, campaign)
        .filter(|(organization_id, _)| *organization_id == user.organization_id);
    let early = async {
        match &guess {
            Some((_, campaign_id)) => Some(read_progress(state, user, campaign_id).await),
            None => None,
        }
    };
    let (rendered, early) = tokio::join!(visible_campaign(state, organization, campaign), early);
    let rendered = rendered?;
    let progress = match (early, guess) {
        (Some(progress), Some((_, guessed))) if guessed == rendered.tree.campaign.id => {
            user.require_organization(&rendered.tree.campaign.organization_id)?;
            progress?
        }
        _ => user_progress(state, user, &rendered.tree).await?,
    };
    Ok((rendered, Some(progress)))
}

/// A published campaign with its groups, quests and tasks (never quiz answers or codes),
/// plus the caller's progress when a user token is sent. Without one, a signed-in member of
/// the organization (the console's preview, on this server's own origin) sees its drafts
/// too, in an answer no cache keeps.
#[utoipa::path(
    get,
    path = "/v1/widget/{organization}/campaigns/{campaign}",
    tag = "widget",
    params(
        ("organization" = String, Path, description = "Organization slug"),
        ("campaign" = String, Path, description = "Campaign slug"),
        WidgetCampaignQuery,
    ),
    security((), ("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The campaign as the widget paints it", body = WidgetCampaignResponse,
            headers(("ETag" = String, description = "A hash of this answer: send it as If-None-Match to get a 304 while it stays the same"))),
        (status = 304, description = "Unchanged since the ETag sent as If-None-Match"),
        (status = 401, description = "The user token is invalid, expired or of another organization", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such published campaign", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn get_widget_campaign(
    State(state): State<AppState>,
    Path((organization, campaign)): Path<(String, String)>,
    user: Option<UserAuth>,
    member: Option<MemberSession>,
    AppQuery(query): AppQuery<WidgetCampaignQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let preview = user.is_none()
        && member
            .is_some_and(|MemberSession(session)| session.row.organization_slug == organization);
    let (rendered, mut progress) = if preview {
        (any_campaign(&state, &organization, &campaign).await?, None)
    } else {
        campaign_and_progress(&state, &organization, &campaign, user.as_ref()).await?
    };
    if let (Some(user), Some(progress)) = (&user, progress.as_mut()) {
        let key = user.key();
        // A referral code the page arrived with: recorded for a new user, else ignored
        // (someone's own code, a malformed one, or a user who was here before).
        if let Some(code) = query.referral.as_deref() {
            if referral::is_code(code) && code != progress.referral_code {
                let campaign_id = &rendered.tree.campaign.id;
                state.db.record_referral(&key, campaign_id, code).await?;
            }
        }
        if rendered.plan.wants_referrer {
            progress.referrer = state.db.referrer_account(&key).await?.unwrap_or_default();
        }
    }
    let header_text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .unwrap_or_default()
    };
    let accept_encoding = header_text(header::ACCEPT_ENCODING);
    // An anonymous answer is the same for everyone and was compressed once, when rendered;
    // a user's is that answer's content, kept deflated once, and the user's own part.
    let (encoding, etag, body, cache_control) = match &progress {
        None => {
            let (encoding, body) = rendered.body.body_for(accept_encoding);
            let etag = rendered.body.etag(encoding);
            let cache_control = if preview {
                "private, no-store"
            } else {
                "public, no-cache"
            };
            (encoding, etag, Answer::Whole(body), cache_control)
        }
        Some(progress) => {
            let tail = rendered.user_tail(progress, state.clock.now())?;
            let encoding = if Encoding::accepted(accept_encoding).contains(&Encoding::Gzip) {
                Encoding::Gzip
            } else {
                Encoding::Identity
            };
            // A function of the campaign's rendering and the user's part: hashed from them,
            // not from the whole body.
            let hash = derived_hash([rendered.body.hash().as_bytes(), &tail]);
            let etag = encoding.etag(&hash);
            (encoding, etag, Answer::UserTail(tail), "private, no-cache")
        }
    };
    let mut response = if none_match(header_text(header::IF_NONE_MATCH), &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        // Only now, for an answer that is sent, the user's body is put together.
        let body = match body {
            Answer::Whole(body) => body,
            Answer::UserTail(tail) if encoding == Encoding::Gzip => {
                rendered.user_answers.gzip_with(&tail)
            }
            Answer::UserTail(tail) => rendered.user_answers.identity_with(&tail),
        };
        let mut response = ([(header::CONTENT_TYPE, "application/json")], body).into_response();
        if let Some(coding) = encoding.header() {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response
    };
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    // The same URL answers each user differently, and in several encodings.
    headers.append(
        header::VARY,
        HeaderValue::from_static("Authorization, Accept-Encoding"),
    );
    Ok(response)
}

/// Query of the widget's campaign read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct WidgetCampaignQuery {
    /// A referral code from the page's URL (its `ql_ref`): with a user token, a user new to
    /// the organization records who referred them (once; someone's own code, a malformed
    /// one or a user seen before changes nothing).
    #[serde(rename = "ref")]
    #[param(rename = "ref")]
    referral: Option<String>,
}

/// The body of a campaign answer: whole (an anonymous visitor's, shared), or a user's part
/// to append to [`RenderedCampaign::user_answers`].
enum Answer {
    /// The whole body, in the chosen encoding.
    Whole(axum::body::Bytes),
    /// The user's part, serialized.
    UserTail(Vec<u8>),
}

/// Longest GA client id kept (they look like `GA1.1.1234567890.1234567890`).
const MAX_GA_CLIENT_ID: usize = 64;

/// Attempts a task: the server verifies the answer and, when it is right, completes the
/// task and awards its points exactly once.
#[utoipa::path(
    post,
    path = "/v1/widget/{organization}/campaigns/{campaign}/tasks/{task}/attempts",
    tag = "widget",
    params(
        ("organization" = String, Path, description = "Organization slug"),
        ("campaign" = String, Path, description = "Campaign slug"),
        ("task" = String, Path, description = "Task id"),
    ),
    request_body = TaskAttemptRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The outcome (completed, already_completed, failed with a reason, or pending: a proof waits for the partner's review)", body = TaskAttemptResponse),
        (status = 400, description = "Malformed body", body = questlet_types::ErrorResponse),
        (status = 401, description = "No valid user token", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such task in this campaign", body = questlet_types::ErrorResponse),
        (status = 409, description = "The quest is locked, or the campaign, quest or task is not open (not started yet, or ended)", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn create_task_attempt(
    State(state): State<AppState>,
    Path((organization, campaign, task_id)): Path<(String, String, String)>,
    user: UserAuth,
    AppJson(request): AppJson<TaskAttemptRequest>,
) -> Result<Json<TaskAttemptResponse>, AppError> {
    let rendered = visible_campaign(&state, &organization, &campaign).await?;
    let now = state.clock.now();
    let (task, quest) = open_task(&state, &user, &rendered, &task_id, now).await?;
    let tree = &rendered.tree;
    let ga_client_id = request
        .ga_client_id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty() && id.len() <= MAX_GA_CLIENT_ID)
        .map(str::to_owned);
    // The verdict, and what the attempt claims when it is stored.
    let social = tasks::social::SocialTask::of(&task.config);
    let (verdict, claim) = match (&task.config, &request.answer, social) {
        // A social task is opened as a link, then checked with its network where it can be.
        (_, TaskAnswer::VisitLink {}, Some(social)) => {
            let verdict = tasks::social::verify(&state, &social, &user).await;
            (verdict.map_err(|rejection| rejection.0), None)
        }
        (
            TaskConfig::ProofOfWork { difficulty },
            TaskAnswer::ProofOfWork { challenge, nonce },
            _,
        ) => {
            let checked = tasks::proof_of_work::check(
                &state,
                &user,
                &task.id,
                *difficulty,
                challenge,
                nonce,
                now,
            )
            .await;
            match checked {
                Ok(id) => (Ok(()), Some(Claim::Puzzle(id))),
                Err(rejection) => (Err(rejection.0), None),
            }
        }
        (TaskConfig::Referral { count, quest }, TaskAnswer::Referral {}, _) => {
            let verdict =
                tasks::referral::verify(&state, &user.key(), &rendered, *count, quest.as_deref())
                    .await;
            (verdict.map_err(|rejection| rejection.0), None)
        }
        (TaskConfig::HttpRequest { url, secret }, TaskAnswer::HttpRequest {}, _) => {
            let check = tasks::http_request::Check {
                organization: &organization,
                campaign: &tree.campaign.slug,
                quest: &quest.key,
                task: &task.key,
                account: &user.account,
                platform: &user.platform,
            };
            let verdict = tasks::http_request::verify(&state, url, secret, check).await;
            (verdict.map_err(|rejection| rejection.0), None)
        }
        (config, answer, _) if tasks::onchain::chain_of(config).is_some() => {
            // "After the campaign started": no earlier than the task opened.
            let opened_at = [
                tree.campaign.starts_at,
                quest.starts_at,
                task.rules.starts_at,
            ]
            .into_iter()
            .flatten()
            .max();
            let checked =
                tasks::onchain::verify(&state.db, &state.evm, config, answer, &user, opened_at)
                    .await?;
            match checked {
                Ok(counted) => (Ok(()), counted.map(Claim::Transaction)),
                Err(rejection) => (Err(rejection.0), None),
            }
        }
        (config, answer, _) => (
            tasks::verify(config, answer).map_err(|rejection| rejection.0),
            claim_of(config, answer),
        ),
    };
    // A secret code is the partner's secret: never keep what was typed.
    let answer = match &request.answer {
        TaskAnswer::SecretCode { .. } | TaskAnswer::VisitLink {} => None,
        // The code is kept as its claim.
        TaskAnswer::InviteCode { .. } => None,
        other => serde_json::to_string(other).ok(),
    };
    let stored = state
        .db
        .store_attempt(NewAttempt {
            user: user.key(),
            campaign_id: tree.campaign.id.clone(),
            task_id: task.id.clone(),
            slot: recurrence::slot(task.rules.recurrence, rendered.plan.zone(), now),
            at: now,
            points: task.points_per_completion(),
            verdict: verdict.clone(),
            answer,
            ga_client_id,
            claim,
            boards: leaderboard::boards(rendered.plan.zone(), now),
            milestones: rendered.plan.milestones(),
        })
        .await?;
    // Where the user stands in this campaign after the attempt (the writer read the user's
    // completions in the same transaction), and so before it, and what that changed.
    let key = user.key();
    let mut after = Progress::from_completions(
        &key,
        user.name.as_deref(),
        &tree.campaign.id,
        &stored.completions,
        |task| rendered.plan.has_task(task),
    );
    let changed_quests = match stored.outcome {
        AttemptOutcome::Failed => Vec::new(),
        // The task now shows its proof under review.
        AttemptOutcome::Pending => vec![task.quest_id.clone()],
        AttemptOutcome::Completed | AttemptOutcome::AlreadyCompleted => {
            let mut before = after.clone();
            // Before its first completion, the task did not count for its quest.
            let first = after.records.get(&task.id).is_none_or(|r| r.count <= 1);
            if stored.outcome == AttemptOutcome::Completed && first {
                before.completed_task_ids.remove(&task.id);
            }
            views::changed_quests(&rendered.plan, &before, &after, &task.quest_id)
        }
    };
    let message = match stored.outcome {
        AttemptOutcome::Completed => &task.rules.completion_message,
        AttemptOutcome::Failed => &task.rules.failure_message,
        AttemptOutcome::AlreadyCompleted | AttemptOutcome::Pending => "",
    };
    Ok(Json(TaskAttemptResponse {
        outcome: stored.outcome,
        reason: verdict.err().or(stored.refusal),
        message: if message.is_empty() {
            None
        } else {
            if message.contains("{{referrer}}") {
                after.referrer = state.db.referrer_account(&key).await?.unwrap_or_default();
            }
            let link = after.referral_link(&rendered.plan);
            let values = TagValues {
                task_points: Some(task.points_per_completion()),
                points_name: &tree.campaign.points_name,
                ..after.tag_values(&rendered.plan, &link)
            };
            Some(tags::fill_all(message, &values, false))
        },
        points_awarded: stored.points_awarded,
        user: after.view(&rendered.plan, now),
        changed_quests,
    }))
}

/// Task `task_id` of the rendered campaign, with its quest, if `user` may attempt it at
/// `now`: the campaign has not ended, the campaign, quest and task are open, and the quest
/// is not locked for the user (a 404 or 409 otherwise).
async fn open_task<'a>(
    state: &AppState,
    user: &UserAuth,
    rendered: &'a RenderedCampaign,
    task_id: &str,
    now: i64,
) -> Result<(&'a TaskRow, &'a QuestRow), AppError> {
    let tree = &rendered.tree;
    user.require_organization(&tree.campaign.organization_id)?;
    let task = tree.tasks.iter().find(|t| t.id == task_id).ok_or_else(|| {
        AppError::NotFound(format!("task {task_id} in campaign {}", tree.campaign.slug))
    })?;
    if tree.campaign.status == CampaignStatus::Ended {
        return Err(AppError::Conflict("the campaign has ended".into()));
    }
    let quest_row = tree
        .quests
        .iter()
        .find(|q| q.id == task.quest_id)
        .ok_or_else(|| AppError::Internal(format!("task {task_id} has no quest")))?;
    check_windows(tree, quest_row, task, now)?;
    // Only a quest with prerequisites can be locked: the others need no progress read.
    let quest = rendered
        .plan
        .number(&task.quest_id)
        .ok_or_else(|| AppError::Internal(format!("task {task_id} has no quest")))?;
    if rendered.plan.has_prerequisites(quest) {
        let before = user_progress(state, user, tree).await?;
        if rendered.plan.status(quest, &before.completed_task_ids) == QuestStatus::Locked {
            return Err(AppError::Conflict(
                "this quest is locked: complete the quests it needs first".into(),
            ));
        }
    }
    Ok((task, quest_row))
}

/// What an attempt with a verified `answer` of a task with `config` claims when it is
/// stored: an invite code from the pool, a proof's place in the review queue.
fn claim_of(config: &TaskConfig, answer: &TaskAnswer) -> Option<Claim> {
    match (config, answer) {
        (_, TaskAnswer::InviteCode { code }) => {
            tasks::invite_code::normalize(code).map(Claim::InviteCode)
        }
        (TaskConfig::Custom { review: true, .. }, TaskAnswer::Custom { proof }) => {
            Some(Claim::Submission(SubmissionStep::Submit {
                proof: tasks::custom::normalize(proof),
            }))
        }
        _ => None,
    }
}

/// Issues a proof-of-work puzzle of a `proof_of_work` task for the caller: solve it and
/// send it back as the task's answer (once, within 10 minutes).
#[utoipa::path(
    post,
    path = "/v1/widget/{organization}/campaigns/{campaign}/tasks/{task}/challenge",
    tag = "widget",
    params(
        ("organization" = String, Path, description = "Organization slug"),
        ("campaign" = String, Path, description = "Campaign slug"),
        ("task" = String, Path, description = "Task id (a `proof_of_work` task)"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A puzzle for the caller", body = ProofOfWorkChallenge),
        (status = 401, description = "No valid user token", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such task in this campaign", body = questlet_types::ErrorResponse),
        (status = 409, description = "Not a proof_of_work task, the quest is locked, or the campaign, quest or task is not open", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn create_task_challenge(
    State(state): State<AppState>,
    Path((organization, campaign, task_id)): Path<(String, String, String)>,
    user: UserAuth,
) -> Result<Json<ProofOfWorkChallenge>, AppError> {
    let rendered = visible_campaign(&state, &organization, &campaign).await?;
    let now = state.clock.now();
    let (task, _) = open_task(&state, &user, &rendered, &task_id, now).await?;
    let TaskConfig::ProofOfWork { difficulty } = task.config else {
        return Err(AppError::Conflict(format!(
            "task {task_id} is a {} task: only proof_of_work tasks have puzzles",
            task.kind.as_str()
        )));
    };
    Ok(Json(tasks::proof_of_work::issue(
        &state, &user, &task.id, difficulty, now,
    )?))
}

/// Refuses a completion of `task` (in `quest` of `tree`) unless the campaign, the quest and
/// the task are all open at `now`.
pub(super) fn check_windows(
    tree: &CampaignTree,
    quest: &QuestRow,
    task: &TaskRow,
    now: i64,
) -> Result<(), AppError> {
    for (what, starts_at, ends_at) in [
        ("campaign", tree.campaign.starts_at, tree.campaign.ends_at),
        ("quest", quest.starts_at, quest.ends_at),
        ("task", task.rules.starts_at, task.rules.ends_at),
    ] {
        check_open(what, starts_at, ends_at, now)?;
    }
    Ok(())
}

/// Refuses an attempt on a `what` (campaign, quest or task) that is not open at `now`.
fn check_open(
    what: &str,
    starts_at: Option<i64>,
    ends_at: Option<i64>,
    now: i64,
) -> Result<(), AppError> {
    let time = |at: i64| {
        jiff::Timestamp::from_second(at).map_or_else(|_| format!("{at}"), |t| t.to_string())
    };
    if let Some(start) = starts_at.filter(|&start| now < start) {
        return Err(AppError::Conflict(format!(
            "this {what} opens at {}",
            time(start)
        )));
    }
    if let Some(end) = ends_at.filter(|&end| now >= end) {
        return Err(AppError::Conflict(format!(
            "this {what} closed at {}",
            time(end)
        )));
    }
    Ok(())
}
