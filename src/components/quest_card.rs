//! A quest's card in the campaign page.

use leptos::prelude::*;
use questlet_types::{QuestStatus, QuestView};

/// The CSS modifier and visible label of a quest status.
fn status_label(status: QuestStatus) -> (&'static str, &'static str) {
    match status {
        QuestStatus::Locked => ("locked", "Locked"),
        QuestStatus::Available => ("available", "Available"),
        QuestStatus::Completed => ("completed", "Completed"),
    }
}

/// One quest: image, title, points, status and task progress.
#[component]
pub fn QuestCard(
    /// The quest to show.
    quest: QuestView,
    /// What the campaign calls its points.
    points_name: String,
) -> impl IntoView {
    let (modifier, label) = status_label(quest.status);
    let done = quest.tasks.iter().filter(|t| t.completed).count();
    let total = quest.tasks.len();

    view! {
        <article class=format!("ql-card ql-card--{modifier}") part="quest-card" data-status=modifier>
            {quest
                .image_url
                .clone()
                .map(|src| view! { <img class="ql-card__image" src=src alt="" /> })}
            <h3 class="ql-card__title">{quest.title.clone()}</h3>
            <p class="ql-card__meta">
                <span class="ql-card__points">{quest.points} " " {points_name}</span>
                <span class="ql-card__status">{label}</span>
                <span class="ql-card__progress">{done} "/" {total}</span>
            </p>
        </article>
    }
}
