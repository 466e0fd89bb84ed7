//! Task types end to end: a host page, the release widget and the running server, with the
//! partner's backend acting through the admin API.

use questlet_e2e::fixtures::browser::Browser;
use questlet_e2e::fixtures::find::{
    click_in_shadow, eval, poll, shadow_text, type_in_shadow, wait_for_shadow_text,
    wait_for_shadow_text_eq, wait_for_task_state,
};
use questlet_e2e::fixtures::pages::HostPages;
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::{json, Value};

/// The SPA page with `token` set, showing the demo's community quest (its tasks).
async fn open_community_quest(client: &fantoccini::Client, page: &str, token: &str) {
    client.goto(page).await.unwrap();
    wait_for_shadow_text(client, "#quests", "[part=campaign-title]").await;
    // A first visit opens the campaign's intro: close it.
    if shadow_text(client, "#quests", "[part=popup]")
        .await
        .is_some()
    {
        click_in_shadow(client, "#quests", "[part=popup-close]").await;
    }
    client
        .execute("Questlet.setUserToken(arguments[0]);", vec![json!(token)])
        .await
        .unwrap();
    wait_for_shadow_text(client, "#quests", "[part=points]").await;
    click_in_shadow(client, "#quests", "[part=group-tab]:nth-child(2)").await;
    click_in_shadow(client, "#quests", "[part=quest-card]").await;
    wait_for_shadow_text(client, "#quests", "[data-kind=custom]").await;
}

#[tokio::test]
async fn a_proof_waits_for_review_and_the_partners_approval_completes_it_in_the_widget() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let token = server.demo_user_token("e2e-proof").await;
    let page = pages.page("spa.html");
    open_community_quest(client, &page, &token).await;

    type_in_shadow(
        client,
        "#quests",
        "[data-kind=custom] [part=task-input]",
        "https://example.com/my-post",
    )
    .await;
    click_in_shadow(client, "#quests", "[data-kind=custom] [part=task-submit]").await;
    wait_for_shadow_text_eq(
        client,
        "#quests",
        "[data-kind=custom][data-state=pending] [part=task-state]",
        "⏳ Waiting for review",
    )
    .await;

    // The partner's backend reads the queue and approves the proof.
    let http = reqwest::Client::new();
    let queue: Value = http
        .get(format!(
            "{}/v1/campaigns/launch-week/submissions?state=pending",
            server.url
        ))
        .bearer_auth(&server.demo_api_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let submissions = queue["submissions"].as_array().unwrap();
    assert_eq!(submissions.len(), 1, "{queue}");
    assert_eq!(submissions[0]["proof"], "https://example.com/my-post");
    assert_eq!(submissions[0]["account"], "e2e-proof");
    let id = submissions[0]["id"].as_str().unwrap();
    let approved = http
        .post(format!(
            "{}/v1/campaigns/launch-week/submissions/{id}/review",
            server.url
        ))
        .bearer_auth(&server.demo_api_token)
        .json(&json!({"decision": "approve", "message": "Great post!"}))
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), 200);

    // The user comes back: the task is completed, with the reviewer's message, and its
    // points are counted.
    open_community_quest(client, &page, &token).await;
    wait_for_shadow_text_eq(
        client,
        "#quests",
        "[data-kind=custom][data-state=completed] [part=task-state]",
        "✓ Completed · Great post!",
    )
    .await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "40 XP").await;
    browser.close().await;
}

#[tokio::test]
async fn a_puzzle_is_solved_by_the_solver_loaded_on_demand_and_completes_the_task() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let token = server.demo_user_token("e2e-pow").await;
    open_community_quest(client, &pages.page("spa.html"), &token).await;
    let solver_loaded = "performance.getEntriesByType('resource')
        .some(function (e) { return /\\/widget\\/pow\\.[0-9a-f]{16}\\.js$/.test(e.name); })";
    assert_eq!(
        eval(client, solver_loaded).await,
        json!(false),
        "the solver is not part of the widget's load"
    );

    click_in_shadow(
        client,
        "#quests",
        "[data-kind=proof_of_work] [part=task-submit]",
    )
    .await;
    wait_for_shadow_text(
        client,
        "#quests",
        "[data-kind=proof_of_work][data-state=completed]",
    )
    .await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "10 XP").await;
    assert_eq!(eval(client, solver_loaded).await, json!(true));
    let bar = eval(
        client,
        "document.querySelector('#quests').shadowRoot.querySelector('[part=task-progress]') === null",
    )
    .await;
    assert_eq!(bar, json!(true), "a completed task shows no puzzle");
    browser.close().await;
}

#[tokio::test]
async fn the_partner_check_of_an_http_request_task_completes_it_in_the_widget() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let token = server.demo_user_token("e2e-check").await;
    open_community_quest(client, &pages.page("spa.html"), &token).await;
    // The demo's partner check (a route of the demo server) verifies the signed call and
    // says yes.
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=http_request] [part=task-submit]",
    )
    .await;
    wait_for_shadow_text(
        client,
        "#quests",
        "[data-kind=http_request][data-state=completed]",
    )
    .await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "20 XP").await;
    browser.close().await;
}

#[tokio::test]
async fn a_daily_check_in_completes_for_today_and_shows_its_streak() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let token = server.demo_user_token("e2e-check-in").await;
    open_community_quest(client, &pages.page("spa.html"), &token).await;
    click_in_shadow(client, "#quests", "[part=quest-back]").await;
    click_in_shadow(
        client,
        "#quests",
        ".ql-cards > [part=quest-card]:nth-child(2)",
    )
    .await;
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=daily_check_in] [part=task-submit]",
    )
    .await;
    let state = wait_for_shadow_text(
        client,
        "#quests",
        "[data-kind=daily_check_in][data-state=completed] [part=task-state]",
    )
    .await;
    assert!(
        state.starts_with("✓ Completed · 🔥 1 · Again in "),
        "{state}"
    );
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "5 XP").await;
    browser.close().await;
}

/// Closes the pop-up on screen, if there is one.
async fn close_popup(client: &fantoccini::Client) {
    if shadow_text(client, "#quests", "[part=popup]")
        .await
        .is_some()
    {
        click_in_shadow(client, "#quests", "[part=popup-close]").await;
    }
}

/// Opens the first quest card of the group shown, Welcome aboard, and completes it: a
/// visit and the secret code.
async fn complete_welcome(client: &fantoccini::Client) {
    click_in_shadow(
        client,
        "#quests",
        ".ql-cards > [part=quest-card]:nth-child(1)",
    )
    .await;
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=visit_link] [part=task-submit]",
    )
    .await;
    wait_for_task_state(client, "#quests", "visit_link", "completed").await;
    answer(client, "secret_code", "[part=task-input]", "LAUNCH-2026").await;
    wait_for_task_state(client, "#quests", "secret_code", "completed").await;
    close_popup(client).await;
}

/// Fills `selector`'s input with `text` and submits its task.
async fn answer(client: &fantoccini::Client, kind: &str, input: &str, text: &str) {
    type_in_shadow(
        client,
        "#quests",
        &format!("[data-kind={kind}] {input}"),
        text,
    )
    .await;
    click_in_shadow(
        client,
        "#quests",
        &format!("[data-kind={kind}] [part=task-submit]"),
    )
    .await;
}

#[tokio::test]
async fn one_user_completes_a_task_of_every_type() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let http = reqwest::Client::new();
    let admin = |method: reqwest::Method, path: &str| {
        http.request(
            method,
            format!("{}/v1/campaigns/launch-week{path}", server.url),
        )
        .bearer_auth(&server.demo_api_token)
    };
    // The partner's backend reports the api task (done on its own site).
    let reported = admin(
        reqwest::Method::POST,
        "/quests/tell-us/tasks/connect/completions",
    )
    .json(&json!({"account": "e2e-every", "platform": "web", "completion_id": "e2e-1"}))
    .send()
    .await
    .unwrap();
    assert_eq!(reported.status(), 200);
    let token = server.demo_user_token("e2e-every").await;
    let page = pages.page("spa.html");
    open_community_quest(client, &page, &token).await;
    wait_for_task_state(client, "#quests", "api", "completed").await;

    // Community: poll, form, invite code, a proof for review, a puzzle, the partner's check.
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=poll] label:nth-of-type(2) input",
    )
    .await;
    click_in_shadow(client, "#quests", "[data-kind=poll] [part=task-submit]").await;
    wait_for_task_state(client, "#quests", "poll", "completed").await;
    answer(
        client,
        "form",
        ".ql-field:nth-child(1) [part=task-input]",
        "Ann",
    )
    .await;
    wait_for_task_state(client, "#quests", "form", "completed").await;
    answer(client, "invite_code", "[part=task-input]", "invite-007").await;
    wait_for_task_state(client, "#quests", "invite_code", "completed").await;
    answer(
        client,
        "custom",
        "[part=task-input]",
        "https://example.com/post/7",
    )
    .await;
    wait_for_task_state(client, "#quests", "custom", "pending").await;
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=proof_of_work] [part=task-submit]",
    )
    .await;
    wait_for_task_state(client, "#quests", "proof_of_work", "completed").await;
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=http_request] [part=task-submit]",
    )
    .await;
    wait_for_task_state(client, "#quests", "http_request", "completed").await;
    close_popup(client).await;

    // Daily: check in.
    click_in_shadow(client, "#quests", "[part=quest-back]").await;
    click_in_shadow(
        client,
        "#quests",
        ".ql-cards > [part=quest-card]:nth-child(2)",
    )
    .await;
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=daily_check_in] [part=task-submit]",
    )
    .await;
    wait_for_task_state(client, "#quests", "daily_check_in", "completed").await;
    close_popup(client).await;

    // Friends: join the channels and follow the accounts (visits: the demo gives no
    // credentials), then the referral
    // task, which waits for a friend, with the link to send them.
    click_in_shadow(client, "#quests", "[part=quest-back]").await;
    click_in_shadow(
        client,
        "#quests",
        ".ql-cards > [part=quest-card]:nth-child(3)",
    )
    .await;
    for kind in [
        "telegram_join",
        "discord_join",
        "x_follow",
        "x_repost",
        "youtube_subscribe",
        "tiktok_follow",
    ] {
        click_in_shadow(
            client,
            "#quests",
            &format!("[data-kind={kind}] [part=task-submit]"),
        )
        .await;
        wait_for_task_state(client, "#quests", kind, "completed").await;
    }
    wait_for_shadow_text(client, "#quests", "[data-kind=referral] [part=task-input]").await;
    let link = eval(
        client,
        "document.querySelector('#quests').shadowRoot\
            .querySelector('[data-kind=referral] [part=task-input]').value",
    )
    .await;
    let link = link.as_str().unwrap().to_owned();
    let prefix = format!("{}/demo/?ql_ref=", server.url);
    let code = link
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{link}"));
    click_in_shadow(client, "#quests", "[data-kind=referral] [part=task-submit]").await;
    wait_for_shadow_text_eq(
        client,
        "#quests",
        "[data-kind=referral] [part=task-message]",
        "0 of 1 friends so far: share your link.",
    )
    .await;

    // Getting started: visit a link, a secret code; then the quiz it unlocks.
    click_in_shadow(client, "#quests", "[part=quest-back]").await;
    click_in_shadow(client, "#quests", "[part=group-tab]:nth-child(1)").await;
    complete_welcome(client).await;
    click_in_shadow(client, "#quests", "[part=quest-back]").await;
    click_in_shadow(
        client,
        "#quests",
        ".ql-cards > [part=quest-card]:nth-child(2)",
    )
    .await;
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=quiz] fieldset:nth-of-type(1) label:nth-of-type(2) input",
    )
    .await;
    click_in_shadow(
        client,
        "#quests",
        "[data-kind=quiz] fieldset:nth-of-type(2) label:nth-of-type(1) input",
    )
    .await;
    click_in_shadow(client, "#quests", "[data-kind=quiz] [part=task-submit]").await;
    wait_for_task_state(client, "#quests", "quiz", "completed").await;
    close_popup(client).await;

    // The partner approves the proof; the user comes back to it completed, with every
    // point: 10 + 50 + 30 + 5 + 15 + 20 + 15 + 40 + 10 + 20 + 5, and 6 x 10 for the social
    // tasks.
    let queue: Value = admin(reqwest::Method::GET, "/submissions?state=pending")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = queue["submissions"][0]["id"].as_str().unwrap().to_owned();
    let approved = admin(reqwest::Method::POST, "/submissions/review")
        .json(&json!({"ids": [id], "decision": "approve", "message": "Nice!"}))
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), 200);
    open_community_quest(client, &page, &token).await;
    wait_for_task_state(client, "#quests", "custom", "completed").await;
    for kind in [
        "poll",
        "form",
        "api",
        "invite_code",
        "proof_of_work",
        "http_request",
    ] {
        wait_for_task_state(client, "#quests", kind, "completed").await;
    }
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "280 XP").await;

    // A friend arrives through the link (its code in the page's URL), signs in and
    // finishes Welcome aboard; then the referral task completes.
    let friend = server.demo_user_token("e2e-friend").await;
    client.goto(&format!("{page}?ql_ref={code}")).await.unwrap();
    wait_for_shadow_text(client, "#quests", "[part=campaign-title]").await;
    close_popup(client).await;
    client
        .execute("Questlet.setUserToken(arguments[0]);", vec![json!(friend)])
        .await
        .unwrap();
    wait_for_shadow_text(client, "#quests", "[part=points]").await;
    complete_welcome(client).await;

    open_community_quest(client, &page, &token).await;
    click_in_shadow(client, "#quests", "[part=quest-back]").await;
    click_in_shadow(
        client,
        "#quests",
        ".ql-cards > [part=quest-card]:nth-child(3)",
    )
    .await;
    click_in_shadow(client, "#quests", "[data-kind=referral] [part=task-submit]").await;
    wait_for_task_state(client, "#quests", "referral", "completed").await;
    close_popup(client).await;
    // 280, and 100 for the friend.
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "380 XP").await;
    browser.close().await;
}

#[tokio::test]
async fn a_user_completes_tasks_climbs_the_leaderboard_and_claims_a_gift_code() {
    let server = QuestletServer::start().await;
    let pages = HostPages::start(&server.url).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let http = reqwest::Client::new();
    // A rival leads with 50 XP from the partner; their name is markup, shown as text.
    server
        .demo_named_user_token("e2e-rival", "%3Cb%3ERival%3C%2Fb%3E")
        .await;
    let awarded = http
        .post(format!("{}/v1/campaigns/launch-week/points", server.url))
        .bearer_auth(&server.demo_api_token)
        .json(&json!({"account": "e2e-rival", "platform": "web", "reward_id": "e2e-head-start", "points": 50}))
        .send()
        .await
        .unwrap();
    assert_eq!(awarded.status(), 200);

    let token = server.demo_named_user_token("e2e-climber", "Climber").await;
    client.goto(&pages.page("spa.html")).await.unwrap();
    wait_for_shadow_text(client, "#quests", "[part=campaign-title]").await;
    close_popup(client).await;
    client
        .execute("Questlet.setUserToken(arguments[0]);", vec![json!(token)])
        .await
        .unwrap();
    wait_for_shadow_text(client, "#quests", "[part=points]").await;
    complete_welcome(client).await;
    wait_for_shadow_text_eq(client, "#quests", "[part=points]", "60 XP").await;
    wait_for_shadow_text_eq(client, "#quests", "[part=rank]", "Explorer").await;

    // The leaderboard: the climber first (their row marked), the rival second.
    click_in_shadow(client, "#quests", "[part=quest-back]").await;
    click_in_shadow(client, "#quests", "[part=panel-tab]").await;
    wait_for_shadow_text_eq(
        client,
        "#quests",
        "[part=leaderboard-row][aria-current=true]",
        "1Climber60",
    )
    .await;
    wait_for_shadow_text_eq(
        client,
        "#quests",
        "[part=leaderboard-row]:nth-child(2)",
        "2<b>Rival</b>50",
    )
    .await;
    assert!(
        shadow_text(client, "#quests", "[part=leaderboard-row] b")
            .await
            .is_none(),
        "a user's name never becomes markup"
    );

    // The rewards: the sticker pack (Welcome aboard done) is claimable, the hoodie not.
    eval(
        client,
        "(window.__claims = [], document.querySelector('#quests')
             .addEventListener('questlet:reward_claimed', function (e) { __claims.push(e.detail); }))",
    )
    .await;
    click_in_shadow(client, "#quests", "[part=panel-tab]:last-child").await;
    wait_for_shadow_text(
        client,
        "#quests",
        "[data-reward=hoodie] [part=reward-claim][disabled]",
    )
    .await;
    click_in_shadow(
        client,
        "#quests",
        "[data-reward=sticker-pack] [part=reward-claim]:not([disabled])",
    )
    .await;
    let code = poll(async || {
        let value = eval(
            client,
            "(function () { var el = document.querySelector('#quests').shadowRoot
                 .querySelector('[data-reward=sticker-pack] [part=reward-code]');
               return el ? el.value : null; })()",
        )
        .await;
        value.as_str().map(str::to_owned)
    })
    .await
    .expect("a gift code shown after the claim");
    assert!(code.starts_with("STICKER-PACK-"), "{code}");
    let claims = eval(client, "JSON.stringify(window.__claims)").await;
    let claims: Value = serde_json::from_str(claims.as_str().unwrap()).unwrap();
    assert_eq!(claims[0]["reward_id"], "sticker-pack");
    assert_eq!(claims[0]["reward_kind"], "gift_code");
    assert_eq!(claims[0]["organization"], "demo");

    // The partner sees the claim, with the code and who made it.
    let listed: Value = http
        .get(format!(
            "{}/v1/campaigns/launch-week/rewards/sticker-pack/claims",
            server.url
        ))
        .bearer_auth(&server.demo_api_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["claims"][0]["account"], "e2e-climber");
    assert_eq!(listed["claims"][0]["name"], "Climber");
    assert_eq!(listed["claims"][0]["code"], code.as_str());
    browser.close().await;
}
