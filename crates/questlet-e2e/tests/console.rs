//! The partner console in headless Chromium, served by the real server under its strict
//! Content-Security-Policy.
//!
//! - The demo owner signs in (after a refused attempt), sees the campaigns, signs out.
//! - An owner creates a campaign from a template, adds a quest with a secret-code task,
//!   allows a partner's origin, publishes, copies the embed snippet, and that snippet on the
//!   partner's page (another origin) shows the quest.
//! - A save made from a stale copy shows what the other save changed, and overwrites nothing.
//! - axe-core finds no serious or critical violation on the pages; the policy refuses nothing
//!   the console does.

use fantoccini::{Client, Locator};
use questlet_e2e::fixtures::axe::serious_violations;
use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::devtools::{cdp, console_entries};
use questlet_e2e::fixtures::find::{eval, poll, wait_for_text};
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::required_env;
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::{json, Value};

const OWNER: &str = "owner@demo.questlet.dev";
const PASSWORD: &str = "questlet-demo-owner";

async fn fill(client: &Client, selector: &str, text: &str) {
    let field = client.find(Locator::Css(selector)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn click(client: &Client, selector: &str) {
    client
        .find(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("{selector}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn wait_for(client: &Client, selector: &str) {
    client
        .wait()
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("{selector} never appeared: {e}"));
}

async fn sign_in(client: &Client, email: &str, password: &str) {
    fill(client, "#qc-email", email).await;
    fill(client, "#qc-password", password).await;
    click(client, "button[type=submit]").await;
}

async fn open_console(server: &QuestletServer, client: &Client) {
    client
        .goto(&format!("{}/console/", server.url))
        .await
        .unwrap();
    wait_for(client, "#qc-email").await;
}

/// Asserts that the page's Content-Security-Policy refused nothing so far.
async fn assert_no_policy_violation(client: &Client) {
    let refused: Vec<_> = console_entries(client)
        .await
        .into_iter()
        .filter(|(_, message)| message.contains("Content Security Policy"))
        .collect();
    assert!(refused.is_empty(), "refused by the policy: {refused:?}");
}

async fn assert_accessible(client: &Client, page: &str) {
    let violations = serious_violations(client).await;
    assert!(violations.is_empty(), "{page}: {violations:?}");
}

#[tokio::test]
async fn the_demo_owner_signs_in_sees_the_campaigns_and_signs_out() {
    required_env("QUESTLET_CONSOLE_DIR");
    let server = QuestletServer::start().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    open_console(&server, client).await;
    assert_accessible(client, "sign-in page").await;

    sign_in(client, OWNER, "not the password at all").await;
    wait_for_text(client, ".qc-error", "wrong email or password").await;

    sign_in(client, OWNER, PASSWORD).await;
    let row = wait_for_text(client, "[data-campaign=launch-week]", "launch-week").await;
    assert!(row.contains("published"), "{row}");
    wait_for_text(client, ".qc-who", "Demo owner · demo · owner").await;
    assert_accessible(client, "campaigns page").await;

    // A reload keeps the member signed in: the session is the cookie.
    client.refresh().await.unwrap();
    wait_for_text(client, "[data-campaign=launch-week]", "launch-week").await;
    let cookie_seen_by_scripts = eval(client, "document.cookie").await;
    assert_eq!(cookie_seen_by_scripts, "", "the session cookie is HttpOnly");

    click(client, ".qc-header button.qc-button").await;
    wait_for(client, "#qc-email").await;
    client.refresh().await.unwrap();
    wait_for(client, "#qc-email").await;
    assert_no_policy_violation(client).await;
}

#[tokio::test]
async fn an_owner_builds_a_campaign_publishes_it_and_its_snippet_shows_the_quest() {
    required_env("QUESTLET_CONSOLE_DIR");
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    open_console(&server, client).await;
    sign_in(client, OWNER, PASSWORD).await;

    // From the starter template; the slug follows the title.
    wait_for(client, "#qc-template option[value=starter]").await;
    fill(client, "#qc-new-title-field", "Spring Quests").await;
    let slug = eval(client, "document.querySelector('#qc-new-slug').value").await;
    assert_eq!(slug, "spring-quests");
    click(client, "#qc-new-title ~ form button[type=submit]").await;
    wait_for_text(client, "#qc-campaign-title", "Spring Quests").await;
    wait_for_text(client, "[data-status]", "draft").await;

    fill(client, "#qc-quest-title", "Find the word").await;
    fill(client, "#qc-task-title", "Enter the word").await;
    fill(client, "#qc-code", "BLOSSOM").await;
    fill(client, "#qc-points", "25").await;
    click(client, "#qc-new-quest-title ~ form button[type=submit]").await;
    wait_for_text(
        client,
        "[data-quest=find-the-word]",
        "Enter the word (secret_code)",
    )
    .await;

    fill(client, "#qc-origins", &pages.url).await;
    click(client, "#qc-origins ~ button[type=submit]").await;
    click(client, "[data-action=status]").await;
    wait_for_text(client, ".qc-status", "published").await;
    assert_accessible(client, "campaign page").await;
    // `QUESTLET_CONSOLE_SCREENSHOT=docs/console.png` refreshes the README's picture.
    if let Ok(path) = std::env::var("QUESTLET_CONSOLE_SCREENSHOT") {
        eval(client, "window.scrollTo(0, 0)").await;
        std::fs::write(path, client.screenshot().await.unwrap()).unwrap();
    }

    // The snippet as the partner copies it: through the clipboard.
    cdp(
        client,
        "Browser.grantPermissions",
        json!({"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": server.url}),
    )
    .await;
    click(client, "[data-action=copy]").await;
    wait_for_text(client, "[data-action=copy]", "Copied").await;
    let copied = client
        .execute_async(
            "navigator.clipboard.readText().then(arguments[0], e => arguments[0]('failed: ' + e))",
            vec![],
        )
        .await
        .unwrap();
    let snippet = copied.as_str().unwrap().to_owned();
    assert!(
        snippet.contains("data-campaign=\"spring-quests\""),
        "{snippet}"
    );
    assert!(snippet.contains("data-organization=\"demo\""), "{snippet}");
    assert_no_policy_violation(client).await;

    let encoded: String = snippet.bytes().map(|b| format!("%{b:02X}")).collect();
    client
        .goto(&format!("{}#{encoded}", pages.page("console-snippet.html")))
        .await
        .unwrap();
    let shows_quest = poll(async || {
        let text = eval(
            client,
            "(document.querySelector('#quests')?.shadowRoot?.textContent) || ''",
        )
        .await;
        text.as_str()
            .is_some_and(|t| t.contains("Find the word"))
            .then_some(())
    })
    .await;
    assert!(
        shows_quest.is_some(),
        "the partner's page never showed the quest"
    );
}

#[tokio::test]
async fn a_save_from_a_stale_copy_shows_what_changed_and_overwrites_nothing() {
    required_env("QUESTLET_CONSOLE_DIR");
    let server = QuestletServer::start().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    open_console(&server, client).await;
    sign_in(client, OWNER, PASSWORD).await;
    wait_for(client, "#qc-template option[value=starter]").await;
    fill(client, "#qc-new-title-field", "Autumn").await;
    click(client, "#qc-new-title ~ form button[type=submit]").await;
    wait_for_text(client, "#qc-campaign-title", "Autumn").await;

    // Meanwhile a colleague renames it through the API (campaign as code).
    let http = reqwest::Client::new();
    let url = format!("{}/v1/campaigns/autumn", server.url);
    let read = http
        .get(&url)
        .bearer_auth(&server.demo_api_token)
        .send()
        .await
        .unwrap();
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let mut document: Value = read.json().await.unwrap();
    document["title"] = "Autumn Harvest".into();
    let saved = http
        .put(&url)
        .bearer_auth(&server.demo_api_token)
        .header("If-Match", etag)
        .json(&document)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);

    fill(client, "#qc-quest-title", "Late quest").await;
    fill(client, "#qc-task-title", "Say the word").await;
    fill(client, "#qc-code", "LEAVES").await;
    click(client, "#qc-new-quest-title ~ form button[type=submit]").await;
    let conflict =
        wait_for_text(client, ".qc-conflict", "Title: “Autumn” → “Autumn Harvest”").await;
    assert!(conflict.contains("not saved"), "{conflict}");
    assert_accessible(client, "campaign page with a conflict").await;
    let stored: Value = http
        .get(&url)
        .bearer_auth(&server.demo_api_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        stored["title"], "Autumn Harvest",
        "the colleague's save stands"
    );
    assert!(
        !stored.to_string().contains("Late quest"),
        "nothing overwritten"
    );

    click(client, ".qc-conflict button").await;
    wait_for_text(client, "#qc-campaign-title", "Autumn Harvest").await;
}
