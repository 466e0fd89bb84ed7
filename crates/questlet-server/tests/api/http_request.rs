//! HTTP request tasks and the outbound guard. The partner is a stand-in on 127.0.0.1, and
//! host names resolve through a stand-in resolver: no test sends a packet to any address
//! but loopback. Private and link-local addresses are refused at the decision point (the
//! URL's literal address, or the resolver's answer) before any connection is made.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;
use futures::future::BoxFuture;
use questlet_server::outbound::{signature, Lookup, Outbound, OutboundError, OutboundPolicy};
use questlet_server::tasks::http_request::{NOT_YET, TOO_SLOW, UNREACHABLE};
use serde_json::{json, Value};

use crate::support::{Org, TestApp};

const CAMPAIGN: &str = "/v1/widget/demo/campaigns/checks";
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Host names as the stand-in resolver answers them.
fn names() -> HashMap<&'static str, IpAddr> {
    HashMap::from([
        ("partner.test", "127.0.0.1".parse().unwrap()),
        ("internal.test", "10.0.0.1".parse().unwrap()),
        ("metadata.test", "169.254.169.254".parse().unwrap()),
    ])
}

/// A resolver that answers from [`names`] and records what it was asked.
#[derive(Default)]
struct StandInResolver {
    asked: Mutex<Vec<String>>,
}

impl Lookup for StandInResolver {
    fn lookup(&self, host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>> {
        self.asked.lock().unwrap().push(host.clone());
        let found = names().get(host.as_str()).copied();
        Box::pin(async move {
            found
                .map(|ip| vec![ip])
                .ok_or_else(|| std::io::Error::other(format!("no such host {host}")))
        })
    }
}

/// What the stand-in partner received: each request's headers and body.
type Received = Arc<Mutex<Vec<(HeaderMap, Vec<u8>)>>>;

/// The stand-in partner on 127.0.0.1: answers yes for account `yes-*`, the other answers
/// by path; records every request.
async fn partner() -> (u16, Received) {
    let received: Received = Arc::default();
    let record = |received: Received| {
        move |headers: HeaderMap, body: axum::body::Bytes| {
            received.lock().unwrap().push((headers, body.to_vec()));
            async move {}
        }
    };
    let answer = |status: StatusCode, reply: &'static str| {
        let received = received.clone();
        post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let received = received.clone();
            async move {
                record(received)(headers, body).await;
                (status, reply)
            }
        })
    };
    let slow = {
        let received = received.clone();
        post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let received = received.clone();
            async move {
                record(received)(headers, body).await;
                tokio::time::sleep(Duration::from_secs(2)).await;
                "true"
            }
        })
    };
    let router = Router::new()
        .route("/yes", answer(StatusCode::OK, "true"))
        .route("/empty", answer(StatusCode::OK, ""))
        .route("/zero", answer(StatusCode::OK, "0"))
        .route("/quoted-zero", answer(StatusCode::OK, "\"0\""))
        .route("/false", answer(StatusCode::OK, "false"))
        .route("/error", answer(StatusCode::INTERNAL_SERVER_ERROR, "oops"))
        .route("/slow", slow)
        .route(
            "/big",
            post(|| async { "x".repeat(100 * 1024).into_response() }),
        )
        .route(
            "/to-private",
            post(|| async { Redirect::temporary("http://10.0.0.1/yes") }),
        )
        .route(
            "/to-metadata",
            post(|| async { Redirect::temporary("http://metadata.test/latest") }),
        )
        .route("/health", get(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (port, received)
}

/// An outbound client with the stand-in resolver, a short timeout and `allowed` networks.
fn outbound(allowed: &[&str], resolver: Arc<StandInResolver>) -> Outbound {
    Outbound::new(
        OutboundPolicy {
            allowed: allowed.iter().map(|n| n.parse().unwrap()).collect(),
        },
        resolver,
        Duration::from_millis(500),
        64 * 1024,
    )
}

/// The demo organization with a published campaign of one HTTP request task per path, the
/// app calling out through [`outbound`] with loopback allowed.
async fn checks_app(port: u16, paths: &[&str]) -> (TestApp, Org, Arc<StandInResolver>) {
    let (mut app, org) = TestApp::with_demo_org().await;
    let resolver = Arc::new(StandInResolver::default());
    app.set_outbound(outbound(&["127.0.0.1/32"], resolver.clone()));
    let tasks: Vec<Value> = paths
        .iter()
        .map(|path| {
            let url = if path.starts_with("http") {
                path.to_string()
            } else {
                format!("http://partner.test:{port}/{path}")
            };
            json!({"key": path.replace(['/', ':', '.'], "-"), "title": path, "points": 20,
                   "config": {"type": "http_request", "url": url, "secret": SECRET}})
        })
        .collect();
    let doc = json!({
        "slug": "checks",
        "title": "Checks",
        "status": "published",
        "groups": [{"key": "main", "title": "Main", "quests": [
            {"key": "trade", "title": "Trade", "tasks": tasks}
        ]}]
    });
    app.create_campaign(&org, doc).await;
    (app, org, resolver)
}

async fn check(app: &TestApp, token: &str, title: &str) -> Value {
    let answer = json!({"type": "http_request"});
    app.attempt_titled(CAMPAIGN, token, title, answer).await
}

#[tokio::test]
async fn a_yes_from_the_partner_completes_the_task_and_the_call_is_signed() {
    let (port, received) = partner().await;
    let (app, org, _) = checks_app(port, &["yes", "empty"]).await;
    let token = app.user_token(&org, "ann").await;
    let done = check(&app, &token, "yes").await;
    assert_eq!(done["outcome"], "completed", "{done}");
    assert_eq!(done["points_awarded"], 20);
    assert_eq!(check(&app, &token, "empty").await["outcome"], "completed");

    let (headers, body) = received.lock().unwrap()[0].clone();
    let header = |name: &str| headers[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "application/json");
    let id = header("webhook-id");
    let timestamp: i64 = header("webhook-timestamp").parse().unwrap();
    assert!(id.starts_with("msg_"));
    assert!((timestamp - questlet_server::time::now()).abs() < 60);
    let key = signature::secret_key(SECRET).unwrap();
    let [_, _, expected] = signature::headers(&[&key], &id, timestamp, &body);
    assert_eq!(header("webhook-signature"), expected.1);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["type"], "task.check");
    assert_eq!(
        body["data"],
        json!({"organization": "demo", "campaign": "checks", "quest": "trade",
               "task": "yes", "account": "ann", "platform": "web"})
    );
}

#[tokio::test]
async fn no_an_error_a_slow_or_a_huge_answer_fails_with_a_clear_message() {
    let (port, _) = partner().await;
    let paths = ["zero", "quoted-zero", "false", "error", "slow", "big"];
    let (app, org, _) = checks_app(port, &paths).await;
    let token = app.user_token(&org, "bo").await;
    for (path, reason) in [
        ("zero", NOT_YET),
        ("quoted-zero", NOT_YET),
        ("false", NOT_YET),
        ("error", NOT_YET),
        ("slow", TOO_SLOW),
        ("big", UNREACHABLE),
    ] {
        let failed = check(&app, &token, path).await;
        assert_eq!(failed["outcome"], "failed", "{path}: {failed}");
        assert_eq!(failed["reason"], reason, "{path}");
        assert_eq!(failed["points_awarded"], 0);
    }
}

#[tokio::test]
async fn loopback_is_refused_unless_the_operator_allows_it() {
    let (port, received) = partner().await;
    let (mut app, org, resolver) = checks_app(port, &["yes"]).await;
    let token = app.user_token(&org, "cy").await;
    // The same task under the default policy: partner.test resolves to 127.0.0.1.
    app.set_outbound(outbound(&[], resolver.clone()));
    let refused = check(&app, &token, "yes").await;
    assert_eq!(refused["outcome"], "failed");
    assert_eq!(refused["reason"], UNREACHABLE);
    assert!(
        received.lock().unwrap().is_empty(),
        "no request reached the partner"
    );
    assert!(resolver
        .asked
        .lock()
        .unwrap()
        .contains(&"partner.test".to_owned()));
}

#[tokio::test]
async fn private_and_link_local_addresses_are_refused_before_any_connection() {
    let (port, received) = partner().await;
    let resolver = Arc::new(StandInResolver::default());
    // Loopback is allowed here (the stand-in partner), so every refusal below is the
    // guard's decision about the other address, made before connecting.
    let client = outbound(&["127.0.0.1/32"], resolver.clone());
    let post = |url: String| {
        let client = client.clone();
        async move { client.post_json(&url, &[], b"{}".to_vec()).await }
    };
    for url in [
        "http://10.0.0.1/".to_owned(),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        "http://[fd00::1]/".to_owned(),
        "http://[::ffff:10.0.0.1]/".to_owned(),
    ] {
        let error = post(url.clone()).await.unwrap_err();
        assert!(
            matches!(error, OutboundError::Forbidden(_)),
            "{url}: {error}"
        );
    }
    assert!(
        resolver.asked.lock().unwrap().is_empty(),
        "literal addresses need no lookup"
    );
    // Names resolving to such addresses: the resolver's answer is refused.
    for host in ["internal.test", "metadata.test"] {
        let error = post(format!("http://{host}/")).await.unwrap_err();
        assert!(
            matches!(&error, OutboundError::Forbidden(h) if h == host),
            "{host}: {error}"
        );
    }
    // Redirects from the allowed partner to such addresses are refused too.
    for path in ["to-private", "to-metadata"] {
        let error = post(format!("http://partner.test:{port}/{path}"))
            .await
            .unwrap_err();
        assert!(
            matches!(error, OutboundError::Forbidden(_)),
            "{path}: {error}"
        );
    }
    assert_eq!(
        received.lock().unwrap().len(),
        0,
        "redirect handlers do not record"
    );
    // And the allowed partner answers.
    let answer = post(format!("http://partner.test:{port}/yes"))
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, b"true");
    // A URL that is not http(s) never goes out.
    assert!(matches!(
        post("file:///etc/passwd".into()).await.unwrap_err(),
        OutboundError::BadUrl
    ));
}

#[tokio::test]
async fn a_task_needs_an_http_url_and_a_standard_secret() {
    let (app, org) = TestApp::with_demo_org().await;
    for (config, field) in [
        (
            json!({"type": "http_request", "url": "ftp://x", "secret": SECRET}),
            "url",
        ),
        (
            json!({"type": "http_request", "url": "https://x.example", "secret": "hunter2"}),
            "secret",
        ),
        (
            json!({"type": "http_request", "url": "https://x.example", "secret": "whsec_c2hvcnQ="}),
            "secret",
        ),
    ] {
        let doc = json!({
            "slug": "bad-check", "title": "Bad", "status": "draft",
            "groups": [{"key": "g", "title": "G", "quests": [
                {"key": "q", "title": "Q", "tasks": [
                    {"key": "t", "title": "T", "points": 1, "config": config}
                ]}
            ]}]
        });
        let refused = app
            .json("POST", "/v1/campaigns", Some(&org.api_token), doc)
            .await;
        refused.assert_error(StatusCode::BAD_REQUEST, "invalid_request");
        assert!(
            refused.json["message"].as_str().unwrap().contains(field),
            "{}",
            refused.text
        );
    }
}
