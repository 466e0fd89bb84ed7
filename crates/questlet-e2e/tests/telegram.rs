//! The widget inside a Telegram Mini App: a host page with Telegram's own script (npm
//! `@twa-dev/sdk`) opened with launch parameters in the URL, as Telegram opens it. The
//! widget signs the user in from initData (signed by `@telegram-apps/init-data-node`), wears
//! Telegram's theme and follows its changes, Telegram's BackButton closes an open quest, a
//! visit link opens through Telegram and a completion buzzes. Real server, release widget,
//! Chromium.

use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::find::{
    click_in_shadow, eval, poll, wait_for_shadow_absent, wait_for_shadow_text,
    wait_for_shadow_text_eq,
};
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::server::QuestletServer;
use questlet_e2e::fixtures::telegram::{launch_hash, signed_init_data};
use serde_json::json;

const BOT_TOKEN: &str = "7000000001:AAE-questlet-e2e-bot-token_0123456789";

/// A computed style of the element `inner` in the widget's shadow root.
fn style_of(inner: &str, property: &str) -> String {
    format!(
        "getComputedStyle(document.querySelector('#quests').shadowRoot.querySelector('{inner}')).{property}"
    )
}

#[tokio::test]
async fn a_mini_app_signs_in_from_init_data_wears_telegrams_theme_and_goes_back() {
    let server = QuestletServer::start().await;
    let registered = reqwest::Client::new()
        .post(format!("{}/v1/telegram/bots", server.url))
        .bearer_auth(&server.demo_api_token)
        .json(&json!({"token": BOT_TOKEN}))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 201);
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let init_data = signed_init_data(r#"{"id":5551234,"first_name":"Mini"}"#, BOT_TOKEN, 0, None);
    let theme = json!({
        "bg_color": "#102030",
        "secondary_bg_color": "#203040",
        "text_color": "#fafafa",
        "hint_color": "#808080",
        "button_color": "#ff6600",
        "button_text_color": "#000000"
    });
    let url = format!(
        "{}{}",
        pages.page("telegram.html"),
        launch_hash(&init_data, &theme)
    );
    client.goto(&url).await.unwrap();

    // Signed in as the Telegram user: their points show (an anonymous visitor has none).
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "0 XP").await;
    let token_user = eval(client, "window.Telegram.WebApp.initDataUnsafe.user.id").await;
    assert_eq!(token_user, json!(5_551_234));

    // Telegram's colours, through the widget's custom properties.
    assert_eq!(
        eval(client, &style_of(".ql-root", "backgroundColor")).await,
        json!("rgb(16, 32, 48)")
    );
    assert_eq!(
        eval(client, &style_of(".ql-root", "color")).await,
        json!("rgb(250, 250, 250)")
    );

    // Opening a quest shows Telegram's BackButton; pressing it closes the quest.
    click_in_shadow(client, "#quests", "[part~=quest-card]").await;
    wait_for_shadow_text(client, "#quests", "[part~=quest-back]").await;
    let shown = poll(async || {
        (eval(client, "window.Telegram.WebApp.BackButton.isVisible").await == json!(true))
            .then_some(())
    })
    .await;
    assert!(shown.is_some(), "the BackButton never showed");
    client
        .execute(
            "window.Telegram.WebView.receiveEvent('back_button_pressed');",
            vec![],
        )
        .await
        .unwrap();
    wait_for_shadow_absent(client, "#quests", "[part~=quest-back]").await;
    let hidden = poll(async || {
        (eval(client, "window.Telegram.WebApp.BackButton.isVisible").await == json!(false))
            .then_some(())
    })
    .await;
    assert!(
        hidden.is_some(),
        "the BackButton stayed after the quest closed"
    );
    // Telegram heard it: the button was set up visible, then hidden.
    let events = eval(
        client,
        "window.__telegramEvents.filter(e => e[0] === 'web_app_setup_back_button').map(e => JSON.parse(e[1]).is_visible)",
    )
    .await;
    let events = events.as_array().unwrap();
    assert!(
        events.contains(&json!(true)) && events.last() == Some(&json!(false)),
        "{events:?}"
    );

    // A visit task's link opens through Telegram, and its completion buzzes.
    click_in_shadow(client, "#quests", "[part~=quest-card]").await;
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=visit_link] [part=task-submit]",
    )
    .await;
    wait_for_shadow_text(
        client,
        "#quests",
        "[data-kind=visit_link][data-state=completed]",
    )
    .await;
    let sent = |event: &str| {
        format!(
            "window.__telegramEvents.filter(e => e[0] === '{event}').map(e => JSON.parse(e[1]))"
        )
    };
    let opened = eval(client, &sent("web_app_open_link")).await;
    assert_eq!(opened[0]["url"], "https://example.com/launch", "{opened}");
    let buzzed = poll(async || {
        let haptics = eval(client, &sent("web_app_trigger_haptic_feedback")).await;
        haptics
            .as_array()
            .is_some_and(|h| h.iter().any(|e| e["notification_type"] == "success"))
            .then_some(())
    })
    .await;
    assert!(buzzed.is_some(), "no haptic feedback for the completion");
    // Telegram opened the link, not this tab.
    assert_eq!(
        eval(client, "location.pathname").await,
        json!("/telegram.html")
    );

    // A theme change in Telegram reaches the widget at once.
    client
        .execute(
            "window.Telegram.WebView.receiveEvent('theme_changed', {theme_params: {bg_color: '#000000', text_color: '#00ff00'}});",
            vec![],
        )
        .await
        .unwrap();
    let followed = poll(async || {
        (eval(client, &style_of(".ql-root", "backgroundColor")).await == json!("rgb(0, 0, 0)"))
            .then_some(())
    })
    .await;
    assert!(followed.is_some(), "the widget kept the old theme");
    browser.close().await;
}

#[tokio::test]
async fn a_mini_app_of_a_bot_the_partner_did_not_register_stays_anonymous() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let init_data = signed_init_data(r#"{"id":5551234,"first_name":"Mini"}"#, BOT_TOKEN, 0, None);
    let url = format!(
        "{}{}",
        pages.page("telegram.html"),
        launch_hash(&init_data, &json!({}))
    );
    client.goto(&url).await.unwrap();
    // The widget works (the campaign shows) for an anonymous visitor, and says why the
    // sign-in failed in the console.
    wait_for_shadow_text(client, "#quests", "[part~=quest-card]").await;
    let logged = poll(async || {
        let entries = questlet_e2e::fixtures::devtools::console_entries(client).await;
        entries
            .into_iter()
            .find(|(_, text)| text.contains("Telegram sign-in failed"))
    })
    .await;
    assert!(logged.is_some(), "no console error about the sign-in");
    assert_eq!(
        eval(
            client,
            "document.querySelector('#quests').shadowRoot.querySelector('[part=points]') === null"
        )
        .await,
        json!(true)
    );
    browser.close().await;
}
