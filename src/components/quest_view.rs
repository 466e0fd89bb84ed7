//! An open quest: its description and tasks, and the way back to the campaign.

use leptos::prelude::*;

use crate::components::points::Points;
use crate::context::{Load, WidgetContext};
use crate::i18n::Text;
use crate::tasks::TaskItem;

/// The quest named by the context's `open_quest`.
#[component]
pub fn QuestView() -> impl IntoView {
    let ctx = WidgetContext::get();
    let (Load::Ready(data), Some(quest_id)) =
        (ctx.campaign.get_untracked(), ctx.open_quest.get_untracked())
    else {
        return None;
    };
    let Some(quest) = data
        .groups
        .iter()
        .flat_map(|g| &g.quests)
        .find(|q| q.id == quest_id)
        .cloned()
    else {
        ctx.open_quest.set(None);
        return None;
    };
    let points_name = data.campaign.points_name.clone();
    let quest_id = quest.id.clone();
    let quest_title = quest.title.clone();
    let tasks = quest
        .tasks
        .iter()
        .cloned()
        .map(|task| {
            view! {
                <TaskItem
                    task
                    quest_id=quest_id.clone()
                    quest_title=quest_title.clone()
                    points_name=points_name.clone()
                />
            }
        })
        .collect_view();

    Some(view! {
        <section class="ql-quest" part="quest" aria-label=quest.title.clone()>
            <button class="ql-link-button" part="quest-back" type="button" on:click=move |_| ctx.open_quest.set(None)>
                "← " {ctx.t(Text::Back)}
            </button>
            <h2 class="ql-quest__title">{quest.title.clone()}</h2>
            <div class="ql-quest__description" inner_html=quest.description_html.clone()></div>
            <Points />
            <ol class="ql-tasks">{tasks}</ol>
        </section>
    })
}
