//! The admin content API: campaign as code (import/export), item edits, reorder, publish.

use axum::http::StatusCode;
use questlet_types::CampaignDocument;
use serde_json::json;

use crate::support::{demo_doc, TestApp};

#[tokio::test]
async fn import_export_round_trip_is_lossless() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let created = app
        .json(
            "POST",
            "/v1/campaigns",
            Some(&org.api_token),
            demo_doc("spring"),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let exported = app.get_as("/v1/campaigns/spring", &org.api_token).await;
    assert_eq!(exported.status, StatusCode::OK);
    assert_eq!(
        exported.json,
        demo_doc("spring"),
        "export equals what was imported"
    );

    // Re-importing the export changes nothing.
    let again = app
        .json(
            "PUT",
            "/v1/campaigns/spring",
            Some(&org.api_token),
            exported.json.clone(),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.json, exported.json);

    let list = app.get_as("/v1/campaigns", &org.api_token).await;
    assert_eq!(
        list.json,
        json!([{"slug": "spring", "title": "Questlet Launch Week", "status": "published", "version": 2}]),
        "created at version 1, re-imported at 2"
    );

    app.json(
        "POST",
        "/v1/campaigns",
        Some(&org.api_token),
        demo_doc("spring"),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "conflict");
}

#[tokio::test]
async fn invalid_documents_are_rejected_with_the_field_named() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let mut doc = demo_doc("spring");
    doc["groups"][1]["quests"][0]["tasks"][0]["config"]["options"] = json!(["only one"]);
    let response = app
        .json("POST", "/v1/campaigns", Some(&org.api_token), doc)
        .await;
    response.assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    assert!(
        response.json["message"]
            .as_str()
            .unwrap()
            .starts_with("groups[1].quests[0].tasks[0].config.options"),
        "{}",
        response.text
    );
    let mut doc = demo_doc("spring");
    doc["groups"][0]["surprise"] = json!(true);
    let response = app
        .json("POST", "/v1/campaigns", Some(&org.api_token), doc)
        .await;
    response.assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    assert!(
        response.json["message"]
            .as_str()
            .unwrap()
            .contains("surprise"),
        "{}",
        response.text
    );
    let mut doc = demo_doc("spring");
    doc["intro"]["title"] = json!("  ");
    let response = app
        .json("POST", "/v1/campaigns", Some(&org.api_token), doc)
        .await;
    response.assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    assert_eq!(response.json["message"], "intro.title: must not be empty");
    // Fields that are each fine but disagree: 422, naming the field.
    app.json(
        "PUT",
        "/v1/campaigns/other",
        Some(&org.api_token),
        demo_doc("spring"),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");
    let mut doc = demo_doc("spring");
    doc["groups"][1]["key"] = doc["groups"][0]["key"].clone();
    let response = app
        .json("POST", "/v1/campaigns", Some(&org.api_token), doc)
        .await;
    response.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");
    assert!(
        response.json["message"]
            .as_str()
            .unwrap()
            .starts_with("groups[1].key: must be unique"),
        "{}",
        response.text
    );
    // Whole numbers written as floats are integers, as JSON Schema has it.
    let mut doc = demo_doc("spring");
    doc["groups"][0]["quests"][0]["tasks"][0]["points"] = json!(10.0);
    doc["groups"][0]["quests"][0]["tasks"][0]["key"] = json!("whole");
    let response = app
        .json("POST", "/v1/campaigns", Some(&org.api_token), doc)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    app.delete_as("/v1/campaigns/spring", &org.api_token).await;
    assert_eq!(
        app.get_as("/v1/campaigns", &org.api_token).await.json,
        json!([])
    );
}

#[tokio::test]
async fn reimport_keeps_completions_of_tasks_that_remain() {
    let app = TestApp::with_demo().await;
    let creds = questlet_server::demo::seed(&app.db, "http://demo.invalid")
        .await
        .unwrap();
    let user = app
        .get_as("/token?account=zoe&platform=web", &creds.api_token)
        .await
        .json["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let campaign = app.get("/v1/widget/demo/campaigns/launch-week").await.json;
    let code_task = campaign["groups"][0]["quests"][0]["tasks"][1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let done = app
        .json(
            "POST",
            &format!("/v1/widget/demo/campaigns/launch-week/tasks/{code_task}/attempts"),
            Some(&user),
            json!({"answer": {"type": "secret_code", "code": "LAUNCH-2026"}}),
        )
        .await;
    assert_eq!(done.json["outcome"], "completed");

    // Edit titles, drop the Community group, and re-import.
    let mut doc: CampaignDocument = serde_json::from_value(
        app.get_as("/v1/campaigns/launch-week", &creds.api_token)
            .await
            .json,
    )
    .unwrap();
    doc.title = "Launch Week II".into();
    doc.groups[0].quests[0].tasks[1].title = "Enter the code".into();
    doc.groups.truncate(1);
    let put = app
        .json(
            "PUT",
            "/v1/campaigns/launch-week",
            Some(&creds.api_token),
            serde_json::to_value(&doc).unwrap(),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);

    let view = app
        .get_as("/v1/widget/demo/campaigns/launch-week", &user)
        .await
        .json;
    assert_eq!(view["campaign"]["title"], "Launch Week II");
    assert_eq!(view["groups"].as_array().unwrap().len(), 1);
    let task = &view["groups"][0]["quests"][0]["tasks"][1];
    assert_eq!(task["id"], code_task.as_str(), "the task keeps its id");
    assert_eq!(task["title"], "Enter the code");
    assert_eq!(
        view["user"]["completed_task_ids"],
        serde_json::json!([code_task]),
        "the completion survives the re-import"
    );
    assert_eq!(view["user"]["points"], 50);
}

#[tokio::test]
async fn groups_quests_and_tasks_can_be_edited_one_by_one() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let token = Some(org.api_token.as_str());
    app.json("POST", "/v1/campaigns", token, demo_doc("s"))
        .await;

    let group = app
        .json(
            "POST",
            "/v1/campaigns/s/groups",
            token,
            json!({"key": "bonus", "title": "Bonus", "quests": []}),
        )
        .await;
    assert_eq!(group.status, StatusCode::OK, "{}", group.text);
    let quest = app
        .json(
            "POST",
            "/v1/campaigns/s/groups/bonus/quests",
            token,
            json!({"key": "extra", "title": "Extra", "tasks": [
                {"key": "visit", "title": "Visit", "points": 5, "config": {"type": "visit_link", "url": "https://example.com"}}
            ]}),
        )
        .await;
    assert_eq!(quest.status, StatusCode::OK, "{}", quest.text);
    let task = app
        .json(
            "POST",
            "/v1/campaigns/s/quests/extra/tasks",
            token,
            json!({"key": "code", "title": "Code", "points": 7, "config": {"type": "secret_code", "code": "X"}}),
        )
        .await;
    assert_eq!(
        task.json["groups"][2]["quests"][0]["tasks"][1]["key"],
        "code"
    );

    let reordered = app
        .json(
            "PUT",
            "/v1/campaigns/s/quests/extra/tasks-order",
            token,
            json!({"keys": ["code", "visit"]}),
        )
        .await;
    assert_eq!(
        reordered.json["groups"][2]["quests"][0]["tasks"][0]["key"],
        "code"
    );
    app.json(
        "PUT",
        "/v1/campaigns/s/quests/extra/tasks-order",
        token,
        json!({"keys": ["code"]}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");

    let groups = app
        .json(
            "PUT",
            "/v1/campaigns/s/groups-order",
            token,
            json!({"keys": ["bonus", "getting-started", "community"]}),
        )
        .await;
    assert_eq!(groups.json["groups"][0]["key"], "bonus");

    let replaced = app
        .json(
            "PUT",
            "/v1/campaigns/s/quests/extra/tasks/code",
            token,
            json!({"key": "code", "title": "New code", "points": 9, "config": {"type": "secret_code", "code": "Y"}}),
        )
        .await;
    assert_eq!(
        replaced.json["groups"][0]["quests"][0]["tasks"][0]["title"],
        "New code"
    );

    // A prerequisite on a quest that is then deleted would dangle: refused, naming the field.
    app.delete_as("/v1/campaigns/s/quests/welcome", &org.api_token)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");

    let deleted = app
        .delete_as("/v1/campaigns/s/quests/extra/tasks/visit", &org.api_token)
        .await;
    assert_eq!(
        deleted.json["groups"][0]["quests"][0]["tasks"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn publishing_controls_what_the_widget_sees() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let mut doc = demo_doc("soon");
    doc["status"] = json!("draft");
    app.json("POST", "/v1/campaigns", Some(&org.api_token), doc)
        .await;
    assert_eq!(
        app.get("/v1/widget/acme/campaigns/soon").await.status,
        StatusCode::NOT_FOUND
    );
    let published = app
        .json(
            "PUT",
            "/v1/campaigns/soon/status",
            Some(&org.api_token),
            json!({"status": "published"}),
        )
        .await;
    assert_eq!(published.json["status"], "published");
    assert_eq!(
        app.get("/v1/widget/acme/campaigns/soon").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn another_organizations_campaigns_are_out_of_reach() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let globex = app.org("globex").await;
    app.json(
        "POST",
        "/v1/campaigns",
        Some(&acme.api_token),
        demo_doc("secret"),
    )
    .await;
    app.get_as("/v1/campaigns/secret", &globex.api_token)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.json(
        "PUT",
        "/v1/campaigns/secret/status",
        Some(&globex.api_token),
        json!({"status": "draft"}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
    // globex may use the same slug for its own campaign; acme's stays untouched.
    let own = app
        .json(
            "PUT",
            "/v1/campaigns/secret",
            Some(&globex.api_token),
            demo_doc("secret"),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(
        app.get_as("/v1/campaigns", &globex.api_token)
            .await
            .json
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.get_as("/v1/campaigns/secret", &acme.api_token)
            .await
            .json,
        demo_doc("secret")
    );
}

#[tokio::test]
async fn seeding_the_demo_again_keeps_it_and_refreshes_an_older_one() {
    let app = TestApp::with_demo().await;
    let demo = app.db.organization_by_slug("demo").await.unwrap().unwrap();
    let version = || async {
        let tree = app.db.campaign_tree(&demo.id, "launch-week").await.unwrap();
        let tree = tree.unwrap();
        (tree.campaign.version, tree.campaign.title)
    };
    let (first, title) = version().await;
    questlet_server::demo::seed(&app.db, "http://demo.invalid")
        .await
        .unwrap();
    assert_eq!(
        version().await.0,
        first,
        "the same demo is not stored again"
    );

    // An older demo (here: another title) is brought up to date.
    let mut older = questlet_server::demo::demo_campaign();
    older.title = "Launch Week (old)".into();
    app.db
        .import_campaign(
            &demo.id,
            &older,
            &questlet_server::db::campaigns::Precondition::Unconditional,
        )
        .await
        .unwrap();
    assert_eq!(version().await.1, "Launch Week (old)");
    questlet_server::demo::seed(&app.db, "http://demo.invalid")
        .await
        .unwrap();
    assert_eq!(version().await.1, title);
}
