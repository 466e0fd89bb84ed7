//! The benchmark's baseline: a bare axum server with one JSON handler, no database, so the
//! bench can report Questlet's endpoints as a ratio of what axum alone does on this machine.
//!
//! Usage: `bare_axum <addr>`.

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

async fn get_hello() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

#[tokio::main]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".into());
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    println!("listening {}", listener.local_addr().expect("addr"));
    axum::serve(listener, Router::new().route("/hello", get(get_hello)))
        .await
        .expect("serve");
}
