//! A campaign's participants: the list with points, rank and completions, searched; one
//! user's activity; and the CSV exports, streamed in bounded memory at 1,000,000 rows.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};

use crate::support::{Org, TestApp};

const WIDGET: &str = "/v1/widget/demo/campaigns/people";
const ADMIN: &str = "/v1/campaigns/people";

/// A campaign of one quest of two tasks (2 and 3 points) and two ranks.
async fn people_app() -> (TestApp, Org) {
    let (app, org) = TestApp::with_demo_org().await;
    let task = |key: &str, points: i64| {
        json!({"key": key, "title": key.to_uppercase(), "points": points,
        "config": {"type": "visit_link", "url": "https://acme.example"}})
    };
    let doc = json!({"slug": "people", "title": "People", "status": "published",
        "ranks": [{"name": "Bronze", "min_points": 0}, {"name": "Gold", "min_points": 5}],
        "groups": [{"key": "g", "title": "G", "quests": [
            {"key": "q", "title": "Q", "tasks": [task("a", 2), task("b", 3)]}]}]});
    app.create_campaign(&org, doc).await;
    (app, org)
}

#[tokio::test]
async fn the_list_shows_points_rank_and_completions_and_search_finds_by_account_or_name() {
    let (app, org) = people_app().await;
    for (account, titles) in [
        ("ann", &["A", "B"][..]),
        ("bob", &["B"][..]),
        ("cy_1", &["A"][..]),
    ] {
        let token = app.user_token(&org, account).await;
        for title in titles {
            app.attempt_titled(WIDGET, &token, title, json!({"type": "visit_link"}))
                .await;
        }
    }
    app.get_as(
        "/token?account=bob&platform=web&name=Bobby%20Tables",
        &org.api_token,
    )
    .await;
    let list = app.get_as(&format!("{ADMIN}/users"), &org.api_token).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    assert_eq!(
        list.json["users"],
        json!([
            {"account": "ann", "platform": "web", "name": null, "points": 5, "rank": "Gold", "completions": 2},
            {"account": "bob", "platform": "web", "name": "Bobby Tables", "points": 3, "rank": "Bronze", "completions": 1},
            {"account": "cy_1", "platform": "web", "name": null, "points": 2, "rank": "Bronze", "completions": 1}
        ])
    );
    let accounts = |body: &Value| -> Vec<String> {
        body["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["account"].as_str().unwrap().to_owned())
            .collect()
    };
    for (search, wanted) in [
        ("TABLES", vec!["bob"]),
        ("an", vec!["ann"]),
        // `_` is a character here, not LIKE's wildcard.
        ("y_", vec!["cy_1"]),
        ("%", vec![]),
    ] {
        let found = app
            .get_as(
                &format!("{ADMIN}/users?search={}", urlencode(search)),
                &org.api_token,
            )
            .await;
        assert_eq!(accounts(&found.json), wanted, "{search}");
    }
    let page = app
        .get_as(&format!("{ADMIN}/users?limit=1&offset=1"), &org.api_token)
        .await;
    assert_eq!(accounts(&page.json), ["bob"]);
    app.get_as(&format!("{ADMIN}/users?limit=0"), &org.api_token)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");

    // One user's activity.
    let activity = app
        .get_as(&format!("{ADMIN}/activity?account=ann"), &org.api_token)
        .await;
    assert_eq!(activity.status, StatusCode::OK, "{}", activity.text);
    let tasks: Vec<&str> = activity
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            assert_eq!(a["account"], "ann");
            a["task"].as_str().unwrap()
        })
        .collect();
    assert_eq!(tasks, ["b", "a"]);
    let everyone = app
        .get_as(&format!("{ADMIN}/activity"), &org.api_token)
        .await;
    assert_eq!(everyone.json.as_array().unwrap().len(), 4);
    // Another organization sees nothing of it.
    let other = app.org("globex").await;
    app.get_as(&format!("{ADMIN}/users"), &other.api_token)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.get_as(&format!("{ADMIN}/export/completions.csv"), &other.api_token)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn the_exports_are_csv_with_every_participant_and_completion() {
    let (app, org) = people_app().await;
    for (account, titles) in [("ann", &["A", "B"][..]), ("=cmd", &["B"][..])] {
        let token = app.user_token(&org, account).await;
        for title in titles {
            app.attempt_titled(WIDGET, &token, title, json!({"type": "visit_link"}))
                .await;
        }
    }
    app.get_as(
        "/token?account=ann&platform=web&name=Ann,%20%22A%22",
        &org.api_token,
    )
    .await;
    let participants = app
        .get_as(&format!("{ADMIN}/export/participants.csv"), &org.api_token)
        .await;
    assert_eq!(participants.status, StatusCode::OK);
    assert_eq!(
        participants.headers["content-type"],
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        participants.text,
        "account,platform,name,points,rank,completions\n\
         ann,web,\"Ann, \"\"A\"\"\",5,Gold,2\n\
         '=cmd,web,,3,Bronze,1\n"
    );
    let completions = app
        .get_as(&format!("{ADMIN}/export/completions.csv"), &org.api_token)
        .await;
    let mut lines: Vec<&str> = completions.text.lines().collect();
    assert_eq!(
        lines.remove(0),
        "account,platform,quest,task,points,completed_at,ga_client_id"
    );
    lines.sort();
    let rows: Vec<String> = lines
        .iter()
        .map(|line| {
            // The time is the test's clock: checked for shape only.
            let cells: Vec<&str> = line.split(',').collect();
            assert!(cells[5].parse::<i64>().is_ok(), "{line}");
            format!("{},{},{},{}", cells[0], cells[2], cells[3], cells[4])
        })
        .collect();
    assert_eq!(rows, ["'=cmd,q,b,3", "ann,q,a,2", "ann,q,b,3"]);
}

/// The most memory an export of 1,000,000 rows may add to the process.
const EXPORT_MEMORY_BOUND: u64 = 24 * 1024 * 1024;

/// Set in the child process that measures the export alone.
const MEASURING_ALONE: &str = "QUESTLET_TEST_MEASURING_ALONE";

/// Peak memory is per process, and the suite's other tests (a thousand concurrent claims, for
/// one) would count in it: the export is measured in a child process of this test binary that
/// runs this one test and nothing else.
#[test]
fn an_export_of_a_million_rows_streams_in_bounded_memory() {
    if std::env::var_os(MEASURING_ALONE).is_some() {
        return tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(export_a_million_rows_and_measure_memory());
    }
    let name = "participants::an_export_of_a_million_rows_streams_in_bounded_memory";
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads", "1"])
        .env(MEASURING_ALONE, "1")
        .output()
        .unwrap();
    let output = String::from_utf8_lossy(&child.stdout) + String::from_utf8_lossy(&child.stderr);
    assert!(child.status.success(), "{output}");
    // The filter named a test that exists and ran.
    assert!(output.contains("1 passed"), "{output}");
}

async fn export_a_million_rows_and_measure_memory() {
    let (app, org) = people_app().await;
    let token = app.user_token(&org, "seed").await;
    app.attempt_titled(WIDGET, &token, "A", json!({"type": "visit_link"}))
        .await;
    let pool = app.raw_pool().await;
    let (organization, task): (String, String) = sqlx::query_as(
        "SELECT u.organization_id, c.task_id FROM task_completions c
         JOIN users u ON u.id = c.user_id WHERE u.account = 'seed'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let postgres = app.db.backend() == questlet_server::db::Backend::Postgres;
    let numbers = if postgres {
        "generate_series(1, 1000000) AS n(i)".to_owned()
    } else {
        "(WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 1000000) \
         SELECT i FROM r) AS n"
            .to_owned()
    };
    let mut conn = pool.acquire().await.unwrap();
    sqlx::query(&format!(
        "INSERT INTO users (id, organization_id, platform, account, created_at)
         SELECT 'bulk' || n.i, $1, 'web', 'bulk-' || n.i, 0 FROM {numbers}"
    ))
    .bind(&organization)
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query(&format!(
        "INSERT INTO task_completions (user_id, task_id, slot, points, ga_client_id, created_at)
         SELECT 'bulk' || n.i, $1, 0, 2, 'GA1.2.' || n.i || '.1700000000', 1700000000 + n.i
         FROM {numbers}"
    ))
    .bind(&task)
    .execute(&mut *conn)
    .await
    .unwrap();
    drop(conn);

    reset_peak_memory();
    let before = peak_memory();
    let request = Request::get(format!("{ADMIN}/export/completions.csv"))
        .header("Authorization", format!("Bearer {}", org.api_token))
        .body(Body::empty())
        .unwrap();
    let response = app.send_unread(request).await;
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    let (mut bytes, mut lines) = (0_u64, 0_u64);
    while let Some(frame) = body.frame().await {
        let frame = frame.unwrap();
        if let Some(data) = frame.data_ref() {
            bytes += data.len() as u64;
            lines += data.iter().filter(|&&b| b == b'\n').count() as u64;
        }
    }
    let grown = peak_memory().saturating_sub(before);
    // The header, the seed user's completion and a million more.
    assert_eq!(lines, 1_000_002);
    // Far more than the bound: held whole, the body alone would break it.
    assert!(bytes > 2 * EXPORT_MEMORY_BOUND, "{bytes} bytes");
    assert!(
        grown < EXPORT_MEMORY_BOUND,
        "the export of {bytes} bytes grew the process by {grown} bytes"
    );
    // A million rows are a third of a gigabyte on SQLite: not left behind in the temp dir.
    if let Some(path) = app.url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
}

/// The process's peak resident memory (`VmHWM`), in bytes.
fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .unwrap();
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap();
    kb * 1024
}

/// Sets the peak to the current resident memory (Linux: `5` to `clear_refs`).
fn reset_peak_memory() {
    std::fs::write("/proc/self/clear_refs", "5").expect("resetting VmHWM");
}
