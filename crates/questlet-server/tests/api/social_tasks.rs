//! Social tasks against local stand-ins of Telegram's Bot API, Discord's API, X's API v2,
//! the YouTube Data API and TikTok's Research API, each answering in its documented
//! request and response format, on 127.0.0.1 only.

use std::time::Duration;

use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use questlet_server::outbound::{Outbound, OutboundPolicy, SystemLookup};
use questlet_server::tasks::social::SocialApis;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

use crate::support::{Org, TestApp};

const CAMPAIGN: &str = "/v1/widget/demo/campaigns/social";
const BOT: &str = "123456:telegram-secret";
const DISCORD_BOT: &str = "discord-secret";
const X_BEARER: &str = "x-secret";
const YOUTUBE_KEY: &str = "youtube-key";
const TIKTOK_TOKEN: &str = "clt.tiktok-secret";

type Params = Query<HashMap<String, String>>;

fn bearer(headers: &HeaderMap, scheme: &str, secret: &str) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok())
        == Some(&format!("{scheme} {secret}"))
}

fn unauthorized() -> axum::response::Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"title": "Unauthorized", "status": 401})),
    )
        .into_response()
}

/// The Bot API's answer to a call as another bot than the partner's (which must ask about
/// chat @questlet), if it is one.
fn telegram_refuses(
    bot: &str,
    query: &HashMap<String, String>,
) -> Option<axum::response::Response> {
    if bot != format!("bot{BOT}") {
        return Some(
            (
                StatusCode::UNAUTHORIZED,
                Json(json!({"ok": false, "error_code": 401, "description": "Unauthorized"})),
            )
                .into_response(),
        );
    }
    assert_eq!(query["chat_id"], "@questlet");
    None
}

/// Bot API `getChatMember`: 111 is a member, 222 left, 333 is restricted but in the
/// chat; anyone else is unknown to the chat.
async fn telegram(Path(bot): Path<String>, Query(q): Params) -> axum::response::Response {
    if let Some(refused) = telegram_refuses(&bot, &q) {
        return refused;
    }
    let user =
        json!({"id": q["user_id"].parse::<i64>().unwrap(), "is_bot": false, "first_name": "U"});
    let result = match q["user_id"].as_str() {
        "111" => json!({"status": "member", "user": user}),
        "222" => json!({"status": "left", "user": user}),
        "333" => json!({"status": "restricted", "user": user, "is_member": true, "until_date": 0}),
        _ => {
            return (StatusCode::BAD_REQUEST, Json(json!({"ok": false, "error_code": 400, "description": "Bad Request: user not found"}))).into_response();
        }
    };
    Json(json!({"ok": true, "result": result})).into_response()
}

/// Bot API `getUserChatBoosts` of channel @questlet: 111 and 444 boost it; 222 never did, and
/// 333's only boost has expired (Telegram would not list it; a stale answer must not count).
async fn telegram_boosts(Path(bot): Path<String>, Query(q): Params) -> axum::response::Response {
    if let Some(refused) = telegram_refuses(&bot, &q) {
        return refused;
    }
    let boost = |expiration: i64| {
        json!({
            "boost_id": "b1", "add_date": 1_700_000_000, "expiration_date": expiration,
            "source": {"source": "premium", "user": {"id": 111, "is_bot": false, "first_name": "U"}}
        })
    };
    let boosts = match q["user_id"].as_str() {
        "111" | "444" => vec![boost(4_000_000_000)],
        "333" => vec![boost(1_700_000_100)],
        _ => vec![],
    };
    Json(json!({"ok": true, "result": {"boosts": boosts}})).into_response()
}

/// Get Guild Member: 555 is in guild 9000.
async fn discord(
    Path((guild, user)): Path<(String, String)>,
    headers: HeaderMap,
) -> axum::response::Response {
    if !bearer(&headers, "Bot", DISCORD_BOT) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"message": "401: Unauthorized", "code": 0})),
        )
            .into_response();
    }
    if guild == "9000" && user == "555" {
        return Json(json!({"user": {"id": "555", "username": "ann"}, "roles": [], "joined_at": "2026-01-01T00:00:00+00:00", "deaf": false, "mute": false})).into_response();
    }
    (
        StatusCode::NOT_FOUND,
        Json(json!({"message": "Unknown Member", "code": 10007})),
    )
        .into_response()
}

/// Follows lookup: user 42 follows 777 (on the second page); 43 follows only 1.
async fn x_following(
    Path(user): Path<String>,
    Query(q): Params,
    headers: HeaderMap,
) -> axum::response::Response {
    if !bearer(&headers, "Bearer", X_BEARER) {
        return unauthorized();
    }
    assert_eq!(q["max_results"], "1000");
    let someone = |id: &str| json!({"id": id, "name": "N", "username": format!("u{id}")});
    let body = match (user.as_str(), q.get("pagination_token").map(String::as_str)) {
        ("42", None) => {
            json!({"data": [someone("1"), someone("2")], "meta": {"result_count": 2, "next_token": "page-2"}})
        }
        ("42", Some("page-2")) => json!({"data": [someone("777")], "meta": {"result_count": 1}}),
        _ => json!({"data": [someone("1")], "meta": {"result_count": 1}}),
    };
    Json(body).into_response()
}

/// Reposts lookup: post 9 was reposted by user 42.
async fn x_retweeted_by(Path(post): Path<String>, headers: HeaderMap) -> axum::response::Response {
    if !bearer(&headers, "Bearer", X_BEARER) {
        return unauthorized();
    }
    if post == "9" {
        return Json(json!({"data": [{"id": "42", "name": "A", "username": "a"}], "meta": {"result_count": 1}})).into_response();
    }
    Json(json!({"meta": {"result_count": 0}})).into_response()
}

/// subscriptions.list: UCfan subscribes to UCpartner; UCprivate keeps subscriptions private.
async fn youtube(Query(q): Params) -> axum::response::Response {
    if q.get("key").map(String::as_str) != Some(YOUTUBE_KEY) {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": {"code": 400, "message": "API key not valid.", "errors": [{"reason": "badRequest"}]}}))).into_response();
    }
    assert_eq!(q["forChannelId"], "UCpartner");
    match q["channelId"].as_str() {
        "UCprivate" => (StatusCode::FORBIDDEN, Json(json!({"error": {"code": 403, "message": "The requester is not allowed to access the requested subscriptions.", "errors": [{"message": "forbidden", "domain": "youtube.subscription", "reason": "subscriptionForbidden"}]}}))).into_response(),
        channel => {
            let items = if channel == "UCfan" { vec![json!({"kind": "youtube#subscription", "etag": "e", "id": "sub1"})] } else { vec![] };
            Json(json!({"kind": "youtube#subscriptionListResponse", "etag": "e", "pageInfo": {"totalResults": items.len(), "resultsPerPage": 5}, "items": items})).into_response()
        }
    }
}

/// Research API following list: fan follows partner (on the second page).
async fn tiktok(
    headers: HeaderMap,
    Query(q): Params,
    Json(body): Json<Value>,
) -> axum::response::Response {
    if !bearer(&headers, "Bearer", TIKTOK_TOKEN) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": {"code": "access_token_invalid", "message": "", "log_id": "l"}})),
        )
            .into_response();
    }
    assert_eq!(q["fields"], "display_name,username");
    let someone = |name: &str| json!({"display_name": name.to_uppercase(), "username": name});
    let (following, cursor, has_more) = match (
        body["username"].as_str().unwrap(),
        body["cursor"].as_i64().unwrap(),
    ) {
        ("fan", 0) => (vec![someone("other")], 100, true),
        ("fan", 100) => (vec![someone("partner")], 200, false),
        _ => (vec![], 0, false),
    };
    Json(json!({"data": {"user_following": following, "cursor": cursor, "has_more": has_more}, "error": {"code": "ok", "message": "", "log_id": "l"}})).into_response()
}

/// The five stand-ins on one loopback port; answers their base URLs.
async fn networks() -> SocialApis {
    let router = Router::new()
        .route("/telegram/{bot}/getChatMember", get(telegram))
        .route("/telegram/{bot}/getUserChatBoosts", get(telegram_boosts))
        .route(
            "/discord/api/v10/guilds/{guild}/members/{user}",
            get(discord),
        )
        .route("/x/2/users/{user}/following", get(x_following))
        .route("/x/2/tweets/{post}/retweeted_by", get(x_retweeted_by))
        .route("/youtube/youtube/v3/subscriptions", get(youtube))
        .route("/tiktok/v2/research/user/following/", post(tiktok));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    SocialApis {
        telegram: format!("{base}/telegram"),
        discord: format!("{base}/discord/api/v10"),
        x: format!("{base}/x"),
        youtube: format!("{base}/youtube/youtube/v3"),
        tiktok: format!("{base}/tiktok"),
    }
}

/// The demo organization with one task per network (credentials given), plus a
/// Telegram task without one; the app asks the stand-ins, with loopback allowed.
async fn social_app() -> (TestApp, Org) {
    let (mut app, org) = TestApp::with_demo_org().await;
    app.set_social(networks().await);
    app.set_outbound(Outbound::new(
        OutboundPolicy {
            allowed: vec!["127.0.0.1/32".parse().unwrap()],
        },
        Arc::new(SystemLookup),
        Duration::from_secs(2),
        64 * 1024,
    ));
    let task = |title: &str, config: Value| json!({"key": title.to_lowercase().replace(' ', "-"), "title": title, "points": 10, "config": config});
    let doc = json!({
        "slug": "social", "title": "Social", "status": "published",
        "groups": [{"key": "main", "title": "Main", "quests": [{"key": "q", "title": "Q", "tasks": [
            task("Telegram", json!({"type": "telegram_join", "url": "https://t.me/questlet", "chat": "@questlet", "bot_token": BOT})),
            task("Telegram visit", json!({"type": "telegram_join", "url": "https://t.me/questlet", "chat": "@questlet"})),
            task("Telegram boost", json!({"type": "telegram_boost", "url": "https://t.me/boost/questlet", "chat": "@questlet", "bot_token": BOT})),
            task("Discord", json!({"type": "discord_join", "url": "https://discord.gg/q", "guild": "9000", "bot_token": DISCORD_BOT})),
            task("X follow", json!({"type": "x_follow", "url": "https://x.com/questlet", "account": "777", "bearer_token": X_BEARER})),
            task("X repost", json!({"type": "x_repost", "url": "https://x.com/questlet/status/9", "post": "9", "bearer_token": X_BEARER})),
            task("YouTube", json!({"type": "youtube_subscribe", "url": "https://youtube.com/@q", "channel": "UCpartner", "api_key": YOUTUBE_KEY})),
            task("TikTok", json!({"type": "tiktok_follow", "url": "https://tiktok.com/@partner", "username": "partner", "access_token": TIKTOK_TOKEN})),
        ]}]}]
    });
    app.create_campaign(&org, doc).await;
    (app, org)
}

async fn token(app: &TestApp, org: &Org, platform: &str, account: &str) -> String {
    let response = app
        .get_as(
            &format!("/token?account={account}&platform={platform}"),
            &org.api_token,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json["token"].as_str().unwrap().to_owned()
}

/// Opens task `title` as `token`'s user (the widget's visit answer) and answers the outcome.
async fn open(app: &TestApp, token: &str, title: &str) -> Value {
    let visit = json!({"type": "visit_link"});
    app.attempt_titled(CAMPAIGN, token, title, visit).await
}

#[tokio::test]
async fn the_widget_sees_a_link_and_never_a_credential() {
    let (app, _) = social_app().await;
    let view = app.get(CAMPAIGN).await;
    let text = view.text.clone();
    for secret in [BOT, DISCORD_BOT, X_BEARER, YOUTUBE_KEY, TIKTOK_TOKEN] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
    let tasks = &view.json["groups"][0]["quests"][0]["tasks"];
    assert_eq!(tasks[0]["kind"], "telegram_join");
    assert_eq!(
        tasks[0]["settings"],
        json!({"type": "visit_link", "url": "https://t.me/questlet"})
    );
}

#[tokio::test]
async fn each_network_says_done_for_a_member_or_follower_and_not_yet_for_others() {
    let (app, org) = social_app().await;
    for (platform, yes, no, title, not_yet) in [
        (
            "telegram",
            "111",
            "222",
            "Telegram",
            "Not done yet: join first, then check again.",
        ),
        (
            "telegram",
            "333",
            "444",
            "Telegram",
            "Not done yet: join first, then check again.",
        ),
        (
            "telegram",
            "111",
            "222",
            "Telegram boost",
            "Not done yet: boost the channel first, then check again.",
        ),
        (
            "telegram",
            "444",
            "333",
            "Telegram boost",
            "Not done yet: boost the channel first, then check again.",
        ),
        (
            "discord",
            "555",
            "556",
            "Discord",
            "Not done yet: join first, then check again.",
        ),
        (
            "x",
            "42",
            "43",
            "X follow",
            "Not done yet: follow the account first, then check again.",
        ),
        (
            "x",
            "42",
            "43",
            "X repost",
            "Not done yet: repost the post first, then check again.",
        ),
        (
            "youtube",
            "UCfan",
            "UCnot",
            "YouTube",
            "Not done yet: subscribe first, then check again.",
        ),
        (
            "tiktok",
            "fan",
            "stranger",
            "TikTok",
            "Not done yet: follow the account first, then check again.",
        ),
    ] {
        let done = open(&app, &token(&app, &org, platform, yes).await, title).await;
        assert_eq!(done["outcome"], "completed", "{title} {yes}: {done}");
        let not = open(&app, &token(&app, &org, platform, no).await, title).await;
        assert_eq!(not["outcome"], "failed", "{title} {no}: {not}");
        assert_eq!(not["reason"], not_yet, "{title}");
    }
}

#[tokio::test]
async fn without_credentials_it_is_a_visit_and_other_users_are_asked_to_sign_in() {
    let (app, org) = social_app().await;
    let web = token(&app, &org, "web", "ann").await;
    assert_eq!(
        open(&app, &web, "Telegram visit").await["outcome"],
        "completed"
    );
    let asked = open(&app, &web, "Telegram").await;
    assert_eq!(asked["outcome"], "failed");
    assert_eq!(asked["reason"], "Sign in with Telegram to check this task.");
    let asked = open(&app, &web, "YouTube").await;
    assert_eq!(asked["reason"], "Sign in with YouTube to check this task.");
}

#[tokio::test]
async fn private_subscriptions_and_a_refused_credential_get_clear_messages() {
    let (mut app, org) = social_app().await;
    let private = open(
        &app,
        &token(&app, &org, "youtube", "UCprivate").await,
        "YouTube",
    )
    .await;
    assert_eq!(
        private["reason"],
        "Your YouTube subscriptions are private: make them public, then check again."
    );
    // The networks refuse a wrong credential: the user is told to try later, nothing leaks.
    let mut apis = networks().await;
    apis.telegram = apis.telegram.replace("/telegram", "/nowhere");
    app.set_social(apis);
    let failed = open(
        &app,
        &token(&app, &org, "telegram", "111").await,
        "Telegram",
    )
    .await;
    assert_eq!(failed["outcome"], "failed");
    assert_eq!(
        failed["reason"],
        "Telegram could not be asked: try again later."
    );
}

#[tokio::test]
async fn a_social_task_needs_a_link_a_target_and_no_blank_credential() {
    let (app, org) = TestApp::with_demo_org().await;
    for (config, path) in [
        (
            json!({"type": "x_follow", "url": "x.com/q", "account": "1"}),
            "config.url",
        ),
        (
            json!({"type": "discord_join", "url": "https://discord.gg/q", "guild": " "}),
            "config.guild",
        ),
        (
            json!({"type": "tiktok_follow", "url": "https://tiktok.com/@q", "username": "q", "access_token": ""}),
            "config.access_token",
        ),
    ] {
        let doc = json!({"slug": "bad", "title": "Bad", "status": "published",
            "groups": [{"key": "g", "title": "G", "quests": [{"key": "q", "title": "Q", "tasks": [
                {"key": "t", "title": "T", "config": config}]}]}]});
        let response = app
            .json("POST", "/v1/campaigns", Some(&org.api_token), doc)
            .await;
        assert!(response.status.is_client_error(), "{}", response.text);
        assert!(response.text.contains(path), "{path}: {}", response.text);
    }
}
