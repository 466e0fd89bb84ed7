//! The campaign page: header, group tabs and the selected group's quest cards.

use leptos::prelude::*;

use crate::components::points::Points;
use crate::components::quest_card::QuestCard;
use crate::components::schedule::Schedule;
use crate::context::{Load, WidgetContext};

/// The loaded campaign of the widget's context.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let ctx = WidgetContext::get();
    let Load::Ready(data) = ctx.campaign.get_untracked() else {
        return None;
    };
    let selected_group = ctx.selected_group;
    let points_name = data.campaign.points_name.clone();
    let tabs = data
        .groups
        .iter()
        .enumerate()
        .map(|(index, group)| {
            let selected = move || selected_group.get() == index;
            view! {
                <button
                    class="ql-tab"
                    class:ql-tab--selected=selected
                    part="group-tab"
                    role="tab"
                    type="button"
                    aria-selected=move || selected().to_string()
                    on:click=move |_| selected_group.set(index)
                >
                    {group.title.clone()}
                </button>
            }
        })
        .collect_view();
    let groups = StoredValue::new(data.groups.clone());
    let cards = move || {
        let points_name = points_name.clone();
        groups.with_value(|groups| {
            groups.get(selected_group.get()).map(|group| {
                group
                    .quests
                    .iter()
                    .cloned()
                    .map(|quest| view! { <QuestCard quest points_name=points_name.clone() /> })
                    .collect_view()
            })
        })
    };

    Some(view! {
        <section class="ql-campaign" part="campaign" aria-label=data.campaign.title.clone()>
            <header class="ql-campaign__header">
                <h2 class="ql-campaign__title" part="campaign-title">
                    {data.campaign.title.clone()}
                </h2>
                <div
                    class="ql-campaign__description"
                    part="campaign-description"
                    inner_html=data.campaign.description_html.clone()
                ></div>
                <Schedule />
                <Points />
            </header>
            <div class="ql-tabs" role="tablist">
                {tabs}
            </div>
            <div class="ql-cards" role="tabpanel">
                {cards}
            </div>
        </section>
    })
}
