//! The attempt flow of a task: send the answer, show the outcome, patch the quests the
//! answer says changed (`WidgetContext::patch`), announce each step, and open the
//! completion pop-ups.
//!
//! Components (`tasks/`) only hand an answer to [`attempt`]; all I/O and events are here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::attempt::{AttemptOutcome, TaskAnswer, TaskAttemptRequest};
use questlet_types::{QuestStatus, WidgetCampaignResponse};

use crate::api::attempt_task;
use crate::context::{Load, PopupBody, PopupContent, WidgetContext};
use crate::events::Params;
use crate::i18n::Text;

/// The ids and titles every task event carries.
#[derive(Debug, Clone)]
pub struct TaskRef {
    /// The task's id.
    pub task_id: String,
    /// The task's title.
    pub task_title: String,
    /// Its quest's id.
    pub quest_id: String,
    /// Its quest's title.
    pub quest_title: String,
    /// The points the task awards.
    pub points: i64,
}

impl TaskRef {
    fn params(&self) -> Params {
        vec![
            ("quest_id", self.quest_id.clone().into()),
            ("quest_title", self.quest_title.clone().into()),
            ("task_id", self.task_id.clone().into()),
            ("task_title", self.task_title.clone().into()),
            ("points", (self.points as f64).into()),
        ]
    }
}

/// What a task component shows while and after it is attempted.
#[derive(Debug, Clone, Copy)]
pub struct AttemptState {
    /// An attempt is under way (the submit button is disabled).
    pub busy: RwSignal<bool>,
    /// Why the last attempt failed, shown under the task.
    pub failure: RwSignal<Option<String>>,
}

impl AttemptState {
    /// Idle, with no failure shown.
    pub fn new() -> Self {
        Self {
            busy: RwSignal::new(false),
            failure: RwSignal::new(None),
        }
    }
}

impl Default for AttemptState {
    fn default() -> Self {
        Self::new()
    }
}

fn quest_status(campaign: &WidgetCampaignResponse, quest_id: &str) -> Option<QuestStatus> {
    campaign
        .quests()
        .find(|q| q.id == quest_id)
        .map(|q| campaign.quest_status(q))
}

fn all_quests_completed(campaign: &WidgetCampaignResponse) -> bool {
    campaign
        .quests()
        .all(|q| campaign.quest_status(q) == QuestStatus::Completed)
}

/// The status of `quest_id` in the campaign on screen.
fn shown_quest_status(ctx: &WidgetContext, quest_id: &str) -> Option<QuestStatus> {
    ctx.campaign.with_untracked(|load| match load {
        Load::Ready(campaign) => quest_status(campaign, quest_id),
        _ => None,
    })
}

/// Sends `answer` for `task` and applies the outcome to `state` and the widget.
pub fn attempt(ctx: WidgetContext, task: TaskRef, answer: TaskAnswer, state: AttemptState) {
    let Some(token) = ctx.user_token.get_untracked() else {
        state
            .failure
            .set(Some(ctx.t(Text::LoginRequired).to_owned()));
        ctx.emit("login_required", task.params());
        return;
    };
    ctx.emit("task_started", task.params());
    state.busy.set(true);
    state.failure.set(None);
    let config = ctx.config.get_value();
    spawn_local(async move {
        let request = TaskAttemptRequest {
            answer,
            ga_client_id: crate::analytics::ga_client_id::current(),
        };
        let result = attempt_task(&config, &token, &task.task_id, &request).await;
        state.busy.set(false);
        let response = match result {
            Ok(response) => response,
            Err(error) if error.is_unauthorized() => {
                state
                    .failure
                    .set(Some(ctx.t(Text::TokenExpired).to_owned()));
                ctx.emit("token_expired", vec![]);
                return;
            }
            Err(error) => {
                state.failure.set(Some(error.to_string()));
                return;
            }
        };
        match response.outcome {
            AttemptOutcome::Failed => {
                let reason = response.reason.unwrap_or_default();
                let mut params = task.params();
                params.push(("reason", reason.clone().into()));
                ctx.emit("task_failed", params);
                // The partner's failure message, then why.
                let shown = match response.message {
                    Some(message) => format!("{message} {reason}"),
                    None => reason,
                };
                state.failure.set(Some(shown));
                return;
            }
            AttemptOutcome::Completed => {
                ctx.just_completed.set_value(Some(task.task_id.clone()));
                ctx.emit("task_completed", task.params());
            }
            AttemptOutcome::Pending => ctx.emit("task_pending", task.params()),
            AttemptOutcome::AlreadyCompleted => {}
        }
        // The answer carries the user's standing and names the quests it changed: patch
        // those and the points in place (no reload of the campaign).
        let before = shown_quest_status(&ctx, &task.quest_id);
        ctx.patch(response.changed_quests, response.user);
        announce_quest_completion(ctx, &task, before, response.message);
    });
}

/// Announces `quest_completed` (and `campaign_completed`) with their pop-up when the quest
/// of `task` was not completed `before` the patch and is now; otherwise shows the task's
/// completion `message` in a pop-up, if the partner wrote one.
fn announce_quest_completion(
    ctx: WidgetContext,
    task: &TaskRef,
    before: Option<QuestStatus>,
    message: Option<String>,
) {
    let Some((after, campaign_done, points_name, total)) =
        ctx.campaign.with_untracked(|load| match load {
            Load::Ready(fresh) => Some((
                quest_status(fresh, &task.quest_id),
                all_quests_completed(fresh),
                fresh.campaign.points_name.clone(),
                fresh.user.as_ref().map_or(0, |u| u.points),
            )),
            _ => None,
        })
    else {
        return;
    };
    if before == Some(QuestStatus::Completed) || after != Some(QuestStatus::Completed) {
        if let Some(message) = message {
            ctx.show_popup(PopupContent {
                kind: "task_completed",
                title: ctx.t(Text::Completed).to_owned(),
                body: PopupBody::Text(message),
            });
        }
        return;
    }
    ctx.emit(
        "quest_completed",
        vec![
            ("quest_id", task.quest_id.clone().into()),
            ("quest_title", task.quest_title.clone().into()),
        ],
    );
    let (kind, title) = if campaign_done {
        ctx.emit(
            "campaign_completed",
            vec![("points", (total as f64).into())],
        );
        ("campaign_completed", ctx.t(Text::CampaignCompleted))
    } else {
        ("quest_completed", ctx.t(Text::QuestCompleted))
    };
    let earned = format!("{}: {total} {points_name}", ctx.t(Text::YouEarned));
    ctx.show_popup(PopupContent {
        kind,
        title: title.to_owned(),
        body: PopupBody::Text(match message {
            Some(message) => format!("{message} {earned}"),
            None => earned,
        }),
    });
}
