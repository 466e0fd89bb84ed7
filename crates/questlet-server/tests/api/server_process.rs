//! The real `questlet-server` binary as a process of its own, for what only a process can
//! show: that an acknowledged completion survives `kill -9`, and how two server processes
//! share one database. Everything stays on 127.0.0.1, bounded in count and time.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::fresh_database_url;

const CAMPAIGN: &str = "/v1/widget/demo/campaigns/launch-week";

/// A running `questlet-server serve --demo`, killed (SIGKILL) when dropped.
struct ServerProcess {
    child: Child,
    url: String,
    api_token: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs the binary on `database_url`; `Err` with its output when it exits instead of
/// serving.
fn spawn(database_url: &str) -> Result<ServerProcess, String> {
    spawn_with(database_url, &[])
}

/// [`spawn`] with more arguments to `serve`.
fn spawn_with(database_url: &str, serve_args: &[&str]) -> Result<ServerProcess, String> {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_questlet-server"))
        .args(["--database-url", database_url])
        .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
        .args(serve_args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start questlet-server");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let api_token = lines.by_ref().map_while(Result::ok).find_map(|line| {
        line.split("Demo API token:")
            .nth(1)
            .map(|t| t.trim().to_owned())
    });
    let Some(api_token) = api_token else {
        let output = child.wait_with_output().unwrap();
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    };
    std::thread::spawn(move || lines.for_each(drop));
    Ok(ServerProcess {
        child,
        url: format!("http://127.0.0.1:{port}"),
        api_token,
    })
}

impl ServerProcess {
    async fn start(database_url: &str) -> Self {
        Self::start_with(database_url, &[]).await
    }

    /// [`ServerProcess::start`] with more arguments to `serve`.
    async fn start_with(database_url: &str, serve_args: &[&str]) -> Self {
        let server = spawn_with(database_url, serve_args).expect("the server starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while reqwest::get(format!("{}/readyz", server.url))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "the server never became ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    /// `kill -9`: no shutdown, no flush, nothing.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// `GET path` with the demo organization's API token, as JSON.
    async fn admin_get(&self, client: &reqwest::Client, path: &str) -> Value {
        let response = client
            .get(format!("{}{path}", self.url))
            .bearer_auth(&self.api_token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    async fn user_token(&self, client: &reqwest::Client, account: &str) -> String {
        let response = self
            .admin_get(client, &format!("/token?account={account}&platform=web"))
            .await;
        response["token"].as_str().unwrap().to_owned()
    }

    async fn campaign(&self, client: &reqwest::Client, token: Option<&str>) -> Value {
        let mut request = client.get(format!("{}{CAMPAIGN}", self.url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn secret_code_task(campaign: &Value) -> String {
    campaign["groups"][0]["quests"][0]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|task| task["kind"] == "secret_code")
        .expect("the demo has a secret-code task")["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn every_acknowledged_completion_survives_kill_9() {
    const USERS: usize = 400;
    const CLIENTS: usize = 16;
    const KILL_AFTER: usize = 120;
    let database_url = fresh_database_url().await;
    let mut server = ServerProcess::start(&database_url).await;
    let client = reqwest::Client::new();
    let task = secret_code_task(&server.campaign(&client, None).await);
    let mut tokens = Vec::new();
    for i in 0..USERS {
        tokens.push(server.user_token(&client, &format!("crash-{i}")).await);
    }
    let url = format!("{}{CAMPAIGN}/tasks/{task}/attempts", server.url);
    let tokens = Arc::new(tokens);
    let next = Arc::new(Mutex::new(0usize));
    let acknowledged = Arc::new(Mutex::new(Vec::<usize>::new()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (client, url, tokens, next, acknowledged) = (
                client.clone(),
                url.clone(),
                tokens.clone(),
                next.clone(),
                acknowledged.clone(),
            );
            tokio::spawn(async move {
                loop {
                    let user = {
                        let mut next = next.lock().unwrap();
                        *next += 1;
                        *next - 1
                    };
                    if user >= USERS {
                        return;
                    }
                    let answer = client
                        .post(&url)
                        .bearer_auth(&tokens[user])
                        .json(&json!({"answer": {"type": "secret_code", "code": "LAUNCH-2026"}}))
                        .timeout(Duration::from_secs(10))
                        .send()
                        .await;
                    // Only a whole 200 answer saying "completed" is an acknowledgment.
                    let Ok(answer) = answer else { return };
                    if answer.status() != 200 {
                        return;
                    }
                    let Ok(body) = answer.json::<Value>().await else {
                        return;
                    };
                    assert_eq!(body["outcome"], "completed", "{body}");
                    acknowledged.lock().unwrap().push(user);
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < KILL_AFTER {
        assert!(Instant::now() < deadline, "the load never got going");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    server.kill();
    for client in clients {
        client.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let sent = (*next.lock().unwrap()).min(USERS);
    assert!(
        acknowledged.len() < sent,
        "the kill came mid-load: {} acknowledged of {sent} sent",
        acknowledged.len()
    );

    let restarted = ServerProcess::start(&database_url).await;
    let mut missing = Vec::new();
    for &user in &acknowledged {
        let view = restarted.campaign(&client, Some(&tokens[user])).await;
        if view["user"]["completed_task_ids"].as_array().map(Vec::len) != Some(1) {
            missing.push(user);
        }
    }
    assert!(
        missing.is_empty(),
        "acknowledged completions lost by kill -9: {missing:?} (of {})",
        acknowledged.len()
    );
}

#[tokio::test]
async fn a_second_server_on_one_sqlite_file_is_refused_and_postgres_servers_share_edits() {
    let database_url = fresh_database_url().await;
    let first = ServerProcess::start(&database_url).await;
    if database_url.starts_with("sqlite") {
        // This server trusts that it sees every edit (it caches without asking the
        // database), so a second one on the same file must not start.
        let refused = spawn(&database_url)
            .err()
            .expect("the second server is refused");
        assert!(
            refused.contains("another questlet-server is serving this SQLite database"),
            "{refused}"
        );
        return;
    }
    let second = ServerProcess::start(&database_url).await;
    let client = reqwest::Client::new();
    for server in [&first, &second] {
        let view = server.campaign(&client, None).await;
        assert_eq!(view["campaign"]["title"], "Questlet Launch Week");
    }
    // Edit through the first process; the very next call on the second sees it.
    let mut document = first.admin_get(&client, "/v1/campaigns/launch-week").await;
    document["title"] = json!("Renamed through the first process");
    let saved = client
        .put(format!("{}/v1/campaigns/launch-week", first.url))
        .bearer_auth(&first.api_token)
        .json(&document)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let view = second.campaign(&client, None).await;
    assert_eq!(
        view["campaign"]["title"],
        "Renamed through the first process"
    );
}

#[tokio::test]
async fn webhook_events_waiting_when_the_server_is_killed_are_delivered_after_a_restart() {
    const USERS: usize = 30;
    let database_url = fresh_database_url().await;
    let args = [
        "--outbound-allow",
        "127.0.0.1/32",
        "--webhook-retry-base-secs",
        "1",
    ];
    let mut server = ServerProcess::start_with(&database_url, &args).await;
    let client = reqwest::Client::new();
    let receiver = crate::webhooks::Receiver::start();
    let created: Value = client
        .post(format!("{}/v1/webhooks", server.url))
        .bearer_auth(&server.api_token)
        .json(&json!({"url": receiver.url, "scopes": ["task.completed"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = created["secret"].as_str().unwrap();
    // A receiver that is down (503) while the backlog builds.
    receiver.set(secret, 1_000, 503, None).await;
    let task = secret_code_task(&server.campaign(&client, None).await);
    let url = format!("{}{CAMPAIGN}/tasks/{task}/attempts", server.url);
    for i in 0..USERS {
        let token = server.user_token(&client, &format!("hook-{i}")).await;
        let answer: Value = client
            .post(&url)
            .bearer_auth(&token)
            .json(&json!({"answer": {"type": "secret_code", "code": "LAUNCH-2026"}}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(answer["outcome"], "completed", "{answer}");
    }
    receiver
        .wait_for(30, |r| r["events"].as_object().unwrap().len() == USERS)
        .await;
    server.kill();
    receiver.set(secret, 0, 200, None).await;
    let _server = ServerProcess::start_with(&database_url, &args).await;
    let received = receiver
        .wait_for(75, |r| {
            let events = r["events"].as_object().unwrap();
            events.len() == USERS && events.values().all(|e| e["accepted"] == 1)
        })
        .await;
    let mut accounts: Vec<String> = received["events"]
        .as_object()
        .unwrap()
        .values()
        .map(|e| e["data"]["user"]["account"].as_str().unwrap().to_owned())
        .collect();
    accounts.sort();
    let mut expected: Vec<String> = (0..USERS).map(|i| format!("hook-{i}")).collect();
    expected.sort();
    assert_eq!(accounts, expected);
    assert_eq!(received["unverified"], 0);
}

#[tokio::test]
async fn console_sign_ins_from_one_address_are_rate_limited_whatever_the_email() {
    let server = ServerProcess::start(&fresh_database_url().await).await;
    let client = reqwest::Client::new();
    let sign_in = |n: u32| {
        client
            .post(format!("{}/v1/session", server.url))
            .json(&json!({"email": format!("guess-{n}@example.com"), "password": "a guessed password"}))
            .send()
    };
    // One address spraying a password over many emails: each email fails once only.
    for n in 0..5 {
        assert_eq!(sign_in(n).await.unwrap().status(), 401);
    }
    let limited = sign_in(5).await.unwrap();
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
}
