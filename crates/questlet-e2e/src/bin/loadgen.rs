//! The server benchmark behind `cargo xtask bench`: starts `questlet-server` (fresh SQLite,
//! demo campaign) and the bare axum baseline, drives each with concurrent keep-alive clients,
//! and prints requests/s and p50/p99 latency per scenario, with ratios to the baseline.
//!
//! Usage: `loadgen <questlet-server binary> <bare_axum binary>`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use questlet_e2e::fixtures::free_port;
use serde_json::{json, Value};

/// Concurrent clients per scenario.
const CONCURRENCY: usize = 16;
/// Requests per read scenario.
const READS: usize = 4000;
/// Task completions (each by a different user, so each is a real completion).
const COMPLETIONS: usize = 1500;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a process and returns it with the first stdout line containing `marker`.
fn spawn_until(command: &mut Command, marker: &str) -> (Killed, Vec<String>) {
    let mut child = command.stdout(Stdio::piped()).spawn().expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read stdout");
        let done = line.contains(marker);
        lines.push(line);
        if done {
            break;
        }
    }
    (Killed(child), lines)
}

struct Outcome {
    rps: f64,
    p50: Duration,
    p99: Duration,
}

/// Runs `requests` through `CONCURRENCY` workers; each request must succeed.
async fn run<F, Fut>(requests: usize, make: F) -> Outcome
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let make = Arc::new(make);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (make, next) = (make.clone(), next.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= requests {
                        return latencies;
                    }
                    let t = Instant::now();
                    make(i).await;
                    latencies.push(t.elapsed());
                }
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(requests);
    for worker in workers {
        latencies.extend(worker.await.expect("worker"));
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    Outcome {
        rps: requests as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (server_bin, bare_bin) = (
        args.next().expect("server binary"),
        args.next().expect("bare_axum binary"),
    );
    let db = std::env::temp_dir().join(format!("questlet-bench-{}.db", std::process::id()));
    let port = free_port();
    let (_server, lines) = spawn_until(
        Command::new(&server_bin)
            .args(["--database-url", &format!("sqlite://{}", db.display())])
            .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "warn"),
        "Demo OAuth2 client_secret",
    );
    let api_token = lines
        .iter()
        .find_map(|l| l.split("Demo API token:").nth(1))
        .expect("the demo API token")
        .trim()
        .to_owned();
    let base = format!("http://127.0.0.1:{port}");
    let (_bare, lines) = spawn_until(Command::new(&bare_bin).arg("127.0.0.1:0"), "listening");
    let bare = format!(
        "http://{}",
        lines.last().unwrap().trim_start_matches("listening ")
    );

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .unwrap();
    let token_for = |i: usize| {
        let (client, base, api_token) = (client.clone(), base.clone(), api_token.clone());
        async move {
            let r: Value = client
                .get(format!("{base}/token?account=bench-{i}&platform=web"))
                .bearer_auth(api_token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            r["token"].as_str().unwrap().to_owned()
        }
    };
    let reader_token = token_for(usize::MAX).await;
    let campaign: Value = client
        .get(format!("{base}/v1/widget/demo/campaigns/launch-week"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code_task = campaign["groups"][0]["quests"][0]["tasks"][1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut tokens = Vec::with_capacity(COMPLETIONS);
    for i in 0..COMPLETIONS {
        tokens.push(token_for(i).await);
    }
    let tokens = Arc::new(tokens);

    let get = |url: String, token: Option<String>| {
        let client = client.clone();
        move |_| {
            let (client, url, token) = (client.clone(), url.clone(), token.clone());
            async move {
                let mut request = client.get(&url);
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                let response = request.send().await.unwrap();
                assert!(response.status().is_success());
                response.bytes().await.unwrap();
            }
        }
    };
    // Warm up connections and caches.
    run(500, get(format!("{bare}/hello"), None)).await;
    run(
        200,
        get(format!("{base}/v1/widget/demo/campaigns/launch-week"), None),
    )
    .await;

    let baseline = run(READS, get(format!("{bare}/hello"), None)).await;
    let campaign_anonymous = run(
        READS,
        get(format!("{base}/v1/widget/demo/campaigns/launch-week"), None),
    )
    .await;
    let campaign_user = run(
        READS,
        get(
            format!("{base}/v1/widget/demo/campaigns/launch-week"),
            Some(reader_token),
        ),
    )
    .await;
    let attempts_url =
        format!("{base}/v1/widget/demo/campaigns/launch-week/tasks/{code_task}/attempts");
    let completion = {
        let client = client.clone();
        run(COMPLETIONS, move |i| {
            let (client, url, token) = (client.clone(), attempts_url.clone(), tokens[i].clone());
            async move {
                let response: Value = client
                    .post(&url)
                    .bearer_auth(token)
                    .json(&json!({"answer": {"type": "secret_code", "code": "LAUNCH-2026"}}))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                assert_eq!(response["outcome"], "completed", "{response}");
            }
        })
        .await
    };

    println!("server on SQLite, {CONCURRENCY} concurrent keep-alive clients, client and server on this machine");
    println!(
        "{:<42} {:>10} {:>9} {:>9} {:>11} {:>10} {:>10}",
        "scenario", "req/s", "p50 ms", "p99 ms", "req/s ratio", "p50 ratio", "p99 ratio"
    );
    for (name, outcome) in [
        ("bare axum JSON handler (baseline)", &baseline),
        ("widget campaign call, anonymous", &campaign_anonymous),
        ("widget campaign call, with user token", &campaign_user),
        ("task completion (secret code, new user)", &completion),
    ] {
        println!(
            "{name:<42} {:>10.0} {:>9.2} {:>9.2} {:>11.3} {:>10.1} {:>10.1}",
            outcome.rps,
            ms(outcome.p50),
            ms(outcome.p99),
            outcome.rps / baseline.rps,
            ms(outcome.p50) / ms(baseline.p50),
            ms(outcome.p99) / ms(baseline.p99),
        );
    }
    let _ = std::fs::remove_file(&db);
}
