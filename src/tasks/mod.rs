//! Task components, one file per task type, inside one shell ([`TaskItem`]) that owns the
//! attempt: it sends the answer, shows the outcome, reloads progress, emits the events and
//! opens the completion pop-ups.

mod form;
mod poll;
mod quiz;
mod secret_code;
mod visit_link;

use leptos::either::EitherOf5;
use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::attempt::{AttemptOutcome, TaskAnswer, TaskAttemptRequest};
use questlet_types::{QuestStatus, TaskPublicSettings, TaskView, WidgetCampaignResponse};

use crate::api::{attempt_task, fetch_campaign};
use crate::context::{Load, PopupBody, PopupContent, WidgetContext};
use crate::i18n::Text;

fn quest_status(campaign: &WidgetCampaignResponse, quest_id: &str) -> Option<QuestStatus> {
    campaign
        .groups
        .iter()
        .flat_map(|g| &g.quests)
        .find(|q| q.id == quest_id)
        .map(|q| q.status)
}

fn all_quests_completed(campaign: &WidgetCampaignResponse) -> bool {
    campaign
        .groups
        .iter()
        .flat_map(|g| &g.quests)
        .all(|q| q.status == QuestStatus::Completed)
}

/// The ids and titles every task event carries.
#[derive(Clone)]
struct TaskRef {
    task_id: String,
    task_title: String,
    quest_id: String,
    quest_title: String,
    points: i64,
}

impl TaskRef {
    fn params(&self) -> crate::events::Params {
        vec![
            ("quest_id", self.quest_id.clone().into()),
            ("quest_title", self.quest_title.clone().into()),
            ("task_id", self.task_id.clone().into()),
            ("task_title", self.task_title.clone().into()),
            ("points", (self.points as f64).into()),
        ]
    }
}

/// Sends an attempt and applies its outcome.
fn attempt(
    ctx: WidgetContext,
    task: TaskRef,
    answer: TaskAnswer,
    busy: RwSignal<bool>,
    failure: RwSignal<Option<String>>,
) {
    let Some(token) = ctx.user_token.get_untracked() else {
        failure.set(Some(ctx.t(Text::LoginRequired).to_owned()));
        ctx.emit("login_required", task.params());
        return;
    };
    ctx.emit("task_started", task.params());
    busy.set(true);
    failure.set(None);
    let config = ctx.config.get_value();
    spawn_local(async move {
        let request = TaskAttemptRequest {
            answer,
            ga_client_id: crate::analytics::ga_client_id::current(),
        };
        let result = attempt_task(&config, &token, &task.task_id, &request).await;
        busy.set(false);
        let response = match result {
            Ok(response) => response,
            Err(error) if error.is_unauthorized() => {
                failure.set(Some(ctx.t(Text::TokenExpired).to_owned()));
                ctx.emit("token_expired", vec![]);
                return;
            }
            Err(error) => {
                failure.set(Some(error.to_string()));
                return;
            }
        };
        if response.outcome == AttemptOutcome::Failed {
            let reason = response.reason.unwrap_or_default();
            let mut params = task.params();
            params.push(("reason", reason.clone().into()));
            ctx.emit("task_failed", params);
            failure.set(Some(reason));
            return;
        }
        if response.outcome == AttemptOutcome::Completed {
            ctx.emit("task_completed", task.params());
        }
        // Reload to show the server's view of points and quest status.
        let before = match ctx.campaign.get_untracked() {
            Load::Ready(c) => quest_status(&c, &task.quest_id),
            _ => None,
        };
        let load = ctx.start_load();
        let Ok(fresh) = fetch_campaign(&config, Some(&token)).await else {
            return;
        };
        // A token change since then has its own, newer load: this answer is stale.
        if !ctx.is_newest_load(load) {
            return;
        }
        let after = quest_status(&fresh, &task.quest_id);
        let campaign_done = all_quests_completed(&fresh);
        let points_name = fresh.campaign.points_name.clone();
        let total = fresh.user.as_ref().map_or(0, |u| u.points);
        ctx.campaign.set(Load::Ready(Box::new(fresh)));
        if before != Some(QuestStatus::Completed) && after == Some(QuestStatus::Completed) {
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
            ctx.show_popup(PopupContent {
                kind,
                title: title.to_owned(),
                body: PopupBody::Text(format!("{}: {total} {points_name}", ctx.t(Text::YouEarned))),
            });
        }
    });
}

/// One task: title, description, points and state, with the input of its type.
#[component]
pub fn TaskItem(
    /// The task.
    task: TaskView,
    /// Its quest's id (for events).
    quest_id: String,
    /// Its quest's title (for events).
    quest_title: String,
    /// What the campaign calls its points.
    points_name: String,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let busy = RwSignal::new(false);
    // Why the last attempt failed, shown under the task.
    let failure = RwSignal::new(None::<String>);
    let task_ref = TaskRef {
        task_id: task.id.clone(),
        task_title: task.title.clone(),
        quest_id,
        quest_title,
        points: task.points,
    };
    let submit = Callback::new(move |answer: TaskAnswer| {
        attempt(ctx, task_ref.clone(), answer, busy, failure);
    });
    let state = if task.completed {
        "completed"
    } else {
        "available"
    };
    let completed = task.completed;
    // `EitherOf5` rather than `into_any`: a type-erased view keeps every rendering method
    // of every task type in the bundle, used or not.
    let input = (!completed).then(|| match task.settings.clone() {
        TaskPublicSettings::VisitLink { url } => {
            EitherOf5::A(view! { <visit_link::VisitLink url submit busy /> })
        }
        TaskPublicSettings::SecretCode { placeholder } => {
            EitherOf5::B(view! { <secret_code::SecretCode placeholder submit busy /> })
        }
        TaskPublicSettings::Quiz { questions } => {
            EitherOf5::C(view! { <quiz::Quiz questions submit busy /> })
        }
        TaskPublicSettings::Poll { question, options } => {
            EitherOf5::D(view! { <poll::Poll question options submit busy /> })
        }
        TaskPublicSettings::Form { fields } => {
            EitherOf5::E(view! { <form::Form fields submit busy /> })
        }
    });

    view! {
        <li class=format!("ql-task ql-task--{state}") part="task" data-kind=task.kind.as_str() data-state=state>
            <div class="ql-task__header">
                <h3 class="ql-task__title">{task.title.clone()}</h3>
                <span class="ql-task__points">"+" {task.points} " " {points_name}</span>
            </div>
            <div class="ql-task__description" inner_html=task.description_html.clone()></div>
            {completed.then(|| view! { <p class="ql-task__done">"✓ " {ctx.t(Text::Completed)}</p> })}
            {input}
            {move || {
                failure
                    .get()
                    .map(|message| {
                        view! {
                            <p class="ql-task__message" part="task-message" role="alert">{message}</p>
                        }
                    })
            }}
        </li>
    }
}

/// The submit button every task type ends with.
#[component]
fn SubmitButton(
    /// Disables the button while an attempt is under way.
    busy: RwSignal<bool>,
    /// The button's text.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    view! {
        <button class="ql-button" part="task-submit" type="submit" disabled=move || busy.get()>
            {label}
        </button>
    }
}
