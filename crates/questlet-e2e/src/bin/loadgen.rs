//! The server benchmark behind `cargo xtask bench`: starts the bare axum baseline and
//! `questlet-server` (on a fresh SQLite file, then on a fresh PostgreSQL database when a
//! PostgreSQL server is given), drives each with concurrent keep-alive clients, and prints
//! one table: requests/s and p50/p99 latency per scenario, with ratios to the baseline
//! measured in the same run.
//!
//! Scenarios, on the small demo campaign and on a large one (200 quests, 1,000 tasks, in a
//! database of `QUESTLET_BENCH_USERS` users, 1,000,000 by default, with 10 completions each):
//! the widget's campaign call anonymous, with a user token, and revalidated (`If-None-Match`
//! → 304), and task completions; on the demo campaign also task completions with three
//! webhook endpoints subscribed, and the deliveries per second to a local receiver. The large data is written with bulk SQL behind the
//! server's back, as tests do with raw pools: only users and completions the server has
//! never read, so no cache of it can be stale.
//!
//! Usage: `loadgen <questlet-server binary> <bare_axum binary> [<postgres admin URL>]`.
//! `QUESTLET_BENCH_BACKENDS=postgres` (or `sqlite`) measures one backend;
//! `QUESTLET_BENCH_USERS` sets the large database's size; `QUESTLET_BENCH_SEEDED=<database>`
//! runs the large campaign's scenarios on a copy of a database an earlier run seeded.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use questlet_e2e::fixtures::campaigns::{large_campaign, LARGE_TASKS};
use questlet_e2e::fixtures::free_port;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sqlx::{AnyPool, Executor};

/// Concurrent clients per scenario.
const CONCURRENCY: usize = 16;
/// Requests per read scenario: about a second at this machine's rates (a few hundred
/// milliseconds, as 4,000 took, swung the same build's figures by a quarter between runs).
const READS: usize = 20_000;
/// Task completions per scenario (each by a user completing a task for the first time):
/// a few seconds of load, so the phase is not its own warm-up.
const COMPLETIONS: usize = 15_000;
/// Completions per bulk user.
const COMPLETIONS_PER_USER: usize = 10;

/// Leaderboard reads of each kind per scenario.
const LEADERBOARD_READS: usize = 3_000;

/// Clients reading the leaderboard at once: its figures are each read's latency (the goal
/// is a per-read bound), not the throughput of a saturated machine.
const LEADERBOARD_CLIENTS: usize = 2;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a process and returns it with its stdout lines up to the first containing `marker`.
fn spawn_until(command: &mut Command, marker: &str) -> (Killed, Vec<String>) {
    let mut child = command.stdout(Stdio::piped()).spawn().expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    let mut reader = BufReader::new(stdout).lines();
    for line in reader.by_ref() {
        let line = line.expect("read stdout");
        let done = line.contains(marker);
        lines.push(line);
        if done {
            break;
        }
    }
    std::thread::spawn(move || reader.for_each(drop));
    (Killed(child), lines)
}

#[derive(Clone, Copy)]
struct Outcome {
    rps: f64,
    p50: Duration,
    p99: Duration,
}

/// Deliveries a receiver counted, and when the latest arrived.
type Counted = Arc<std::sync::Mutex<(usize, Option<Instant>)>>;

/// A webhook receiver on 127.0.0.1 that answers 200 at once and counts what it gets.
struct WebhookReceiver {
    url: String,
    received: Counted,
}

impl WebhookReceiver {
    async fn start() -> Self {
        let received: Counted = Arc::default();
        let counted = received.clone();
        let app = axum::Router::new().route(
            "/hooks",
            axum::routing::post(move || {
                let counted = counted.clone();
                async move {
                    let mut counted = counted.lock().unwrap();
                    counted.0 += 1;
                    counted.1 = Some(Instant::now());
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            url: format!("http://127.0.0.1:{port}/hooks"),
            received,
        }
    }

    /// Waits until `count` deliveries have arrived (at most five minutes); answers their
    /// rate from the start of `since` to the latest.
    async fn rate_of(&self, count: usize, since: Instant) -> f64 {
        let deadline = Instant::now() + Duration::from_secs(300);
        loop {
            let (received, latest) = *self.received.lock().unwrap();
            if received >= count {
                let span = latest.unwrap().duration_since(since);
                return received as f64 / span.as_secs_f64();
            }
            assert!(
                Instant::now() < deadline,
                "only {received} of {count} webhook deliveries arrived"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Runs `requests` through `CONCURRENCY` workers; each request must succeed.
async fn run<F, Fut>(requests: usize, make: F) -> Outcome
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    run_with(CONCURRENCY, requests, make).await
}

/// [`run`] through `clients` workers.
async fn run_with<F, Fut>(clients: usize, requests: usize, make: F) -> Outcome
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let make = Arc::new(make);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
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
    Outcome::of(latencies, started.elapsed())
}

impl Outcome {
    /// The outcome of requests that took `latencies`, all of them within `elapsed`.
    fn of(mut latencies: Vec<Duration>, elapsed: Duration) -> Self {
        latencies.sort();
        let at =
            |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
        Outcome {
            rps: latencies.len() as f64 / elapsed.as_secs_f64(),
            p50: at(0.50),
            p99: at(0.99),
        }
    }
}

/// The attempt of `task` (on the widget API campaign at `url`) by the user of `token`.
fn attempt(
    client: &Client,
    url: &str,
    task: &str,
    token: &str,
    answer: &Value,
) -> reqwest::RequestBuilder {
    client
        .post(format!("{url}/tasks/{task}/attempts"))
        .bearer_auth(token)
        .json(&json!({ "answer": answer }))
}

/// Sends an attempt, which must complete its task.
async fn completed(request: reqwest::RequestBuilder) {
    let response: Value = request.send().await.unwrap().json().await.unwrap();
    assert_eq!(response["outcome"], "completed", "{response}");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `Accept-Encoding` headless Chromium sends (on loopback too), sent by every read.
const BROWSER_ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// A GET scenario: `url` as a browser asks for it (see [`BROWSER_ACCEPT_ENCODING`]) with
/// an optional token and `If-None-Match`, expecting `status`.
fn get(
    client: &Client,
    url: String,
    token: Option<String>,
    if_none_match: Option<String>,
    status: StatusCode,
) -> impl Fn(usize) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>
       + Send
       + Sync
       + 'static {
    let client = client.clone();
    move |_| {
        let mut request = client
            .get(&url)
            .header("Accept-Encoding", BROWSER_ACCEPT_ENCODING);
        if let Some(token) = &token {
            request = request.bearer_auth(token);
        }
        if let Some(tag) = &if_none_match {
            request = request.header("If-None-Match", tag);
        }
        Box::pin(async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), status);
            response.bytes().await.unwrap();
        })
    }
}

/// A running server with what the scenarios need of it.
struct Server {
    process: Killed,
    bin: String,
    database_url: String,
    base: String,
    api_token: String,
    client: Client,
}

impl Server {
    fn start(server_bin: &str, database_url: &str) -> Self {
        let port = free_port();
        let (process, lines) = spawn_until(
            Command::new(server_bin)
                .args(["--database-url", database_url])
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
        Self {
            process,
            bin: server_bin.to_owned(),
            database_url: database_url.to_owned(),
            base: format!("http://127.0.0.1:{port}"),
            api_token,
            client: Client::builder()
                .pool_max_idle_per_host(CONCURRENCY)
                .build()
                .unwrap(),
        }
    }

    async fn token_for(&self, account: &str) -> String {
        let r: Value = self
            .client
            .get(format!(
                "{}/token?account={account}&platform=web",
                self.base
            ))
            .bearer_auth(&self.api_token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["token"].as_str().unwrap().to_owned()
    }

    async fn tokens(&self, accounts: impl Iterator<Item = String>) -> Vec<String> {
        let mut tokens = Vec::new();
        for account in accounts {
            tokens.push(self.token_for(&account).await);
        }
        tokens
    }

    fn campaign_url(&self, slug: &str) -> String {
        format!("{}/v1/widget/demo/campaigns/{slug}", self.base)
    }

    /// The campaign's JSON and ETag, anonymously.
    async fn campaign(&self, slug: &str) -> (Value, String) {
        let response = self
            .client
            .get(self.campaign_url(slug))
            .send()
            .await
            .unwrap();
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        (response.json().await.unwrap(), etag)
    }

    /// The read scenarios on campaign `slug`, read as anonymous and as `reader`.
    async fn reads(&self, slug: &str, reader: String) -> [(String, Outcome); 4] {
        let url = self.campaign_url(slug);
        let etag_for = |token: Option<&str>| {
            let mut request = self
                .client
                .get(&url)
                .header("Accept-Encoding", BROWSER_ACCEPT_ENCODING);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            async move {
                let response = request.send().await.unwrap();
                response.headers()["etag"].to_str().unwrap().to_owned()
            }
        };
        let etag = etag_for(None).await;
        let user_etag = etag_for(Some(&reader)).await;
        // Warm up connections and caches.
        run(
            200,
            get(&self.client, url.clone(), None, None, StatusCode::OK),
        )
        .await;
        let anonymous = run(
            READS,
            get(&self.client, url.clone(), None, None, StatusCode::OK),
        )
        .await;
        let revalidated = run(
            READS,
            get(
                &self.client,
                url.clone(),
                None,
                Some(etag),
                StatusCode::NOT_MODIFIED,
            ),
        )
        .await;
        let with_user = run(
            READS,
            get(
                &self.client,
                url.clone(),
                Some(reader.clone()),
                None,
                StatusCode::OK,
            ),
        )
        .await;
        let user_revalidated = run(
            READS,
            get(
                &self.client,
                url,
                Some(reader),
                Some(user_etag),
                StatusCode::NOT_MODIFIED,
            ),
        )
        .await;
        [
            ("campaign call, anonymous".into(), anonymous),
            ("campaign call, with user token".into(), with_user),
            ("campaign call, 304 revalidation".into(), revalidated),
            ("campaign call, user token, 304".into(), user_revalidated),
        ]
    }

    /// The values of the server's metrics `names` (from `/metrics`; 0 for one not there).
    async fn metrics<const N: usize>(&self, names: [&str; N]) -> [f64; N] {
        let metrics = self
            .client
            .get(format!("{}/metrics", self.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        names.map(|name| {
            metrics
                .lines()
                .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
                .unwrap_or(0.0)
        })
    }

    /// The mean size of the attempt writer's batches so far.
    async fn mean_batch_size(&self) -> f64 {
        let [sum, count] = self
            .metrics([
                "questlet_attempt_batch_size_sum",
                "questlet_attempt_batch_size_count",
            ])
            .await;
        sum / count.max(1.0)
    }

    /// What the server says of the boards it holds in memory: places answered from memory
    /// and from the database, rows held, how long loading took, and its resident memory
    /// (MB).
    async fn boards_held(&self) -> String {
        let [memory, database, rows, loading] = self
            .metrics([
                "questlet_leaderboard_places_total{from=\"memory\"}",
                "questlet_leaderboard_places_total{from=\"database\"}",
                "questlet_leaderboard_rows_held",
                "questlet_leaderboard_load_seconds_sum",
            ])
            .await;
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.process.0.id()));
        let resident = status
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|l| l.starts_with("VmRSS:"))?.to_owned();
                line.split_whitespace().nth(1)?.parse::<f64>().ok()
            })
            .map_or("?".to_owned(), |kb| format!("{:.0}", kb / 1024.0));
        format!(
            "places from memory {memory:.0}, from the database {database:.0}; \
             {rows:.0} rows held, read in {loading:.1} s; server resident memory {resident} MB"
        )
    }

    /// [`leaderboard_reads`] of this server on a thread of its own, with its own runtime
    /// and client: a read's latency is then the server's, not time spent queued behind the
    /// completion clients' tasks in this process.
    async fn leaderboard_reads(&self, users: usize) -> (Outcome, Outcome) {
        let (base, token) = (self.base.clone(), self.api_token.clone());
        tokio::task::spawn_blocking(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(leaderboard_reads(base, token, users))
        })
        .await
        .unwrap()
    }

    /// Registers a webhook endpoint at `url` for completed tasks.
    async fn subscribe(&self, url: &str) {
        let created = self
            .client
            .post(format!("{}/v1/webhooks", self.base))
            .bearer_auth(&self.api_token)
            .json(&json!({"url": url, "scopes": ["task.completed"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::CREATED);
    }

    /// Completions: attempt `i` is by `tokens[i]` on `tasks[i]`, each a first completion.
    async fn completions(
        &self,
        slug: &str,
        tokens: Vec<String>,
        tasks: Vec<String>,
        answer: Value,
    ) -> Outcome {
        let (client, url) = (self.client.clone(), self.campaign_url(slug));
        println!("  {} task completions on {slug}", tokens.len());
        let (tokens, tasks) = (Arc::new(tokens), Arc::new(tasks));
        run(tokens.len(), move |i| {
            completed(attempt(&client, &url, &tasks[i], &tokens[i], &answer))
        })
        .await
    }

    /// Completions as [`Server::completions`], but open loop at `rate` a second (each sent
    /// on time whether or not the earlier ones have answered) while `during` runs, or until
    /// the users run out. Answers their outcome, `during`'s, and whether they outlasted it.
    async fn paced_completions<T>(
        &self,
        slug: &str,
        tokens: Vec<String>,
        tasks: Vec<String>,
        answer: Value,
        rate: f64,
        during: impl std::future::Future<Output = T>,
    ) -> (Outcome, T, bool) {
        let url = self.campaign_url(slug);
        println!("  task completions on {slug} at {rate:.0}/s while the leaderboard is read");
        let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
        let mut sent = tokio::task::JoinSet::new();
        let started = Instant::now();
        tokio::pin!(during);
        let (read, outlasted) = loop {
            if sent.len() == tokens.len() {
                break ((&mut during).await, false);
            }
            tokio::select! {
                read = &mut during => break (read, true),
                _ = ticks.tick() => {
                    let i = sent.len();
                    let request = attempt(&self.client, &url, &tasks[i], &tokens[i], &answer);
                    sent.spawn(async move {
                        let t = Instant::now();
                        completed(request).await;
                        t.elapsed()
                    });
                }
            }
        };
        let latencies = sent.join_all().await;
        (Outcome::of(latencies, started.elapsed()), read, outlasted)
    }
}

/// The large campaign's all-time leaderboard through the admin API of the server at
/// `base`: its top 100, and the own place (with two neighbours each side) of bulk users
/// spread over the board, each [`LEADERBOARD_READS`] times by [`LEADERBOARD_CLIENTS`]
/// clients.
async fn leaderboard_reads(base: String, api_token: String, users: usize) -> (Outcome, Outcome) {
    let client = Client::new();
    let url = format!("{base}/v1/campaigns/large/leaderboard");
    let top = run_with(
        LEADERBOARD_CLIENTS,
        LEADERBOARD_READS,
        get(
            &client,
            format!("{url}?limit=100"),
            Some(api_token.clone()),
            None,
            StatusCode::OK,
        ),
    )
    .await;
    let place = run_with(LEADERBOARD_CLIENTS, LEADERBOARD_READS, move |i| {
        let account = format!("bulk-{}", (i * 7919) % users);
        let request = client
            .get(format!(
                "{url}?limit=1&account={account}&platform=web&around=2"
            ))
            .bearer_auth(&api_token);
        async move {
            let board: Value = request.send().await.unwrap().json().await.unwrap();
            assert!(board["me"]["place"].as_i64().is_some(), "{board}");
        }
    })
    .await;
    (top, place)
}

/// When the bulk completions start, Unix seconds, and over how many seconds they spread.
const SEED_START: i64 = 1_700_000_000;
const SEED_SPAN: i64 = 30 * 86_400;

/// Creates the large campaign through the API and fills the database with `users` bulk
/// users (`bulk-<i>`) with [`COMPLETIONS_PER_USER`] completions each (5 to 20 points, over
/// 30 days: scores and times as varied as a real board's), then builds its leaderboard
/// from them (`questlet-server leaderboard rebuild`). Answers the campaign's
/// task ids in the order the bulk completions number them.
async fn seed_large(server: &Server, pool: &AnyPool, postgres: bool, users: usize) -> Vec<String> {
    let created = server
        .client
        .post(format!("{}/v1/campaigns", server.base))
        .bearer_auth(&server.api_token)
        .json(&large_campaign())
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.status(),
        StatusCode::CREATED,
        "{}",
        created.text().await.unwrap()
    );
    let (organization,): (String,) =
        sqlx::query_as("SELECT id FROM organizations WHERE slug = 'demo'")
            .fetch_one(pool)
            .await
            .unwrap();
    let tasks = large_tasks(pool).await;
    let started = Instant::now();
    let mut conn = pool.acquire().await.unwrap();
    // Task n of the campaign, for the bulk completions below: user i has tasks
    // (7 i + 97 j) mod 1000 for j < 10, all distinct.
    conn.execute("CREATE TEMP TABLE bench_tasks (n BIGINT PRIMARY KEY, id TEXT NOT NULL)")
        .await
        .unwrap();
    for (n, id) in tasks.iter().enumerate() {
        sqlx::query("INSERT INTO bench_tasks (n, id) VALUES ($1, $2)")
            .bind(n as i64)
            .bind(id)
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    let last = users - 1;
    let per_user = COMPLETIONS_PER_USER - 1;
    let (numbers, offsets) = if postgres {
        // Bulk rows need no foreign-key triggers: every id below exists.
        conn.execute("SET session_replication_role = replica")
            .await
            .unwrap();
        (
            format!("generate_series(0, {last}) AS n(i)"),
            format!("generate_series(0, {per_user}) AS k(j)"),
        )
    } else {
        (
            format!("(WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < {last}) SELECT i FROM r) AS n"),
            format!("(WITH RECURSIVE r(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM r WHERE j < {per_user}) SELECT j FROM r) AS k"),
        )
    };
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
         SELECT 'bulk' || n.i, b.id, 0, 5 + (CAST(n.i AS BIGINT) * 31 + k.j * 17) % 16, NULL,
                {SEED_START} + (CAST(n.i AS BIGINT) * 7919 + k.j * 104729) % {SEED_SPAN}
         FROM {numbers} CROSS JOIN {offsets}
         JOIN bench_tasks b ON b.n = (n.i * 7 + k.j * 97) % {LARGE_TASKS}"
    ))
    .execute(&mut *conn)
    .await
    .unwrap();
    conn.execute("DROP TABLE bench_tasks").await.unwrap();
    // The board of that history, before the statistics are taken.
    let rebuilt = Command::new(&server.bin)
        .args([
            "--database-url",
            &server.database_url,
            "leaderboard",
            "rebuild",
        ])
        .env("RUST_LOG", "warn")
        .status()
        .unwrap();
    assert!(rebuilt.success(), "leaderboard rebuild");
    // Finish the seed's own work before measuring: statistics, and the checkpoint of the
    // gigabytes it logged, which would otherwise land on the first commits measured. On
    // PostgreSQL also the vacuum that autovacuum would otherwise run over the ten million
    // fresh rows while the first scenarios are measured, which also marks their pages
    // all-visible for index-only scans, as on a database in service.
    if postgres {
        conn.execute("SET session_replication_role = origin")
            .await
            .unwrap();
        conn.execute("VACUUM (ANALYZE)").await.unwrap();
        conn.execute("CHECKPOINT").await.unwrap();
    } else {
        conn.execute("ANALYZE").await.unwrap();
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .unwrap();
    }
    println!(
        "  seeded {users} users and {} completions in {:.0} s",
        users * COMPLETIONS_PER_USER,
        started.elapsed().as_secs_f64()
    );
    tasks
}

/// Every scenario on one backend; `database_url` is fresh, or with `seeded` a copy of a
/// database an earlier run seeded (then only the large campaign's scenarios run).
async fn scenarios(
    server_bin: &str,
    backend: &str,
    database_url: &str,
    users: usize,
    seeded: bool,
) -> Vec<(String, Outcome)> {
    let server = Server::start(server_bin, database_url);
    let pool = AnyPool::connect(database_url).await.unwrap();
    let (mut rows, _receiver) = if seeded {
        // The earlier run's webhook endpoints, pointed at this run's receiver.
        let receiver = WebhookReceiver::start().await;
        sqlx::query("UPDATE webhook_endpoints SET url = $1")
            .bind(&receiver.url)
            .execute(&pool)
            .await
            .unwrap();
        (Vec::new(), receiver)
    } else {
        demo_scenarios(&server, backend).await
    };
    println!("{backend}: large campaign, {users} users");
    let tasks = if seeded {
        large_tasks(&pool).await
    } else {
        seed_large(&server, &pool, backend == "PostgreSQL", users).await
    };
    pool.close().await;
    // A copy of a seeded database holds the deliveries its run left queued.
    outbox_drained(database_url).await;
    let reader = server.token_for("bulk-5").await;
    for (name, outcome) in server.reads("large", reader).await {
        rows.push((format!("{backend}, large: {name}"), outcome));
    }
    // Bulk users each complete a task they have not: (7 i + 970) mod 1000 is none of theirs.
    let completers = COMPLETIONS.min(users);
    // On a copy of a seeded database, users the earlier run left as seeded: from the end.
    let first = if seeded {
        users.saturating_sub(2 * completers)
    } else {
        0
    };
    let tokens = server
        .tokens((first..first + completers).map(|i| format!("bulk-{i}")))
        .await;
    let targets = (first..first + completers)
        .map(|i| tasks[(i * 7 + 970) % LARGE_TASKS].clone())
        .collect();
    // The first places read load the board into memory (meanwhile the database counts
    // them): measured on their own, then the same reads again.
    let (_, cold) = server.leaderboard_reads(users).await;
    rows.push((
        format!("{backend}, large: leaderboard own place, first reads (board loading)"),
        cold,
    ));
    println!("  after the first reads: {}", server.boards_held().await);
    let (top, place) = server.leaderboard_reads(users).await;
    rows.push((format!("{backend}, large: leaderboard top 100"), top));
    rows.push((format!("{backend}, large: leaderboard own place"), place));
    // The same reads while the bulk users complete tasks.
    let completions_started = Instant::now();
    let (completion, (top, place)) = tokio::join!(
        server.completions("large", tokens, targets, json!({"type": "visit_link"})),
        server.leaderboard_reads(users),
    );
    rows.push((
        format!("{backend}, large: task completion (bulk user)"),
        completion,
    ));
    rows.push((
        format!("{backend}, large: leaderboard top 100, completions running"),
        top,
    ));
    rows.push((
        format!("{backend}, large: leaderboard own place, completions running"),
        place,
    ));
    // Those completions queued three webhook deliveries each (the demo's endpoints), sent
    // after them: the rate this machine sustains is the completions' count over the time
    // until the last of their deliveries is sent.
    outbox_drained(database_url).await;
    let sustained = completers as f64 / completions_started.elapsed().as_secs_f64();
    println!("  sustained: {sustained:.0} completions/s, their webhook deliveries included");
    // Again with the completions offered at half that rate (open loop): the reads beside a
    // busy server that is not a saturated one, whose every latency is queueing (by the
    // next bulk users, each on a task not theirs).
    let paced_users = first + completers..(first + 2 * completers).min(users);
    if !paced_users.is_empty() {
        let rate = sustained / 2.0;
        let tokens = server
            .tokens(paced_users.clone().map(|i| format!("bulk-{i}")))
            .await;
        let targets = paced_users
            .map(|i| tasks[(i * 7 + 970) % LARGE_TASKS].clone())
            .collect();
        let (paced, (top, place), outlasted) = server
            .paced_completions(
                "large",
                tokens,
                targets,
                json!({"type": "visit_link"}),
                rate,
                server.leaderboard_reads(users),
            )
            .await;
        if !outlasted {
            println!("  (the paced completions ran out before the reads ended)");
        }
        rows.push((
            format!("{backend}, large: task completion (bulk user), half sustained rate"),
            paced,
        ));
        rows.push((
            format!("{backend}, large: leaderboard top 100, completions at half sustained"),
            top,
        ));
        rows.push((
            format!("{backend}, large: leaderboard own place, completions at half sustained"),
            place,
        ));
    }
    println!(
        "  attempts per commit so far: {:.1}",
        server.mean_batch_size().await
    );
    println!("  at the end: {}", server.boards_held().await);
    rows
}

/// The demo campaign's scenarios; answers their rows and the webhook receiver of the
/// endpoints they subscribe (the large campaign's completions deliver to it too).
async fn demo_scenarios(
    server: &Server,
    backend: &str,
) -> (Vec<(String, Outcome)>, WebhookReceiver) {
    println!("{backend}: small demo campaign");
    let mut rows = Vec::new();
    let reader = server.token_for("reader").await;
    for (name, outcome) in server.reads("launch-week", reader).await {
        rows.push((format!("{backend}, demo: {name}"), outcome));
    }
    let (campaign, _) = server.campaign("launch-week").await;
    let code_task = campaign["groups"][0]["quests"][0]["tasks"][1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let tokens = server
        .tokens((0..COMPLETIONS).map(|i| format!("bench-{i}")))
        .await;
    let completion = server
        .completions(
            "launch-week",
            tokens,
            vec![code_task.clone(); COMPLETIONS],
            json!({"type": "secret_code", "code": "LAUNCH-2026"}),
        )
        .await;
    rows.push((
        format!("{backend}, demo: task completion (new user)"),
        completion,
    ));
    println!(
        "  attempts per commit so far: {:.1}",
        server.mean_batch_size().await
    );
    println!("  at the end: {}", server.boards_held().await);

    // The same completions by new users with three webhook endpoints subscribed: what the
    // outbox adds to a completion, and how fast its deliveries reach a local receiver.
    let receiver = WebhookReceiver::start().await;
    for _ in 0..3 {
        server.subscribe(&receiver.url).await;
    }
    let tokens = server
        .tokens((0..COMPLETIONS).map(|i| format!("hooked-{i}")))
        .await;
    let started = Instant::now();
    let completion = server
        .completions(
            "launch-week",
            tokens,
            vec![code_task; COMPLETIONS],
            json!({"type": "secret_code", "code": "LAUNCH-2026"}),
        )
        .await;
    rows.push((
        format!("{backend}, demo: task completion (new user), 3 webhooks"),
        completion,
    ));
    let rate = receiver.rate_of(3 * COMPLETIONS, started).await;
    println!(
        "  {} webhook deliveries to a local receiver: {rate:.0}/s (from the first completion to the last delivery)",
        3 * COMPLETIONS
    );
    (rows, receiver)
}

/// Waits (at most ten minutes) until the webhook outbox of the database at `database_url`
/// has no pending delivery, and says how long that took and how many were sent meanwhile.
async fn outbox_drained(database_url: &str) {
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(database_url)
        .await
        .unwrap();
    let pending = || async {
        let (pending,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending'")
                .fetch_one(&pool)
                .await
                .unwrap();
        pending
    };
    let (started, queued) = (Instant::now(), pending().await);
    loop {
        let left = pending().await;
        if left == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "{left} webhook deliveries still pending after ten minutes"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    if queued > 0 {
        println!(
            "  webhook outbox drained: {queued} deliveries in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    pool.close().await;
}

/// The large campaign's task ids, in the order the bulk completions number them.
async fn large_tasks(pool: &AnyPool) -> Vec<String> {
    let tasks: Vec<(String,)> = sqlx::query_as(
        "SELECT t.id FROM tasks t JOIN quests q ON q.id = t.quest_id
         JOIN campaigns c ON c.id = q.campaign_id WHERE c.slug = 'large' ORDER BY t.id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let tasks: Vec<String> = tasks.into_iter().map(|(id,)| id).collect();
    assert_eq!(tasks.len(), LARGE_TASKS);
    tasks
}

#[tokio::main]
async fn main() {
    sqlx::any::install_default_drivers();
    let mut args = std::env::args().skip(1);
    let (server_bin, bare_bin) = (
        args.next().expect("server binary"),
        args.next().expect("bare_axum binary"),
    );
    let postgres = args.next();
    let users: usize = std::env::var("QUESTLET_BENCH_USERS")
        .ok()
        .map(|n| n.parse().expect("QUESTLET_BENCH_USERS is a number"))
        .unwrap_or(1_000_000);

    let (_bare, lines) = spawn_until(Command::new(&bare_bin).arg("127.0.0.1:0"), "listening");
    let bare = format!(
        "http://{}",
        lines.last().unwrap().trim_start_matches("listening ")
    );
    let client = Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .unwrap();
    let hello = || get(&client, format!("{bare}/hello"), None, None, StatusCode::OK);
    run(500, hello()).await;
    let baseline = run(READS, hello()).await;

    // `QUESTLET_BENCH_BACKENDS=postgres` measures one backend only (default: both).
    let backends = std::env::var("QUESTLET_BENCH_BACKENDS").unwrap_or_default();
    let measured = |backend: &str| backends.is_empty() || backends.contains(backend);
    let mut rows = Vec::new();
    if measured("sqlite") {
        let db = std::env::temp_dir().join(format!("questlet-bench-{}.db", std::process::id()));
        rows = scenarios(
            &server_bin,
            "SQLite",
            &format!("sqlite://{}?mode=rwc", db.display()),
            users,
            false,
        )
        .await;
        for suffix in ["", "-wal", "-shm", ".serve-lock"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    }
    let postgres = postgres.filter(|_| measured("postgres"));
    if let Some(admin_url) = postgres {
        let name = format!("questlet_bench_{}", std::process::id());
        let admin = AnyPool::connect(&admin_url).await.unwrap();
        // `QUESTLET_BENCH_SEEDED=<database>`: this run's database is a copy of one an
        // earlier run seeded (runs leave theirs), for measuring a change to the large
        // campaign's scenarios without seeding again. Copied as files (PostgreSQL 15's
        // default writes the gigabytes to the log, whose checkpoints then land on the
        // measurements).
        let seeded = std::env::var("QUESTLET_BENCH_SEEDED").ok();
        let template = seeded
            .as_ref()
            .map(|seeded| format!(" TEMPLATE {seeded} STRATEGY FILE_COPY"))
            .unwrap_or_default();
        admin
            .execute(format!("CREATE DATABASE {name}{template}").as_str())
            .await
            .unwrap();
        let (base, _) = admin_url.rsplit_once('/').unwrap();
        let url = format!("{base}/{name}");
        rows.extend(scenarios(&server_bin, "PostgreSQL", &url, users, seeded.is_some()).await);
        if seeded.is_some() {
            // A copy is only for this run (the seeded database stays).
            admin
                .execute(format!("DROP DATABASE {name}").as_str())
                .await
                .unwrap();
        }
    }
    // The baseline again at the end: the ratios use the mean of both.
    let baseline_end = run(READS, hello()).await;
    let baseline = Outcome {
        rps: (baseline.rps + baseline_end.rps) / 2.0,
        p50: (baseline.p50 + baseline_end.p50) / 2,
        p99: (baseline.p99 + baseline_end.p99) / 2,
    };

    println!();
    println!("{CONCURRENCY} concurrent keep-alive clients, client and server on this machine; ratios to the bare axum baseline of this run");
    println!(
        "{:<72} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "scenario", "req/s", "p50 ms", "p99 ms", "req/s ×", "p50 ×", "p99 ×"
    );
    let baseline_row = ("bare axum JSON handler (baseline)".to_owned(), baseline);
    for (name, outcome) in std::iter::once(&baseline_row).chain(rows.iter()) {
        println!(
            "{name:<72} {:>9.0} {:>8.2} {:>8.2} {:>8.3} {:>8.1} {:>8.1}",
            outcome.rps,
            ms(outcome.p50),
            ms(outcome.p99),
            outcome.rps / baseline_row.1.rps,
            ms(outcome.p50) / ms(baseline_row.1.p50),
            ms(outcome.p99) / ms(baseline_row.1.p99),
        );
    }
}
