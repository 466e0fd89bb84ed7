//! Telegram Mini App sign-in: initData signed by Telegram's reference implementation for
//! Node (`@telegram-apps/init-data-node`, from npm) signs the user in; changed, stale and
//! foreign data is refused with a reason; Telegram's own Ed25519 signature is checked with
//! its published key; a Telegram user links to the partner's user once.

use axum::http::StatusCode;
use questlet_e2e::fixtures::telegram::signed_init_data;
use serde_json::{json, Value};

use crate::support::{Org, TestApp};

const SIGN_IN: &str = "/v1/widget/demo/campaigns/launch-week/telegram/sign-in";
const BOT_TOKEN: &str = "7000000001:AAE-questlet-test-bot-token_0123456789";
const USER: &str =
    r#"{"id":279058397,"first_name":"Vladislav","last_name":"Kibenko","username":"vdkfrost"}"#;

/// Issued by Telegram for bot 7342037359 (published by the tma.js authors): its
/// `signature` is Telegram's Ed25519 signature, checked with Telegram's production key.
const TELEGRAM_ISSUED: &str = "user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%20%2B%20-%20%3F%20%5C%2F%22%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22%2C%22is_premium%22%3Atrue%2C%22allows_write_to_pm%22%3Atrue%2C%22photo_url%22%3A%22https%3A%5C%2F%5C%2Ft.me%5C%2Fi%5C%2Fuserpic%5C%2F320%5C%2F4FPEE4tmP3ATHa57u6MqTDih13LTOiMoKoLDRG4PnSA.svg%22%7D&chat_instance=8134722200314281151&chat_type=private&auth_date=1733584787&hash=2174df5b000556d044f3f020384e879c8efcab55ddea2ced4eb752e93e7080d6&signature=zL-ucjNyREiHDE8aihFwpfR9aggP2xiAo3NSpfe-p7IbCisNlDKlo7Kb6G4D0Ao2mBrSgEk4maLSdv6MLIlADQ";

/// initData for Telegram user `user` (JSON), signed with bot `token` by
/// `@telegram-apps/init-data-node`'s `sign`, issued `age` seconds ago.
fn signed(user: &str, token: &str, age: i64) -> String {
    signed_init_data(user, token, age, None)
}

async fn register(app: &TestApp, org: &Org, body: Value) -> Value {
    let created = app
        .json("POST", "/v1/telegram/bots", Some(&org.api_token), body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    created.json
}

async fn sign_in(
    app: &TestApp,
    init_data: &str,
    partner: Option<&str>,
) -> crate::support::Response {
    app.json("POST", SIGN_IN, partner, json!({ "init_data": init_data }))
        .await
}

#[tokio::test]
async fn init_data_signed_by_the_reference_library_signs_the_user_in() {
    let (app, org) = TestApp::with_demo_org().await;
    let bot = register(&app, &org, json!({"token": BOT_TOKEN, "label": "quests"})).await;
    assert_eq!(bot["bot_id"], 7_000_000_001_i64);
    assert_eq!(bot["has_token"], true);
    // Listed beside the demo's own bot, without their tokens.
    let listed = app.get_as("/v1/telegram/bots", &org.api_token).await;
    let ids: Vec<_> = listed
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["bot_id"].clone())
        .collect();
    assert_eq!(ids, [json!(7_000_000_000_i64), json!(7_000_000_001_i64)]);
    assert!(
        !listed.text.contains("AAE-questlet"),
        "the token is never shown"
    );
    assert!(
        !listed.text.contains("questlet-demo-bot"),
        "the token is never shown"
    );

    let signed_in = sign_in(&app, &signed(USER, BOT_TOKEN, 5), None).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.text);
    assert_eq!(signed_in.json["platform"], "telegram");
    assert_eq!(signed_in.json["account"], "279058397");
    assert_eq!(signed_in.json["name"], "Vladislav Kibenko");
    // The token acts as that user on the widget API.
    let token = signed_in.json["token"].as_str().unwrap();
    let campaign = app
        .get_as("/v1/widget/demo/campaigns/launch-week", token)
        .await;
    assert_eq!(campaign.status, StatusCode::OK, "{}", campaign.text);
    assert_eq!(
        campaign.json["user"]["account"], "279058397",
        "{}",
        campaign.text
    );
}

#[tokio::test]
async fn changed_stale_and_foreign_init_data_is_refused_with_a_reason() {
    let (app, org) = TestApp::with_demo_org().await;
    register(&app, &org, json!({"token": BOT_TOKEN})).await;
    let good = signed(USER, BOT_TOKEN, 5);
    // Another user id, the signature unchanged.
    let tampered = good.replace("279058397", "279058398");
    assert_ne!(tampered, good);
    let refused = sign_in(&app, &tampered, None).await;
    refused.assert_error(StatusCode::UNAUTHORIZED, "invalid_init_data");
    assert!(
        refused.json["message"]
            .as_str()
            .unwrap()
            .contains("not signed"),
        "{}",
        refused.text
    );
    // Issued two hours ago, the window is one.
    let stale = sign_in(&app, &signed(USER, BOT_TOKEN, 7200), None).await;
    stale.assert_error(StatusCode::UNAUTHORIZED, "invalid_init_data");
    assert!(
        stale.json["message"].as_str().unwrap().contains("stale"),
        "{}",
        stale.text
    );
    // Signed for a bot this organization did not register.
    let foreign = signed(USER, "7000000002:AAF-another-bot", 5);
    let refused = sign_in(&app, &foreign, None).await;
    refused.assert_error(StatusCode::UNAUTHORIZED, "invalid_init_data");
    assert!(refused.json["message"]
        .as_str()
        .unwrap()
        .contains("another bot"));
    // Not initData at all.
    let malformed = sign_in(&app, "hello", None).await;
    malformed.assert_error(StatusCode::UNAUTHORIZED, "invalid_init_data");
    assert!(malformed.json["message"]
        .as_str()
        .unwrap()
        .contains("malformed"));
    // The good one still works: none of the above changed anything.
    assert_eq!(sign_in(&app, &good, None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn telegrams_ed25519_signature_signs_in_a_bot_registered_by_id_only() {
    let (mut app, org) = TestApp::with_demo_org().await;
    // The data was issued in 2024: a window of ten years lets its signature be what is
    // tested.
    app.set_telegram(questlet_server::TelegramConfig::new(
        10 * 365 * 86_400,
        false,
    ));
    register(&app, &org, json!({"bot_id": 7_342_037_359_i64})).await;
    let signed_in = sign_in(&app, TELEGRAM_ISSUED, None).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.text);
    assert_eq!(signed_in.json["account"], "279058397");
    assert_eq!(signed_in.json["name"], "Vladislav + - ? / Kibenko");
    // One character of the user changed: Telegram's signature no longer holds.
    let modified = TELEGRAM_ISSUED.replace("Kibenko", "Kibenka");
    sign_in(&app, &modified, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_init_data");
    // With the test environment's key, production's signature does not hold either.
    app.set_telegram(questlet_server::TelegramConfig::new(
        10 * 365 * 86_400,
        true,
    ));
    sign_in(&app, TELEGRAM_ISSUED, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_init_data");
}

#[tokio::test]
async fn a_telegram_user_links_to_the_partners_user_once() {
    let (app, org) = TestApp::with_demo_org().await;
    register(&app, &org, json!({"token": BOT_TOKEN})).await;
    let alice = app.user_token(&org, "alice").await;
    let linked = sign_in(&app, &signed(USER, BOT_TOKEN, 5), Some(&alice)).await;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.text);
    assert_eq!(linked.json["platform"], "web");
    assert_eq!(linked.json["account"], "alice");
    // From Telegram alone, the linked user is signed in.
    let again = sign_in(&app, &signed(USER, BOT_TOKEN, 5), None).await;
    assert_eq!(again.json["account"], "alice", "{}", again.text);
    // Linking again is fine; to another user, or another Telegram user to alice, is not.
    let repeat = sign_in(&app, &signed(USER, BOT_TOKEN, 5), Some(&alice)).await;
    assert_eq!(repeat.status, StatusCode::OK);
    let bob = app.user_token(&org, "bob").await;
    let stolen = sign_in(&app, &signed(USER, BOT_TOKEN, 5), Some(&bob)).await;
    stolen.assert_error(StatusCode::CONFLICT, "conflict");
    assert!(stolen.json["message"]
        .as_str()
        .unwrap()
        .contains("another user"));
    let other = r#"{"id":42,"first_name":"Eve"}"#;
    let second = sign_in(&app, &signed(other, BOT_TOKEN, 5), Some(&alice)).await;
    second.assert_error(StatusCode::CONFLICT, "conflict");
    // Bob is still free: Eve links to him.
    let eve = sign_in(&app, &signed(other, BOT_TOKEN, 5), Some(&bob)).await;
    assert_eq!(eve.json["account"], "bob", "{}", eve.text);
}

#[tokio::test]
async fn bots_are_the_organizations_own() {
    let (app, org) = TestApp::with_demo_org().await;
    let other = app.org("globex").await;
    // Neither token nor id; a token that is not one; an id the token does not carry.
    let neither = app
        .json("POST", "/v1/telegram/bots", Some(&org.api_token), json!({}))
        .await;
    neither.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");
    let bad = app
        .json(
            "POST",
            "/v1/telegram/bots",
            Some(&org.api_token),
            json!({"token": "nope"}),
        )
        .await;
    bad.assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    let mismatch = app
        .json(
            "POST",
            "/v1/telegram/bots",
            Some(&org.api_token),
            json!({"token": BOT_TOKEN, "bot_id": 5}),
        )
        .await;
    mismatch.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");

    let bot = register(&app, &org, json!({"token": BOT_TOKEN})).await;
    let twice = app
        .json(
            "POST",
            "/v1/telegram/bots",
            Some(&org.api_token),
            json!({"bot_id": 7_000_000_001_i64}),
        )
        .await;
    twice.assert_error(StatusCode::CONFLICT, "conflict");
    // Another organization registers the same bot for itself, and sees only its own.
    register(&app, &other, json!({"token": BOT_TOKEN})).await;
    let id = bot["id"].as_str().unwrap();
    let theirs = app
        .delete_as(format!("/v1/telegram/bots/{id}"), &other.api_token)
        .await;
    theirs.assert_error(StatusCode::NOT_FOUND, "not_found");
    // A user token of another organization does not link here.
    let globex_user = app.user_token(&other, "mallory").await;
    sign_in(&app, &signed(USER, BOT_TOKEN, 5), Some(&globex_user))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
    // Once the bot is removed, its Mini App's users no longer sign in.
    let removed = app
        .delete_as(format!("/v1/telegram/bots/{id}"), &org.api_token)
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    sign_in(&app, &signed(USER, BOT_TOKEN, 5), None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_init_data");
}

#[tokio::test]
async fn a_start_param_with_a_referral_code_records_the_referral_of_a_new_user() {
    let (app, org) = TestApp::with_demo_org().await;
    register(&app, &org, json!({"token": BOT_TOKEN})).await;
    let referrer = sign_in(&app, &signed(USER, BOT_TOKEN, 5), None).await;
    let token = referrer.json["token"].as_str().unwrap();
    // The referrer has done something (so they are a user with a row to point to).
    app.complete_first_demo_task(token).await;
    let campaign = app
        .get_as("/v1/widget/demo/campaigns/launch-week", token)
        .await;
    let code = campaign.json["user"]["referral_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let friend = r#"{"id":42,"first_name":"Eve"}"#;
    let joined = sign_in(
        &app,
        &signed_init_data(friend, BOT_TOKEN, 5, Some(&code)),
        None,
    )
    .await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.text);
    let organization = app.db.organization_by_slug("demo").await.unwrap().unwrap();
    let key = |account: &str| questlet_server::db::progress::UserKey {
        organization_id: organization.id.clone(),
        platform: "telegram".into(),
        account: account.into(),
    };
    let referrer_of = app.db.referrer_account(&key("42")).await.unwrap();
    assert_eq!(referrer_of.as_deref(), Some("279058397"));
    // Their own code, or a code for someone who was here before, records nothing.
    let own = sign_in(
        &app,
        &signed_init_data(USER, BOT_TOKEN, 5, Some(&code)),
        None,
    )
    .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(
        app.db.referrer_account(&key("279058397")).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn a_bot_id_written_as_a_whole_float_is_that_id() {
    let (app, org) = TestApp::with_demo_org().await;
    let bot = register(&app, &org, json!({"bot_id": 3_966_944.0})).await;
    assert_eq!(bot["bot_id"], 3_966_944);
    assert_eq!(bot["has_token"], false);
}
