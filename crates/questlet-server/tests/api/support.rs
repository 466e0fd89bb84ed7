//! Test fixtures: a fresh database and app per test, and request helpers.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use questlet_server::auth::secrets;
use questlet_server::db::Db;
use questlet_server::{app, AppConfig, AppState};
use serde_json::Value;
use sqlx::Executor;
use tower::ServiceExt;

/// A fresh, migrated, empty database on the backend under test.
pub async fn fresh_db() -> Db {
    let name = format!("questlet_test_{}", uuid::Uuid::new_v4().simple());
    match std::env::var("QUESTLET_TEST_DATABASE_URL") {
        Ok(admin_url) if admin_url.starts_with("postgres") => {
            sqlx::any::install_default_drivers();
            let admin = sqlx::AnyPool::connect(&admin_url)
                .await
                .expect("connect admin");
            admin
                .execute(format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create database");
            admin.close().await;
            let (base, _) = admin_url.rsplit_once('/').expect("URL has a database");
            Db::connect(&format!("{base}/{name}"))
                .await
                .expect("connect test db")
        }
        _ => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            Db::connect(&format!("sqlite://{}", path.display()))
                .await
                .expect("open sqlite")
        }
    }
}

/// A test application over a fresh database.
pub struct TestApp {
    /// The database behind the router.
    pub db: Db,
    /// The state the router was built with (keys, config).
    pub state: AppState,
    router: Router,
}

impl TestApp {
    /// A fresh app with an empty database.
    pub async fn new() -> Self {
        let db = fresh_db().await;
        let widget_dir =
            std::env::temp_dir().join(format!("questlet-widget-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&widget_dir).expect("create widget dir");
        std::fs::write(widget_dir.join("questlet.js"), "/* loader */").expect("write loader");
        let config = AppConfig {
            widget_dir: Some(widget_dir),
            dev: true,
            issuer: "questlet-test".to_owned(),
            demo: false,
        };
        let state = AppState::new(db.clone(), config).await.expect("state");
        let router = app(state.clone());
        Self { db, state, router }
    }

    /// A fresh app with the demo organization and campaign.
    pub async fn with_demo() -> Self {
        let app = Self::new().await;
        questlet_server::demo::seed(&app.db)
            .await
            .expect("seed demo");
        app
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
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("Content-Type", "application/json");
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
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
}

impl Response {
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
