//! An open quest: its description and tasks, and the way back to the campaign.

use leptos::prelude::*;

use crate::components::points::Points;
use crate::context::{Load, WidgetContext};
use crate::i18n::Text;
use crate::markup::escape;
use crate::tasks::TaskItem;

/// The quest named by the context's `open_quest`. `WidgetBody` renders it again when an
/// attempt's answer patches this quest.
#[component]
pub fn QuestView() -> impl IntoView {
    let ctx = WidgetContext::get();
    let quest_id = ctx.open_quest.get_untracked()?;
    // The quest and the points' name only: a large campaign is not cloned for one quest.
    let found = ctx.campaign.with_untracked(|load| match load {
        Load::Ready(data) => Some(data.quests().find(|q| q.id == quest_id).map(|quest| {
            let standing: Vec<_> = quest
                .tasks
                .iter()
                .map(|t| {
                    (
                        data.task_completed(&t.id),
                        data.task_again_at(&t.id),
                        data.task_review(&t.id).cloned(),
                        data.task_streak(&t.id),
                    )
                })
                .collect();
            (quest.clone(), standing, data.campaign.points_name.clone())
        })),
        _ => None,
    })?;
    let Some((quest, standing, points_name)) = found else {
        ctx.open_quest.set(None);
        return None;
    };
    let quest_id = quest.id.clone();
    let quest_title = quest.title.clone();
    let tasks = quest
        .tasks
        .iter()
        .cloned()
        .zip(standing)
        .map(|(task, (completed, again_at, review, streak))| {
            // A task is open within its own window and its quest's.
            let opens_at = quest.starts_at.max(task.starts_at);
            let closes_at = match (quest.ends_at, task.ends_at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            view! {
                <TaskItem
                    task
                    completed
                    again_at
                    opens_at
                    closes_at
                    review
                    streak
                    quest_id=quest_id.clone()
                    quest_title=quest_title.clone()
                    points_name=points_name.clone()
                />
            }
        })
        .collect_view();

    // The quest's image, title and description (sanitized by the server), as markup.
    let heading = format!(
        r#"{image}<h2 class="ql-quest__title">{title}</h2><div class="ql-quest__description">{description}</div>"#,
        image = quest
            .image_url
            .as_deref()
            .map(|src| format!(
                r#"<img class="ql-quest__image" part="quest-image" src="{}" alt="">"#,
                escape(src)
            ))
            .unwrap_or_default(),
        title = escape(&quest.title),
        description = quest.description_html,
    );
    Some(view! {
        <section class="ql-quest" part="quest" aria-label=quest.title.clone()>
            <button class="ql-link-button" part="quest-back" type="button" on:click=move |_| ctx.open_quest.set(None)>
                "← " {ctx.t(Text::Back)}
            </button>
            <div class="ql-static" inner_html=heading></div>
            <Points />
            <ol class="ql-tasks">{tasks}</ol>
        </section>
    })
}
