//! The widget on a dApp page, with a wallet: a test wallet (an EIP-1193 provider for one of
//! anvil's development accounts, signing through anvil) on a real local chain with the test
//! contracts. The user connects, signs in with Ethereum, and completes an ERC-20 balance
//! task and a send-a-transaction task: once with a wallet the widget discovers through
//! EIP-6963, once with the dApp's own provider handed to `Questlet.mount` and the
//! transaction sent by the dApp through `Questlet.onRequest`; and a page moving from claimr
//! signs in through `claimr.connect_wallet`. Real server, release widget, Chromium.

use questlet_e2e::fixtures::anvil::{mint_data, Anvil, CHAIN_ID};
use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::find::{
    click_in_shadow, click_task_button, eval, poll, wait_for_shadow_text, wait_for_task_state,
};
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::server::QuestletServer;
use questlet_e2e::fixtures::wallet::{DEV_ADDRESS_0, DEV_ADDRESS_1};
use serde_json::{json, Value};

/// The chain, its contracts, and a server that knows the chain, with a `dapp` campaign of
/// an ERC-20 balance task (100 tokens, which the user holds) and a task to mint an NFT.
struct Dapp {
    anvil: Anvil,
    server: QuestletServer,
    erc721: String,
}

async fn dapp() -> Dapp {
    let anvil = Anvil::start();
    let erc20 = anvil.deploy(DEV_ADDRESS_0, "TestERC20", "").await;
    let erc721 = anvil.deploy(DEV_ADDRESS_0, "TestERC721", "").await;
    anvil
        .send(
            DEV_ADDRESS_0,
            json!({"to": erc20, "data": mint_data(DEV_ADDRESS_1, 100)}),
        )
        .await;
    let chains = format!("{CHAIN_ID}={}", anvil.rpc_url);
    let server = QuestletServer::start_with_env(&[("QUESTLET_EVM_CHAINS", &chains)]).await;
    let campaign = json!({
        "slug": "dapp", "title": "dApp quests", "status": "published",
        "groups": [{"key": "main", "title": "Main", "quests": [
            {"key": "chain", "title": "On chain", "tasks": [
                {"key": "hold", "title": "Hold 100 TST", "points": 10, "config":
                    {"type": "erc20_balance", "chain": CHAIN_ID, "token": erc20, "min": "100"}},
                {"key": "mint", "title": "Mint a Test NFT", "points": 20, "config":
                    {"type": "contract_transaction", "chain": CHAIN_ID, "contract": erc721,
                     "method": "mint(address,uint256)", "data": mint_data(DEV_ADDRESS_1, 77)}}
            ]}
        ]}]
    });
    let created = reqwest::Client::new()
        .post(format!("{}/v1/campaigns", server.url))
        .bearer_auth(&server.demo_api_token)
        .json(&campaign)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    Dapp {
        anvil,
        server,
        erc721,
    }
}

/// The dApp's chain and server, the host pages, and Chromium on `wallet.html` in `mode`
/// (`announce` or `mount`, see the page).
async fn open_wallet_page(mode: &str) -> (Dapp, HostPages, Browser) {
    let dapp = dapp().await;
    let pages = HostPages::start(&dapp.server.url).await;
    let browser = Browser::start().await;
    let url = format!(
        "{}?mode={mode}&anvil={}",
        pages.page("wallet.html"),
        dapp.anvil.rpc_url
    );
    browser.client.goto(&url).await.unwrap();
    (dapp, pages, browser)
}

/// Opens the quest, connects the wallet on the balance task, checks it, and sends the
/// mint: both tasks end completed.
async fn connect_check_and_send(client: &fantoccini::Client) {
    click_in_shadow(client, "#quests", "[part~=quest-card]").await;
    // The wallet chunk loads for the wallet tasks and offers to connect.
    click_task_button(client, "#quests", "erc20_balance", "wallet-connect").await;
    // Signed in with the wallet: the user's points show, and no task offers to connect.
    wait_for_shadow_text(client, "#quests", "[part~=points]").await;
    wait_for_connected(client).await;
    click_task_button(client, "#quests", "erc20_balance", "task-submit").await;
    wait_for_task_state(client, "#quests", "erc20_balance", "completed").await;
    click_task_button(client, "#quests", "contract_transaction", "wallet-send").await;
    wait_for_task_state(client, "#quests", "contract_transaction", "completed").await;
    assert_eq!(eval(client, "window.__errors").await, json!([]));
    // The connection was announced to the analytics sinks, with the wallet's address.
    let connected = eval(
        client,
        "window.dataLayer.filter(e => e.event === 'questlet_wallet_connected')",
    )
    .await;
    assert_eq!(connected[0]["address"], json!(DEV_ADDRESS_1), "{connected}");
    assert_eq!(connected[0]["campaign"], json!("dapp"), "{connected}");
}

/// Waits until no task offers to connect a wallet (the sign-in took).
async fn wait_for_connected(client: &fantoccini::Client) {
    let script = "document.querySelector('#quests').shadowRoot.querySelectorAll('[part~=wallet-connect]').length";
    let gone = poll(async || (eval(client, script).await == json!(0)).then_some(())).await;
    assert!(gone.is_some(), "a task still offers to connect a wallet");
}

/// The owner of NFT `id` on the chain.
async fn owner_of(dapp: &Dapp, id: u64) -> String {
    let data = format!("0x6352211e{id:064x}");
    let answer = dapp
        .anvil
        .rpc(
            "eth_call",
            json!([{"to": dapp.erc721, "data": data}, "latest"]),
        )
        .await;
    let word = answer.as_str().unwrap();
    format!("0x{}", &word[word.len() - 40..])
}

#[tokio::test]
async fn a_wallet_announced_through_eip_6963_signs_in_and_completes_on_chain_tasks() {
    let (dapp, _pages, browser) = open_wallet_page("announce").await;
    let client = &browser.client;
    connect_check_and_send(client).await;

    // The wallet signed the sign-in and sent the mint itself.
    let requests = eval(client, "window.__requests").await;
    let asked = |method: &str| requests.as_array().unwrap().contains(&json!(method));
    assert!(asked("eth_requestAccounts"), "{requests}");
    assert!(asked("personal_sign"), "{requests}");
    assert!(asked("eth_sendTransaction"), "{requests}");
    // It was on another chain: the widget asked it to switch to the task's first.
    assert!(asked("wallet_switchEthereumChain"), "{requests}");
    assert_eq!(eval(client, "window.__chain").await, json!("0x7a69"));
    assert_eq!(
        owner_of(&dapp, 77).await,
        DEV_ADDRESS_1.to_lowercase(),
        "the NFT was minted to the user"
    );
    browser.close().await;
}

#[tokio::test]
async fn a_dapps_own_provider_and_on_request_complete_the_same_tasks() {
    // No wallet announces itself: the only wallet is the one the dApp hands over.
    let (dapp, _pages, browser) = open_wallet_page("mount").await;
    let client = &browser.client;
    connect_check_and_send(client).await;

    // The dApp built and sent the transaction itself, from the task's request.
    let sent: Value = eval(client, "window.__hostRequests").await;
    let sent = sent.as_array().unwrap();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["to"], json!(dapp.erc721));
    assert_eq!(sent[0]["data"], json!(mint_data(DEV_ADDRESS_1, 77)));
    assert_eq!(sent[0]["chainId"], json!("0x7a69"));
    assert_eq!(sent[0]["from"], json!(DEV_ADDRESS_1));
    assert_eq!(owner_of(&dapp, 77).await, DEV_ADDRESS_1.to_lowercase());
    browser.close().await;
}

#[tokio::test]
async fn claimrs_connect_wallet_signs_in_through_the_same_check() {
    let (dapp, _pages, browser) = open_wallet_page("announce").await;
    let client = &browser.client;
    wait_for_shadow_text(client, "#quests", "[part~=quest-card]").await;
    // The page signs a message of the server's with its wallet, as a claimr page did with
    // its own, and hands it over; a made-up message is refused with the server's reason.
    let script = format!(
        r#"const done = arguments[arguments.length - 1];
        const api = "{api}/v1/widget/demo/campaigns/dapp";
        const address = "{DEV_ADDRESS_1}";
        window.claimr.connect_wallet(address, "0x00", "not a sign-in message")
          .then(() => "accepted", (error) => String(error.message))
          .then((refused) => fetch(api + "/wallet/nonce", {{
              method: "POST", headers: {{"Content-Type": "application/json"}},
              body: JSON.stringify({{address, uri: location.href, chain_id: 31337}})
            }}).then((r) => r.json()).then((issued) => {{
              const hex = "0x" + Array.from(new TextEncoder().encode(issued.message))
                .map((b) => b.toString(16).padStart(2, "0")).join("");
              return window.testWallet.request({{method: "personal_sign", params: [hex, address]}})
                .then((signature) => window.claimr.connect_wallet(address, signature, issued.message));
            }}).then(() => done(refused)))
          .catch((error) => done("failed: " + error.message));"#,
        api = dapp.server.url
    );
    let refused = client.execute_async(&script, vec![]).await.unwrap();
    assert!(
        refused
            .as_str()
            .is_some_and(|r| r.contains("not an EIP-4361 message")),
        "{refused}"
    );
    // Signed in: the user's points show, and the connection was announced.
    wait_for_shadow_text(client, "#quests", "[part~=points]").await;
    let connected = eval(
        client,
        "window.dataLayer.filter(e => e.event === 'questlet_wallet_connected').length",
    )
    .await;
    assert_eq!(connected, json!(1));
    browser.close().await;
}
