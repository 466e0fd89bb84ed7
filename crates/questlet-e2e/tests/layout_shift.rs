//! Nothing moves while the widget loads and its images arrive: the browser's own
//! layout-shift entries (the Layout Instability API behind CLS) sum to 0 on a host page
//! that reserves the widget's room, for a signed-in user whose campaign, quest cards and
//! rank all have images that arrive long after the widget has painted. Real server, release
//! widget, Chromium.

use std::time::Duration;

use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::find::{eval, poll, wait_for_shadow_text};
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::json;

/// How late the images arrive, in milliseconds.
const IMAGE_DELAY_MS: u64 = 1_500;

#[tokio::test]
async fn the_widget_and_its_late_images_shift_nothing() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    // Pictures whose own proportions differ from the boxes the widget gives them.
    let image = |width: u32, height: u32| {
        format!("{}/slow-image/{IMAGE_DELAY_MS}/{width}/{height}", pages.url)
    };
    let quests: Vec<_> = (1..=3)
        .map(|n| {
            json!({
                "key": format!("q{n}"),
                "title": format!("Quest {n} with a picture"),
                "description": "A quest.",
                "image_url": image(300, 300),
                "tasks": [{ "key": "visit", "title": "Visit", "points": 10,
                            "config": { "type": "visit_link", "url": "https://example.com/" } }],
            })
        })
        .collect();
    let created = reqwest::Client::new()
        .post(format!("{}/v1/campaigns", server.url))
        .bearer_auth(&server.demo_api_token)
        .json(&json!({
            "slug": "late-images",
            "title": "Late images",
            "description": "Every picture here arrives late.",
            "image_url": image(600, 300),
            "status": "published",
            "points_name": "XP",
            "ranks": [{ "name": "Starter", "min_points": 0, "image_url": image(40, 20) }],
            "groups": [{ "key": "main", "title": "Main", "quests": quests }],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    let token = server.demo_user_token("lena").await;

    let browser = Browser::start().await;
    let client = &browser.client;
    client
        .goto(&format!("{}#{token}", pages.page("layout-shift.html")))
        .await
        .unwrap();
    wait_for_shadow_text(client, "#quests", "[part=rank]").await;
    let images = "[...document.querySelector('#quests').shadowRoot.querySelectorAll('img')]";
    // Painted before its images arrived (5 of them: the campaign's, three cards', the rank's).
    assert_eq!(
        eval(
            client,
            &format!("[{images}.length, {images}.some(i => !i.complete)]")
        )
        .await,
        json!([5, true]),
        "the widget painted before its images arrived"
    );
    let arrived = poll(async || {
        (eval(
            client,
            &format!("{images}.every(i => i.complete && i.naturalWidth > 0)"),
        )
        .await
            == json!(true))
        .then_some(())
    })
    .await;
    assert!(arrived.is_some(), "the images never arrived");
    // Layout-shift entries are reported after the frame that shifted.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        eval(client, "window.__shifts").await,
        json!([]),
        "nothing may move while the widget loads"
    );
    assert_eq!(eval(client, "window.__errors").await, json!([]));
    browser.close().await;
}
