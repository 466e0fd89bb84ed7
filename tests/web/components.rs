//! Components rendered from fixed data: no network.

use leptos::prelude::*;
use questlet::components::campaign::CampaignPage;
use questlet::components::error_box::ErrorBox;
use questlet_types::WidgetCampaignResponse;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::support::{fresh_container, tick};

fn campaign() -> WidgetCampaignResponse {
    serde_json::from_str(include_str!("campaign.json")).expect("fixture parses")
}

#[wasm_bindgen_test]
async fn campaign_page_shows_header_tabs_and_the_first_groups_cards() {
    let container = fresh_container();
    let _handle = leptos::mount::mount_to(
        container.clone(),
        || view! { <CampaignPage data=campaign() /> },
    );
    tick().await;
    let title = container
        .query_selector("[part=campaign-title]")
        .unwrap()
        .unwrap();
    assert_eq!(title.text_content().unwrap().trim(), "Launch");
    let description = container
        .query_selector("[part=campaign-description] strong")
        .unwrap();
    assert!(
        description.is_some(),
        "sanitized HTML description is rendered as HTML"
    );
    let tabs = container.query_selector_all("[part=group-tab]").unwrap();
    assert_eq!(tabs.length(), 2);
    let cards = container.query_selector_all("[part=quest-card]").unwrap();
    assert_eq!(cards.length(), 2);
    let locked = container
        .query_selector("[part=quest-card][data-status=locked]")
        .unwrap();
    assert!(locked.is_some());
    let points = container.query_selector("[part=points]").unwrap().unwrap();
    assert_eq!(points.text_content().unwrap(), "60 XP");
}

#[wasm_bindgen_test]
async fn clicking_a_group_tab_shows_its_quests() {
    let container = fresh_container();
    let _handle = leptos::mount::mount_to(
        container.clone(),
        || view! { <CampaignPage data=campaign() /> },
    );
    tick().await;
    let tabs = container.query_selector_all("[part=group-tab]").unwrap();
    let second: web_sys::HtmlElement = tabs.get(1).unwrap().unchecked_into();
    second.click();
    tick().await;
    let cards = container.query_selector_all("[part=quest-card]").unwrap();
    assert_eq!(cards.length(), 1);
    assert_eq!(
        second.get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    let card_title = container
        .query_selector(".ql-card__title")
        .unwrap()
        .unwrap();
    assert_eq!(card_title.text_content().unwrap(), "Community quest");
}

#[wasm_bindgen_test]
async fn error_box_retry_calls_back() {
    let container = fresh_container();
    let (clicks, set_clicks) = signal(0);
    let retry = Callback::new(move |()| set_clicks.update(|n| *n += 1));
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <ErrorBox title="Oops" message="Server down" retry /> }
    });
    tick().await;
    let button: web_sys::HtmlElement = container
        .query_selector("[part=error-retry]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    button.click();
    tick().await;
    assert_eq!(clicks.get_untracked(), 2);
}
