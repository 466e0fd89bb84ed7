//! The partner console in headless Chromium, served by the real server under its strict
//! Content-Security-Policy.
//!
//! - The demo owner signs in (after a refused attempt), sees the campaigns, signs out.
//! - An owner creates a campaign from a template, adds a quest with a secret-code task (the
//!   live preview shows it in both themes while the campaign is a draft), allows a partner's
//!   origin, publishes, copies the embed snippet, and that snippet on the partner's page
//!   (another origin) shows the quest.
//! - A save made from a stale copy shows what the other save changed, and overwrites nothing;
//!   an imported campaign file replaces the campaign.
//! - An owner adds a reviewer, who reviews proofs by mouse, by keyboard and in bulk, and whose
//!   attempt to edit a campaign the server refuses.
//! - An owner creates an API token and an OAuth2 client, each secret shown once and working
//!   until revoked, and a webhook endpoint.
//! - An owner reads a campaign's results and downloads its participants.
//! - An owner reorders quests by dragging, and edits a quest: its description previewed, its
//!   prerequisites and schedule, a poll task whose form comes from the server's schema (the
//!   server's refusal shown at the field it names), the task order; and renames, adds and
//!   moves groups.
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

const REVIEWER: &str = "rita@demo.questlet.dev";
const REVIEWER_PASSWORD: &str = "rita-reviews-proofs";

const OWNER: &str = "owner@demo.questlet.dev";
const PASSWORD: &str = "questlet-demo-owner";

/// Types `text` into `selector` once it is there: after a sign-out or a tab change the
/// console renders its next form a moment later, as a person waits to see it.
async fn fill(client: &Client, selector: &str, text: &str) {
    let field = client
        .wait()
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("{selector} never appeared: {e}"));
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Clicks `selector` once it is there and enabled, as a person waits for a button that a
/// save in flight has disabled (a click on a disabled button does nothing).
async fn click(client: &Client, selector: &str) {
    let enabled = poll(async || {
        let ready = client
            .execute(
                "const el = document.querySelector(arguments[0]); return !!el && !el.disabled;",
                vec![json!(selector)],
            )
            .await
            .ok()?;
        (ready == Value::Bool(true)).then_some(())
    })
    .await;
    assert!(enabled.is_some(), "{selector} never became clickable");
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

/// Signs the demo owner in and creates draft campaign `title` from the starter template,
/// whose page the console then shows.
async fn new_campaign(server: &QuestletServer, client: &Client, title: &str) {
    open_console(server, client).await;
    sign_in(client, OWNER, PASSWORD).await;
    wait_for(client, "#qc-template option[value=starter]").await;
    fill(client, "#qc-new-title-field", title).await;
    click(client, "#qc-new-title ~ form button[type=submit]").await;
    wait_for_text(client, "#qc-campaign-title", title).await;
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

/// Opens the header's navigation entry named `name`.
async fn open_tab(client: &Client, name: &str) {
    client
        .find(Locator::XPath(&format!(
            "//nav[@class='qc-nav']/button[normalize-space()='{name}']"
        )))
        .await
        .unwrap_or_else(|e| panic!("no {name} tab: {e}"))
        .click()
        .await
        .unwrap();
}

/// The text of the element at `selector`.
async fn text_of(client: &Client, selector: &str) -> String {
    client
        .find(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("{selector}: {e}"))
        .text()
        .await
        .unwrap()
}

/// Runs `body` (JavaScript, its last statement `return`ing a promise) in the page and
/// answers what the promise resolves to.
async fn run_async(client: &Client, body: &str) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         (async () => {{ {body} }})().then(done, e => done(String(e)));"
    );
    client.execute_async(&script, vec![]).await.unwrap()
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

    // The live preview: the real widget shows the draft's new quest, in both themes.
    for theme in ["light", "dark"] {
        let previewed = poll(async || {
            let text = eval(
                client,
                &format!(
                    "(document.querySelector('iframe[data-theme={theme}]')?.contentDocument\
                     ?.querySelector('#preview')?.shadowRoot?.textContent) || ''"
                ),
            )
            .await;
            text.as_str()
                .is_some_and(|t| t.contains("Find the word"))
                .then_some(())
        })
        .await;
        assert!(
            previewed.is_some(),
            "the {theme} preview never showed the new quest"
        );
    }

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
    new_campaign(&server, client, "Autumn").await;

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
    let stored = stored_campaign(&server, "autumn").await;
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

    // A campaign file (as exported, edited elsewhere) imported over it replaces it; its slug
    // stays this campaign's.
    let mut file = stored.clone();
    file["title"] = "Autumn Festival".into();
    file["slug"] = "somewhere-else".into();
    let path = std::env::temp_dir().join(format!("questlet-import-{}.json", std::process::id()));
    std::fs::write(&path, file.to_string()).unwrap();
    client
        .find(Locator::Css("#qc-import"))
        .await
        .unwrap()
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    wait_for_text(client, "#qc-campaign-title", "Autumn Festival").await;
    std::fs::remove_file(&path).unwrap();
    let imported = stored_campaign(&server, "autumn").await;
    assert_eq!(imported["title"], "Autumn Festival");
    assert_eq!(imported["slug"], "autumn");

    // A file that is not a campaign document says so, and changes nothing.
    std::fs::write(&path, "{\"title\": 5}").unwrap();
    client
        .find(Locator::Css("#qc-import"))
        .await
        .unwrap()
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    wait_for_text(
        client,
        "#qc-file-title ~ .qc-error",
        "not a campaign document",
    )
    .await;
    std::fs::remove_file(&path).unwrap();
}

/// Creates campaign `doc` in the demo organization through the API.
async fn create_campaign(server: &QuestletServer, doc: Value) {
    let created = reqwest::Client::new()
        .post(format!("{}/v1/campaigns", server.url))
        .bearer_auth(&server.demo_api_token)
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
}

/// `account` attempts task number `task` (in display order) of the demo organization's
/// campaign `slug` through the widget API, with `body` (its answer, GA client id...).
/// Records that `account` opened the `quest`-th quest of campaign `slug`, as the widget does.
async fn open_quest(server: &QuestletServer, slug: &str, account: &str, quest: usize) {
    let http = reqwest::Client::new();
    let widget = format!("{}/v1/widget/demo/campaigns/{slug}", server.url);
    let campaign: Value = http
        .get(&widget)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = campaign["groups"][0]["quests"][quest]["id"]
        .as_str()
        .unwrap();
    let opened = http
        .post(format!("{widget}/quests/{id}/opened"))
        .bearer_auth(server.demo_user_token(account).await)
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 204, "{}", opened.text().await.unwrap());
}

async fn attempt(server: &QuestletServer, slug: &str, account: &str, task: usize, body: Value) {
    let http = reqwest::Client::new();
    let widget = format!("{}/v1/widget/demo/campaigns/{slug}", server.url);
    let token = server.demo_user_token(account).await;
    let campaign: Value = http
        .get(&widget)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = campaign["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["quests"].as_array().unwrap())
        .flat_map(|q| q["tasks"].as_array().unwrap())
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    let sent = http
        .post(format!("{widget}/tasks/{}/attempts", ids[task]))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 200, "{}", sent.text().await.unwrap());
}

/// The demo organization's campaign `proofs`, published, with a reviewed link task; and a
/// proof from each of `accounts`. Answers the submissions' ids by account.
async fn proofs_to_review(
    server: &QuestletServer,
    accounts: &[&str],
) -> std::collections::HashMap<String, String> {
    create_campaign(
        server,
        json!({
            "slug": "proofs",
            "title": "Proofs",
            "status": "published",
            "groups": [{"key": "main", "title": "Main", "quests": [
                {"key": "share", "title": "Share", "tasks": [
                    {"key": "post", "title": "Post about us", "points": 40,
                     "config": {"type": "custom", "proof": "url", "review": true}}
                ]}
            ]}]
        }),
    )
    .await;
    for account in accounts {
        let proof = format!("https://example.com/{account}");
        let answer = json!({"answer": {"type": "custom", "proof": proof}});
        attempt(server, "proofs", account, 0, answer).await;
    }
    queue(server)
        .await
        .into_iter()
        .map(|s| {
            (
                s["account"].as_str().unwrap().to_owned(),
                s["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The `proofs` campaign's submissions, through the API.
async fn queue(server: &QuestletServer) -> Vec<Value> {
    let answer: Value = reqwest::Client::new()
        .get(format!("{}/v1/campaigns/proofs/submissions", server.url))
        .bearer_auth(&server.demo_api_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["submissions"].as_array().unwrap().clone()
}

/// The state and message of `account`'s submission, through the API.
async fn decision_of(server: &QuestletServer, account: &str) -> (String, Value) {
    let submission = queue(server)
        .await
        .into_iter()
        .find(|s| s["account"] == account)
        .unwrap();
    (
        submission["state"].as_str().unwrap().to_owned(),
        submission["message"].clone(),
    )
}

#[tokio::test]
async fn an_owner_adds_a_reviewer_who_reviews_proofs_and_cannot_edit_a_campaign() {
    required_env("QUESTLET_CONSOLE_DIR");
    let server = QuestletServer::start().await;
    let ids = proofs_to_review(&server, &["ann", "bob", "cid", "dee"]).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    open_console(&server, client).await;
    sign_in(client, OWNER, PASSWORD).await;
    wait_for(client, ".qc-nav").await;

    // The owner adds a reviewer on the team page.
    open_tab(client, "Team").await;
    wait_for_text(client, "[data-member='owner@demo.questlet.dev']", "owner").await;
    fill(client, "#qc-member-email", REVIEWER).await;
    fill(client, "#qc-member-name", "Rita Reviewer").await;
    client
        .find(Locator::Css("#qc-member-role"))
        .await
        .unwrap()
        .select_by_value("reviewer")
        .await
        .unwrap();
    fill(client, "#qc-member-password", REVIEWER_PASSWORD).await;
    click(client, "#qc-add-member-title ~ form button[type=submit]").await;
    wait_for_text(client, &format!("[data-member='{REVIEWER}']"), "reviewer").await;
    assert_accessible(client, "team page").await;
    click(client, ".qc-header > button.qc-button").await;

    // The reviewer's console is the review queue, and only that.
    sign_in(client, REVIEWER, REVIEWER_PASSWORD).await;
    wait_for_text(client, ".qc-who", "Rita Reviewer · demo · reviewer").await;
    assert_eq!(text_of(client, ".qc-nav").await, "Review");
    client
        .find(Locator::Css("#qc-review-campaign"))
        .await
        .unwrap()
        .select_by_value("proofs")
        .await
        .unwrap();
    let ann = format!("[data-submission='{}']", ids["ann"]);
    let proof = wait_for_text(
        client,
        &format!("{ann} a.qc-proof"),
        "https://example.com/ann",
    )
    .await;
    assert_eq!(proof, "https://example.com/ann");
    assert_accessible(client, "review queue").await;

    // By mouse, with a message.
    fill(
        client,
        &format!("{ann} input[id^=qc-message]"),
        "Great post!",
    )
    .await;
    click(client, &format!("{ann} [data-action=approve]")).await;
    wait_for_text(client, "[role=status]", "Approved 1.").await;
    let approved = poll(async || {
        let decided = decision_of(&server, "ann").await;
        (decided.0 == "approved").then_some(decided)
    })
    .await;
    assert_eq!(
        approved,
        Some(("approved".to_owned(), json!("Great post!")))
    );

    // By keyboard: focus bob's proof, move down to cid's and reject it.
    let bob = format!("[data-submission='{}']", ids["bob"]);
    let cid = format!("[data-submission='{}']", ids["cid"]);
    wait_for(client, &bob).await;
    eval(
        client,
        &format!("document.querySelector(\"{bob}\").focus()"),
    )
    .await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("j")
        .await
        .unwrap();
    let focused = eval(client, "document.activeElement.dataset.submission").await;
    assert_eq!(focused, json!(ids["cid"]));
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("r")
        .await
        .unwrap();
    wait_for_text(client, "[role=status]", "Rejected 1.").await;
    assert_eq!(decision_of(&server, "cid").await.0, "rejected");

    // The focus stays in the queue, on the proof that took cid's place (dee's).
    let dee = json!(ids["dee"]);
    let refocused = poll(async || {
        let focused = eval(client, "document.activeElement.dataset.submission").await;
        (focused == dee).then_some(focused)
    })
    .await;
    assert_eq!(refocused, Some(dee));

    // In bulk: select bob's (k, then x) and dee's (its box), approve both with one message.
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("kx")
        .await
        .unwrap();
    click(
        client,
        &format!("[data-submission='{}'] .qc-select", ids["dee"]),
    )
    .await;
    wait_for_text(client, ".qc-bulk", "2 proofs selected").await;
    assert_accessible(client, "review queue with a selection").await;
    fill(client, "#qc-bulk-message", "Thanks, both").await;
    click(client, "[data-action=approve-selected]").await;
    wait_for_text(client, "[role=status]", "Approved 2.").await;
    wait_for_text(client, ".qc-card", "Nothing here to review.").await;
    for account in ["bob", "dee"] {
        let decided = decision_of(&server, account).await;
        assert_eq!(
            decided,
            ("approved".to_owned(), json!("Thanks, both")),
            "{account}"
        );
    }
    assert!(
        client.find(Locator::Css(&cid)).await.is_err(),
        "decided proofs leave the queue"
    );

    // The console offers a reviewer no editor; the server refuses their session's edit too.
    let refused = run_async(
        client,
        "const session = await (await fetch('/v1/session')).json();
         const answer = await fetch('/v1/campaigns/proofs', {
           method: 'PUT',
           headers: {'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token},
           body: JSON.stringify({slug: 'proofs', title: 'Taken over', groups: []}),
         });
         return [answer.status, (await answer.json()).error];",
    )
    .await;
    assert_eq!(refused, json!([403, "forbidden"]));
    let stored: Value = reqwest::Client::new()
        .get(format!("{}/v1/campaigns/proofs", server.url))
        .bearer_auth(&server.demo_api_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stored["title"], "Proofs");
    assert_no_policy_violation(client).await;
}

#[tokio::test]
async fn an_owners_new_credentials_show_their_secret_once_and_work_until_revoked() {
    required_env("QUESTLET_CONSOLE_DIR");
    let server =
        QuestletServer::start_with_env(&[("QUESTLET_OUTBOUND_ALLOW", "127.0.0.1/32")]).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    open_console(&server, client).await;
    sign_in(client, OWNER, PASSWORD).await;
    wait_for(client, ".qc-nav").await;
    open_tab(client, "Credentials").await;
    wait_for(client, "#qc-tokens-label").await;
    assert_accessible(client, "credentials page").await;

    // An API token: shown once, it authorizes the admin API.
    fill(client, "#qc-tokens-label", "CI deploys").await;
    click(client, "[data-section=tokens] button[type=submit]").await;
    wait_for(client, "[data-section=tokens] .qc-secret-value").await;
    let token = text_of(client, "[data-section=tokens] .qc-secret-value").await;
    let warning = text_of(client, "[data-section=tokens] .qc-warning").await;
    assert!(warning.contains("only this once"), "{warning}");
    assert_accessible(client, "credentials page with a secret").await;
    let http = reqwest::Client::new();
    let campaigns = format!("{}/v1/campaigns", server.url);
    let status = |token: String| {
        let request = http.get(&campaigns).bearer_auth(token);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(status(token.clone()).await, 200);

    // Once dismissed, the secret is nowhere in the console again.
    click(client, "[data-section=tokens] .qc-secret button:last-child").await;
    client.refresh().await.unwrap();
    wait_for(client, ".qc-nav").await;
    open_tab(client, "Credentials").await;
    let row = wait_for_text(client, "[data-section=tokens] tbody tr", "CI deploys").await;
    assert!(row.contains("never") || row.contains("UTC"), "{row}");
    let source = client.source().await.unwrap();
    assert!(!source.contains(&token), "the secret is shown once");

    // Revoked (two clicks: the first asks), it authorizes nothing.
    let revoke = "[data-section=tokens] tbody tr button";
    click(client, revoke).await;
    wait_for_text(client, revoke, "Click again to revoke “CI deploys”").await;
    click(client, revoke).await;
    wait_for_text(client, "[data-section=tokens] tbody tr", "Revoked").await;
    assert_eq!(status(token).await, 401);

    // An OAuth2 client: its secret, shown once, gets access tokens.
    fill(client, "#qc-clients-label", "Reporting").await;
    click(client, "[data-section=clients] button[type=submit]").await;
    wait_for(client, "[data-section=clients] .qc-secret-value").await;
    let secret = text_of(client, "[data-section=clients] .qc-secret-value").await;
    let client_id = text_of(client, "[data-section=clients] tbody tr code").await;
    let granted = http
        .post(format!("{}/oauth2/token", server.url))
        .basic_auth(&client_id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(granted.status(), 200, "{}", granted.text().await.unwrap());

    // A webhook endpoint for completed tasks of one campaign: listed, its secret shown once.
    fill(client, "#qc-webhook-url", "http://127.0.0.1:9/questlet").await;
    client
        .find(Locator::Css("#qc-webhook-campaign"))
        .await
        .unwrap()
        .select_by_value("launch-week")
        .await
        .unwrap();
    click(client, "#qc-webhooks-title ~ form button[type=submit]").await;
    let endpoint =
        wait_for_text(client, "[data-section=webhooks] tbody tr", "task.completed").await;
    assert!(endpoint.contains("launch-week"), "{endpoint}");
    let signing = text_of(client, "[data-section=webhooks] .qc-secret-value").await;
    assert!(signing.starts_with("whsec_"), "{signing}");
    let listed: Value = http
        .get(format!("{}/v1/webhooks", server.url))
        .bearer_auth(&server.demo_api_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["url"], "http://127.0.0.1:9/questlet");
    assert_eq!(listed[0]["campaign"], "launch-week");
    assert_no_policy_violation(client).await;
}

#[tokio::test]
async fn an_owner_reads_a_campaigns_results_and_downloads_its_participants() {
    required_env("QUESTLET_CONSOLE_DIR");
    let server = QuestletServer::start().await;
    let task = |key: &str| {
        json!({"key": key, "title": key.to_uppercase(), "points": 1,
               "config": {"type": "visit_link", "url": "https://example.com"}})
    };
    create_campaign(
        &server,
        json!({"slug": "tally", "title": "Tally", "status": "published",
            "groups": [{"key": "g", "title": "G", "quests": [
                {"key": "q", "title": "First steps", "tasks": [task("a"), task("b")]},
                {"key": "later", "title": "Later", "tasks": [task("c")]}]}]}),
    )
    .await;
    let visit = |ga: &str| json!({"answer": {"type": "visit_link"}, "ga_client_id": ga});
    attempt(&server, "tally", "ann", 0, visit("GA1.1.111.222")).await;
    attempt(&server, "tally", "ann", 1, visit("GA1.1.111.222")).await;
    attempt(&server, "tally", "bob", 0, visit("GA1.1.333.444")).await;
    open_quest(&server, "tally", "ann", 0).await;

    let browser = Browser::start().await;
    let client = &browser.client;
    open_console(&server, client).await;
    sign_in(client, OWNER, PASSWORD).await;
    wait_for(client, "[data-campaign=tally] button").await;
    click(client, "[data-campaign=tally] button").await;
    wait_for(client, "[data-action=results]").await;
    click(client, "[data-action=results]").await;

    wait_for_text(client, "[data-total=participants]", "2").await;
    assert_eq!(text_of(client, "[data-total=completions]").await, "3");
    let cells = async |row: &str| {
        eval(
            client,
            &format!("[...document.querySelectorAll('{row} td')].map(td => td.textContent)"),
        )
        .await
    };
    // Per quest: opened, started, completed.
    assert_eq!(
        cells("[data-table=funnel] [data-quest=q]").await,
        json!(["First steps", "1", "2", "1", ""])
    );
    assert_eq!(
        cells("[data-table=funnel] [data-quest=later]").await,
        json!(["Later", "0", "0", "0", ""])
    );
    // A bar a day, and today's numbers: 2 users, 3 completions.
    let bars = eval(
        client,
        "document.querySelectorAll('.qc-chart .qc-bar').length",
    )
    .await;
    assert_eq!(bars, 30);
    let today = eval(client, "new Date().toISOString().slice(0, 10)").await;
    let today = today.as_str().unwrap();
    assert_eq!(
        cells(&format!("[data-table=days] [data-day=\"{today}\"]")).await,
        json!([today, "2", "3"])
    );
    let top = wait_for_text(client, "[data-table=top] tbody tr", "ann").await;
    assert!(top.starts_with('1') && top.contains("web · ann"), "{top}");
    let activity = wait_for_text(client, "[data-table=activity]", "GA1.1.111.222").await;
    assert!(activity.contains("GA1.1.333.444"), "{activity}");
    assert_accessible(client, "results page").await;

    // The download links carry the session cookie, like every call of the console.
    let csv = run_async(
        client,
        "const link = [...document.querySelectorAll('a[download]')]
           .find(a => a.href.endsWith('participants.csv'));
         return (await fetch(link.href)).text();",
    )
    .await;
    let csv = csv.as_str().unwrap();
    assert!(
        csv.starts_with("account,platform,name,points,rank,completions\n"),
        "{csv}"
    );
    assert!(csv.contains("ann,web,,2,,2"), "{csv}");
    assert_no_policy_violation(client).await;
}

/// The campaign `slug` as the API has it.
async fn stored_campaign(server: &QuestletServer, slug: &str) -> Value {
    server.admin_json(&format!("/v1/campaigns/{slug}")).await
}

/// Drags the element at `from` onto the one at `to`, as the browser's drag and drop does.
async fn drag(client: &Client, from: &str, to: &str) {
    client
        .execute(
            "const data = new DataTransfer();
             const fire = (selector, type) => document.querySelector(selector).dispatchEvent(
               new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: data}));
             fire(arguments[0], 'dragstart');
             fire(arguments[1], 'dragover');
             fire(arguments[1], 'drop');",
            vec![json!(from), json!(to)],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn an_owner_edits_quests_and_tasks_with_forms_made_from_the_servers_types() {
    required_env("QUESTLET_CONSOLE_DIR");
    let server = QuestletServer::start().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    new_campaign(&server, client, "Editor Test").await;
    fill(client, "#qc-quest-title", "Second step").await;
    fill(client, "#qc-task-title", "Say the word").await;
    fill(client, "#qc-code", "ONWARD").await;
    click(client, "#qc-new-quest-title ~ form button[type=submit]").await;
    wait_for(client, "[data-quest=second-step]").await;

    // Quests reorder by dragging, saved at once.
    drag(client, "[data-quest=second-step]", "[data-quest=hello]").await;
    let order = poll(async || {
        let doc = stored_campaign(&server, "editor-test").await;
        let keys: Vec<Value> = doc["groups"][0]["quests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["key"].clone())
            .collect();
        (keys == [json!("second-step"), json!("hello")]).then_some(())
    })
    .await;
    assert!(order.is_some(), "the dragged quest never moved");

    // The quest editor: hello is now the group's second quest.
    wait_for(client, "[data-quest=hello] [data-action=edit-quest]").await;
    click(client, "[data-quest=hello] [data-action=edit-quest]").await;
    wait_for(client, "[data-editing=hello]").await;
    let quest = "qc-f-groups-0--quests-1-";
    fill(
        client,
        &format!("#{quest}-description"),
        "**Welcome** aboard <script>bad()</script>",
    )
    .await;
    click(client, ".qc-editor [data-action=preview-markdown]").await;
    wait_for_text(client, ".qc-editor .qc-markdown strong", "Welcome").await;
    let scripts = eval(
        client,
        "document.querySelectorAll('.qc-markdown script').length",
    )
    .await;
    assert_eq!(scripts, 0, "the preview is sanitized");
    click(client, "#qc-prerequisite-second-step").await;
    client
        .execute(
            "const input = document.getElementById(arguments[0]);
             input.value = '2030-01-02T03:04';
             input.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![json!(format!("{quest}-ends-at"))],
        )
        .await
        .unwrap();

    // A poll task: its form comes from the server's schema of the poll's settings.
    client
        .find(Locator::Css("#qc-new-task-kind"))
        .await
        .unwrap()
        .select_by_value("poll")
        .await
        .unwrap();
    click(client, "[data-action=add-task]").await;
    let settings = format!("{quest}-tasks-1--config-");
    wait_for(client, &format!("#{settings}question")).await;
    wait_for(client, &format!("textarea#{settings}options")).await;
    // Saved without its settings, the server's refusal lands on the field it names.
    click(client, "[data-action=save-quest]").await;
    let invalid = format!("[id^={settings}][aria-invalid=true]");
    wait_for(client, &invalid).await;
    let named = eval(client, &format!("document.querySelector('{invalid}').id")).await;
    let message = text_of(client, &format!("#{}-error", named.as_str().unwrap())).await;
    assert!(!message.is_empty(), "{named}: no message");
    assert_accessible(client, "quest editor with a refused field").await;

    fill(client, &format!("#{settings}question"), "Best fruit?").await;
    fill(client, &format!("#{settings}options"), "Apple\nPear").await;
    click(client, "[data-task=poll] [data-action=task-up]").await;
    click(client, "[data-action=save-quest]").await;
    let saved = poll(async || {
        let doc = stored_campaign(&server, "editor-test").await;
        let hello = doc["groups"][0]["quests"][1].clone();
        (hello["tasks"].as_array().map(Vec::len) == Some(2)).then_some(hello)
    })
    .await
    .expect("the quest was never saved");
    assert_eq!(
        saved["tasks"][0]["config"],
        json!({"type": "poll", "question": "Best fruit?", "options": ["Apple", "Pear"]})
    );
    assert_eq!(saved["tasks"][1]["key"], "visit-site");
    assert_eq!(
        saved["description"],
        "**Welcome** aboard <script>bad()</script>"
    );
    assert_eq!(saved["prerequisites"], json!(["second-step"]));
    assert_eq!(saved["ends_at"], 1_893_553_440);

    // Groups: renamed, added, moved up.
    let groups = async |wanted: Value| {
        poll(async || {
            let doc = stored_campaign(&server, "editor-test").await;
            let found: Vec<Value> = doc["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| json!([g["key"], g["title"]]))
                .collect();
            (Value::Array(found) == wanted).then_some(())
        })
        .await
        .unwrap_or_else(|| panic!("the groups never became {wanted}"))
    };
    fill(client, "#qc-group-title-0", "Begin").await;
    click(client, "[data-group=start] button[type=submit]").await;
    groups(json!([["start", "Begin"]])).await;
    fill(client, "#qc-new-group", "Bonus round").await;
    click(client, "#qc-new-group ~ button[type=submit]").await;
    groups(json!([["start", "Begin"], ["bonus-round", "Bonus round"]])).await;
    wait_for(
        client,
        "[data-group=bonus-round] [data-action=group-up]:enabled",
    )
    .await;
    click(client, "[data-group=bonus-round] [data-action=group-up]").await;
    groups(json!([["bonus-round", "Bonus round"], ["start", "Begin"]])).await;
    assert_no_policy_violation(client).await;
}

/// Opens the campaign settings (drawn anew, closed, after each save) by their summary.
async fn open_settings(client: &Client) {
    let opened = poll(async || {
        let open = eval(
            client,
            "document.querySelector('[data-section=settings]')?.open === true",
        )
        .await;
        if open != Value::Bool(true) {
            click(client, "[data-section=settings] summary").await;
            return None;
        }
        Some(())
    })
    .await;
    assert!(opened.is_some(), "the campaign settings never opened");
}

#[tokio::test]
async fn an_owner_edits_the_campaign_settings_and_a_refused_one_shows_at_its_field() {
    required_env("QUESTLET_CONSOLE_DIR");
    let server = QuestletServer::start().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    new_campaign(&server, client, "Settings Test").await;
    let before = stored_campaign(&server, "settings-test").await;

    open_settings(client).await;
    fill(client, "#qc-f-title", "Summer Quests").await;
    fill(client, "#qc-f-points-name", "Stars").await;
    fill(client, "#qc-f-time-zone", "Mars/Olympus").await;
    click(client, "#qc-has-intro").await;
    wait_for(client, "#qc-f-intro-title").await;
    fill(client, "#qc-f-intro-title", "Welcome").await;
    fill(client, "#qc-f-intro-body", "Finish **three** quests").await;
    click(client, "[data-action=save-settings]").await;

    // The server knows no such time zone: its message shows at that field, nothing is saved.
    wait_for(client, "#qc-f-time-zone[aria-invalid=true]").await;
    let message = text_of(client, "#qc-f-time-zone-error").await;
    assert!(message.contains("time zone"), "{message}");
    assert_accessible(client, "campaign settings with a refused field").await;
    assert_eq!(
        stored_campaign(&server, "settings-test").await,
        before,
        "a refused save changed the campaign"
    );

    fill(client, "#qc-f-time-zone", "Europe/Berlin").await;
    click(client, "[data-action=save-settings]").await;
    let saved = poll(async || {
        let doc = stored_campaign(&server, "settings-test").await;
        (doc["title"] == "Summer Quests").then_some(doc)
    })
    .await
    .expect("the settings were never saved");
    assert_eq!(saved["points_name"], "Stars");
    assert_eq!(saved["time_zone"], "Europe/Berlin");
    assert_eq!(
        saved["intro"],
        json!({"title": "Welcome", "body": "Finish **three** quests"})
    );
    assert_eq!(
        saved["groups"], before["groups"],
        "the quests are untouched"
    );
    wait_for_text(client, "#qc-campaign-title", "Summer Quests").await;

    // Turned off, the intro pop-up is gone from the document.
    open_settings(client).await;
    click(client, "#qc-has-intro").await;
    click(client, "[data-action=save-settings]").await;
    let without = poll(async || {
        let doc = stored_campaign(&server, "settings-test").await;
        doc["intro"].is_null().then_some(doc)
    })
    .await;
    assert!(without.is_some(), "the intro pop-up was never removed");
    assert_no_policy_violation(client).await;
}
