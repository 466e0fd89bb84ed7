//! HTTP request tasks against a partner written with the Standard Webhooks reference
//! library (Python's `standardwebhooks`, `fixtures/partner_check.py`): it verifies the
//! server's signatures itself, on 127.0.0.1.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};

use questlet_e2e::fixtures::required_env;
use questlet_e2e::fixtures::server::QuestletServer;
use serde_json::{json, Value};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_SECRET: &str = "whsec_b3RoZXItc2VjcmV0LW9mLXRoZS1wYXJ0bmVy";

/// The Python partner, killed when dropped.
struct Partner(Child, u16);

impl Drop for Partner {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

fn partner() -> Partner {
    let mut child = Command::new(required_env("QUESTLET_PYTHON"))
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/partner_check.py"
        ))
        .arg(SECRET)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the Python partner");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().parse().expect("the partner prints its port");
    Partner(child, port)
}

#[tokio::test]
async fn a_standard_webhooks_partner_verifies_the_calls_and_decides_the_task() {
    let server = QuestletServer::start().await;
    let partner = partner();
    let http = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{}/check", partner.1);
    let task = |key: &str, secret: &str| {
        json!({"key": key, "title": key, "points": 20,
               "config": {"type": "http_request", "url": url, "secret": secret}})
    };
    let doc = json!({
        "slug": "interop", "title": "Interop", "status": "published",
        "groups": [{"key": "g", "title": "G", "quests": [
            {"key": "q", "title": "Q", "tasks": [task("signed", SECRET), task("forged", OTHER_SECRET)]}
        ]}]
    });
    let created = http
        .post(format!("{}/v1/campaigns", server.url))
        .bearer_auth(&server.demo_api_token)
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let campaign: Value = http
        .get(format!("{}/v1/widget/demo/campaigns/interop", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = |n: usize| {
        campaign["groups"][0]["quests"][0]["tasks"][n]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let attempt = |account: &'static str, task: String| {
        let (http, server) = (http.clone(), &server);
        async move {
            let token = server.demo_user_token(account).await;
            let answer: Value = http
                .post(format!(
                    "{}/v1/widget/demo/campaigns/interop/tasks/{task}/attempts",
                    server.url
                ))
                .bearer_auth(token)
                .json(&json!({"answer": {"type": "http_request"}}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            answer
        }
    };
    // The partner verified the signature and said yes.
    let yes = attempt("yes-ann", id(0)).await;
    assert_eq!(yes["outcome"], "completed", "{yes}");
    // It verified it and said no (`0`).
    let no = attempt("no-bo", id(0)).await;
    assert_eq!(no["outcome"], "failed", "{no}");
    // A call signed with another secret fails the partner's verification (401).
    let forged = attempt("yes-cy", id(1)).await;
    assert_eq!(forged["outcome"], "failed", "{forged}");
}
