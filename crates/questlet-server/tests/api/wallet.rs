//! Sign-In with Ethereum: a message made by the reference implementation (npm `siwe`) and
//! signed by an independent wallet (npm `ethers`) signs the wallet in; a wrong domain, a
//! reused or unknown nonce, an expired message, an unknown chain and another address's
//! signature are each refused with a reason; a wallet links to the partner's user once; a
//! contract wallet deployed on a local anvil chain signs in by EIP-1271.

use axum::http::StatusCode;
use questlet_e2e::fixtures::anvil::{encode_address, Anvil, CHAIN_ID};
use questlet_e2e::fixtures::wallet::{
    sign_text, signed_siwe_message, SignedMessage, DEV_ADDRESS_0, DEV_ADDRESS_1, DEV_KEY_0,
    DEV_KEY_1,
};
use serde_json::{json, Value};

use crate::support::{Response, TestApp};

const NONCE: &str = "/v1/widget/demo/campaigns/launch-week/wallet/nonce";
const SIGN_IN: &str = "/v1/widget/demo/campaigns/launch-week/wallet/sign-in";
/// The demo campaign's allowed origin: the page the widget runs on.
const PAGE: &str = "https://demo.questlet.dev";

pub(crate) async fn nonce(app: &TestApp) -> String {
    let issued = app.json("POST", NONCE, None, json!({})).await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.text);
    assert_eq!(issued.json["expires_in"], 600);
    issued.json["nonce"].as_str().unwrap().to_owned()
}

/// A message for the demo page on anvil's chain with `nonce`, and `fields` over those,
/// signed with `key`.
pub(crate) fn message(key: &str, nonce: &str, fields: Value) -> SignedMessage {
    let mut all = json!({
        "domain": "demo.questlet.dev",
        "uri": format!("{PAGE}/quests"),
        "chainId": 31337,
        "nonce": nonce,
        "statement": "Sign in to Launch week",
        "issuedAt": now_iso(0),
    });
    for (name, value) in fields.as_object().unwrap() {
        all[name] = value.clone();
    }
    signed_siwe_message(key, &all)
}

/// Now plus `offset` seconds, as EIP-4361 writes times.
fn now_iso(offset: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    jiff::Timestamp::from_second(now + offset)
        .unwrap()
        .to_string()
}

pub(crate) async fn sign_in(
    app: &TestApp,
    signed: &SignedMessage,
    partner: Option<&str>,
) -> Response {
    let body = json!({ "message": signed.message, "signature": signed.signature });
    app.request("POST", SIGN_IN, partner, &[("Origin", PAGE)], Some(body))
        .await
}

/// Asserts a 401 `invalid_siwe` whose reason contains `reason`.
fn assert_refused(response: &Response, reason: &str) {
    response.assert_error(StatusCode::UNAUTHORIZED, "invalid_siwe");
    let message = response.json["message"].as_str().unwrap_or_default();
    assert!(message.contains(reason), "{reason:?} in {}", response.text);
}

#[tokio::test]
async fn a_message_made_by_siwe_and_signed_by_ethers_signs_the_wallet_in() {
    let (app, _org) = TestApp::with_demo_org().await;
    let signed = message(DEV_KEY_0, &nonce(&app).await, json!({}));
    assert!(
        signed
            .message
            .starts_with("demo.questlet.dev wants you to sign in with your Ethereum account:\n"),
        "{}",
        signed.message
    );
    let signed_in = sign_in(&app, &signed, None).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.text);
    assert_eq!(signed_in.json["platform"], "ethereum");
    assert_eq!(signed_in.json["account"], DEV_ADDRESS_0);
    // The token acts as that user on the widget API: they can complete a task.
    let token = signed_in.json["token"].as_str().unwrap();
    let campaign = app
        .get_as("/v1/widget/demo/campaigns/launch-week", token)
        .await;
    assert_eq!(campaign.status, StatusCode::OK, "{}", campaign.text);
    assert!(campaign.json["user"].is_object(), "{}", campaign.text);

    // Without an Origin (a server-side client), the message's page alone must be allowed.
    let signed = message(DEV_KEY_0, &nonce(&app).await, json!({}));
    let body = json!({ "message": signed.message, "signature": signed.signature });
    let direct = app.json("POST", SIGN_IN, None, body).await;
    assert_eq!(direct.status, StatusCode::OK, "{}", direct.text);
}

#[tokio::test]
async fn wrong_domain_reused_nonce_expiry_chain_and_signer_are_each_refused_with_a_reason() {
    // The chain is asked whether an address that did not sign is a contract wallet.
    let anvil = Anvil::start();
    let (mut app, _org) = TestApp::with_demo_org().await;
    app.set_evm_chains(vec![format!("{CHAIN_ID}={}", anvil.rpc_url)
        .parse()
        .unwrap()]);

    let elsewhere = message(
        DEV_KEY_0,
        &nonce(&app).await,
        json!({"domain": "evil.example", "uri": "https://evil.example/"}),
    );
    assert_refused(
        &sign_in(&app, &elsewhere, None).await,
        "https://evil.example, which is not a page this campaign allows",
    );
    // A message for the campaign's page, sent from another page.
    let signed = message(DEV_KEY_0, &nonce(&app).await, json!({}));
    let body = json!({ "message": signed.message, "signature": signed.signature });
    let from_elsewhere = app
        .request(
            "POST",
            SIGN_IN,
            None,
            &[("Origin", "https://evil.example")],
            Some(body),
        )
        .await;
    assert_refused(
        &from_elsewhere,
        "the request comes from https://evil.example",
    );

    let expired = message(
        DEV_KEY_0,
        &nonce(&app).await,
        json!({"issuedAt": now_iso(-700), "expirationTime": now_iso(-100)}),
    );
    assert_refused(&sign_in(&app, &expired, None).await, "expired at");

    let mainnet = message(DEV_KEY_0, &nonce(&app).await, json!({"chainId": 1}));
    assert_refused(
        &sign_in(&app, &mainnet, None).await,
        "chain 1 is not a chain this server signs in on",
    );

    // Signed by the first account, claiming to be the second (a plain account: only its own
    // key signs for it).
    let impostor = message(
        DEV_KEY_0,
        &nonce(&app).await,
        json!({"address": DEV_ADDRESS_1}),
    );
    assert_refused(
        &sign_in(&app, &impostor, None).await,
        &format!("the signature is not by {DEV_ADDRESS_1}"),
    );

    let made_up = message(DEV_KEY_0, "madeUpNonce12345", json!({}));
    assert_refused(&sign_in(&app, &made_up, None).await, "nonce");

    // A refused message does not use its nonce up: the user's next, good one signs in.
    // That one then cannot be replayed.
    let fresh = nonce(&app).await;
    let wrong_chain = message(DEV_KEY_1, &fresh, json!({"chainId": 1}));
    assert_refused(&sign_in(&app, &wrong_chain, None).await, "chain 1");
    let good = message(DEV_KEY_1, &fresh, json!({}));
    let first = sign_in(&app, &good, None).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(first.json["account"], DEV_ADDRESS_1);
    assert_refused(
        &sign_in(&app, &good, None).await,
        "the nonce is unknown, expired or used already",
    );

    // An expired nonce is refused too.
    let stale = nonce(&app).await;
    let pool = app.raw_pool().await;
    sqlx::query("UPDATE wallet_nonces SET expires_at = 0 WHERE nonce = $1")
        .bind(&stale)
        .execute(&pool)
        .await
        .unwrap();
    assert_refused(
        &sign_in(&app, &message(DEV_KEY_0, &stale, json!({})), None).await,
        "nonce",
    );

    // Not a message at all, and not a signature.
    let body = json!({ "message": "hello", "signature": good.signature });
    let nonsense = app.json("POST", SIGN_IN, None, body).await;
    assert_refused(&nonsense, "not an EIP-4361 message");
    let body = json!({ "message": good.message, "signature": "4c31" });
    let unsigned = app.json("POST", SIGN_IN, None, body).await;
    assert_refused(&unsigned, "0x-prefixed hex");
}

#[tokio::test]
async fn a_nonce_is_good_in_its_own_organization_only() {
    let (app, _org) = TestApp::with_demo_org().await;
    let other = app.org("other").await;
    app.create_campaign(&other, crate::support::demo_doc("launch-week"))
        .await;
    let theirs = app
        .json(
            "POST",
            "/v1/widget/other/campaigns/launch-week/wallet/nonce",
            None,
            json!({}),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.text);
    let nonce = theirs.json["nonce"].as_str().unwrap();
    let signed = message(DEV_KEY_0, nonce, json!({}));
    assert_refused(&sign_in(&app, &signed, None).await, "nonce");
}

#[tokio::test]
async fn a_wallet_links_to_the_partners_user_once() {
    let (app, org) = TestApp::with_demo_org().await;
    let alice = app.user_token(&org, "alice").await;
    let linked = sign_in(
        &app,
        &message(DEV_KEY_0, &nonce(&app).await, json!({})),
        Some(&alice),
    )
    .await;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.text);
    assert_eq!(linked.json["platform"], "web");
    assert_eq!(linked.json["account"], "alice");
    // With the wallet alone, the linked user is signed in.
    let alone = sign_in(
        &app,
        &message(DEV_KEY_0, &nonce(&app).await, json!({})),
        None,
    )
    .await;
    assert_eq!(alone.status, StatusCode::OK, "{}", alone.text);
    assert_eq!(alone.json["account"], "alice");
    // The wallet cannot be linked to Bob too, nor Alice to a second wallet.
    let bob = app.user_token(&org, "bob").await;
    let taken = sign_in(
        &app,
        &message(DEV_KEY_0, &nonce(&app).await, json!({})),
        Some(&bob),
    )
    .await;
    taken.assert_error(StatusCode::CONFLICT, "conflict");
    assert!(
        taken.text.contains("wallet is linked to another user"),
        "{}",
        taken.text
    );
    let second = sign_in(
        &app,
        &message(DEV_KEY_1, &nonce(&app).await, json!({})),
        Some(&alice),
    )
    .await;
    second.assert_error(StatusCode::CONFLICT, "conflict");
    assert!(
        second.text.contains("linked to another wallet"),
        "{}",
        second.text
    );
}

#[tokio::test]
async fn a_contract_wallet_signs_in_with_a_signature_it_accepts_on_a_real_chain() {
    let anvil = Anvil::start();
    let (mut app, _org) = TestApp::with_demo_org().await;
    app.set_evm_chains(vec![format!("{CHAIN_ID}={}", anvil.rpc_url)
        .parse()
        .unwrap()]);
    // A contract wallet whose signatures are its owner's (the second development account).
    let wallet = anvil
        .deploy(
            DEV_ADDRESS_0,
            "TestContractWallet",
            &encode_address(DEV_ADDRESS_1),
        )
        .await;
    let by_owner = message(DEV_KEY_1, &nonce(&app).await, json!({"address": wallet}));
    let signed_in = sign_in(&app, &by_owner, None).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.text);
    let account = signed_in.json["account"].as_str().unwrap();
    assert_eq!(account.to_lowercase(), wallet.to_lowercase());
    assert_ne!(
        account,
        account.to_lowercase(),
        "the address is checksummed"
    );

    // Another key's signature is not the contract's.
    let by_stranger = message(DEV_KEY_0, &nonce(&app).await, json!({"address": wallet}));
    assert_refused(
        &sign_in(&app, &by_stranger, None).await,
        "the signature is not by",
    );

    // With the chain's node gone, the server says so: the user is not refused for it.
    let pending = message(DEV_KEY_1, &nonce(&app).await, json!({"address": wallet}));
    drop(anvil);
    let unavailable = sign_in(&app, &pending, None).await;
    unavailable.assert_error(StatusCode::SERVICE_UNAVAILABLE, "chain_unavailable");
    assert!(
        unavailable
            .text
            .contains("chain 31337's node did not answer"),
        "{}",
        unavailable.text
    );
}

#[tokio::test]
async fn the_server_writes_the_message_for_a_wallet_page_and_chain_that_then_signs_in() {
    let (app, _org) = TestApp::with_demo_org().await;
    // A lowercase address, as wallets often answer `eth_requestAccounts`.
    let body = json!({
        "address": DEV_ADDRESS_1.to_lowercase(),
        "uri": format!("{PAGE}/quests?x=1"),
        "chain_id": 31337,
    });
    let issued = app.json("POST", NONCE, None, body).await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.text);
    let message = issued.json["message"].as_str().unwrap().to_owned();
    let nonce = issued.json["nonce"].as_str().unwrap();
    assert!(
        message.starts_with(&format!(
            "demo.questlet.dev wants you to sign in with your Ethereum account:\n{DEV_ADDRESS_1}\n\nSign in to "
        )),
        "{message}"
    );
    for line in [
        format!("URI: {PAGE}/quests?x=1"),
        "Chain ID: 31337".to_owned(),
        format!("Nonce: {nonce}"),
    ] {
        assert!(message.contains(&line), "{line:?} in {message}");
    }
    let signed = SignedMessage {
        signature: sign_text(DEV_KEY_1, &message),
        message,
    };
    let signed_in = sign_in(&app, &signed, None).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.text);
    assert_eq!(signed_in.json["account"], DEV_ADDRESS_1);

    // Without a chain: the first the server knows (the demo campaign has no on-chain task).
    let body = json!({"address": DEV_ADDRESS_1, "uri": PAGE});
    let chosen = app.json("POST", NONCE, None, body).await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.text);
    let message = chosen.json["message"].as_str().unwrap();
    assert!(message.contains("\nChain ID: 31337\n"), "{message}");
    // An address without a page is a 400; nothing is a bare nonce.
    let partial = json!({"address": DEV_ADDRESS_1, "chain_id": 31337});
    let refused = app.json("POST", NONCE, None, partial).await;
    refused.assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    let bare = app.request("POST", NONCE, None, &[], None).await;
    assert_eq!(bare.status, StatusCode::OK, "{}", bare.text);
    assert!(bare.json.get("message").is_none(), "{}", bare.text);
    let null = app.json("POST", NONCE, None, Value::Null).await;
    assert_eq!(null.status, StatusCode::OK, "{}", null.text);
    // A chain id written `31337.0` is the same whole number.
    let body = json!({"address": DEV_ADDRESS_1, "uri": PAGE, "chain_id": 31337.0});
    let whole = app.json("POST", NONCE, None, body).await;
    assert_eq!(whole.status, StatusCode::OK, "{}", whole.text);
}
