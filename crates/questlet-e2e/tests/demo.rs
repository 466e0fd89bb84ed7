//! The demo pages, walked as a newcomer walks them: on the plain page sign in, complete a
//! task, watch the points and the event log move, sign out; the Mini App page; the dApp
//! page with its demo wallet on a local chain (and, without the chain, what to do); with no
//! console error and no failed request.

use fantoccini::Locator;
use questlet_e2e::fixtures::anvil::{Anvil, CHAIN_ID};
use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::devtools::{assert_no_console_errors, console_entries};
use questlet_e2e::fixtures::find::{
    click_in_shadow, click_task_button, eval, shadow_text, wait_for_shadow_absent,
    wait_for_shadow_text, wait_for_shadow_text_eq, wait_for_task_state, wait_for_text,
};
use questlet_e2e::fixtures::server::QuestletServer;
use questlet_e2e::fixtures::wallet::{DEV_ADDRESS_0, DEV_ADDRESS_1};
use serde_json::json;

#[tokio::test]
async fn a_visitor_signs_in_completes_a_task_and_signs_out_without_an_error() {
    let server = QuestletServer::start().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client.goto(&format!("{}/demo/", server.url)).await.unwrap();
    wait_for_shadow_text(client, "#quests", "[part=campaign-title]").await;
    click_in_shadow(client, "#quests", "[part=popup-close]").await;
    assert_eq!(shadow_text(client, "#quests", "[part=points]").await, None);

    client
        .find(Locator::Css("#sign-in"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let who = wait_for_text(client, "#who", "Signed in as visitor-").await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "0 XP").await;

    click_in_shadow(
        client,
        "#quests",
        "[part=quest-card][data-status=available]",
    )
    .await;
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=visit_link] [part=task-submit]",
    )
    .await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "10 XP").await;
    wait_for_text(client, "#log", "task_completed").await;

    // A reload keeps the visitor signed in (the page keeps the token for the tab).
    client.refresh().await.unwrap();
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "10 XP").await;
    assert_eq!(
        wait_for_text(client, "#who", "Signed in as").await,
        who,
        "the same visitor"
    );

    client
        .find(Locator::Css("#sign-out"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(client, "#who", "Browsing anonymously").await;
    wait_for_shadow_absent(client, "#quests", "[part=points]").await;
    assert_eq!(shadow_text(client, "#quests", "[part=points]").await, None);

    // Every request the page made succeeded, and the console holds no error.
    assert_eq!(
        eval(
            client,
            "performance.getEntriesByType('resource').filter(e => e.responseStatus >= 400).map(e => e.name)"
        )
        .await,
        json!([])
    );
    let errors: Vec<_> = console_entries(client)
        .await
        .into_iter()
        .filter(|(level, _)| level == "SEVERE" || level == "WARNING")
        .collect();
    assert!(errors.is_empty(), "console: {errors:?}");
    browser.close().await;
}

#[tokio::test]
async fn the_mini_app_page_opens_as_telegram_opens_it_and_signs_the_visitor_in() {
    let server = QuestletServer::start().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client
        .goto(&format!("{}/demo/telegram", server.url))
        .await
        .unwrap();
    // Signed in as a new Telegram user from the signed launch parameters, in Telegram's
    // dark theme.
    wait_for_shadow_text(client, "#quests", "[part=campaign-title]").await;
    click_in_shadow(client, "#quests", "[part=popup-close]").await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "0 XP").await;
    assert_eq!(
        eval(
            client,
            "getComputedStyle(document.querySelector('#quests').shadowRoot.querySelector('.ql-root')).backgroundColor"
        )
        .await,
        json!("rgb(23, 33, 43)")
    );
    assert_eq!(
        eval(client, "document.getElementById('missing').hidden").await,
        json!(true)
    );
    assert_no_console_errors(client).await;
    browser.close().await;
}

#[tokio::test]
async fn the_dapp_page_lets_a_newcomer_complete_on_chain_quests_with_its_demo_wallet() {
    // The chain `cargo xtask demo` starts: a fresh anvil with the two demo contracts, which
    // land where the demo's on-chain campaign expects them.
    let anvil = Anvil::start();
    anvil.deploy(DEV_ADDRESS_0, "TestERC20", "").await;
    anvil.deploy(DEV_ADDRESS_0, "TestERC721", "").await;
    let chains = format!("{CHAIN_ID}={}", anvil.rpc_url);
    let server = QuestletServer::start_with_env(&[("QUESTLET_EVM_CHAINS", &chains)]).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client
        .goto(&format!("{}/demo/dapp/", server.url))
        .await
        .unwrap();
    // The demo wallet is there, labelled; its faucet gives it the tokens a task asks for.
    let label = wait_for_text(client, "#wallet", "Demo wallet — not a real wallet").await;
    assert!(label.contains(DEV_ADDRESS_1), "{label}");
    client
        .find(Locator::Css("#faucet"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(client, "#balance", "holds 100 TST").await;

    click_in_shadow(client, "#quests", "[part~=quest-card]").await;
    click_task_button(client, "#quests", "erc20_balance", "wallet-connect").await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "0 XP").await;
    for kind in ["erc20_balance", "transaction_count"] {
        click_task_button(client, "#quests", kind, "task-submit").await;
        wait_for_task_state(client, "#quests", kind, "completed").await;
    }
    click_task_button(client, "#quests", "contract_transaction", "wallet-send").await;
    wait_for_task_state(client, "#quests", "contract_transaction", "completed").await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "80 XP").await;
    assert_no_console_errors(client).await;
    browser.close().await;
}

#[tokio::test]
async fn the_dapp_page_without_the_local_chain_says_how_to_start_it() {
    let server = QuestletServer::start().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client
        .goto(&format!("{}/demo/dapp/", server.url))
        .await
        .unwrap();
    wait_for_text(client, "#missing", "cargo xtask demo").await;
    assert_eq!(
        eval(client, "document.getElementById('wallet').hidden").await,
        json!(true)
    );
    browser.close().await;
}
