//! Proof-of-work tasks: a puzzle per user and task, solved once, before it expires; on both
//! backends.

use std::sync::Arc;

use axum::http::StatusCode;
use questlet_types::WidgetCampaignResponse;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::support::{task_id, Org, TestApp};

const CAMPAIGN: &str = "/v1/widget/demo/campaigns/puzzles";

/// The demo organization with a published campaign of a proof-of-work task (an easy one,
/// 8 bits, so tests solve it fast) and a visit.
async fn puzzles_app() -> (TestApp, Org, String) {
    let (app, org) = TestApp::with_demo_org().await;
    let doc = json!({
        "slug": "puzzles",
        "title": "Puzzles",
        "status": "published",
        "groups": [{"key": "main", "title": "Main", "quests": [
            {"key": "q", "title": "Q", "tasks": [
                {"key": "pow", "title": "Prove your work", "points": 30,
                 "config": {"type": "proof_of_work", "difficulty": 8}},
                {"key": "visit", "title": "Visit", "points": 1,
                 "config": {"type": "visit_link", "url": "https://example.com"}}
            ]}
        ]}]
    });
    app.create_campaign(&org, doc).await;
    let view: WidgetCampaignResponse =
        serde_json::from_value(app.get(CAMPAIGN).await.json).unwrap();
    let task = task_id(&view, "Prove your work");
    (app, org, task)
}

async fn puzzle(app: &TestApp, token: &str, task: &str) -> Value {
    let response = app
        .request(
            "POST",
            &format!("{CAMPAIGN}/tasks/{task}/challenge"),
            Some(token),
            &[],
            None,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json
}

/// The first nonce that solves `puzzle`, found here independently of the server.
fn solve(puzzle: &Value) -> String {
    let prefix = puzzle["prefix"].as_str().unwrap();
    let bits = puzzle["difficulty"].as_u64().unwrap() as u32;
    (0u64..)
        .find(|n| {
            let digest = Sha256::digest(format!("{prefix}:{n}"));
            let value = u32::from_be_bytes(digest[..4].try_into().unwrap());
            value.leading_zeros() >= bits
        })
        .unwrap()
        .to_string()
}

async fn answer(app: &TestApp, token: &str, task: &str, challenge: &str, nonce: &str) -> Value {
    let response = app
        .json(
            "POST",
            &format!("{CAMPAIGN}/tasks/{task}/attempts"),
            Some(token),
            json!({"answer": {"type": "proof_of_work", "challenge": challenge, "nonce": nonce}}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json
}

#[tokio::test]
async fn a_solved_puzzle_completes_the_task_and_a_replay_is_refused() {
    let (app, org, task) = puzzles_app().await;
    let ann = app.user_token(&org, "ann").await;
    let issued = puzzle(&app, &ann, &task).await;
    assert_eq!(issued["difficulty"], 8);
    assert!(issued["expires_at"].as_i64().unwrap() > app.state.clock.now());
    let challenge = issued["challenge"].as_str().unwrap();
    let nonce = solve(&issued);

    // A nonce that does not solve it fails, and leaves the puzzle usable.
    let wrong = (nonce.parse::<u64>().unwrap() + 1..)
        .map(|n| n.to_string())
        .find(|n| {
            let digest = Sha256::digest(format!("{}:{n}", issued["prefix"].as_str().unwrap()));
            digest[0] != 0
        })
        .unwrap();
    let failed = answer(&app, &ann, &task, challenge, &wrong).await;
    assert_eq!(failed["outcome"], "failed");
    assert_eq!(failed["reason"], "That nonce does not solve the puzzle.");

    let solved = answer(&app, &ann, &task, challenge, &nonce).await;
    assert_eq!(solved["outcome"], "completed", "{solved}");
    assert_eq!(solved["points_awarded"], 30);

    // The same solution again is refused, by anyone.
    let replay = answer(&app, &ann, &task, challenge, &nonce).await;
    assert_eq!(replay["outcome"], "failed");
    assert_eq!(
        replay["reason"],
        "This puzzle was solved already: solve a new one."
    );
    assert_eq!(replay["user"]["points"], 30);
}

#[tokio::test]
async fn concurrent_replays_of_one_solution_count_once() {
    let (app, org, task) = puzzles_app().await;
    let bo = app.user_token(&org, "bo").await;
    let issued = puzzle(&app, &bo, &task).await;
    let (challenge, nonce) = (
        issued["challenge"].as_str().unwrap().to_owned(),
        solve(&issued),
    );
    let app = Arc::new(app);
    let handles: Vec<_> = (0..20)
        .map(|_| {
            let (app, bo, task, challenge, nonce) = (
                app.clone(),
                bo.clone(),
                task.clone(),
                challenge.clone(),
                nonce.clone(),
            );
            tokio::spawn(async move { answer(&app, &bo, &task, &challenge, &nonce).await })
        })
        .collect();
    let mut completed = 0;
    for handle in handles {
        let outcome = handle.await.unwrap();
        match outcome["outcome"].as_str().unwrap() {
            "completed" => completed += 1,
            "failed" => assert_eq!(
                outcome["reason"],
                "This puzzle was solved already: solve a new one."
            ),
            other => panic!("unexpected outcome {other}"),
        }
    }
    assert_eq!(completed, 1);
}

#[tokio::test]
async fn an_expired_a_foreign_or_a_forged_puzzle_is_refused() {
    let (app, org, task) = puzzles_app().await;
    let cy = app.user_token(&org, "cy").await;
    let dee = app.user_token(&org, "dee").await;

    // Another user's puzzle.
    let theirs = puzzle(&app, &dee, &task).await;
    let refused = answer(
        &app,
        &cy,
        &task,
        theirs["challenge"].as_str().unwrap(),
        &solve(&theirs),
    )
    .await;
    assert_eq!(refused["outcome"], "failed");
    assert!(
        refused["reason"]
            .as_str()
            .unwrap()
            .contains("another task or user"),
        "{refused}"
    );

    // A forged one: the signature does not hold.
    let mine = puzzle(&app, &cy, &task).await;
    let challenge = mine["challenge"].as_str().unwrap();
    // One character of the signature changed (not the last, whose low bits are padding).
    let at = challenge.len() - 10;
    let other = if &challenge[at..=at] == "A" { "B" } else { "A" };
    let forged = format!("{}{other}{}", &challenge[..at], &challenge[at + 1..]);
    let refused = answer(&app, &cy, &task, &forged, &solve(&mine)).await;
    assert_eq!(refused["outcome"], "failed");
    assert!(
        refused["reason"].as_str().unwrap().contains("not valid"),
        "{refused}"
    );

    // An expired one: ten minutes later.
    app.state.clock.advance(601);
    let refused = answer(&app, &cy, &task, challenge, &solve(&mine)).await;
    assert_eq!(refused["outcome"], "failed");
    assert!(
        refused["reason"].as_str().unwrap().contains("expired"),
        "{refused}"
    );

    // A task of another type has no puzzle.
    let view: WidgetCampaignResponse =
        serde_json::from_value(app.get(CAMPAIGN).await.json).unwrap();
    let visit = task_id(&view, "Visit");
    app.request(
        "POST",
        &format!("{CAMPAIGN}/tasks/{visit}/challenge"),
        Some(&cy),
        &[],
        None,
    )
    .await
    .assert_error(StatusCode::CONFLICT, "conflict");
    // Nor without a user token.
    app.request(
        "POST",
        &format!("{CAMPAIGN}/tasks/{task}/challenge"),
        None,
        &[],
        None,
    )
    .await
    .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
}
