//! Webhooks: endpoints through the admin API, and deliveries to a receiver written with
//! the Standard Webhooks reference library (Python's `standardwebhooks`,
//! `fixtures/webhook_receiver.py`), which verifies every signature itself. The receiver
//! listens on 127.0.0.1 only; the worker runs in this process with fast retries.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use questlet_server::outbound::{Outbound, OutboundPolicy, SystemLookup};
use questlet_server::webhooks::worker::Worker;
use questlet_server::webhooks::DeliveryConfig;
use serde_json::{json, Value};

use crate::support::{Org, TestApp};

/// The Python receiver, killed when dropped.
pub struct Receiver {
    child: Child,
    /// Its URL.
    pub url: String,
    http: reqwest::Client,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Python of the interoperability tests (`cargo xtask test` installs it).
pub fn python() -> String {
    std::env::var("QUESTLET_PYTHON").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../tools/python/bin/python").to_owned()
    })
}

impl Receiver {
    /// Starts a receiver.
    pub fn start() -> Self {
        let mut child = Command::new(python())
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/api/fixtures/webhook_receiver.py"
            ))
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the Python receiver (cargo xtask test installs its Python)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port: u16 = line.trim().parse().expect("the receiver prints its port");
        Self {
            child,
            url: format!("http://127.0.0.1:{port}/hooks"),
            http: reqwest::Client::new(),
        }
    }

    /// Verifies with `secret`; fails the first `failures` tries of each event with
    /// `status` (and `Retry-After: retry_after`).
    pub async fn set(&self, secret: &str, failures: u32, status: u16, retry_after: Option<&str>) {
        let config = json!({"secret": secret, "failures": failures, "status": status,
            "retry_after": retry_after});
        let answer = self.http.put(&self.url).json(&config).send().await.unwrap();
        assert_eq!(answer.status(), 204);
    }

    /// What it received: `{"events": {id: {type, data, tries, accepted}}, "unverified": n}`.
    pub async fn received(&self) -> Value {
        self.http
            .get(&self.url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Waits until `done` holds of what it received (at most `seconds`).
    pub async fn wait_for(&self, seconds: u64, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            let received = self.received().await;
            if done(&received) {
                return received;
            }
            assert!(Instant::now() < deadline, "timed out; received {received}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The demo organization's app calling out to loopback, with a worker retrying at once
/// (`max_tries` tries), and a receiver.
async fn hooked_app(max_tries: u32) -> (TestApp, Org, Receiver) {
    let (mut app, org) = TestApp::with_demo_org().await;
    app.set_outbound(Outbound::new(
        OutboundPolicy {
            allowed: vec!["127.0.0.1/32".parse().unwrap()],
        },
        Arc::new(SystemLookup),
        Duration::from_secs(2),
        64 * 1024,
    ));
    let config = DeliveryConfig {
        retry_base: Duration::ZERO,
        max_tries,
    };
    let worker = Worker::new(app.db.clone(), app.state.outbound.clone(), config).spawn();
    // The worker ends with the test's runtime; nothing else holds it.
    drop(worker);
    (app, org, Receiver::start())
}

/// Creates an endpoint; answers its id and secret.
async fn create(app: &TestApp, org: &Org, body: Value) -> (String, String) {
    let created = app
        .json("POST", "/v1/webhooks", Some(&org.api_token), body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let secret = created.json["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    (created.json["id"].as_str().unwrap().to_owned(), secret)
}

/// The endpoint's delivery log.
async fn deliveries(app: &TestApp, org: &Org, id: &str) -> Vec<Value> {
    let log = app
        .get_as(&format!("/v1/webhooks/{id}/deliveries"), &org.api_token)
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text);
    log.json.as_array().unwrap().clone()
}

/// Waits until every delivery of the endpoint is out of `pending`, and there are `count`.
async fn settled(app: &TestApp, org: &Org, id: &str, count: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let log = deliveries(app, org, id).await;
        if log.len() == count && log.iter().all(|d| d["state"] != "pending") {
            return log;
        }
        assert!(Instant::now() < deadline, "not settled: {log:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Awards `points` to `account` in the demo campaign.
async fn award(app: &TestApp, org: &Org, account: &str, reward_id: &str, points: i64) {
    let body = json!({"account": account, "platform": "web", "reward_id": reward_id,
        "points": points});
    let path = "/v1/campaigns/launch-week/points";
    let answer = app.json("POST", path, Some(&org.api_token), body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
}

#[tokio::test]
async fn an_endpoint_is_created_listed_changed_and_deleted_and_its_secret_is_shown_once() {
    let (app, org) = TestApp::with_demo_org().await;
    let (id, _) = create(
        &app,
        &org,
        json!({"url": "https://partner.example/hooks", "scopes": ["user_reward", "task.failed"],
               "campaign": "launch-week", "description": "CRM"}),
    )
    .await;
    let listed = app.get_as("/v1/webhooks", &org.api_token).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(!listed.text.contains("whsec_"), "{}", listed.text);
    let endpoint = &listed.json[0];
    assert_eq!(endpoint["id"], id.as_str());
    // claimr's scope names stand for their events.
    assert_eq!(
        endpoint["scopes"],
        json!(["reward.claimed", "points.adjusted", "task.failed"])
    );
    assert_eq!(endpoint["campaign"], "launch-week");
    assert_eq!(endpoint["enabled"], true);

    let path = format!("/v1/webhooks/{id}");
    let changed = app
        .json(
            "PUT",
            &path,
            Some(&org.api_token),
            json!({"url": "https://partner.example/v2", "scopes": ["task.completed"],
                   "enabled": false}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    assert_eq!(changed.json["enabled"], false);
    assert_eq!(changed.json["campaign"], Value::Null);
    assert!(!changed.text.contains("whsec_"));
    app.json(
        "POST",
        &format!("{path}/test"),
        Some(&org.api_token),
        json!({}),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "conflict");

    // Another organization sees none of it.
    let other = app.org("globex").await;
    let theirs = app.get_as("/v1/webhooks", &other.api_token).await;
    assert_eq!(theirs.json, json!([]));
    for (method, suffix) in [("GET", ""), ("DELETE", ""), ("POST", "/rotate-secret")] {
        let body = (method == "POST").then(|| json!({}));
        let request = match body {
            Some(body) => {
                app.json(
                    method,
                    &format!("{path}{suffix}"),
                    Some(&other.api_token),
                    body,
                )
                .await
            }
            None if method == "GET" => app.get_as(&path, &other.api_token).await,
            None => app.delete_as(&path, &other.api_token).await,
        };
        request.assert_error(StatusCode::NOT_FOUND, "not_found");
    }

    let gone = app.delete_as(&path, &org.api_token).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    app.get_as(&path, &org.api_token)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn bad_endpoints_get_a_clear_error() {
    let (app, org) = TestApp::with_demo_org().await;
    for body in [
        json!({"url": "ftp://partner.example", "scopes": ["task.completed"]}),
        json!({"url": "partner.example/hooks", "scopes": ["task.completed"]}),
        json!({"url": "https://partner.example", "scopes": []}),
        json!({"url": "https://partner.example", "scopes": ["task.done"]}),
        json!({"url": "https://partner.example", "scopes": ["webhook.test"]}),
        json!({"url": "https://partner.example", "scopes": ["task.completed"],
               "description": "x".repeat(201)}),
        json!({"url": "https://partner.example", "scopes": ["task.completed"], "secret": "mine"}),
    ] {
        app.json("POST", "/v1/webhooks", Some(&org.api_token), body.clone())
            .await
            .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    app.json(
        "POST",
        "/v1/webhooks",
        Some(&org.api_token),
        json!({"url": "https://partner.example", "scopes": ["task.completed"],
               "campaign": "no-such"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");
    let (id, _) = create(
        &app,
        &org,
        json!({"url": "https://partner.example", "scopes": ["task.completed"]}),
    )
    .await;
    app.json(
        "POST",
        &format!("/v1/webhooks/{id}/rotate-secret"),
        Some(&org.api_token),
        json!({"grace_seconds": 8 * 86_400}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    for body in [json!([]), json!({"grace": 1}), json!({"grace_seconds": -1})] {
        app.json(
            "POST",
            &format!("/v1/webhooks/{id}/rotate-secret"),
            Some(&org.api_token),
            body,
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    for query in [
        "limit=0",
        "limit=abc",
        "before=soon",
        "before=-1",
        "since=1",
    ] {
        app.get_as(
            &format!("/v1/webhooks/{id}/deliveries?{query}"),
            &org.api_token,
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
}

#[tokio::test]
async fn a_delivery_to_an_address_the_policy_refuses_is_dead_without_a_connection() {
    // Only loopback is allowed: a private address written in the URL is refused where the
    // decision is made, before any connection (no packet leaves for 10.0.0.1).
    let (app, org, _receiver) = hooked_app(5).await;
    let body = json!({"url": "http://10.0.0.1:9/hooks", "scopes": ["points.adjusted"]});
    let (id, _) = create(&app, &org, body).await;
    award(&app, &org, "ann", "r-1", 5).await;
    let log = settled(&app, &org, &id, 1).await;
    assert_eq!(log[0]["state"], "dead");
    let attempts = log[0]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1, "not retried");
    assert_eq!(attempts[0]["status"], Value::Null);
    assert_eq!(
        attempts[0]["error"],
        "10.0.0.1 is not an address this server may call"
    );
    assert!(attempts[0]["latency_ms"].as_i64().unwrap() < 50);
}

#[tokio::test]
async fn a_failing_receiver_gets_every_event_verified_and_accepted_exactly_once() {
    let (app, org, receiver) = hooked_app(5).await;
    let body = json!({"url": receiver.url, "scopes": ["task.completed", "points.adjusted"]});
    let (id, secret) = create(&app, &org, body).await;
    // Two 503s for every event before a 200.
    receiver.set(&secret, 2, 503, None).await;
    for account in ["ann", "bob", "cy"] {
        let user = app.user_token(&org, account).await;
        app.complete_first_demo_task(&user).await;
    }
    award(&app, &org, "ann", "bonus-1", 5).await;
    award(&app, &org, "dee", "bonus-2", 7).await;

    let received = receiver
        .wait_for(30, |r| {
            let events = r["events"].as_object().unwrap();
            events.len() == 5 && events.values().all(|e| e["accepted"] == 1)
        })
        .await;
    assert_eq!(received["unverified"], 0);
    let events = received["events"].as_object().unwrap();
    let mut types: Vec<&str> = events
        .values()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    types.sort_unstable();
    assert_eq!(
        types,
        [
            "points.adjusted",
            "points.adjusted",
            "task.completed",
            "task.completed",
            "task.completed"
        ]
    );
    let completed = events
        .values()
        .find(|e| e["type"] == "task.completed" && e["data"]["user"]["account"] == "bob")
        .unwrap();
    assert_eq!(completed["data"]["user"]["platform"], "web");
    assert!(completed["data"]["points"].as_i64().unwrap() > 0);
    assert!(completed["data"]["task_id"].is_string());

    let log = settled(&app, &org, &id, 5).await;
    for delivery in &log {
        assert_eq!(delivery["state"], "delivered", "{delivery}");
        let statuses: Vec<i64> = delivery["attempts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["status"].as_i64().unwrap())
            .collect();
        assert_eq!(statuses, [200, 503, 503], "{delivery}");
        assert_eq!(delivery["attempts"][1]["response"], "try again");
        assert!(events.contains_key(delivery["event_id"].as_str().unwrap()));
    }
    // Nothing more arrives once all are delivered.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let after = receiver.received().await;
    assert!(after["events"]
        .as_object()
        .unwrap()
        .values()
        .all(|e| e["tries"] == 3 && e["accepted"] == 1));
}

#[tokio::test]
async fn a_refused_delivery_is_not_retried_a_dead_one_can_be_redelivered() {
    let (app, org, receiver) = hooked_app(3).await;
    let body = json!({"url": receiver.url, "scopes": ["points.adjusted"]});
    let (id, secret) = create(&app, &org, body).await;
    // A 400 is not retried.
    receiver.set(&secret, 1, 400, None).await;
    award(&app, &org, "ann", "r-1", 5).await;
    let log = settled(&app, &org, &id, 1).await;
    assert_eq!(log[0]["state"], "dead");
    assert_eq!(log[0]["attempts"].as_array().unwrap().len(), 1);
    // The last of `max_tries` failures is dead too.
    receiver.set(&secret, 100, 500, None).await;
    award(&app, &org, "ann", "r-2", 5).await;
    let log = settled(&app, &org, &id, 2).await;
    assert_eq!(log[0]["state"], "dead");
    assert_eq!(log[0]["attempts"].as_array().unwrap().len(), 3);

    // Redelivered, the first gets through, with its event id unchanged.
    receiver.set(&secret, 0, 200, None).await;
    let first = log[1]["id"].as_str().unwrap();
    let path = format!("/v1/webhooks/{id}/deliveries/{first}/redeliver");
    let again = app
        .json("POST", &path, Some(&org.api_token), json!({}))
        .await;
    assert_eq!(again.status, StatusCode::ACCEPTED, "{}", again.text);
    let event_id = log[1]["event_id"].as_str().unwrap().to_owned();
    receiver
        .wait_for(10, |r| r["events"][&event_id]["accepted"] == 1)
        .await;
    let log = settled(&app, &org, &id, 2).await;
    assert_eq!(log[1]["state"], "delivered");
    assert_eq!(log[1]["attempts"].as_array().unwrap().len(), 2);
    let other = app.org("globex").await;
    app.json("POST", &path, Some(&other.api_token), json!({}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let (app, org, receiver) = hooked_app(3).await;
    let body = json!({"url": receiver.url, "scopes": ["points.adjusted"]});
    let (id, secret) = create(&app, &org, body).await;
    receiver.set(&secret, 1, 429, Some("2")).await;
    award(&app, &org, "ann", "r-1", 5).await;
    let log = settled(&app, &org, &id, 1).await;
    assert_eq!(log[0]["state"], "delivered");
    let at: Vec<i64> = log[0]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["at"].as_i64().unwrap())
        .collect();
    assert!(at[0] - at[1] >= 2, "retried after {} s", at[0] - at[1]);
}

#[tokio::test]
async fn a_rotated_secret_signs_beside_the_old_one_until_the_grace_period_ends() {
    let (app, org, receiver) = hooked_app(1).await;
    let body = json!({"url": receiver.url, "scopes": ["points.adjusted"]});
    let (id, old) = create(&app, &org, body).await;
    let rotate = |grace: i64| {
        let path = format!("/v1/webhooks/{id}/rotate-secret");
        let app = &app;
        let token = org.api_token.clone();
        async move {
            let answer = app
                .json("POST", &path, Some(&token), json!({"grace_seconds": grace}))
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
            answer.json["secret"].as_str().unwrap().to_owned()
        }
    };
    let new = rotate(3600).await;
    assert_ne!(new, old);
    let test = |expected: usize| {
        let (app, org, id) = (&app, &org, id.clone());
        async move {
            let path = format!("/v1/webhooks/{id}/test");
            let answer = app
                .json("POST", &path, Some(&org.api_token), json!({}))
                .await;
            assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.text);
            settled(app, org, &id, expected).await
        }
    };
    // Both the old secret and the new one verify while the old one is in its grace.
    receiver.set(&old, 0, 200, None).await;
    assert_eq!(test(1).await[0]["state"], "delivered");
    receiver.set(&new, 0, 200, None).await;
    assert_eq!(test(2).await[0]["state"], "delivered");
    // Without a grace period, only the newest secret signs.
    let newest = rotate(0).await;
    receiver.set(&new, 0, 200, None).await;
    let log = test(3).await;
    assert_eq!(log[0]["state"], "dead");
    assert_eq!(log[0]["attempts"][0]["status"], 401);
    receiver.set(&newest, 0, 200, None).await;
    assert_eq!(test(4).await[0]["state"], "delivered");
    let received = receiver.received().await;
    assert_eq!(received["unverified"], 1);
    assert!(received["events"]
        .as_object()
        .unwrap()
        .values()
        .all(|e| e["type"] == "webhook.test"));
}

#[tokio::test]
async fn events_reach_only_the_endpoints_that_want_them() {
    let (app, org, receiver) = hooked_app(1).await;
    let endpoint = |scopes: Value, extra: Value| {
        let mut body = json!({"url": receiver.url, "scopes": scopes});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let (failed_only, secret) =
        create(&app, &org, endpoint(json!(["task.failed"]), json!({}))).await;
    receiver.set(&secret, 0, 200, None).await;
    app.create_campaign(&org, crate::support::demo_doc("other"))
        .await;
    let (other_campaign, _) = create(
        &app,
        &org,
        endpoint(json!(["task.completed"]), json!({"campaign": "other"})),
    )
    .await;
    let (disabled, _) = create(
        &app,
        &org,
        endpoint(json!(["task.completed"]), json!({"enabled": false})),
    )
    .await;
    let (this_campaign, _) = create(
        &app,
        &org,
        endpoint(json!(["user_activity"]), json!({"campaign": "launch-week"})),
    )
    .await;
    let user = app.user_token(&org, "ann").await;
    app.complete_first_demo_task(&user).await;
    let log = settled(&app, &org, &this_campaign, 1).await;
    assert_eq!(log[0]["event_type"], "task.completed");
    for id in [&failed_only, &other_campaign, &disabled] {
        assert_eq!(
            deliveries(&app, &org, id).await,
            Vec::<Value>::new(),
            "{id}"
        );
    }
    // Another organization's events never reach these endpoints.
    let globex = app.org("globex").await;
    app.create_campaign(&globex, crate::support::demo_doc("launch-week"))
        .await;
    let (globex_endpoint, _) = create(
        &app,
        &globex,
        endpoint(json!(["points.adjusted"]), json!({})),
    )
    .await;
    award(&app, &org, "ann", "r-1", 5).await;
    assert_eq!(
        deliveries(&app, &globex, &globex_endpoint).await,
        Vec::<Value>::new()
    );
}

#[tokio::test]
async fn two_workers_on_one_database_never_send_a_delivery_twice() {
    // Two app instances with their own pools and workers, as two server processes on one
    // PostgreSQL database are (SKIP LOCKED leases); on SQLite, two workers on one file.
    let (app, org, receiver) = hooked_app(3).await;
    let second = app.another_instance().await;
    let config = DeliveryConfig {
        retry_base: Duration::ZERO,
        max_tries: 3,
    };
    drop(Worker::new(second.db.clone(), app.state.outbound.clone(), config).spawn());
    let body = json!({"url": receiver.url, "scopes": ["points.adjusted"]});
    let (id, secret) = create(&app, &org, body).await;
    receiver.set(&secret, 0, 200, None).await;
    for i in 0..40 {
        let instance = if i % 2 == 0 { &app } else { &second };
        award(instance, &org, &format!("u{i}"), &format!("r-{i}"), 1).await;
    }
    let received = receiver
        .wait_for(30, |r| r["events"].as_object().unwrap().len() == 40)
        .await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let received_after = receiver.received().await;
    assert_eq!(received, received_after);
    assert!(received["events"]
        .as_object()
        .unwrap()
        .values()
        .all(|e| e["tries"] == 1 && e["accepted"] == 1));
    let log = settled(&app, &org, &id, 40).await;
    assert!(log
        .iter()
        .all(|d| d["attempts"].as_array().unwrap().len() == 1));
}

#[tokio::test]
async fn new_users_and_referrals_are_announced_once() {
    let (app, org, receiver) = hooked_app(1).await;
    let body = json!({"url": receiver.url, "scopes": ["user_login", "referral"]});
    let (_, secret) = create(&app, &org, body).await;
    receiver.set(&secret, 0, 200, None).await;
    const CAMPAIGN: &str = "/v1/widget/demo/campaigns/launch-week";
    // Ann arrives by completing a task (twice: she is new once).
    let ann = app.user_token(&org, "ann").await;
    app.complete_first_demo_task(&ann).await;
    let view = app.get_as(CAMPAIGN, &ann).await;
    let code = view.json["user"]["referral_code"]
        .as_str()
        .unwrap()
        .to_owned();
    // Bob arrives through Ann's link; Dee through a points award.
    let bob = app.user_token(&org, "bob").await;
    let arrived = app.get_as(&format!("{CAMPAIGN}?ref={code}"), &bob).await;
    assert_eq!(arrived.status, StatusCode::OK, "{}", arrived.text);
    award(&app, &org, "dee", "welcome", 5).await;
    award(&app, &org, "dee", "again", 5).await;

    let received = receiver
        .wait_for(20, |r| r["events"].as_object().unwrap().len() == 4)
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().await, received, "nothing more arrives");
    let mut seen: Vec<(String, String)> = received["events"]
        .as_object()
        .unwrap()
        .values()
        .map(|e| {
            let account = e["data"]["user"]["account"].as_str().unwrap();
            (e["type"].as_str().unwrap().to_owned(), account.to_owned())
        })
        .collect();
    seen.sort();
    let expected = [
        ("referral.recorded", "bob"),
        ("user.created", "ann"),
        ("user.created", "bob"),
        ("user.created", "dee"),
    ];
    assert_eq!(
        seen,
        expected.map(|(t, a)| (t.to_owned(), a.to_owned())).to_vec()
    );
    let referral = received["events"]
        .as_object()
        .unwrap()
        .values()
        .find(|e| e["type"] == "referral.recorded")
        .unwrap();
    assert_eq!(referral["data"]["referrer"]["account"], "ann");
    assert_eq!(referral["data"]["referral_code"], code.as_str());
}

#[tokio::test]
async fn completing_a_quest_and_the_campaign_is_announced_once() {
    let (app, org, receiver) = hooked_app(1).await;
    let task = |key: &str, required: bool| {
        json!({"key": key, "title": key, "points": 1, "required": required,
               "config": {"type": "visit_link", "url": "https://acme.example"}})
    };
    let doc = json!({"slug": "milestones", "title": "Milestones", "status": "published",
        "groups": [{"key": "g", "title": "G", "quests": [
            {"key": "q1", "title": "Q1", "tasks": [task("t1", true), task("t2", false)]},
            {"key": "q2", "title": "Q2", "tasks": [task("t3", true)]}]}]});
    app.create_campaign(&org, doc).await;
    let body = json!({"url": receiver.url, "scopes": ["quest.completed", "campaign.completed"],
        "campaign": "milestones"});
    let (_, secret) = create(&app, &org, body).await;
    receiver.set(&secret, 0, 200, None).await;
    const WIDGET: &str = "/v1/widget/demo/campaigns/milestones";
    let ann = app.user_token(&org, "ann").await;
    // The required task completes its quest (once, though tried twice); the optional one,
    // done after, nothing more; the last quest's task that quest and the campaign.
    for title in ["t1", "t2", "t1", "t3"] {
        app.attempt_titled(WIDGET, &ann, title, json!({"type": "visit_link"}))
            .await;
    }
    let received = receiver
        .wait_for(20, |r| r["events"].as_object().unwrap().len() == 3)
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().await, received, "nothing more arrives");
    let view = app.get(WIDGET).await.json;
    let quest_id = |n: usize| view["groups"][0]["quests"][n]["id"].clone();
    let mut seen: Vec<(String, Value)> = received["events"]
        .as_object()
        .unwrap()
        .values()
        .map(|e| {
            assert_eq!(e["data"]["user"]["account"], "ann");
            (
                e["type"].as_str().unwrap().to_owned(),
                e["data"]["quest_id"].clone(),
            )
        })
        .collect();
    seen.sort_by_key(|(t, q)| (t.clone(), q.to_string()));
    let mut expected = vec![
        ("campaign.completed".to_owned(), Value::Null),
        ("quest.completed".to_owned(), quest_id(0)),
        ("quest.completed".to_owned(), quest_id(1)),
    ];
    expected.sort_by_key(|(t, q)| (t.clone(), q.to_string()));
    assert_eq!(seen, expected);
}
