//! The review queue: proofs users sent to reviewed custom tasks, listed for the partner and
//! approved or rejected one by one or in bulk. A decision goes through the attempt writer,
//! so an approval stores the completion in the transaction that marks the proof approved,
//! and racing decisions on one proof decide once.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures::future::join_all;
use questlet_types::partner::{
    BulkReviewRequest, BulkReviewResponse, ReviewDecision, ReviewRequest, SkippedReview,
    SubmissionList, SubmissionView,
};
use questlet_types::ReviewState;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::extract::{OrgAuth, ReviewerAuth};
use crate::db::campaigns::CampaignTree;
use crate::db::leaderboard;
use crate::db::progress::NOT_PENDING;
use crate::db::progress::{Claim, NewAttempt, SubmissionStep, UserKey};
use crate::db::submissions::{SubmissionFilter, SubmissionRow};
use crate::error::AppError;
use crate::json::{AppJson, AppQuery};
use crate::milestones::Milestones;
use crate::{recurrence, views, AppState};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/campaigns/{campaign}/submissions",
            get(list_submissions),
        )
        .route(
            "/v1/campaigns/{campaign}/submissions/review",
            post(review_submissions),
        )
        .route(
            "/v1/campaigns/{campaign}/submissions/{id}/review",
            post(review_submission),
        )
}

/// Most submissions one page lists, and one bulk review decides.
const MAX_PAGE: i64 = 500;

/// Longest reviewer message, in characters.
const MAX_MESSAGE_CHARS: usize = 1000;

/// Query of `GET /v1/campaigns/{campaign}/submissions`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct SubmissionQuery {
    /// Only this quest's submissions (its key).
    quest: Option<String>,
    /// Only submissions in this state: `pending`, `approved` or `rejected`.
    #[param(pattern = "^(pending|approved|rejected)$")]
    state: Option<String>,
    /// At most this many (1-500, default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Skip this many first (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 2147483647)]
    offset: Option<String>,
}

/// A whole number parameter within `range`, or a 400 naming it.
fn number_param(
    name: &str,
    value: Option<&str>,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, AppError> {
    let Some(value) = value else {
        return Ok(default);
    };
    value
        .parse::<i64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            AppError::InvalidRequest(format!(
                "{name}: must be a whole number from {} to {}",
                range.start(),
                range.end()
            ))
        })
}

/// The review queue of a campaign: its proofs, oldest first, filtered by quest and state.
#[utoipa::path(
    get,
    path = "/v1/campaigns/{campaign}/submissions",
    tag = "campaigns",
    params(("campaign" = String, Path, description = "Campaign slug"), SubmissionQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The submissions", body = SubmissionList),
        (status = 400, description = "A parameter is invalid", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such campaign", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn list_submissions(
    State(state): State<AppState>,
    Path(campaign): Path<String>,
    org: ReviewerAuth,
    AppQuery(query): AppQuery<SubmissionQuery>,
) -> Result<Json<SubmissionList>, AppError> {
    let review_state = query
        .state
        .as_deref()
        .map(|name| {
            ReviewState::parse(name).ok_or_else(|| {
                AppError::InvalidRequest("state: must be pending, approved or rejected".into())
            })
        })
        .transpose()?;
    let filter = SubmissionFilter {
        quest_key: query.quest,
        state: review_state,
        limit: number_param("limit", query.limit.as_deref(), 100, 1..=MAX_PAGE)?,
        offset: number_param(
            "offset",
            query.offset.as_deref(),
            0,
            0..=i64::from(i32::MAX),
        )?,
    };
    let tree = org.campaign_tree(&state.db, &campaign).await?;
    let rows = state.db.submissions(&tree.campaign.id, &filter).await?;
    Ok(Json(SubmissionList {
        submissions: rows.into_iter().map(views::submission).collect(),
    }))
}

/// Approves or rejects one pending proof. An approval completes the task for the user and
/// awards its points (once); a rejection lets the user send another proof. The message is
/// shown to the user in the widget.
#[utoipa::path(
    post,
    path = "/v1/campaigns/{campaign}/submissions/{id}/review",
    tag = "campaigns",
    params(
        ("campaign" = String, Path, description = "Campaign slug"),
        ("id" = String, Path, description = "Submission id"),
    ),
    request_body = ReviewRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The submission after the decision", body = SubmissionView),
        (status = 400, description = "A field is invalid", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such campaign or submission", body = questlet_types::ErrorResponse),
        (status = 409, description = "The submission is not pending (decided already)", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn review_submission(
    State(state): State<AppState>,
    Path((campaign, id)): Path<(String, String)>,
    org: ReviewerAuth,
    AppJson(request): AppJson<ReviewRequest>,
) -> Result<Json<SubmissionView>, AppError> {
    let message = valid_message(request.message)?;
    let tree = org.campaign_tree(&state.db, &campaign).await?;
    let (mut reviewed, skipped) = decide(
        &state,
        &org,
        &tree,
        std::slice::from_ref(&id),
        request.decision,
        message,
    )
    .await?;
    if let Some(skipped) = skipped.into_iter().next() {
        return Err(if skipped.reason == NOT_FOUND {
            AppError::NotFound(format!("submission {id} in campaign {campaign}"))
        } else {
            AppError::Conflict(skipped.reason)
        });
    }
    reviewed
        .pop()
        .map(Json)
        .ok_or_else(|| AppError::Internal(format!("submission {id} was reviewed but not read")))
}

/// Approves or rejects many pending proofs with one decision (and one message): each is
/// decided as by the single review; ids unknown in the campaign or not pending are skipped
/// and listed with why.
#[utoipa::path(
    post,
    path = "/v1/campaigns/{campaign}/submissions/review",
    tag = "campaigns",
    params(("campaign" = String, Path, description = "Campaign slug")),
    request_body = BulkReviewRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "What was reviewed and what was skipped", body = BulkReviewResponse),
        (status = 400, description = "A field is invalid", body = questlet_types::ErrorResponse),
        (status = 404, description = "No such campaign", body = questlet_types::ErrorResponse),
    )
)]
pub(super) async fn review_submissions(
    State(state): State<AppState>,
    Path(campaign): Path<String>,
    org: ReviewerAuth,
    AppJson(request): AppJson<BulkReviewRequest>,
) -> Result<Json<BulkReviewResponse>, AppError> {
    if request.ids.is_empty() || request.ids.len() > MAX_PAGE as usize {
        return Err(AppError::InvalidRequest(format!(
            "ids: must list 1 to {MAX_PAGE} submission ids"
        )));
    }
    let message = valid_message(request.message)?;
    let tree = org.campaign_tree(&state.db, &campaign).await?;
    let mut ids = request.ids;
    ids.sort();
    ids.dedup();
    let (reviewed, skipped) = decide(&state, &org, &tree, &ids, request.decision, message).await?;
    Ok(Json(BulkReviewResponse { reviewed, skipped }))
}

/// Why an id was skipped: not a submission of this campaign.
const NOT_FOUND: &str = "no such submission in this campaign";

/// A reviewer's message: trimmed, blank is none, at most [`MAX_MESSAGE_CHARS`].
fn valid_message(message: Option<String>) -> Result<Option<String>, AppError> {
    let message = message
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty());
    if message
        .as_ref()
        .is_some_and(|m| m.chars().count() > MAX_MESSAGE_CHARS)
    {
        return Err(AppError::InvalidRequest(format!(
            "message: must be at most {MAX_MESSAGE_CHARS} characters"
        )));
    }
    Ok(message)
}

/// Decides the submissions `ids` of the campaign `tree`: every pending one through the
/// attempt writer at once (so they share its commits), as attempts of their users; answers
/// those decided now, read after, and the ids skipped with why.
async fn decide(
    state: &AppState,
    org: &OrgAuth,
    tree: &CampaignTree,
    ids: &[String],
    decision: ReviewDecision,
    message: Option<String>,
) -> Result<(Vec<SubmissionView>, Vec<SkippedReview>), AppError> {
    let rows = state.db.submissions_by_id(&tree.campaign.id, ids).await?;
    let mut skipped: Vec<SkippedReview> = ids
        .iter()
        .filter(|id| !rows.iter().any(|row| row.id == **id))
        .map(|id| SkippedReview {
            id: id.clone(),
            reason: NOT_FOUND.into(),
        })
        .collect();
    let now = state.clock.now();
    let mut pending: Vec<&SubmissionRow> = Vec::new();
    for row in &rows {
        if row.state == ReviewState::Pending {
            pending.push(row);
        } else {
            skipped.push(SkippedReview {
                id: row.id.clone(),
                reason: NOT_PENDING.into(),
            });
        }
    }
    let milestones = Arc::new(Milestones::of(tree));
    let stores = pending.iter().map(|row| {
        let task = tree.tasks.iter().find(|t| t.id == row.task_id);
        let attempt = NewAttempt {
            user: UserKey {
                organization_id: org.organization_id.clone(),
                platform: row.platform.clone(),
                account: row.account.clone(),
            },
            campaign_id: tree.campaign.id.clone(),
            task_id: row.task_id.clone(),
            slot: recurrence::slot(
                task.map(|t| t.rules.recurrence).unwrap_or_default(),
                &tree.campaign.time_zone,
                now,
            ),
            at: now,
            points: task.map_or(0, |t| t.points_per_completion()),
            verdict: Ok(()),
            answer: None,
            ga_client_id: None,
            claim: Some(Claim::Submission(SubmissionStep::Review {
                id: row.id.clone(),
                approve: decision == ReviewDecision::Approve,
                message: message.clone(),
            })),
            boards: leaderboard::boards(&tree.campaign.time_zone, now),
            milestones: Arc::clone(&milestones),
        };
        state.db.store_attempt(attempt)
    });
    let mut decided = Vec::new();
    for (row, stored) in pending.iter().zip(join_all(stores).await) {
        match stored?.refusal {
            Some(reason) => skipped.push(SkippedReview {
                id: row.id.clone(),
                reason,
            }),
            None => decided.push(row.id.clone()),
        }
    }
    let mut reviewed: Vec<SubmissionView> = state
        .db
        .submissions_by_id(&tree.campaign.id, &decided)
        .await?
        .into_iter()
        .map(views::submission)
        .collect();
    reviewed.sort_by(|a, b| a.id.cmp(&b.id));
    skipped.sort_by(|a, b| a.id.cmp(&b.id));
    Ok((reviewed, skipped))
}
