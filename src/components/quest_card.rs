//! A quest's card in the campaign page; activating it opens the quest.

use leptos::prelude::*;
use questlet_types::{QuestStatus, QuestView};

use crate::context::WidgetContext;
use crate::i18n::Text;

/// The CSS modifier and visible label of a quest status.
fn status_label(status: QuestStatus) -> (&'static str, Text) {
    match status {
        QuestStatus::Locked => ("locked", Text::Locked),
        QuestStatus::Available => ("available", Text::Available),
        QuestStatus::Completed => ("completed", Text::Completed),
    }
}

/// One quest: image, title, points, status and task progress. A button, so it works from
/// the keyboard; locked quests are disabled.
#[component]
pub fn QuestCard(
    /// The quest to show.
    quest: QuestView,
    /// The user's status for it.
    status: QuestStatus,
    /// How many of its tasks the user has completed.
    done: usize,
    /// What the campaign calls its points.
    points_name: String,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let (modifier, label) = status_label(status);
    let total = quest.tasks.len();
    let locked = status == QuestStatus::Locked;
    let (id, title) = (quest.id.clone(), quest.title.clone());
    let open = move |_| {
        ctx.emit(
            "quest_opened",
            vec![
                ("quest_id", id.clone().into()),
                ("quest_title", title.clone().into()),
            ],
        );
        ctx.open_quest.set(Some(id.clone()));
    };

    view! {
        <button
            type="button"
            class=format!("ql-card ql-card--{modifier}")
            part="quest-card"
            data-status=modifier
            disabled=locked
            on:click=open
        >
            {quest
                .image_url
                .clone()
                .map(|src| view! { <img class="ql-card__image" src=src alt="" /> })}
            <h3 class="ql-card__title">{quest.title.clone()}</h3>
            <p class="ql-card__meta">
                <span class="ql-card__points">{quest.points} " " {points_name}</span>
                <span class="ql-card__status">{ctx.t(label)}</span>
                <span class="ql-card__progress">{done} "/" {total}</span>
            </p>
        </button>
    }
}
