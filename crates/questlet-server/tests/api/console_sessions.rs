//! The partner console's team: members sign in with a password, act through the admin API
//! with a session cookie (CSRF token on writes, roles checked on every route), and their
//! sessions end by sign-out, idleness, age or removal.

use axum::http::StatusCode;
use questlet_server::auth::sessions::{IDLE, LIFETIME};
use questlet_types::members::{CreateMemberRequest, MemberRole};
use serde_json::{json, Value};

use crate::support::{demo_doc, Org, Response, TestApp};

const PASSWORD: &str = "a long enough password";

/// A signed-in browser: its cookie and the CSRF token its writes carry.
struct Browser {
    cookie: String,
    csrf: String,
}

async fn add_member(app: &TestApp, org: &Org, email: &str, role: MemberRole) {
    let request = CreateMemberRequest {
        email: email.to_owned(),
        name: email.split('@').next().unwrap().to_owned(),
        role,
        password: PASSWORD.to_owned(),
    };
    questlet_server::members::add(&app.db, &org.id, &request, app.state.clock.now())
        .await
        .unwrap();
}

async fn sign_in_with(app: &TestApp, email: &str, password: &str) -> Response {
    app.json(
        "POST",
        "/v1/session",
        None,
        json!({"email": email, "password": password}),
    )
    .await
}

async fn sign_in(app: &TestApp, email: &str) -> Browser {
    let response = sign_in_with(app, email, PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let set_cookie = response.headers["set-cookie"].to_str().unwrap();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    Browser {
        cookie,
        csrf: response.json["csrf_token"].as_str().unwrap().to_owned(),
    }
}

/// `method path` as the browser: its cookie, its CSRF token when `csrf`, and `body`.
async fn send(
    app: &TestApp,
    browser: &Browser,
    method: &str,
    path: &str,
    csrf: bool,
    body: Option<Value>,
) -> Response {
    let mut headers = vec![("Cookie", browser.cookie.as_str())];
    if csrf {
        headers.push(("X-CSRF-Token", browser.csrf.as_str()));
    }
    app.request(method, path, None, &headers, body).await
}

async fn app_with_org() -> (TestApp, Org) {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    (app, org)
}

#[tokio::test]
async fn a_member_signs_in_works_with_the_cookie_and_signs_out() {
    let (app, org) = app_with_org().await;
    add_member(&app, &org, "Ann@Example.com", MemberRole::Owner).await;

    // The email is matched whatever its case.
    let response = sign_in_with(&app, "ann@example.COM", PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let set_cookie = response.headers["set-cookie"].to_str().unwrap();
    assert!(
        set_cookie.starts_with("questlet_session=qls_"),
        "{set_cookie}"
    );
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain HTTP: {set_cookie}");
    assert_eq!(response.json["organization"], "acme");
    assert_eq!(response.json["member"]["email"], "ann@example.com");
    assert_eq!(response.json["member"]["role"], "owner");
    assert!(response.json["member"].get("password_hash").is_none());
    let browser = sign_in(&app, "ann@example.com").await;

    let session = send(&app, &browser, "GET", "/v1/session", false, None).await;
    assert_eq!(session.status, StatusCode::OK, "{}", session.text);
    assert_eq!(session.json["csrf_token"], browser.csrf.as_str());
    let campaigns = send(&app, &browser, "GET", "/v1/campaigns", false, None).await;
    assert_eq!(campaigns.status, StatusCode::OK, "{}", campaigns.text);

    send(&app, &browser, "DELETE", "/v1/session", false, None)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let out = send(&app, &browser, "DELETE", "/v1/session", true, None).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{}", out.text);
    assert!(out.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    send(&app, &browser, "GET", "/v1/campaigns", false, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
}

#[tokio::test]
async fn the_cookie_is_secure_when_a_proxy_says_the_request_came_over_https() {
    let (app, org) = app_with_org().await;
    add_member(&app, &org, "ann@example.com", MemberRole::Owner).await;
    let response = app
        .request(
            "POST",
            "/v1/session",
            None,
            &[("X-Forwarded-Proto", "https")],
            Some(json!({"email": "ann@example.com", "password": PASSWORD})),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let set_cookie = response.headers["set-cookie"].to_str().unwrap();
    assert!(set_cookie.contains("Secure"), "{set_cookie}");
}

#[tokio::test]
async fn a_write_with_the_cookie_needs_its_own_csrf_token() {
    let (app, org) = app_with_org().await;
    add_member(&app, &org, "ann@example.com", MemberRole::Editor).await;
    add_member(&app, &org, "bob@example.com", MemberRole::Editor).await;
    let ann = sign_in(&app, "ann@example.com").await;
    let bob = sign_in(&app, "bob@example.com").await;
    let doc = demo_doc("spring");

    send(
        &app,
        &ann,
        "POST",
        "/v1/campaigns",
        false,
        Some(doc.clone()),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "forbidden");
    // Another session's token is not this one's.
    let mixed = Browser {
        cookie: ann.cookie.clone(),
        csrf: bob.csrf.clone(),
    };
    send(
        &app,
        &mixed,
        "POST",
        "/v1/campaigns",
        true,
        Some(doc.clone()),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(
        app.get_as("/v1/campaigns/spring", &org.api_token)
            .await
            .status,
        StatusCode::NOT_FOUND,
        "nothing was written"
    );
    let created = send(&app, &ann, "POST", "/v1/campaigns", true, Some(doc)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    // A bearer credential is not sent by browsers on their own: no token needed.
    let by_token = app
        .json(
            "PUT",
            "/v1/campaigns/spring/status",
            Some(&org.api_token),
            json!({"status": "published"}),
        )
        .await;
    assert_eq!(by_token.status, StatusCode::OK, "{}", by_token.text);
}

#[tokio::test]
async fn wrong_passwords_and_unknown_emails_are_refused_alike_then_rate_limited() {
    let (app, org) = app_with_org().await;
    add_member(&app, &org, "ann@example.com", MemberRole::Owner).await;
    add_member(&app, &org, "bob@example.com", MemberRole::Owner).await;
    let wrong = sign_in_with(&app, "ann@example.com", "not the password at all").await;
    wrong.assert_error(StatusCode::UNAUTHORIZED, "sign_in_refused");
    let unknown = sign_in_with(&app, "nobody@example.com", PASSWORD).await;
    unknown.assert_error(StatusCode::UNAUTHORIZED, "sign_in_refused");
    assert_eq!(wrong.json["message"], unknown.json["message"]);
    assert!(wrong.headers.get("set-cookie").is_none());

    for _ in 1..5 {
        sign_in_with(&app, "ann@example.com", "still not the password")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "sign_in_refused");
    }
    // Five failures: even the right password waits now.
    let limited = sign_in_with(&app, "ANN@example.com", PASSWORD).await;
    limited.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let retry_after: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&retry_after), "{retry_after}");
    // Another member is not held back.
    sign_in(&app, "bob@example.com").await;
}

#[tokio::test]
async fn a_session_ends_when_unused_for_a_while_and_at_its_lifetime() {
    let (app, org) = app_with_org().await;
    add_member(&app, &org, "ann@example.com", MemberRole::Owner).await;

    let idle = sign_in(&app, "ann@example.com").await;
    app.state.clock.advance(IDLE - 60);
    let used = send(&app, &idle, "GET", "/v1/session", false, None).await;
    assert_eq!(used.status, StatusCode::OK, "{}", used.text);
    app.state.clock.advance(IDLE);
    send(&app, &idle, "GET", "/v1/session", false, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");

    // Used every few hours, a session still ends at its lifetime.
    let busy = sign_in(&app, "ann@example.com").await;
    let mut lived = 0;
    while lived + IDLE / 2 < LIFETIME {
        app.state.clock.advance(IDLE / 2);
        lived += IDLE / 2;
        let response = send(&app, &busy, "GET", "/v1/campaigns", false, None).await;
        assert_eq!(response.status, StatusCode::OK, "after {lived} s");
    }
    app.state.clock.advance(LIFETIME - lived);
    let ended = send(&app, &busy, "GET", "/v1/campaigns", false, None).await;
    ended.assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
    assert!(ended.json["message"].as_str().unwrap().contains("expired"));
}

/// Whether role `role` may call `method path` (as the admin API's extractors decide).
fn allowed(role: MemberRole, method: &str, path: &str) -> bool {
    let owners_only = [
        "/v1/api-tokens",
        "/v1/oauth-clients",
        "/v1/webhooks",
        "/v1/telegram/bots",
        "/v1/members",
    ];
    let review = path == "/v1/session"
        || (method == "get" && path == "/v1/campaigns")
        || path.starts_with("/v1/campaigns/{campaign}/submissions");
    match role {
        MemberRole::Owner => true,
        MemberRole::Editor => !owners_only.iter().any(|p| path.starts_with(p)),
        MemberRole::Reviewer => review,
    }
}

#[tokio::test]
async fn every_admin_route_checks_the_members_role() {
    let (app, org) = app_with_org().await;
    add_member(&app, &org, "owner@example.com", MemberRole::Owner).await;
    add_member(&app, &org, "editor@example.com", MemberRole::Editor).await;
    add_member(&app, &org, "reviewer@example.com", MemberRole::Reviewer).await;
    let doc = app.get("/openapi.json").await.json;
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let session = operation["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("session").is_some()));
            // The widget's campaign read takes a session too, for a member's preview of
            // drafts; it checks no role (see the preview test).
            let admin = !path.starts_with("/v1/widget/");
            if session && admin && !(path == "/v1/session" && method == "delete") {
                operations.push((method.clone(), path.clone()));
            }
        }
    }
    assert!(
        operations.len() > 40,
        "{} admin operations",
        operations.len()
    );
    let mut refused = 0;
    for (email, role) in [
        ("reviewer@example.com", MemberRole::Reviewer),
        ("editor@example.com", MemberRole::Editor),
        ("owner@example.com", MemberRole::Owner),
    ] {
        let browser = sign_in(&app, email).await;
        for (method, path) in &operations {
            // Nothing the path names exists: an allowed call fails later, never with 403.
            let concrete = path
                .split('/')
                .map(|part| {
                    if part.starts_with('{') {
                        "missing"
                    } else {
                        part
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let response = send(
                &app,
                &browser,
                &method.to_uppercase(),
                &concrete,
                true,
                None,
            )
            .await;
            let name = format!("{} {method} {path}", role.as_str());
            assert_ne!(
                response.status,
                StatusCode::UNAUTHORIZED,
                "{name}: {}",
                response.text
            );
            if allowed(role, method, path) {
                assert_ne!(
                    response.status,
                    StatusCode::FORBIDDEN,
                    "{name}: {}",
                    response.text
                );
            } else {
                response.assert_error(StatusCode::FORBIDDEN, "forbidden");
                assert!(
                    response.json["message"].as_str().unwrap().contains("role"),
                    "{name}: {}",
                    response.text
                );
                refused += 1;
            }
        }
    }
    assert!(refused > 40, "{refused} refusals");
}

#[tokio::test]
async fn a_member_sees_only_their_organization() {
    let (app, acme) = app_with_org().await;
    let other = app.org("other").await;
    app.create_campaign(&other, demo_doc("theirs")).await;
    add_member(&app, &acme, "ann@example.com", MemberRole::Owner).await;
    let ann = sign_in(&app, "ann@example.com").await;
    let list = send(&app, &ann, "GET", "/v1/campaigns", false, None).await;
    assert_eq!(list.json, json!([]));
    send(&app, &ann, "GET", "/v1/campaigns/theirs", false, None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    send(&app, &ann, "DELETE", "/v1/campaigns/theirs", true, None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        app.get_as("/v1/campaigns/theirs", &other.api_token)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_owner_adds_and_removes_members_but_never_the_last_owner() {
    let (app, org) = app_with_org().await;
    add_member(&app, &org, "ann@example.com", MemberRole::Owner).await;
    let ann = sign_in(&app, "ann@example.com").await;
    let add = |email: &str, password: &str| json!({"email": email, "name": "Bob", "role": "editor", "password": password});
    let bob = send(
        &app,
        &ann,
        "POST",
        "/v1/members",
        true,
        Some(add("Bob@Example.com", PASSWORD)),
    )
    .await;
    assert_eq!(bob.status, StatusCode::CREATED, "{}", bob.text);
    assert_eq!(bob.json["email"], "bob@example.com");
    assert_eq!(bob.json["role"], "editor");
    send(
        &app,
        &ann,
        "POST",
        "/v1/members",
        true,
        Some(add("bob@example.com", PASSWORD)),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "conflict");
    let refused = [
        ("carl@example.com", "too short"),
        ("not an email", PASSWORD),
        (" carl@example.com", PASSWORD),
        ("carl@@example.com", PASSWORD),
        ("@example.com", PASSWORD),
    ];
    for (email, password) in refused {
        let body = Some(add(email, password));
        send(&app, &ann, "POST", "/v1/members", true, body)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    }

    let list = send(&app, &ann, "GET", "/v1/members", false, None).await;
    let members = list.json["members"].as_array().unwrap();
    assert_eq!(members.len(), 2, "{}", list.text);
    assert!(!list.text.contains("argon2"), "{}", list.text);

    let bob_browser = sign_in(&app, "bob@example.com").await;
    let bob_id = bob.json["id"].as_str().unwrap();
    let ann_id = members[0]["id"].as_str().unwrap();
    send(
        &app,
        &ann,
        "DELETE",
        &format!("/v1/members/{ann_id}"),
        true,
        None,
    )
    .await
    .assert_error(StatusCode::CONFLICT, "conflict");
    let removed = send(
        &app,
        &ann,
        "DELETE",
        &format!("/v1/members/{bob_id}"),
        true,
        None,
    )
    .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text);
    // Removing a member ends their sessions.
    send(&app, &bob_browser, "GET", "/v1/campaigns", false, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
    send(
        &app,
        &ann,
        "DELETE",
        &format!("/v1/members/{bob_id}"),
        true,
        None,
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_member_previews_their_organizations_drafts_and_nobody_else_does() {
    let (app, acme) = app_with_org().await;
    let other = app.org("other").await;
    let mut draft = demo_doc("spring");
    draft["status"] = json!("draft");
    app.create_campaign(&acme, draft.clone()).await;
    draft["slug"] = json!("theirs");
    app.create_campaign(&other, draft).await;
    add_member(&app, &acme, "ann@example.com", MemberRole::Reviewer).await;
    let ann = sign_in(&app, "ann@example.com").await;
    let widget = "/v1/widget/acme/campaigns/spring";

    // To anyone, a draft is not there.
    app.request("GET", widget, None, &[], None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    // To a member of its organization (the console's preview frame), it is; and no cache
    // keeps the answer.
    let seen = send(&app, &ann, "GET", widget, false, None).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.text);
    assert_eq!(seen.json["campaign"]["slug"], "spring");
    assert_eq!(seen.headers["cache-control"], "private, no-store");
    // Never another organization's.
    send(
        &app,
        &ann,
        "GET",
        "/v1/widget/other/campaigns/theirs",
        false,
        None,
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");

    // The preview page: the widget's snippet for the member's organization, under a policy.
    let page = send(
        &app,
        &ann,
        "GET",
        "/console/preview/spring?theme=dark",
        false,
        None,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(
        page.text
            .contains("data-organization=\"acme\" data-campaign=\"spring\" data-theme=\"dark\""),
        "{}",
        page.text
    );
    assert_eq!(page.headers["cache-control"], "no-store");
    let policy = page.headers["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("frame-ancestors 'self'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    send(
        &app,
        &ann,
        "GET",
        "/console/preview/spring?theme=neon",
        false,
        None,
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    app.request("GET", "/console/preview/spring", None, &[], None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");

    // An ended session is no session: the draft is not there again, and nothing fails.
    send(&app, &ann, "DELETE", "/v1/session", true, None).await;
    send(&app, &ann, "GET", widget, false, None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}
