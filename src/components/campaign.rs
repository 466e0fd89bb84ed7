//! The campaign page: header, tabs (the groups, then the leaderboard and, when the campaign
//! has any, the rewards) and the selected tab's panel.

use std::fmt::Write;

use leptos::prelude::*;
use questlet_types::CampaignView;

use wasm_bindgen::JsCast;
use web_sys::{Element, MouseEvent};

use crate::components::panel::{Panel, PanelKind};
use crate::components::points::Points;
use crate::components::quest_card::write_card;
use crate::components::schedule::Schedule;
use crate::context::{Load, WidgetContext};
use crate::i18n::Text;
use crate::markup::escape;

/// The header's parts that never change: the campaign's image, title and description (HTML
/// the server sanitized). The user's badge and the schedule join them (CSS puts each in
/// its place).
fn header_html(campaign: &CampaignView) -> String {
    let mut out = String::new();
    if let Some(src) = &campaign.image_url {
        let _ = write!(
            out,
            r#"<img class="ql-campaign__image" part="campaign-image" src="{}" alt="">"#,
            escape(src)
        );
    }
    let _ = write!(
        out,
        r#"<h2 class="ql-campaign__title" part="campaign-title">{}</h2><div class="ql-campaign__description" part="campaign-description">{}</div>"#,
        escape(&campaign.title),
        campaign.description_html
    );
    out
}

/// The loaded campaign of the widget's context.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let ctx = WidgetContext::get();
    // The header's static part as markup (image, title, description: `markup.rs` says
    // why) and the tabs' text: the campaign stays in the context, read in place.
    let (title, header, mut tab_titles, has_rewards) =
        ctx.campaign.with_untracked(|load| match load {
            Load::Ready(data) => Some((
                data.campaign.title.clone(),
                header_html(&data.campaign),
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
    // A group's tab: its cards, written as markup (`quest_card.rs`), or what an empty one
    // says; the same when the campaign has no groups at all. Nothing for a panel's tab.
    let cards = move || {
        let index = selected_group.get();
        ctx.campaign.with_untracked(|load| {
            let Load::Ready(data) = load else {
                return String::new();
            };
            match data.groups.get(index) {
                Some(group) if !group.quests.is_empty() => {
                    let mut out = String::new();
                    for quest in &group.quests {
                        write_card(&mut out, data, quest, ctx.lang);
                    }
                    out
                }
                None if groups > 0 => String::new(),
                _ => format!(
                    r#"<p class="ql-empty" part="empty">{}</p>"#,
                    ctx.t(Text::NoQuests)
                ),
            }
        })
    };
    // A card activated (click, Enter or Space): open its quest.
    let open = move |event: MouseEvent| {
        let card = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
            .and_then(|element| element.closest("[data-quest]").ok().flatten());
        let Some(id) = card.and_then(|card| card.get_attribute("data-quest")) else {
            return;
        };
        let title = ctx
            .campaign
            .with_untracked(|load| match load {
                Load::Ready(data) => data.quests().find(|q| q.id == id).map(|q| q.title.clone()),
                _ => None,
            })
            .unwrap_or_default();
        ctx.emit(
            "quest_opened",
            vec![
                ("quest_id", id.clone().into()),
                ("quest_title", title.into()),
            ],
        );
        ctx.open_quest.set(Some(id));
    };
    let panel = move || {
        let index = selected_group.get();
        (index >= groups).then(|| {
            let kind = if index == groups {
                PanelKind::Leaderboard
            } else {
                PanelKind::Rewards
            };
            view! { <Panel kind /> }
        })
    };

    Some(view! {
        <section class="ql-campaign" part="campaign" aria-label=title.clone()>
            <header class="ql-campaign__header">
                <div class="ql-static" inner_html=header></div>
                <Points />
                <Schedule />
            </header>
            <div class="ql-tabs" role="tablist">
                {tabs}
            </div>
            <div role="tabpanel">
                <div class="ql-cards" on:click=open inner_html=cards></div>
                {panel}
            </div>
        </section>
    })
}
