//! Task components, one file per task type, inside one shell ([`TaskItem`]) that shows the
//! task and hands its answer to the attempt flow (`attempt.rs`).

mod button;
mod form;
mod poll;
mod proof_of_work;
mod quiz;
mod secret_code;
mod visit_link;

use leptos::either::EitherOf7;
use leptos::prelude::*;
use questlet_types::attempt::TaskAnswer;
use questlet_types::{ReviewState, TaskKind, TaskPublicSettings, TaskReview, TaskView};
use wasm_bindgen::JsValue;

use self::secret_code::Entry;
use crate::attempt::{attempt, AttemptState, TaskRef};
use crate::components::schedule::{now_seconds, schedule_text, span, ClockLine};
use crate::context::{Load, WidgetContext};
use crate::events::call_loader;
use crate::i18n::Text;
use crate::markup::escape;

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
    /// The review of the user's proof, for a reviewed custom task they sent one to.
    review: Option<TaskReview>,
    /// The user's live streak on it, in days (a daily task; 0 without one).
    streak: i64,
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
    let (waiting, rejected) = match review.as_ref().map(|r| r.state) {
        Some(ReviewState::Pending) => (!done, false),
        Some(ReviewState::Rejected) => (false, !done),
        _ => (false, false),
    };
    // The streak, then the reviewer's message, after the state.
    let fire = if streak > 0 {
        format!(" · 🔥 {streak}")
    } else {
        String::new()
    };
    let note = review
        .and_then(|r| r.message)
        .map(|m| format!(" · {m}"))
        .unwrap_or_default();
    let open = !done
        && !waiting
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
    // Just completed: shown with the completion animation, this once.
    let fresh = done
        && ctx
            .just_completed
            .with_value(|id| id.as_deref() == Some(task.id.as_str()));
    if fresh {
        ctx.just_completed.set_value(None);
    }
    let state = if done {
        "completed"
    } else if waiting {
        "pending"
    } else if rejected {
        "rejected"
    } else {
        "available"
    };
    // A task checked on chain: the loader brings this widget the wallet chunk
    // (`public/wallet.js`: connecting, signing in, sending the task's transaction), once.
    if task.kind.needs_wallet() {
        ctx.host
            .with_value(|host| call_loader("__wallet", host, &JsValue::UNDEFINED));
    }
    // An `api` task has no input: the partner's backend reports it.
    let by_partner = task.kind == TaskKind::Api;
    // "✓ Completed", with its next turn when it repeats; or when it opens or closes.
    let line = move |now: i64| {
        if done {
            let again = again_at
                .map(|at| format!(" · {} {}", ctx.t(Text::AgainIn), span(at - now)))
                .unwrap_or_default();
            Some(format!("✓ {}{fire}{again}{note}", ctx.t(Text::Completed)))
        } else if waiting {
            Some(format!("⏳ {}", ctx.t(Text::InReview)))
        } else if rejected {
            Some(format!("✗ {}{note}", ctx.t(Text::NotAccepted)))
        } else {
            schedule_text(now, opens_at, closes_at, ctx.lang)
                .or_else(|| by_partner.then(|| ctx.t(Text::ByPartner).to_owned()))
                .or_else(|| (streak > 0).then(|| format!("🔥 {streak}")))
        }
    };
    // `EitherOf7` rather than `into_any`: a type-erased view keeps every rendering method
    // of every task type in the bundle, used or not.
    let input = open.then(|| match task.settings.clone() {
        TaskPublicSettings::VisitLink { url } => Some(EitherOf7::A(
            view! { <visit_link::VisitLink url submit busy /> },
        )),
        TaskPublicSettings::SecretCode { placeholder } => Some(EitherOf7::B(
            view! { <secret_code::SecretCode placeholder entry=Entry::Secret submit busy /> },
        )),
        TaskPublicSettings::InviteCode { placeholder } => Some(EitherOf7::B(
            view! { <secret_code::SecretCode placeholder entry=Entry::Invite submit busy /> },
        )),
        TaskPublicSettings::Custom { proof, placeholder } => Some(EitherOf7::B(
            view! { <secret_code::SecretCode placeholder entry=Entry::Proof(proof) submit busy /> },
        )),
        TaskPublicSettings::Quiz { questions } => {
            Some(EitherOf7::C(view! { <quiz::Quiz questions submit busy /> }))
        }
        TaskPublicSettings::Poll { question, options } => Some(EitherOf7::D(
            view! { <poll::Poll question options submit busy /> },
        )),
        TaskPublicSettings::Form { fields } => {
            Some(EitherOf7::E(view! { <form::Form fields submit busy /> }))
        }
        TaskPublicSettings::ProofOfWork {} => Some(EitherOf7::F(view! {
            <proof_of_work::ProofOfWork task_id=task.id.clone() submit busy failure />
        })),
        TaskPublicSettings::HttpRequest {} => Some(EitherOf7::G(view! {
            <button::ActionButton label=Text::Check answer=TaskAnswer::HttpRequest {} submit busy />
        })),
        TaskPublicSettings::DailyCheckIn {} => Some(EitherOf7::G(view! {
            <button::ActionButton label=Text::CheckIn answer=TaskAnswer::DailyCheckIn {} submit busy />
        })),
        TaskPublicSettings::Referral { .. } => Some(EitherOf7::G(view! {
            <button::ActionButton label=Text::Check answer=TaskAnswer::Referral {} submit busy shows=referral_link() />
        })),
        TaskPublicSettings::ContractTransaction { .. } => Some(EitherOf7::B(
            view! { <secret_code::SecretCode placeholder=ctx.t(Text::TransactionHash).to_owned() entry=Entry::Transaction submit busy /> },
        )),
        TaskPublicSettings::NativeBalance {}
        | TaskPublicSettings::Erc20Balance {}
        | TaskPublicSettings::Erc721Owner {}
        | TaskPublicSettings::Erc1155Balance {}
        | TaskPublicSettings::TransactionCount {} => Some(EitherOf7::G(view! {
            <button::ActionButton label=Text::Check answer=TaskAnswer::WalletCheck {} submit busy />
        })),
        TaskPublicSettings::Api {} => None,
    });

    // Title, points and description (sanitized by the server), as markup.
    let heading = format!(
        r#"<div class="ql-task__header"><h3 class="ql-task__title">{title}</h3><span class="ql-task__points">+{points} {points_name}</span></div><div class="ql-task__description">{description}</div>"#,
        title = escape(&task.title),
        points = task.points,
        points_name = escape(&points_name),
        description = task.description_html,
    );
    view! {
        <li class=format!("ql-task ql-task--{state}{}", if fresh { " ql-task--fresh" } else { "" }) part="task" data-kind=task.kind.as_str() data-task=task.id.clone() data-state=state>
            <div class="ql-static" inner_html=heading></div>
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

/// The user's referral link to share (or their code, where the campaign has no page to
/// link to); none for an anonymous visitor.
fn referral_link() -> Option<String> {
    WidgetContext::get()
        .campaign
        .with_untracked(|load| match load {
            Load::Ready(data) => data.user.as_ref().map(|user| {
                if user.referral_link.is_empty() {
                    user.referral_code.clone()
                } else {
                    user.referral_link.clone()
                }
            }),
            _ => None,
        })
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
