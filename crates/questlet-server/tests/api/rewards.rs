//! Ranks and rewards: gift codes given once under concurrency, conditions deciding claims,
//! claims listed for the partner, `{{rank}}`, and the widget's leaderboard.

use std::collections::HashSet;
use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::support::{Org, TestApp};

const WIDGET: &str = "/v1/widget/demo/campaigns/prizes";
const ADMIN: &str = "/v1/campaigns/prizes";

/// A campaign of two quests (tasks worth 1, 2 and 3 points), three ranks and three rewards:
/// a gift code for anyone, a custom reward for 3 points and quest `first`, and a custom
/// reward for the all-time top 1.
fn prizes_doc() -> Value {
    let task = |n: i64| {
        json!({"key": format!("t{n}"), "title": format!("T{n}"), "points": n,
        "description": "You are {{rank}}.",
        "config": {"type": "visit_link", "url": "https://acme.example"}})
    };
    json!({"slug": "prizes", "title": "Prizes", "status": "published",
        "ranks": [{"name": "Bronze", "min_points": 0},
                  {"name": "Silver", "min_points": 3, "image_url": "https://acme.example/s.png"},
                  {"name": "Gold", "min_points": 6}],
        "rewards": [
            {"key": "voucher", "title": "Voucher", "kind": "gift_code"},
            {"key": "sticker", "title": "Sticker", "description": "A **sticker**", "kind": "custom",
             "conditions": {"min_points": 3, "quest": "first"}},
            {"key": "crown", "title": "Crown", "kind": "custom",
             "conditions": {"rank": "Gold", "top": {"period": "all", "places": 1}}}],
        "groups": [{"key": "g", "title": "G", "quests": [
            {"key": "first", "title": "First quest", "tasks": [task(1), task(2)]},
            {"key": "second", "title": "Second quest", "tasks": [task(3)]}]}]})
}

async fn prizes_app() -> (TestApp, Org) {
    let (app, org) = TestApp::with_demo_org().await;
    app.create_campaign(&org, prizes_doc()).await;
    (app, org)
}

async fn add_codes(app: &TestApp, org: &Org, reward: &str, codes: Vec<String>) -> Value {
    let response = app
        .json(
            "POST",
            &format!("{ADMIN}/rewards/{reward}/codes"),
            Some(&org.api_token),
            json!({ "codes": codes }),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json
}

async fn claim(app: &TestApp, token: &str, reward: &str) -> crate::support::Response {
    app.request(
        "POST",
        &format!("{WIDGET}/rewards/{reward}/claim"),
        Some(token),
        &[],
        None,
    )
    .await
}

/// Claims as a client does under load: a 503 `busy` (no connection came free in time, so
/// the request did nothing) is sent again after its `Retry-After`, a few times at most;
/// answers the final response and how many times the server was busy.
async fn claim_when_not_busy(
    app: &TestApp,
    token: &str,
    reward: &str,
) -> (crate::support::Response, u32) {
    let mut busy = 0;
    loop {
        let answer = claim(app, token, reward).await;
        if answer.status != StatusCode::SERVICE_UNAVAILABLE || busy == 5 {
            return (answer, busy);
        }
        answer.assert_error(StatusCode::SERVICE_UNAVAILABLE, "busy");
        let wait: u64 = answer.headers["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
        busy += 1;
    }
}

async fn rewards(app: &TestApp, token: Option<&str>) -> Value {
    let response = match token {
        Some(token) => app.get_as(&format!("{WIDGET}/rewards"), token).await,
        None => app.get(&format!("{WIDGET}/rewards")).await,
    };
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json
}

fn reward<'a>(list: &'a Value, key: &str) -> &'a Value {
    list["rewards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap()
}

// Two workers, as a server runs: one thread would serve a thousand debug-build requests
// so slowly that most would wait out the pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_claims_on_a_hundred_codes_give_each_code_once() {
    let (app, org) = prizes_app().await;
    let codes: Vec<String> = (0..100).map(|i| format!("CODE-{i:03}")).collect();
    let added = add_codes(&app, &org, "voucher", codes.clone()).await;
    assert_eq!(added, json!({"added": 100, "total": 100, "claimed": 0}));
    let mut tokens = Vec::new();
    for i in 0..1000 {
        tokens.push(app.user_token(&org, &format!("claimer-{i}")).await);
    }
    let app = Arc::new(app);
    let handles: Vec<_> = tokens
        .iter()
        .cloned()
        .map(|token| {
            let app = app.clone();
            tokio::spawn(async move { claim_when_not_busy(&app, &token, "voucher").await })
        })
        .collect();
    let mut given = HashSet::new();
    let mut none_left = 0;
    let mut busy = 0;
    for handle in handles {
        let (answer, waits) = handle.await.unwrap();
        busy += waits;
        if answer.status == StatusCode::OK {
            assert!(given.insert(answer.json["code"].as_str().unwrap().to_owned()));
        } else {
            answer.assert_error(StatusCode::CONFLICT, "none_left");
            none_left += 1;
        }
    }
    // Printed, not asserted: how often the server shed load depends on the machine.
    eprintln!("claims answered 503 busy and were retried {busy} times");
    assert_eq!(given.len(), 100);
    assert_eq!(none_left, 900);
    let wanted: HashSet<String> = codes.into_iter().collect();
    assert_eq!(given, wanted, "every code given, each once");
    let counts = app
        .get_as(&format!("{ADMIN}/rewards/voucher/codes"), &org.api_token)
        .await;
    assert_eq!(
        counts.json,
        json!({"added": 0, "total": 100, "claimed": 100})
    );
    let claims = app
        .get_as(&format!("{ADMIN}/rewards/voucher/claims"), &org.api_token)
        .await;
    assert_eq!(claims.json["claims"].as_array().unwrap().len(), 100);

    // A winner claiming again gets their own code back; a loser is still refused.
    let winner = claims.json["claims"][0].clone();
    let again = app
        .user_token(&org, winner["account"].as_str().unwrap())
        .await;
    let repeat = claim(&app, &again, "voucher").await;
    assert_eq!(repeat.status, StatusCode::OK);
    assert_eq!(repeat.json["code"], winner["code"]);
    let list = rewards(&app, Some(&again)).await;
    assert_eq!(reward(&list, "voucher")["claim"]["code"], winner["code"]);
    assert_eq!(reward(&list, "voucher")["left"], 0);
}

#[tokio::test]
async fn conditions_decide_claims_and_the_list_shows_where_a_user_stands() {
    let (app, org) = prizes_app().await;
    // Anonymous: every condition shown, none judged, nothing claimable.
    let anonymous = rewards(&app, None).await;
    let sticker = reward(&anonymous, "sticker");
    assert_eq!(
        sticker["conditions"],
        json!([{"kind": "points", "value": 3, "name": "", "met": null},
               {"kind": "quest", "value": 0, "name": "First quest", "met": null}])
    );
    assert_eq!(
        sticker["description_html"],
        "<p>A <strong>sticker</strong></p>\n"
    );
    assert_eq!(sticker["claimable"], false);
    assert_eq!(reward(&anonymous, "voucher")["left"], 0);
    assert_eq!(sticker["left"], Value::Null);

    let ann = app.user_token(&org, "ann").await;
    let refused = claim(&app, &ann, "sticker").await;
    refused.assert_error(StatusCode::FORBIDDEN, "forbidden");
    assert!(refused.text.contains("points, quest"), "{}", refused.text);
    assert!(claim(&app, &ann, "nothing").await.status == StatusCode::NOT_FOUND);

    // T1 + T2: 3 points and quest `first` done (Silver).
    for title in ["T1", "T2"] {
        app.attempt_titled(WIDGET, &ann, title, json!({"type": "visit_link"}))
            .await;
    }
    let list = rewards(&app, Some(&ann)).await;
    let sticker = reward(&list, "sticker");
    assert!(sticker["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["met"] == true));
    assert_eq!(sticker["claimable"], true);
    let crown = reward(&list, "crown");
    assert_eq!(
        crown["conditions"],
        json!([{"kind": "rank", "value": 6, "name": "Gold", "met": false},
               {"kind": "top", "value": 1, "name": "all", "met": true}])
    );
    assert_eq!(crown["claimable"], false);
    // {{rank}} is filled per user.
    let campaign = app.get_as(WIDGET, &ann).await.json;
    let texts = campaign["user"]["texts"].as_array().unwrap();
    assert!(
        texts
            .iter()
            .any(|t| t["html"] == "<p>You are Silver.</p>\n"),
        "{texts:?}"
    );
    assert_eq!(campaign["campaign"]["ranks"][1]["name"], "Silver");
    assert_eq!(campaign["campaign"]["rewards"], 3);

    let claimed = claim(&app, &ann, "sticker").await;
    assert_eq!(claimed.status, StatusCode::OK, "{}", claimed.text);
    assert_eq!(claimed.json["reward"], "sticker");
    assert_eq!(claimed.json["code"], Value::Null);
    // A deduction afterwards leaves the claim as it was.
    app.json(
        "POST",
        &format!("{ADMIN}/points"),
        Some(&org.api_token),
        json!({"account": "ann", "platform": "web", "reward_id": "fine", "points": -3}),
    )
    .await;
    let again = claim(&app, &ann, "sticker").await;
    assert_eq!(again.json, claimed.json);

    // The partner sees who claimed, with their name and points then.
    let named = app
        .get_as(
            "/token?account=ann&platform=web&name=Ann%20Lee",
            &org.api_token,
        )
        .await;
    assert_eq!(named.status, StatusCode::OK);
    let claims = app
        .get_as(&format!("{ADMIN}/rewards/sticker/claims"), &org.api_token)
        .await;
    let entry = &claims.json["claims"][0];
    assert_eq!(
        (
            &entry["account"],
            &entry["name"],
            &entry["points"],
            &entry["code"]
        ),
        (&json!("ann"), &json!("Ann Lee"), &json!(3), &Value::Null)
    );
    // Another organization sees neither the campaign nor its claims.
    let other = app.org("globex").await;
    app.get_as(&format!("{ADMIN}/rewards/sticker/claims"), &other.api_token)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let foreign = app.user_token(&other, "ann").await;
    claim(&app, &foreign, "sticker")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_token");
}

#[tokio::test]
async fn bad_rewards_and_ranks_get_a_clear_error() {
    let (app, org) = TestApp::with_demo_org().await;
    let mut doc = prizes_doc();
    doc["ranks"][2]["min_points"] = json!(3);
    let cases = [
        ("ranks[2].min_points", doc.clone()),
        ("rewards[1].conditions.quest", {
            let mut d = prizes_doc();
            d["rewards"][1]["conditions"]["quest"] = json!("nope");
            d
        }),
        ("rewards[2].conditions.rank", {
            let mut d = prizes_doc();
            d["rewards"][2]["conditions"]["rank"] = json!("Platinum");
            d
        }),
        ("rewards[1].key", {
            let mut d = prizes_doc();
            d["rewards"][1]["key"] = json!("voucher");
            d
        }),
    ];
    for (field, doc) in cases {
        let response = app
            .json("POST", "/v1/campaigns", Some(&org.api_token), doc)
            .await;
        response.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");
        assert!(response.text.contains(field), "{field}: {}", response.text);
    }
    app.create_campaign(&org, prizes_doc()).await;
    let custom = app
        .json(
            "POST",
            &format!("{ADMIN}/rewards/sticker/codes"),
            Some(&org.api_token),
            json!({"codes": ["A"]}),
        )
        .await;
    custom.assert_error(StatusCode::CONFLICT, "conflict");
    app.get_as(&format!("{ADMIN}/rewards/nope/codes"), &org.api_token)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    // The document round-trips its ranks and rewards.
    let exported = app.get_as(ADMIN, &org.api_token).await.json;
    assert_eq!(
        exported["ranks"][1],
        json!({"name": "Silver", "min_points": 3, "image_url": "https://acme.example/s.png"})
    );
    assert_eq!(exported["ranks"][0]["image_url"], Value::Null);
    assert_eq!(
        exported["rewards"][2]["conditions"]["top"],
        json!({"period": "all", "places": 1})
    );
}

#[tokio::test]
async fn the_widgets_board_shows_names_and_the_callers_row_below_the_top() {
    let (app, org) = prizes_app().await;
    let mut tokens = Vec::new();
    for (account, titles) in [
        ("ann@example.com", &["T1", "T2", "T3"][..]),
        ("bob", &["T3"][..]),
        ("cat", &["T2"][..]),
        ("dan", &["T1"][..]),
    ] {
        let token = app.user_token(&org, account).await;
        for title in titles {
            app.attempt_titled(WIDGET, &token, title, json!({"type": "visit_link"}))
                .await;
        }
        tokens.push(token);
    }
    app.get_as("/token?account=bob&platform=web&name=Bobby", &org.api_token)
        .await;
    let board = app.get(&format!("{WIDGET}/leaderboard")).await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.text);
    let rows: Vec<(i64, String, i64, bool)> = board.json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["place"].as_i64().unwrap(),
                r["name"].as_str().unwrap().to_owned(),
                r["points"].as_i64().unwrap(),
                r["me"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (1, "an…om".to_owned(), 6, false),
            (2, "Bobby".to_owned(), 3, false),
            (3, "c…".to_owned(), 2, false),
            (4, "d…".to_owned(), 1, false),
        ]
    );
    assert!(!board.text.contains("ann@example.com"));
    // Dan, fourth, with the top 2 shown: a gap, then his neighbour above and himself.
    let mine = app
        .get_as(
            &format!("{WIDGET}/leaderboard?limit=2&period=week"),
            &tokens[3],
        )
        .await;
    let places: Vec<(i64, bool)> = mine.json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["place"].as_i64().unwrap(), r["me"].as_bool().unwrap()))
        .collect();
    assert_eq!(places, [(1, false), (2, false), (3, false), (4, true)]);
    // Ann, first, is marked in the top.
    let first = app
        .get_as(&format!("{WIDGET}/leaderboard?limit=2"), &tokens[0])
        .await;
    assert_eq!(first.json["rows"][0]["me"], true);
    assert_eq!(first.json["rows"].as_array().unwrap().len(), 2);
    app.get(&format!("{WIDGET}/leaderboard?limit=101"))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
}
