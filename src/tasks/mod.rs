//! Task components, one file per task type, inside one shell ([`TaskItem`]) that shows the
//! task and hands its answer to the attempt flow (`attempt.rs`).

mod form;
mod poll;
mod quiz;
mod secret_code;
mod visit_link;

use leptos::either::EitherOf5;
use leptos::prelude::*;
use questlet_types::attempt::TaskAnswer;
use questlet_types::{TaskKind, TaskPublicSettings, TaskView};

use crate::attempt::{attempt, AttemptState, TaskRef};
use crate::components::schedule::{now_seconds, schedule_text, span, ClockLine};
use crate::context::WidgetContext;
use crate::i18n::Text;

/// One task: title, description, points and state, with the input of its type.
#[component]
pub fn TaskItem(
    /// The task.
    task: TaskView,
    /// Whether the user has completed it (for now, if it repeats).
    completed: bool,
    /// When the user may complete it again, if it repeats.
    again_at: Option<i64>,
    /// When it opens (its own start or its quest's, the later).
    opens_at: Option<i64>,
    /// When it closes (its own end or its quest's, the earlier).
    closes_at: Option<i64>,
    /// Its quest's id (for events).
    quest_id: String,
    /// Its quest's title (for events).
    quest_title: String,
    /// What the campaign calls its points.
    points_name: String,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let state = AttemptState::new();
    let AttemptState { busy, failure } = state;
    let task_ref = TaskRef {
        task_id: task.id.clone(),
        task_title: task.title.clone(),
        quest_id: quest_id.clone(),
        quest_title,
        points: task.points,
    };
    let submit = Callback::new(move |answer: TaskAnswer| {
        attempt(ctx, task_ref.clone(), answer, state);
    });
    let at_render = now_seconds();
    // Done until its next turn, if it repeats; open within its window. Decided once: when
    // that changes, the quest is painted again (below), so no task's input is reactive.
    let done = completed && again_at.is_none_or(|at| at_render < at);
    let open = !done
        && opens_at.is_none_or(|at| at_render >= at)
        && closes_at.is_none_or(|at| at_render < at);
    let next_change = [again_at.filter(|_| done), opens_at, closes_at]
        .into_iter()
        .flatten()
        .filter(|&at| at > at_render)
        .min();
    if let Some(at) = next_change {
        let repaint = move || {
            if let Some(version) = ctx.quest_version(&quest_id) {
                version.update(|n| *n += 1);
            }
        };
        let wait = std::time::Duration::from_secs((at - at_render) as u64 + 1);
        if let Ok(handle) = set_timeout_with_handle(repaint, wait) {
            on_cleanup(move || handle.clear());
        }
    }
    let state = if done { "completed" } else { "available" };
    // An `api` task has no input: the partner's backend reports it.
    let by_partner = task.kind == TaskKind::Api;
    // "✓ Completed", with its next turn when it repeats; or when it opens or closes.
    let line = move |now: i64| {
        if done {
            let again = again_at
                .map(|at| format!(" · {} {}", ctx.t(Text::AgainIn), span(at - now)))
                .unwrap_or_default();
            Some(format!("✓ {}{again}", ctx.t(Text::Completed)))
        } else {
            schedule_text(now, opens_at, closes_at, ctx.lang)
                .or_else(|| by_partner.then(|| ctx.t(Text::ByPartner).to_owned()))
        }
    };
    // `EitherOf5` rather than `into_any`: a type-erased view keeps every rendering method
    // of every task type in the bundle, used or not.
    let input = open.then(|| match task.settings.clone() {
        TaskPublicSettings::VisitLink { url } => Some(EitherOf5::A(
            view! { <visit_link::VisitLink url submit busy /> },
        )),
        TaskPublicSettings::SecretCode { placeholder } => Some(EitherOf5::B(
            view! { <secret_code::SecretCode placeholder invite=false submit busy /> },
        )),
        TaskPublicSettings::InviteCode { placeholder } => Some(EitherOf5::B(
            view! { <secret_code::SecretCode placeholder invite=true submit busy /> },
        )),
        TaskPublicSettings::Quiz { questions } => {
            Some(EitherOf5::C(view! { <quiz::Quiz questions submit busy /> }))
        }
        TaskPublicSettings::Poll { question, options } => Some(EitherOf5::D(
            view! { <poll::Poll question options submit busy /> },
        )),
        TaskPublicSettings::Form { fields } => {
            Some(EitherOf5::E(view! { <form::Form fields submit busy /> }))
        }
        TaskPublicSettings::Api {} => None,
    });

    view! {
        <li class=format!("ql-task ql-task--{state}") part="task" data-kind=task.kind.as_str() data-state=state>
            <div class="ql-task__header">
                <h3 class="ql-task__title">{task.title.clone()}</h3>
                <span class="ql-task__points">"+" {task.points} " " {points_name}</span>
            </div>
            <div class="ql-task__description" inner_html=task.description_html.clone()></div>
            <ClockLine text=Box::new(line) class="ql-task__done" part="task-state" />
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
