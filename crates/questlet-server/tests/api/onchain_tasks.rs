//! On-chain tasks against a real local chain (anvil) with the test contracts deployed:
//! each balance, ownership and count check fails, then passes once the test moves the
//! chain; a contract transaction counts when it is the user's, to the contract, calling the
//! method, successful and no older than the task, and once per task; a user needs a wallet
//! (signed in with it, or linked); settings and chains are checked when a campaign is
//! written; a chain that does not answer stores nothing.

use alloy_sol_types::{sol, SolCall};
use axum::http::StatusCode;
use questlet_e2e::fixtures::anvil::{mint_data, Anvil, CHAIN_ID};
use questlet_e2e::fixtures::wallet::{DEV_ADDRESS_0, DEV_ADDRESS_1, DEV_KEY_0, DEV_KEY_1};
use serde_json::{json, Value};

use crate::support::{Org, TestApp};
use crate::wallet::{message, nonce, sign_in};

const CAMPAIGN: &str = "/v1/widget/demo/campaigns/on-chain";

sol! {
    function mint(address to, uint256 amount);
    function setApprovalForAll(address operator, bool approved);
}

#[test]
fn the_fixtures_mint_call_data_is_alloys() {
    let call = mintCall {
        to: DEV_ADDRESS_1.parse().unwrap(),
        amount: alloy_primitives::U256::from(7),
    };
    assert_eq!(
        mint_data(DEV_ADDRESS_1, 7),
        format!("0x{}", hex::encode(call.abi_encode()))
    );
}

/// Call data of the ERC-1155's `mint(to, id, amount)`.
fn mint_1155_data(to: &str, id: u64, amount: u64) -> String {
    let mut data = hex::encode(alloy_primitives::keccak256(
        b"mint(address,uint256,uint256)",
    ))[..8]
        .to_owned();
    data.push_str(&format!(
        "{:0>64}",
        to.trim_start_matches("0x").to_lowercase()
    ));
    data.push_str(&format!("{id:064x}{amount:064x}"));
    format!("0x{data}")
}

/// The deployed test contracts.
struct Contracts {
    erc20: String,
    erc721: String,
    erc1155: String,
}

async fn deploy(anvil: &Anvil) -> Contracts {
    Contracts {
        erc20: anvil.deploy(DEV_ADDRESS_0, "TestERC20", "").await,
        erc721: anvil.deploy(DEV_ADDRESS_0, "TestERC721", "").await,
        erc1155: anvil.deploy(DEV_ADDRESS_0, "TestERC1155", "").await,
    }
}

/// A task titled `title` with `config` on anvil's chain, to be done up to 10 times (so a
/// second completion is possible where the test wants to see it refused).
fn task(title: &str, config: Value) -> Value {
    let mut config = config;
    config["chain"] = json!(CHAIN_ID);
    json!({"key": title.to_lowercase().replace(' ', "-"), "title": title, "points": 10,
           "recurrence": {"type": "times", "count": 10}, "config": config})
}

/// The app on `anvil`'s chain with the demo organization, and a published campaign
/// `on-chain` of `tasks` (one quest), plus a quest of `later` tasks (opening later).
async fn chain_app(anvil: &Anvil, tasks: Vec<Value>, later: Vec<Value>) -> (TestApp, Org) {
    let (mut app, org) = TestApp::with_demo_org().await;
    app.set_evm_chains(vec![format!("{CHAIN_ID}={}", anvil.rpc_url)
        .parse()
        .unwrap()]);
    let mut quests = vec![json!({"key": "hold", "title": "Hold", "tasks": tasks})];
    if !later.is_empty() {
        let opens = now() + 30;
        quests.push(json!({"key": "later", "title": "Later", "starts_at": opens, "tasks": later}));
    }
    let doc = json!({
        "slug": "on-chain",
        "title": "On chain",
        "status": "published",
        "groups": [{"key": "main", "title": "Main", "quests": quests}]
    });
    app.create_campaign(&org, doc).await;
    (app, org)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The user token of wallet `key`, signed in with it (with the partner's `partner` token,
/// linked to that user).
async fn wallet_token(app: &TestApp, key: &str, partner: Option<&str>) -> String {
    let signed = message(key, &nonce(app).await, json!({}));
    let signed_in = sign_in(app, &signed, partner).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.text);
    signed_in.json["token"].as_str().unwrap().to_owned()
}

/// Attempts task `title` as `token` with `answer`; answers the attempt's body.
async fn attempt(app: &TestApp, token: &str, title: &str, answer: Value) -> Value {
    app.attempt_titled(CAMPAIGN, token, title, answer).await
}

/// Checks task `title` (a balance or count) as `token`.
async fn check(app: &TestApp, token: &str, title: &str) -> Value {
    attempt(app, token, title, json!({"type": "wallet_check"})).await
}

/// Answers transaction `hash` to task `title` as `token`.
async fn answer_transaction(app: &TestApp, token: &str, title: &str, hash: &str) -> Value {
    let answer = json!({"type": "contract_transaction", "hash": hash});
    attempt(app, token, title, answer).await
}

/// Asserts a failed attempt whose reason contains `reason`.
fn assert_failed(attempt: &Value, reason: &str) {
    assert_eq!(attempt["outcome"], "failed", "{attempt}");
    let given = attempt["reason"].as_str().unwrap_or_default();
    assert!(given.contains(reason), "{reason:?} in {attempt}");
}

fn assert_completed(attempt: &Value) {
    assert_eq!(attempt["outcome"], "completed", "{attempt}");
}

/// 10,001 ether in wei: more than an anvil development account starts with.
const RICH: &str = "10001000000000000000000";

#[tokio::test]
async fn balances_ownership_and_counts_pass_once_the_chain_moves() {
    let anvil = Anvil::start();
    let c = deploy(&anvil).await;
    let tasks = vec![
        task("Native", json!({"type": "native_balance", "min": RICH})),
        task(
            "Tokens",
            json!({"type": "erc20_balance", "token": c.erc20, "min": "100"}),
        ),
        task(
            "Any NFT",
            json!({"type": "erc721_owner", "collection": c.erc721}),
        ),
        task(
            "NFT 8",
            json!({"type": "erc721_owner", "collection": c.erc721, "token_id": "8"}),
        ),
        task(
            "Items",
            json!({"type": "erc1155_balance", "collection": c.erc1155, "token_id": "3", "min": "5"}),
        ),
        task("Active", json!({"type": "transaction_count", "min": 2})),
    ];
    let (app, _org) = chain_app(&anvil, tasks, vec![]).await;
    // The user signs in with the second development account (10,000 ether, nothing else).
    let user = wallet_token(&app, DEV_KEY_1, None).await;

    assert_failed(&check(&app, &user, "Native").await, "balance is below");
    assert_failed(&check(&app, &user, "Tokens").await, "not hold enough");
    assert_failed(&check(&app, &user, "Any NFT").await, "does not own");
    // Token 8 does not exist yet: `ownerOf` reverts.
    assert_failed(&check(&app, &user, "NFT 8").await, "does not own");
    assert_failed(&check(&app, &user, "Items").await, "not hold enough");
    assert_failed(&check(&app, &user, "Active").await, "not sent enough");

    // The first account funds the user and mints to them (and token 8 to itself).
    let two_ether = format!("{:#x}", 2_000_000_000_000_000_000u128);
    anvil
        .send(
            DEV_ADDRESS_0,
            json!({"to": DEV_ADDRESS_1, "value": two_ether}),
        )
        .await;
    let mints = [
        (&c.erc20, mint_data(DEV_ADDRESS_1, 100)),
        (&c.erc721, mint_data(DEV_ADDRESS_1, 7)),
        (&c.erc721, mint_data(DEV_ADDRESS_0, 8)),
        (&c.erc1155, mint_1155_data(DEV_ADDRESS_1, 3, 4)),
    ];
    for (to, data) in mints {
        anvil
            .send(DEV_ADDRESS_0, json!({"to": to, "data": data}))
            .await;
    }
    assert_completed(&check(&app, &user, "Native").await);
    assert_completed(&check(&app, &user, "Tokens").await);
    assert_completed(&check(&app, &user, "Any NFT").await);
    assert_failed(&check(&app, &user, "NFT 8").await, "does not own");
    // Four of five.
    assert_failed(&check(&app, &user, "Items").await, "not hold enough");
    anvil
        .send(
            DEV_ADDRESS_0,
            json!({"to": c.erc1155, "data": mint_1155_data(DEV_ADDRESS_1, 3, 1)}),
        )
        .await;
    assert_completed(&check(&app, &user, "Items").await);
    // The user sends two transactions of their own.
    assert_failed(&check(&app, &user, "Active").await, "not sent enough");
    for id in [20, 21] {
        anvil
            .send(
                DEV_ADDRESS_1,
                json!({"to": c.erc721, "data": mint_data(DEV_ADDRESS_1, id)}),
            )
            .await;
    }
    assert_completed(&check(&app, &user, "Active").await);
    // Token 8 moves to the user.
    let transfer = format!(
        "0x23b872dd{:0>64}{:0>64}{:064x}",
        DEV_ADDRESS_0.trim_start_matches("0x").to_lowercase(),
        DEV_ADDRESS_1.trim_start_matches("0x").to_lowercase(),
        8
    );
    anvil
        .send(DEV_ADDRESS_0, json!({"to": c.erc721, "data": transfer}))
        .await;
    assert_completed(&check(&app, &user, "NFT 8").await);

    // A check is not a transaction answer, and the other way round.
    let wrong = answer_transaction(&app, &user, "Native", &format!("0x{}", "0".repeat(64))).await;
    assert_failed(&wrong, "send a wallet_check answer");
}

#[tokio::test]
async fn a_contract_transaction_counts_when_it_is_the_users_successful_call_once_per_task() {
    let anvil = Anvil::start();
    let c = deploy(&anvil).await;
    let mint_task = json!({"type": "contract_transaction", "contract": c.erc721,
                           "method": "mint(address,uint256)"});
    let (app, _org) = chain_app(
        &anvil,
        vec![
            task("Mint", mint_task.clone()),
            task(
                "Any call",
                json!({"type": "contract_transaction", "contract": c.erc721, "method": "0x40c10f19"}),
            ),
        ],
        vec![task("Mint later", mint_task)],
    )
    .await;
    let user = wallet_token(&app, DEV_KEY_1, None).await;
    let send = |from: &'static str, to: String, data: String| {
        let anvil = &anvil;
        async move {
            anvil
                .submit(from, json!({"to": to, "data": data, "gas": "0x100000"}))
                .await
        }
    };

    let minted = send(DEV_ADDRESS_1, c.erc721.clone(), mint_data(DEV_ADDRESS_1, 1)).await;
    assert_completed(&answer_transaction(&app, &user, "Mint", &minted).await);
    // The same transaction does not complete the task again, but does complete another task.
    assert_failed(
        &answer_transaction(&app, &user, "Mint", &minted).await,
        "already completed this task",
    );
    assert_completed(&answer_transaction(&app, &user, "Any call", &minted).await);

    let by_other = send(DEV_ADDRESS_0, c.erc721.clone(), mint_data(DEV_ADDRESS_0, 2)).await;
    assert_failed(
        &answer_transaction(&app, &user, "Mint", &by_other).await,
        "not sent from your wallet",
    );
    // The ERC-20's mint has the same selector, on another contract.
    let elsewhere = send(DEV_ADDRESS_1, c.erc20.clone(), mint_data(DEV_ADDRESS_1, 5)).await;
    assert_failed(
        &answer_transaction(&app, &user, "Mint", &elsewhere).await,
        "not sent to the task's contract",
    );
    let approval = setApprovalForAllCall {
        operator: DEV_ADDRESS_0.parse().unwrap(),
        approved: true,
    };
    let other_method = send(
        DEV_ADDRESS_1,
        c.erc721.clone(),
        format!("0x{}", hex::encode(approval.abi_encode())),
    )
    .await;
    assert_failed(
        &answer_transaction(&app, &user, "Mint", &other_method).await,
        "does not call the task's method",
    );
    // Token 1 exists: minting it again reverts.
    let reverted = send(DEV_ADDRESS_1, c.erc721.clone(), mint_data(DEV_ADDRESS_1, 1)).await;
    assert_failed(
        &answer_transaction(&app, &user, "Mint", &reverted).await,
        "reverted",
    );
    assert_failed(
        &answer_transaction(&app, &user, "Mint", &format!("0x{}", "ab".repeat(32))).await,
        "not on the task's chain",
    );
    assert_failed(
        &answer_transaction(&app, &user, "Mint", "0x1234").await,
        "0x and 64 hex digits",
    );

    // "Mint later" opens in 30 seconds: a transaction mined now is older than the task.
    let early = send(DEV_ADDRESS_1, c.erc721.clone(), mint_data(DEV_ADDRESS_1, 3)).await;
    app.state.clock.advance(60);
    assert_failed(
        &answer_transaction(&app, &user, "Mint later", &early).await,
        "before the task opened",
    );
    // A block mined after the opening counts.
    anvil
        .rpc("evm_setNextBlockTimestamp", json!([now() + 45]))
        .await;
    let late = send(DEV_ADDRESS_1, c.erc721.clone(), mint_data(DEV_ADDRESS_1, 4)).await;
    assert_completed(&answer_transaction(&app, &user, "Mint later", &late).await);
}

#[tokio::test]
async fn a_partners_user_is_checked_in_the_wallet_linked_to_them() {
    let anvil = Anvil::start();
    let tasks = vec![task(
        "Native",
        json!({"type": "native_balance", "min": "1000000000000000000"}),
    )];
    let (app, org) = chain_app(&anvil, tasks, vec![]).await;
    let alice = app.user_token(&org, "alice").await;
    assert_failed(
        &check(&app, &alice, "Native").await,
        "Connect a wallet first",
    );
    // Alice links the first development account (10,000 ether) and is checked in it.
    wallet_token(&app, DEV_KEY_0, Some(&alice)).await;
    assert_completed(&check(&app, &alice, "Native").await);
}

#[tokio::test]
async fn a_chain_that_does_not_answer_is_a_503_and_stores_nothing() {
    // The test app's chain 31337 points at a closed port.
    let (app, org) = TestApp::with_demo_org().await;
    let doc = json!({
        "slug": "on-chain", "title": "On chain", "status": "published",
        "groups": [{"key": "main", "title": "Main", "quests": [{"key": "q", "title": "Q",
            "tasks": [task("Native", json!({"type": "native_balance", "min": "1"}))]}]}]
    });
    app.create_campaign(&org, doc).await;
    let user = wallet_token(&app, DEV_KEY_0, None).await;
    let view: questlet_types::WidgetCampaignResponse =
        serde_json::from_value(app.get(CAMPAIGN).await.json).unwrap();
    let id = crate::support::task_id(&view, "Native");
    let path = format!("{CAMPAIGN}/tasks/{id}/attempts");
    let body = json!({"answer": {"type": "wallet_check"}});
    let down = app.json("POST", &path, Some(&user), body).await;
    down.assert_error(StatusCode::SERVICE_UNAVAILABLE, "chain_unavailable");
    let after = app.get_as(CAMPAIGN, &user).await;
    assert_eq!(after.json["user"]["points"], 0, "{}", after.text);
}

#[tokio::test]
async fn on_chain_settings_and_chains_are_checked_when_a_campaign_is_written() {
    let (app, org) = TestApp::with_demo_org().await;
    let address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    let cases = [
        (
            json!({"type": "native_balance", "min": "1"}),
            8453,
            StatusCode::UNPROCESSABLE_ENTITY,
            "config.chain: chain 8453 is not a chain this server reaches",
        ),
        (
            json!({"type": "erc20_balance", "token": "0x1234", "min": "1"}),
            CHAIN_ID,
            StatusCode::BAD_REQUEST,
            "config.token: must be an address",
        ),
        (
            json!({"type": "erc20_balance", "token": address, "min": "9".repeat(78)}),
            CHAIN_ID,
            StatusCode::UNPROCESSABLE_ENTITY,
            "config.min: must be below 2^256",
        ),
        (
            json!({"type": "erc1155_balance", "collection": address, "token_id": "-1"}),
            CHAIN_ID,
            StatusCode::BAD_REQUEST,
            "config.token_id: must be a whole number",
        ),
        (
            json!({"type": "contract_transaction", "contract": address, "method": "mint"}),
            CHAIN_ID,
            StatusCode::UNPROCESSABLE_ENTITY,
            "config.method: a method is a signature",
        ),
        (
            json!({"type": "contract_transaction", "contract": address, "data": "0xabc"}),
            CHAIN_ID,
            StatusCode::BAD_REQUEST,
            "config.data: must be 0x followed by whole bytes",
        ),
        (
            json!({"type": "transaction_count", "min": 0}),
            CHAIN_ID,
            StatusCode::BAD_REQUEST,
            "config.min: must be 1 or more",
        ),
    ];
    // Whole numbers may be written as JSON Schema allows, `31337.0`.
    let doc = json!({
        "slug": "whole", "title": "Whole", "status": "draft",
        "groups": [{"key": "main", "title": "Main", "quests": [{"key": "q", "title": "Q",
            "tasks": [{"key": "t", "title": "T",
                       "config": {"type": "transaction_count", "chain": 31337.0, "min": 2.0}}]}]}]
    });
    let created = app
        .json("POST", "/v1/campaigns", Some(&org.api_token), doc)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    for (config, chain, status, message) in cases {
        let mut config = config;
        config["chain"] = json!(chain);
        let doc = json!({
            "slug": "on-chain", "title": "On chain", "status": "draft",
            "groups": [{"key": "main", "title": "Main", "quests": [{"key": "q", "title": "Q",
                "tasks": [{"key": "t", "title": "T", "config": config}]}]}]
        });
        let created = app
            .json("POST", "/v1/campaigns", Some(&org.api_token), doc)
            .await;
        assert_eq!(created.status, status, "{config}: {}", created.text);
        assert!(
            created.text.contains(message),
            "{message:?} in {}",
            created.text
        );
    }
}
