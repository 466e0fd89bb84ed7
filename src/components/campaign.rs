//! The campaign page: header, tabs (the groups, then the leaderboard and, when the campaign
//! has any, the rewards) and the selected tab's panel.

use leptos::prelude::*;

use leptos::either::Either;

use crate::components::panel::{Panel, PanelKind};
use crate::components::points::Points;
use crate::components::quest_card::QuestCard;
use crate::components::schedule::Schedule;
use crate::context::{Load, WidgetContext};
use crate::i18n::Text;

/// The loaded campaign of the widget's context.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let ctx = WidgetContext::get();
    // The header's and tabs' text only: the campaign stays in the context, read in place.
    let (title, description_html, points_name, mut tab_titles, has_rewards) =
        ctx.campaign.with_untracked(|load| match load {
            Load::Ready(data) => Some((
                data.campaign.title.clone(),
                data.campaign.description_html.clone(),
                data.campaign.points_name.clone(),
                data.groups
                    .iter()
                    .map(|g| g.title.clone())
                    .collect::<Vec<_>>(),
                data.campaign.rewards > 0,
            )),
            _ => None,
        })?;
    // The tabs after the groups'.
    let groups = tab_titles.len();
    tab_titles.push(ctx.t(Text::Leaderboard).to_owned());
    if has_rewards {
        tab_titles.push(ctx.t(Text::Rewards).to_owned());
    }
    let selected_group = ctx.selected_group;
    let tabs = tab_titles
        .into_iter()
        .enumerate()
        .map(|(index, group_title)| {
            let selected = move || selected_group.get() == index;
            view! {
                <button
                    class="ql-tab"
                    class:ql-tab--selected=selected
                    part=if index < groups { "group-tab" } else { "panel-tab" }
                    role="tab"
                    type="button"
                    aria-selected=move || selected().to_string()
                    on:click=move |_| selected_group.set(index)
                >
                    {group_title}
                </button>
            }
        })
        .collect_view();
    let panel = move || {
        let index = selected_group.get();
        if index >= groups {
            let kind = if index == groups {
                PanelKind::Leaderboard
            } else {
                PanelKind::Rewards
            };
            return Some(Either::Left(view! { <Panel kind /> }));
        }
        ctx.campaign.with_untracked(|load| {
            let Load::Ready(data) = load else {
                return None;
            };
            let group = data.groups.get(index)?;
            Some(Either::Right(
                group
                    .quests
                    .iter()
                    .map(|quest| {
                        let status = data.quest_status(quest);
                        let done = quest
                            .tasks
                            .iter()
                            .filter(|t| data.task_completed(&t.id))
                            .count();
                        let quest = quest.clone();
                        let points_name = points_name.clone();
                        view! { <QuestCard quest status done points_name /> }
                    })
                    .collect_view(),
            ))
        })
    };

    Some(view! {
        <section class="ql-campaign" part="campaign" aria-label=title.clone()>
            <header class="ql-campaign__header">
                <h2 class="ql-campaign__title" part="campaign-title">
                    {title.clone()}
                </h2>
                <div
                    class="ql-campaign__description"
                    part="campaign-description"
                    inner_html=description_html
                ></div>
                <Schedule />
                <Points />
            </header>
            <div class="ql-tabs" role="tablist">
                {tabs}
            </div>
            <div class="ql-cards" role="tabpanel">
                {panel}
            </div>
        </section>
    })
}
