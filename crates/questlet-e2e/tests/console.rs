//! The partner console in headless Chromium, served by the real server under its strict
//! Content-Security-Policy: the demo owner signs in (after a refused attempt), sees the
//! organization's campaigns, signs out; axe-core finds no serious or critical violation on
//! either page; the policy refuses nothing the console does.

use fantoccini::{Client, Locator};
use questlet_e2e::fixtures::axe::serious_violations;
use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::devtools::console_entries;
use questlet_e2e::fixtures::find::{eval, wait_for_text};
use questlet_e2e::fixtures::required_env;
use questlet_e2e::fixtures::server::QuestletServer;

const OWNER: &str = "owner@demo.questlet.dev";
const PASSWORD: &str = "questlet-demo-owner";

async fn fill(client: &Client, selector: &str, text: &str) {
    let field = client.find(Locator::Css(selector)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn sign_in(client: &Client, email: &str, password: &str) {
    fill(client, "#qc-email", email).await;
    fill(client, "#qc-password", password).await;
    client
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
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

#[tokio::test]
async fn the_demo_owner_signs_in_sees_the_campaigns_and_signs_out() {
    required_env("QUESTLET_CONSOLE_DIR");
    let server = QuestletServer::start().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client
        .goto(&format!("{}/console/", server.url))
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("#qc-email"))
        .await
        .unwrap();
    let violations = serious_violations(client).await;
    assert!(violations.is_empty(), "sign-in page: {violations:?}");

    sign_in(client, OWNER, "not the password at all").await;
    wait_for_text(client, ".qc-error", "wrong email or password").await;

    sign_in(client, OWNER, PASSWORD).await;
    let row = wait_for_text(client, "[data-campaign=launch-week]", "launch-week").await;
    assert!(row.contains("published"), "{row}");
    wait_for_text(client, ".qc-who", "Demo owner · demo · owner").await;
    let violations = serious_violations(client).await;
    assert!(violations.is_empty(), "campaigns page: {violations:?}");

    // A reload keeps the member signed in: the session is the cookie.
    client.refresh().await.unwrap();
    wait_for_text(client, "[data-campaign=launch-week]", "launch-week").await;
    let cookie_seen_by_scripts = eval(client, "document.cookie").await;
    assert_eq!(cookie_seen_by_scripts, "", "the session cookie is HttpOnly");

    client
        .find(Locator::Css(".qc-header button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("#qc-email"))
        .await
        .unwrap();
    client.refresh().await.unwrap();
    client
        .wait()
        .for_element(Locator::Css("#qc-email"))
        .await
        .unwrap();
    assert_no_policy_violation(client).await;
}
