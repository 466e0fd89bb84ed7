//! Test fixtures: a fresh database and app per test, and request helpers.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use questlet_server::auth::secrets;
use questlet_server::db::Db;
use questlet_server::{app, AppConfig, AppState};
use serde_json::{json, Value};
use sqlx::Executor;
use tower::ServiceExt;

/// The id of the task titled `title` in `campaign` (panics when there is none).
pub fn task_id(campaign: &questlet_types::WidgetCampaignResponse, title: &str) -> String {
    campaign
        .quests()
        .flat_map(|q| &q.tasks)
        .find(|t| t.title == title)
        .unwrap_or_else(|| panic!("no task {title}"))
        .id
        .clone()
}

/// The demo campaign document under another slug.
pub fn demo_doc(slug: &str) -> Value {
    let mut doc = serde_json::to_value(questlet_server::demo::demo_campaign()).unwrap();
    doc["slug"] = serde_json::json!(slug);
    doc
}

/// The URL of a fresh, empty database on the backend under test: a new SQLite file, or a
/// new database on the PostgreSQL server named by `QUESTLET_TEST_DATABASE_URL`. Tests that
/// need a second pool on the same database (a second server process, raw SQL) keep it.
pub async fn fresh_database_url() -> String {
    // Tests may open pools of their own on the URL before any `Db` has installed these.
    sqlx::any::install_default_drivers();
    let name = format!("questlet_test_{}", uuid::Uuid::new_v4().simple());
    match std::env::var("QUESTLET_TEST_DATABASE_URL") {
        Ok(admin_url) if admin_url.starts_with("postgres") => {
            let admin = sqlx::AnyPool::connect(&admin_url)
                .await
                .expect("connect admin");
            admin
                .execute(format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create database");
            admin.close().await;
            let (base, _) = admin_url.rsplit_once('/').expect("URL has a database");
            format!("{base}/{name}")
        }
        _ => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            format!("sqlite://{}", path.display())
        }
    }
}

/// A fresh, migrated, empty database on the backend under test.
/// Waits until `done` answers true, for at most five seconds: for what one app instance
/// learns of another's write only when the write's notification arrives (PostgreSQL; on
/// SQLite every instance in a process shares what it remembers, and the first check holds).
pub async fn eventually<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while !done().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: not within 5 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

pub async fn fresh_db() -> Db {
    Db::connect(&fresh_database_url().await)
        .await
        .expect("connect test db")
}

/// A test application over a fresh database.
pub struct TestApp {
    /// The URL of the database, for a second instance or raw SQL on it.
    pub url: String,
    /// The database behind the router.
    pub db: Db,
    /// The state the router was built with (keys, config).
    pub state: AppState,
    router: Router,
}

impl TestApp {
    /// A fresh app with an empty database.
    pub async fn new() -> Self {
        Self::at(fresh_database_url().await).await
    }

    /// Another app on this one's database with its own pool, as a second server process
    /// sharing the database would be.
    pub async fn another_instance(&self) -> Self {
        Self::at(self.url.clone()).await
    }

    /// Makes the app ask the social networks' APIs at `apis` (local stand-ins).
    pub fn set_social(&mut self, apis: questlet_server::tasks::social::SocialApis) {
        self.state.config.social = apis;
        self.router = app(self.state.clone());
    }

    /// Makes the app check Telegram sign-ins with `telegram`.
    pub fn set_telegram(&mut self, telegram: questlet_server::TelegramConfig) {
        self.state.config.telegram = telegram;
        self.router = app(self.state.clone());
    }

    /// Makes the app know the EVM chains `chains` (`--evm-chain`).
    pub fn set_evm_chains(&mut self, chains: Vec<questlet_server::evm::EvmChain>) {
        self.state.evm = questlet_server::evm::rpc::EvmRpc::new(&chains);
        self.state.config.evm_chains = chains;
        self.router = app(self.state.clone());
    }

    /// Makes the app call partners' URLs through `outbound` (a stand-in resolver, a
    /// policy that allows loopback).
    pub fn set_outbound(&mut self, outbound: questlet_server::outbound::Outbound) {
        self.state.outbound = outbound;
        self.router = app(self.state.clone());
    }

    /// An app over the (migrated or empty) database at `url`, with its own pool.
    async fn at(url: String) -> Self {
        let db = Db::connect(&url).await.expect("connect test db");
        let widget_dir =
            std::env::temp_dir().join(format!("questlet-widget-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&widget_dir).expect("create widget dir");
        std::fs::write(widget_dir.join("questlet.js"), "/* loader */").expect("write loader");
        let config = AppConfig {
            widget_dir: Some(widget_dir),
            console_dir: None,
            dev: true,
            issuer: "questlet-test".to_owned(),
            demo: false,
            outbound_allow: Vec::new(),
            social: Default::default(),
            webhooks: Default::default(),
            telegram: Default::default(),
            demo_telegram_script: None,
            // Anvil's chain, its node nowhere (tests that need it start one).
            evm_chains: vec!["31337=http://127.0.0.1:9".parse().unwrap()],
        };
        let state = AppState::new(db.clone(), config).await.expect("state");
        let router = app(state.clone());
        Self {
            url,
            db,
            state,
            router,
        }
    }

    /// A fresh app with the demo organization and campaign, and the demo's credentials.
    pub async fn with_demo_org() -> (Self, Org) {
        let app = Self::new().await;
        let creds = questlet_server::demo::seed(&app.db, "http://demo.invalid")
            .await
            .expect("seed demo");
        let org = Org {
            id: String::new(),
            api_token: creds.api_token,
            client_id: creds.client_id,
            client_secret: creds.client_secret,
        };
        (app, org)
    }

    /// A fresh app with the demo organization and campaign.
    pub async fn with_demo() -> Self {
        let app = Self::new().await;
        questlet_server::demo::seed(&app.db, "http://demo.invalid")
            .await
            .expect("seed demo");
        app
    }

    /// Sends a request and returns the response as it comes, its body not read yet.
    pub async fn send_unread(&self, request: Request<Body>) -> axum::response::Response {
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible")
    }

    /// Sends a request and returns the status, headers and body (JSON when it parses).
    pub async fn send(&self, request: Request<Body>) -> Response {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Response {
            status,
            headers,
            json: serde_json::from_str(&text).unwrap_or(Value::Null),
            text,
            bytes,
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Response {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// `GET path` with `Authorization: Bearer <token>`.
    pub async fn get_as(&self, path: &str, token: &str) -> Response {
        let request = Request::get(path)
            .header("Authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// `DELETE path` with `Authorization: Bearer <token>`.
    pub async fn delete_as(&self, path: impl AsRef<str>, token: &str) -> Response {
        let request = Request::delete(path.as_ref())
            .header("Authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// `method path` with a JSON body and an optional bearer token.
    pub async fn json(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> Response {
        self.request(method, path, token, &[], Some(body)).await
    }

    /// `method path` with an optional bearer token, extra headers and an optional JSON body.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Response {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = match body {
            Some(body) => {
                request = request.header("Content-Type", "application/json");
                Body::from(body.to_string())
            }
            None => Body::empty(),
        };
        self.send(request.body(body).unwrap()).await
    }

    /// A pool of the test's own on the app's database, for raw SQL behind the app's back.
    pub async fn raw_pool(&self) -> sqlx::AnyPool {
        sqlx::AnyPool::connect(&self.url).await.expect("raw pool")
    }

    /// `POST /oauth2/token` with a form body and extra headers.
    pub async fn token_request(&self, form: &str, headers: &[(&str, &str)]) -> Response {
        let mut request = Request::post("/oauth2/token")
            .header("Content-Type", "application/x-www-form-urlencoded");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(form.to_owned())).unwrap())
            .await
    }

    /// Creates an organization with an API token and an OAuth2 client.
    pub async fn org(&self, slug: &str) -> Org {
        let org = self
            .db
            .create_organization(slug, slug)
            .await
            .expect("create org");
        let token = secrets::generate("qlt");
        self.db
            .insert_api_token(&org.id, "test", &token)
            .await
            .unwrap();
        let client = secrets::generate_client();
        self.db
            .insert_oauth_client(&org.id, "test", &client)
            .await
            .unwrap();
        Org {
            id: org.id,
            api_token: token.plaintext,
            client_id: client.id,
            client_secret: client.plaintext,
        }
    }

    /// Creates campaign `doc` in `org` through the API (which must answer 201).
    pub async fn create_campaign(&self, org: &Org, doc: Value) {
        let created = self
            .json("POST", "/v1/campaigns", Some(&org.api_token), doc)
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    }

    /// Attempts the task titled `title` of the published campaign at `campaign` (its widget
    /// API path) as the user of `token`, with `answer`; answers the body (of a 200).
    pub async fn attempt_titled(
        &self,
        campaign: &str,
        token: &str,
        title: &str,
        answer: Value,
    ) -> Value {
        let view: questlet_types::WidgetCampaignResponse =
            serde_json::from_value(self.get(campaign).await.json).unwrap();
        let task = task_id(&view, title);
        let response = self
            .json(
                "POST",
                &format!("{campaign}/tasks/{task}/attempts"),
                Some(token),
                json!({ "answer": answer }),
            )
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text);
        response.json
    }

    /// A user token for `account` in `org`, through the public API.
    pub async fn user_token(&self, org: &Org, account: &str) -> String {
        let response = self
            .get_as(
                &format!("/token?account={account}&platform=web"),
                &org.api_token,
            )
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text);
        response.json["token"].as_str().unwrap().to_owned()
    }

    /// Completes the demo campaign's first task (a visit) as the user of token `user`;
    /// answers the task's id.
    pub async fn complete_first_demo_task(&self, user: &str) -> String {
        let campaign = "/v1/widget/demo/campaigns/launch-week";
        let view = self.get_as(campaign, user).await;
        let task = view.json["groups"][0]["quests"][0]["tasks"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let attempt = self
            .json(
                "POST",
                &format!("{campaign}/tasks/{task}/attempts"),
                Some(user),
                serde_json::json!({"answer": {"type": "visit_link"}}),
            )
            .await;
        assert_eq!(attempt.json["outcome"], "completed", "{}", attempt.text);
        task
    }
}

/// An organization and its credentials.
pub struct Org {
    /// Row id.
    pub id: String,
    /// An API token.
    pub api_token: String,
    /// An OAuth2 client id.
    pub client_id: String,
    /// Its secret.
    pub client_secret: String,
}

/// A response, read whole.
pub struct Response {
    /// Status code.
    pub status: StatusCode,
    /// Headers.
    pub headers: axum::http::HeaderMap,
    /// Body as JSON (`Null` when not JSON).
    pub json: Value,
    /// Body as text.
    pub text: String,
    /// Body as sent (still encoded when a `Content-Encoding` was chosen).
    pub bytes: axum::body::Bytes,
}

impl Response {
    /// The `ETag` header, if any.
    pub fn etag(&self) -> Option<&str> {
        self.headers.get("etag").and_then(|v| v.to_str().ok())
    }

    /// Asserts the one JSON error shape with the given status and code.
    pub fn assert_error(&self, status: StatusCode, code: &str) {
        assert_eq!(self.status, status, "body: {}", self.text);
        assert_eq!(self.json["error"], code, "body: {}", self.text);
        assert!(
            self.json["message"].as_str().is_some_and(|m| !m.is_empty()),
            "body: {}",
            self.text
        );
    }
}
