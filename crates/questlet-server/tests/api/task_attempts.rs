//! Task attempts: verification on the server, progress, idempotent completion.

use axum::http::StatusCode;
use questlet_types::attempt::TaskAttemptResponse;
use questlet_types::{QuestStatus, WidgetCampaignResponse};
use serde_json::{json, Value};

use crate::support::{task_id, Org, TestApp};

const CAMPAIGN: &str = "/v1/widget/demo/campaigns/launch-week";

/// The demo app, a demo credential and the campaign as the widget sees it.
async fn demo() -> (TestApp, Org, WidgetCampaignResponse) {
    let (app, org) = TestApp::with_demo_org().await;
    let campaign = serde_json::from_value(app.get(CAMPAIGN).await.json).unwrap();
    (app, org, campaign)
}

async fn attempt(app: &TestApp, token: &str, task: &str, body: Value) -> crate::support::Response {
    app.json(
        "POST",
        &format!("{CAMPAIGN}/tasks/{task}/attempts"),
        Some(token),
        body,
    )
    .await
}

#[tokio::test]
async fn wrong_then_right_secret_code_completes_once_and_shows_in_progress() {
    let (app, org, campaign) = demo().await;
    let token = app.user_token(&org, "alice").await;
    let code = task_id(&campaign, "Enter the secret code");

    let wrong = attempt(
        &app,
        &token,
        &code,
        json!({"answer": {"type": "secret_code", "code": "nope"}}),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::OK, "{}", wrong.text);
    let wrong: TaskAttemptResponse = serde_json::from_value(wrong.json).unwrap();
    assert_eq!(
        wrong.outcome,
        questlet_types::attempt::AttemptOutcome::Failed
    );
    assert_eq!(wrong.reason.as_deref(), Some("That code is not right."));
    assert_eq!(wrong.user.points, 0);

    let body = json!({"answer": {"type": "secret_code", "code": "launch-2026"}, "ga_client_id": "GA1.1.123.456"});
    let right: TaskAttemptResponse =
        serde_json::from_value(attempt(&app, &token, &code, body.clone()).await.json).unwrap();
    assert_eq!(
        right.outcome,
        questlet_types::attempt::AttemptOutcome::Completed
    );
    assert_eq!(right.points_awarded, 50);
    assert_eq!(right.user.points, 50);

    let again: TaskAttemptResponse =
        serde_json::from_value(attempt(&app, &token, &code, body).await.json).unwrap();
    assert_eq!(
        again.outcome,
        questlet_types::attempt::AttemptOutcome::AlreadyCompleted
    );
    assert_eq!(again.points_awarded, 0);
    assert_eq!(again.user.points, 50);

    let view: WidgetCampaignResponse =
        serde_json::from_value(app.get_as(CAMPAIGN, &token).await.json).unwrap();
    assert!(view.task_completed(&code));
    let user = view.user.unwrap();
    assert_eq!(
        (user.account.as_str(), user.points, user.completed_task_ids),
        ("alice", 50, vec![code.clone()])
    );

    // Anonymous callers see no progress.
    let anonymous: WidgetCampaignResponse =
        serde_json::from_value(app.get(CAMPAIGN).await.json).unwrap();
    assert!(anonymous.user.is_none());
    assert!(!anonymous.task_completed(&code));
}

#[tokio::test]
async fn attempts_keep_the_ga_client_id_and_never_the_secret_code() {
    let (app, org, campaign) = demo().await;
    let token = app.user_token(&org, "alice").await;
    let code = task_id(&campaign, "Enter the secret code");
    attempt(
        &app,
        &token,
        &code,
        json!({"answer": {"type": "secret_code", "code": "guess-1"}, "ga_client_id": "GA1.1.42.7"}),
    )
    .await;
    attempt(
        &app,
        &token,
        &code,
        json!({"answer": {"type": "secret_code", "code": "LAUNCH-2026"}}),
    )
    .await;
    let org_id = app
        .db
        .organization_by_slug("demo")
        .await
        .unwrap()
        .unwrap()
        .id;
    let user_id = app
        .db
        .user_id(&org_id, "web", "alice")
        .await
        .unwrap()
        .expect("alice exists");
    let attempts = app.db.user_attempts(&user_id).await.unwrap();
    let recorded: Vec<(&str, Option<&str>)> = attempts
        .iter()
        .map(|a| (a.outcome.as_str(), a.ga_client_id.as_deref()))
        .collect();
    assert_eq!(
        recorded,
        [("failed", Some("GA1.1.42.7")), ("completed", None)]
    );
}

#[tokio::test]
async fn completing_the_quest_unlocks_the_next_and_quiz_answers_are_checked() {
    let (app, org, campaign) = demo().await;
    let token = app.user_token(&org, "bob").await;
    let quiz = task_id(&campaign, "Quick quiz");
    let locked = attempt(
        &app,
        &token,
        &quiz,
        json!({"answer": {"type": "quiz", "answers": [1, 0]}}),
    )
    .await;
    locked.assert_error(StatusCode::CONFLICT, "conflict");

    let visit = task_id(&campaign, "Read the launch post");
    let code = task_id(&campaign, "Enter the secret code");
    attempt(
        &app,
        &token,
        &visit,
        json!({"answer": {"type": "visit_link"}}),
    )
    .await;
    attempt(
        &app,
        &token,
        &code,
        json!({"answer": {"type": "secret_code", "code": "LAUNCH-2026"}}),
    )
    .await;
    let view: WidgetCampaignResponse =
        serde_json::from_value(app.get_as(CAMPAIGN, &token).await.json).unwrap();
    assert_eq!(
        view.quest_status(&view.groups[0].quests[0]),
        questlet_types::QuestStatus::Completed
    );
    assert_eq!(
        view.quest_status(&view.groups[0].quests[1]),
        questlet_types::QuestStatus::Available
    );

    let wrong = attempt(
        &app,
        &token,
        &quiz,
        json!({"answer": {"type": "quiz", "answers": [0, 0]}}),
    )
    .await;
    assert_eq!(wrong.json["outcome"], "failed");
    let right = attempt(
        &app,
        &token,
        &quiz,
        json!({"answer": {"type": "quiz", "answers": [1, 0]}}),
    )
    .await;
    assert_eq!(right.json["outcome"], "completed");
    assert_eq!(right.json["user"]["points"], 90);
}

#[tokio::test]
async fn poll_and_form_verifiers_check_their_answers() {
    let (app, org, campaign) = demo().await;
    let token = app.user_token(&org, "carol").await;
    let poll = task_id(&campaign, "Which feature do you want next?");
    assert_eq!(
        attempt(
            &app,
            &token,
            &poll,
            json!({"answer": {"type": "poll", "option": 9}})
        )
        .await
        .json["outcome"],
        "failed"
    );
    assert_eq!(
        attempt(
            &app,
            &token,
            &poll,
            json!({"answer": {"type": "poll", "option": 1}})
        )
        .await
        .json["outcome"],
        "completed"
    );
    let form = task_id(&campaign, "Introduce yourself");
    let missing = attempt(
        &app,
        &token,
        &form,
        json!({"answer": {"type": "form", "values": {"website": "x"}}}),
    )
    .await;
    assert_eq!(missing.json["reason"], "Nickname is required.");
    let unknown = attempt(
        &app,
        &token,
        &form,
        json!({"answer": {"type": "form", "values": {"nickname": "c", "age": "3"}}}),
    )
    .await;
    assert_eq!(unknown.json["outcome"], "failed");
    let ok = attempt(
        &app,
        &token,
        &form,
        json!({"answer": {"type": "form", "values": {"nickname": "Carol"}}}),
    )
    .await;
    assert_eq!(ok.json["outcome"], "completed");
    // An answer of the wrong kind is a failure that says what is expected.
    let kind = attempt(
        &app,
        &token,
        &poll,
        json!({"answer": {"type": "quiz", "answers": []}}),
    )
    .await;
    assert!(
        kind.json["reason"].as_str().unwrap().contains("poll"),
        "{}",
        kind.text
    );
}

#[tokio::test]
async fn attempts_need_a_user_token_and_a_well_formed_body() {
    let (app, org, campaign) = demo().await;
    let code = task_id(&campaign, "Enter the secret code");
    app.json(
        "POST",
        &format!("{CAMPAIGN}/tasks/{code}/attempts"),
        None,
        json!({"answer": {"type": "visit_link"}}),
    )
    .await
    .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    let token = app.user_token(&org, "dave").await;
    attempt(&app, &token, &code, json!({"answer": {"type": "teleport"}}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    attempt(
        &app,
        &token,
        "no-such-task",
        json!({"answer": {"type": "visit_link"}}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_hundred_concurrent_duplicate_attempts_award_points_once() {
    let (app, org, campaign) = demo().await;
    let token = app.user_token(&org, "erin").await;
    let code = task_id(&campaign, "Enter the secret code");
    let app = std::sync::Arc::new(app);
    let attempts = (0..100).map(|_| {
        let (app, token, code) = (app.clone(), token.clone(), code.clone());
        tokio::spawn(async move {
            attempt(
                &app,
                &token,
                &code,
                json!({"answer": {"type": "secret_code", "code": "LAUNCH-2026"}}),
            )
            .await
        })
    });
    let mut completed = 0;
    for handle in attempts.collect::<Vec<_>>() {
        let response = handle.await.unwrap();
        assert_eq!(response.status, StatusCode::OK, "{}", response.text);
        match response.json["outcome"].as_str().unwrap() {
            "completed" => completed += 1,
            "already_completed" => assert_eq!(response.json["points_awarded"], 0),
            other => panic!("unexpected outcome {other}"),
        }
    }
    assert_eq!(completed, 1, "exactly one attempt completes the task");
    let view: WidgetCampaignResponse =
        serde_json::from_value(app.get_as(CAMPAIGN, &token).await.json).unwrap();
    assert_eq!(view.user.unwrap().points, 50);
}

#[tokio::test]
async fn reading_progress_never_creates_the_user_but_an_attempt_does() {
    let (app, org, campaign) = demo().await;
    let token = app.user_token(&org, "reader").await;
    let view = app.get_as(CAMPAIGN, &token).await;
    assert_eq!(view.json["user"]["points"], 0, "{}", view.text);
    let org_id = app
        .db
        .organization_by_slug("demo")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        app.db.user_id(&org_id, "web", "reader").await.unwrap(),
        None
    );
    let visit = task_id(&campaign, "Read the launch post");
    attempt(
        &app,
        &token,
        &visit,
        json!({"answer": {"type": "visit_link"}}),
    )
    .await;
    assert!(app
        .db
        .user_id(&org_id, "web", "reader")
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn an_answer_names_the_quests_it_changed_and_the_user_as_the_campaign_call_now_shows_them() {
    let (app, org, campaign) = demo().await;
    let token = app.user_token(&org, "dora").await;
    let visit = task_id(&campaign, "Read the launch post");
    let code = task_id(&campaign, "Enter the secret code");
    let key = |id: &str| -> String {
        campaign
            .quests()
            .find(|q| q.id == id)
            .map(|q| q.key.clone())
            .unwrap_or_else(|| panic!("no quest {id}"))
    };
    let quest_keys = |response: &TaskAttemptResponse| -> Vec<String> {
        response.changed_quests.iter().map(|id| key(id)).collect()
    };

    // The first task changes its own quest only (a task more is done; still available).
    let first = attempt(
        &app,
        &token,
        &visit,
        json!({"answer": {"type": "visit_link"}}),
    )
    .await;
    let first: TaskAttemptResponse = serde_json::from_value(first.json).unwrap();
    assert_eq!(quest_keys(&first), ["welcome"]);
    assert_eq!(first.user.completed_task_ids, [visit]);
    assert!(first.user.completed_quest_ids.is_empty(), "{first:?}");
    assert!(first.user.unlocked_quest_ids.is_empty(), "{first:?}");

    // A wrong answer changes nothing.
    let wrong = attempt(
        &app,
        &token,
        &code,
        json!({"answer": {"type": "secret_code", "code": "nope"}}),
    )
    .await;
    let wrong: TaskAttemptResponse = serde_json::from_value(wrong.json).unwrap();
    assert!(wrong.changed_quests.is_empty());

    // The last task completes the quest and unlocks the next: both are named, and the user
    // is exactly as the campaign call now shows them.
    let last = attempt(
        &app,
        &token,
        &code,
        json!({"answer": {"type": "secret_code", "code": "LAUNCH-2026"}}),
    )
    .await;
    let last: TaskAttemptResponse = serde_json::from_value(last.json).unwrap();
    assert_eq!(quest_keys(&last), ["welcome", "know-us"]);
    let view: WidgetCampaignResponse =
        serde_json::from_value(app.get_as(CAMPAIGN, &token).await.json).unwrap();
    let keys = |ids: &[String]| -> Vec<String> { ids.iter().map(|id| key(id)).collect() };
    assert_eq!(keys(&last.user.completed_quest_ids), ["welcome"]);
    assert_eq!(keys(&last.user.unlocked_quest_ids), ["know-us"]);
    for (quest, status) in [
        ("welcome", QuestStatus::Completed),
        ("know-us", QuestStatus::Available),
    ] {
        let quest = view.quests().find(|q| q.key == quest).unwrap();
        assert_eq!(view.quest_status(quest), status, "{}", quest.key);
    }
    assert_eq!(last.user, view.user.unwrap());
}

#[tokio::test]
async fn an_attempts_answer_counts_only_the_completions_of_its_own_campaign() {
    let (app, org) = TestApp::with_demo_org().await;
    let created = app
        .json(
            "POST",
            "/v1/campaigns",
            Some(&org.api_token),
            crate::support::demo_doc("second"),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let token = app.user_token(&org, "erin").await;
    let first = app.complete_first_demo_task(&token).await;

    let path = "/v1/widget/demo/campaigns/second";
    let second: WidgetCampaignResponse = serde_json::from_value(app.get(path).await.json).unwrap();
    let visit = &second.groups[0].quests[0].tasks[0];
    let answer = app
        .json(
            "POST",
            &format!("{path}/tasks/{}/attempts", visit.id),
            Some(&token),
            json!({"answer": {"type": "visit_link"}}),
        )
        .await;
    let answer: TaskAttemptResponse = serde_json::from_value(answer.json).unwrap();
    assert_eq!(answer.points_awarded, visit.points);
    assert_eq!(answer.user.points, visit.points, "{answer:?}");
    assert_eq!(
        answer.user.completed_task_ids,
        std::slice::from_ref(&visit.id)
    );
    assert_ne!(first, visit.id);
}
