//! Referrals: codes and links, who counts as referred, the referral task, and the
//! `{{referral_link}}`, `{{referrer}}` and `{{user_name}}` tags.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::support::{Org, TestApp};

const CAMPAIGN: &str = "/v1/widget/demo/campaigns/friends";

/// A campaign with a quest to complete (one visit), a referral task that needs two
/// referred users who completed it, one that needs a single arrival, and texts with tags.
async fn friends_app() -> (TestApp, Org) {
    let (app, org) = TestApp::with_demo_org().await;
    let doc = json!({
        "slug": "friends",
        "title": "Friends",
        "description": "Hi {{user_name}}, invited by {{referrer}}",
        "status": "published",
        "referral_url": "https://acme.example/quests?lang=en#top",
        "groups": [{"key": "main", "title": "Main", "quests": [
            {"key": "start", "title": "Start", "tasks": [
                {"key": "visit", "title": "Visit", "points": 5,
                 "config": {"type": "visit_link", "url": "https://acme.example"}}
            ]},
            {"key": "bring", "title": "Bring", "tasks": [
                {"key": "two", "title": "Two friends", "points": 50,
                 "description": "Share {{referral_link}}",
                 "completion_message": "Thanks, {{user_name}}!",
                 "config": {"type": "referral", "count": 2, "quest": "start"}},
                {"key": "one", "title": "One arrival", "points": 10,
                 "config": {"type": "referral"}}
            ]}
        ]}]
    });
    app.create_campaign(&org, doc).await;
    (app, org)
}

/// The campaign as `token`'s user sees it, arriving with `referral` in the page's URL.
async fn load(app: &TestApp, token: &str, referral: Option<&str>) -> Value {
    let path = match referral {
        Some(code) => format!("{CAMPAIGN}?ref={code}"),
        None => CAMPAIGN.to_owned(),
    };
    let response = app.get_as(&path, token).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json
}

async fn attempt(app: &TestApp, token: &str, title: &str, answer: Value) -> Value {
    app.attempt_titled(CAMPAIGN, token, title, answer).await
}

/// A new user who arrives through `code`'s link and completes the quest `start`.
async fn friend_completes(app: &TestApp, org: &Org, account: &str, code: &str) {
    let token = app.user_token(org, account).await;
    load(app, &token, Some(code)).await;
    let done = attempt(app, &token, "Visit", json!({"type": "visit_link"})).await;
    assert_eq!(done["outcome"], "completed", "{done}");
}

fn code_of(view: &Value) -> String {
    view["user"]["referral_code"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_user_has_a_code_and_a_link_to_the_campaigns_page() {
    let (app, org) = friends_app().await;
    let ann = app.user_token(&org, "ann").await;
    let view = load(&app, &ann, None).await;
    let code = code_of(&view);
    assert_eq!(code.len(), 12, "{code}");
    assert_eq!(code, code_of(&load(&app, &ann, None).await), "stable");
    let bob = app.user_token(&org, "bob").await;
    assert_ne!(code, code_of(&load(&app, &bob, None).await));
    let link = format!("https://acme.example/quests?lang=en&ql_ref={code}#top");
    assert_eq!(view["user"]["referral_link"], link.as_str());
    // `{{referral_link}}` is the same link, as text.
    let texts = view["user"]["texts"].as_array().unwrap();
    let share = texts
        .iter()
        .find(|t| t["html"].as_str().unwrap().contains("Share"))
        .unwrap();
    assert!(
        share["html"]
            .as_str()
            .unwrap()
            .contains(&link.replace('&', "&amp;")),
        "{share}"
    );
}

#[tokio::test]
async fn the_task_counts_referred_users_who_completed_the_quest() {
    let (app, org) = friends_app().await;
    let ann = app.user_token(&org, "ann").await;
    let code = code_of(&load(&app, &ann, None).await);

    let none = attempt(&app, &ann, "Two friends", json!({"type": "referral"})).await;
    assert_eq!(none["outcome"], "failed");
    assert_eq!(none["reason"], "0 of 2 friends so far: share your link.");

    friend_completes(&app, &org, "bob", &code).await;
    // Arrived but did not complete the quest: counts for the arrival task only.
    let cy = app.user_token(&org, "cy").await;
    load(&app, &cy, Some(&code)).await;
    let one = attempt(&app, &ann, "Two friends", json!({"type": "referral"})).await;
    assert_eq!(one["reason"], "1 of 2 friends so far: share your link.");
    let arrived = attempt(&app, &ann, "One arrival", json!({"type": "referral"})).await;
    assert_eq!(arrived["outcome"], "completed", "{arrived}");

    let done = attempt(&app, &cy, "Visit", json!({"type": "visit_link"})).await;
    assert_eq!(done["outcome"], "completed");
    let two = attempt(&app, &ann, "Two friends", json!({"type": "referral"})).await;
    assert_eq!(two["outcome"], "completed", "{two}");
    assert_eq!(two["points_awarded"], 50);
    assert_eq!(two["message"], "Thanks, ann!");
}

#[tokio::test]
async fn no_one_refers_themselves_is_referred_twice_or_after_they_started() {
    let (app, org) = friends_app().await;
    let ann = app.user_token(&org, "ann").await;
    let ann_code = code_of(&load(&app, &ann, None).await);
    let bob = app.user_token(&org, "bob").await;
    let bob_code = code_of(&load(&app, &bob, None).await);

    // Ann's own code, loaded by Ann before she did anything: not a referral.
    load(&app, &ann, Some(&ann_code)).await;
    // Cy is referred by Bob, then arrives with Ann's code too: Bob keeps him.
    let cy = app.user_token(&org, "cy").await;
    load(&app, &cy, Some(&bob_code)).await;
    load(&app, &cy, Some(&ann_code)).await;
    // Dee did a task before she ever saw a link: not new, so no one's referral.
    let dee = app.user_token(&org, "dee").await;
    attempt(&app, &dee, "Visit", json!({"type": "visit_link"})).await;
    load(&app, &dee, Some(&ann_code)).await;
    // A malformed code changes nothing and fails nothing.
    let eve = app.user_token(&org, "eve").await;
    load(&app, &eve, Some("not-a-code")).await;
    load(&app, &eve, Some("%3Cscript%3E")).await;

    let ann_arrivals = attempt(&app, &ann, "One arrival", json!({"type": "referral"})).await;
    assert_eq!(ann_arrivals["outcome"], "failed", "{ann_arrivals}");
    let bob_arrivals = attempt(&app, &bob, "One arrival", json!({"type": "referral"})).await;
    assert_eq!(bob_arrivals["outcome"], "completed", "{bob_arrivals}");
}

#[tokio::test]
async fn the_referrer_and_the_users_name_fill_their_tags_as_text() {
    let (app, org) = friends_app().await;
    let ann = app.user_token(&org, "ann").await;
    let code = code_of(&load(&app, &ann, None).await);
    // Ann has a row once she did something: the code finds her.
    attempt(&app, &ann, "Visit", json!({"type": "visit_link"})).await;

    let named = app
        .get_as(
            "/token?account=bob&platform=web&name=%3Cb%3EBob%3C%2Fb%3E%20%26%20co",
            &org.api_token,
        )
        .await;
    assert_eq!(named.status, StatusCode::OK, "{}", named.text);
    assert_eq!(named.json["name"], "<b>Bob</b> & co");
    let bob = named.json["token"].as_str().unwrap().to_owned();
    let view = load(&app, &bob, Some(&code)).await;
    let texts = view["user"]["texts"].as_array().unwrap();
    let campaign = texts.iter().find(|t| t["key"] == "campaign").unwrap();
    assert_eq!(
        campaign["html"], "<p>Hi &lt;b&gt;Bob&lt;/b&gt; &amp; co, invited by ann</p>\n",
        "{campaign}"
    );

    let blank = app
        .get_as("/token?account=cy&platform=web&name=%20", &org.api_token)
        .await;
    blank.assert_error(StatusCode::BAD_REQUEST, "invalid_request");
}

#[tokio::test]
async fn a_referral_task_needs_a_quest_of_its_campaign_and_a_sane_count() {
    let (app, org) = TestApp::with_demo_org().await;
    for (config, path) in [
        (
            json!({"type": "referral", "quest": "nowhere"}),
            "config.quest",
        ),
        (json!({"type": "referral", "count": 0}), "config.count"),
    ] {
        let doc = json!({
            "slug": "bad", "title": "Bad", "status": "published",
            "groups": [{"key": "g", "title": "G", "quests": [
                {"key": "q", "title": "Q", "tasks": [
                    {"key": "t", "title": "T", "config": config}
                ]}
            ]}]
        });
        let response = app
            .json("POST", "/v1/campaigns", Some(&org.api_token), doc)
            .await;
        assert!(response.status.is_client_error(), "{}", response.text);
        assert!(response.text.contains(path), "{path}: {}", response.text);
    }
}
