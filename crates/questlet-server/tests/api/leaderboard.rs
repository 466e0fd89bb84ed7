//! Leaderboards: order and places against a brute-force ranking of the same history
//! (random awards, deductions and completions, many ties), and the period boards.

use std::collections::HashMap;

use axum::http::StatusCode;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use questlet_server::db::Backend;

use crate::support::{eventually, Org, TestApp};

const WIDGET: &str = "/v1/widget/demo/campaigns/board";
const BOARD: &str = "/v1/campaigns/board/leaderboard";

/// A campaign of three once-only tasks worth 1, 2 and 3 points.
async fn board_app() -> (TestApp, Org) {
    let (app, org) = TestApp::with_demo_org().await;
    let task = |n: i64| {
        json!({"key": format!("t{n}"), "title": format!("T{n}"), "points": n,
        "config": {"type": "visit_link", "url": "https://acme.example"}})
    };
    let doc = json!({"slug": "board", "title": "Board", "status": "published",
        "groups": [{"key": "g", "title": "G", "quests": [
            {"key": "q", "title": "Q", "tasks": [task(1), task(2), task(3)]}]}]});
    app.create_campaign(&org, doc).await;
    (app, org)
}

/// What the test itself knows of a user: points and when they last moved.
#[derive(Debug, Clone, Copy, Default)]
struct Ledger {
    points: i64,
    reached_at: i64,
}

async fn get_board(app: &TestApp, org: &Org, query: &str) -> Value {
    let response = app
        .get_as(&format!("{BOARD}?{query}"), &org.api_token)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json
}

async fn award(
    app: &TestApp,
    org: &Org,
    account: &str,
    id: &str,
    points: i64,
    negative: bool,
) -> i64 {
    let body = json!({"account": account, "platform": "web", "reward_id": id,
        "points": points, "allow_negative": negative});
    let response = app
        .json(
            "POST",
            "/v1/campaigns/board/points",
            Some(&org.api_token),
            body,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json["applied"].as_i64().unwrap()
}

/// When `account` reached their points on the board campaign's all-time board, as the
/// server stored it. (The engine's clock is the system's plus the test's offset: its second
/// may tick between the server's reading and the test's, so the test asks.)
async fn reached_at(pool: &sqlx::AnyPool, account: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT e.reached_at FROM leaderboard_entries e
         JOIN users u ON u.id = e.user_id
         JOIN campaigns c ON c.id = e.campaign_id
         WHERE c.slug = 'board' AND e.period = 'all' AND u.platform = 'web' AND u.account = $1",
    )
    .bind(account)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Adds `points` (when not 0) to `account`'s entry of `ledger`, reached when the server
/// says, which must be in the test clock's `window` around the call that moved them.
async fn record_move(
    ledger: &mut HashMap<String, Ledger>,
    pool: &sqlx::AnyPool,
    account: &str,
    points: i64,
    window: std::ops::RangeInclusive<i64>,
) {
    if points != 0 {
        let at = reached_at(pool, account).await;
        assert!(
            window.contains(&at),
            "{account} reached at {at}, not in {window:?}"
        );
        let entry = ledger.entry(account.to_owned()).or_default();
        entry.points += points;
        entry.reached_at = at;
    }
}

#[tokio::test]
async fn order_and_places_equal_a_brute_force_ranking_with_many_ties() {
    let (app, org) = board_app().await;
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let accounts: Vec<String> = (0..30).map(|i| format!("u{i:02}")).collect();
    let mut tokens = HashMap::new();
    let mut ledger: HashMap<String, Ledger> = HashMap::new();
    let pool = app.raw_pool().await;
    for step in 0..260 {
        let account = &accounts[rng.gen_range(0..accounts.len())];
        let before = app.state.clock.now();
        let moved = if rng.gen_bool(0.3) {
            let token = match tokens.get(account) {
                Some(token) => token,
                None => tokens
                    .entry(account.clone())
                    .or_insert(app.user_token(&org, account).await),
            };
            let title = format!("T{}", rng.gen_range(1..=3));
            let visit = json!({"type": "visit_link"});
            let done = app.attempt_titled(WIDGET, token, &title, visit).await;
            done["points_awarded"].as_i64().unwrap()
        } else {
            // Mostly small, sometimes across 2^7 and 2^14 bands of scores.
            let points = [1, 1, 2, 3, 5, -1, -2, -4, 150, -200, 20_000][rng.gen_range(0..11)];
            let negative = rng.gen_bool(0.2);
            award(&app, &org, account, &format!("r{step}"), points, negative).await
        };
        let window = before..=app.state.clock.now();
        record_move(&mut ledger, &pool, account, moved, window).await;
        // The mover's place, read right after each change (from the board held in memory
        // once loaded, kept by the moves), is the brute force's.
        if ledger.contains_key(account) {
            let expected = brute_force(&ledger, &user_ids(&pool).await);
            check_place(&app, &org, &expected, account, 1).await;
        }
        // Mostly the same second (ties on time too), sometimes across 2^7, 2^14 and 2^21
        // second bands.
        let jump = [0, 0, 0, 0, 1, 100, 700, 20_000, 3_000_000][rng.gen_range(0..9)];
        app.state.clock.advance(jump);
    }
    let expected = brute_force(&ledger, &user_ids(&pool).await);
    let ties = expected
        .windows(2)
        .filter(|w| w[0].1.points == w[1].1.points)
        .count();
    assert!(ties >= 5, "the history has ties ({ties})");

    check_board(&app, &org, &expected).await;
    // A board built again from the history alone is the same board.
    app.state.db.rebuild_all_time_boards().await.unwrap();
    check_board(&app, &org, &expected).await;
    // Counters rebuilt by the migration that set their levels are the same counters.
    let migration = match app.state.db.backend() {
        Backend::Sqlite => include_str!("../../migrations/sqlite/0017_leaderboard_levels.sql"),
        Backend::Postgres => {
            include_str!("../../migrations/postgres/0017_leaderboard_levels.sql")
        }
    };
    sqlx::raw_sql(migration).execute(&pool).await.unwrap();
    check_board(&app, &org, &expected).await;
    // Someone who never scored has no place.
    let nobody = get_board(&app, &org, "account=nobody&platform=web").await;
    assert_eq!(nobody["me"], Value::Null);
}

/// Users' ids by account.
async fn user_ids(pool: &sqlx::AnyPool) -> HashMap<String, String> {
    sqlx::query_as::<_, (String, String)>("SELECT account, id FROM users WHERE platform = 'web'")
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// The brute force: more points first, then the earlier, then the smaller user id.
fn brute_force<'a>(
    ledger: &'a HashMap<String, Ledger>,
    ids: &HashMap<String, String>,
) -> Vec<(&'a String, Ledger)> {
    let mut expected: Vec<(&String, Ledger)> = ledger.iter().map(|(a, l)| (a, *l)).collect();
    expected.sort_by(|(a, x), (b, y)| {
        (-x.points, x.reached_at, &ids[*a]).cmp(&(-y.points, y.reached_at, &ids[*b]))
    });
    expected
}

/// `account`'s place, points and `around` neighbours each side are `expected`'s.
async fn check_place(
    app: &TestApp,
    org: &Org,
    expected: &[(&String, Ledger)],
    account: &str,
    around: usize,
) {
    let index = expected.iter().position(|(a, _)| *a == account).unwrap();
    let board = get_board(
        app,
        org,
        &format!("limit=1&account={account}&platform=web&around={around}"),
    )
    .await;
    let me = &board["me"];
    assert_eq!(me["place"], index as i64 + 1, "{account}");
    assert_eq!(me["points"], expected[index].1.points, "{account}");
    let rows: Vec<&str> = me["around"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["account"].as_str().unwrap())
        .collect();
    let from = index.saturating_sub(around);
    let to = (index + around + 1).min(expected.len());
    let want: Vec<&str> = expected[from..to].iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(rows, want, "{account}, around={around}");
}

/// The board's top rows, and each user's place and neighbours, are `expected`'s.
async fn check_board(app: &TestApp, org: &Org, expected: &[(&String, Ledger)]) {
    let board = get_board(app, org, "limit=1000").await;
    let top: Vec<(String, i64, i64)> = board["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["account"].as_str().unwrap().to_owned(),
                r["points"].as_i64().unwrap(),
                r["place"].as_i64().unwrap(),
            )
        })
        .collect();
    let wanted: Vec<(String, i64, i64)> = expected
        .iter()
        .zip(1..)
        .map(|((account, l), place)| ((*account).clone(), l.points, place))
        .collect();
    assert_eq!(top, wanted);

    for (index, (account, _)) in expected.iter().enumerate() {
        // Neighbours none, a few, and more than a tie's parts hold.
        check_place(app, org, expected, account, [2, 0, 5][index % 3]).await;
    }
}

/// The first `limit` rows of the all-time board: (account, points, name).
async fn top_of(app: &TestApp, org: &Org, limit: usize) -> Vec<(String, i64, Value)> {
    let board = get_board(app, org, &format!("limit={limit}")).await;
    let rows = board["top"].as_array().unwrap().iter().zip(1..);
    rows.map(|(r, place)| {
        assert_eq!(r["place"], place, "{board}");
        let account = r["account"].as_str().unwrap().to_owned();
        (account, r["points"].as_i64().unwrap(), r["name"].clone())
    })
    .collect()
}

#[tokio::test]
async fn the_top_read_after_every_change_equals_a_brute_force_ranking() {
    // More users than a remembered top holds, so changes below it, into it, out of it
    // and inside it all happen (the server may answer the top from memory: it must never
    // answer a stale one).
    let (app, org) = board_app().await;
    let mut rng = StdRng::seed_from_u64(0x70b);
    let accounts: Vec<String> = (0..130).map(|i| format!("u{i:03}")).collect();
    let mut ledger: HashMap<String, Ledger> = HashMap::new();
    let mut names: HashMap<String, String> = HashMap::new();
    let pool = app.raw_pool().await;
    for (i, account) in accounts.iter().enumerate() {
        let points = rng.gen_range(1..=40);
        let before = app.state.clock.now();
        let applied = award(&app, &org, account, &format!("seed-{i}"), points, false).await;
        let window = before..=app.state.clock.now();
        record_move(&mut ledger, &pool, account, applied, window).await;
        app.state.clock.advance(rng.gen_range(0..=1));
    }
    let ids: HashMap<String, String> = sqlx::query_as::<_, (String, String)>(
        "SELECT account, id FROM users WHERE platform = 'web'",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    for step in 0..150 {
        let account = &accounts[rng.gen_range(0..accounts.len())];
        let before = app.state.clock.now();
        let applied = match rng.gen_range(0..10) {
            0..=2 => {
                let token = app.user_token(&org, account).await;
                let title = format!("T{}", rng.gen_range(1..=3));
                let visit = json!({"type": "visit_link"});
                let done = app.attempt_titled(WIDGET, &token, &title, visit).await;
                done["points_awarded"].as_i64().unwrap()
            }
            3 => {
                // A new name, shown on the board.
                let name = format!("Name{step}");
                let path = format!("/token?account={account}&platform=web&name={name}");
                let response = app.get_as(&path, &org.api_token).await;
                assert_eq!(response.status, StatusCode::OK, "{}", response.text);
                names.insert(account.clone(), name);
                0
            }
            _ => {
                let points = [1, 2, 3, -1, -3, 25, -25, 60][rng.gen_range(0..8)];
                award(&app, &org, account, &format!("r{step}"), points, false).await
            }
        };
        let window = before..=app.state.clock.now();
        record_move(&mut ledger, &pool, account, applied, window).await;
        app.state.clock.advance(rng.gen_range(0..=1));

        let mut expected: Vec<(&String, &Ledger)> = ledger.iter().collect();
        expected.sort_by_key(|(account, l)| (-l.points, l.reached_at, &ids[*account]));
        let limit = if step % 5 == 0 { 7 } else { 100 };
        let wanted: Vec<(String, i64, Value)> = expected
            .iter()
            .take(limit)
            .map(|(account, l)| {
                let name = names.get(*account).map_or(Value::Null, |n| json!(n));
                ((*account).clone(), l.points, name)
            })
            .collect();
        assert_eq!(top_of(&app, &org, limit).await, wanted, "step {step}");
    }
}

#[tokio::test]
async fn moves_and_renames_through_one_instance_reach_the_top_another_remembers() {
    let (first, org) = board_app().await;
    let second = first.another_instance().await;
    award(&first, &org, "ann", "a1", 5, false).await;
    let accounts = |top: Vec<(String, i64, Value)>| {
        top.into_iter()
            .map(|(account, points, name)| (account, points, name.as_str().map(str::to_owned)))
            .collect::<Vec<_>>()
    };
    let ann = |points| ("ann".to_owned(), points, None);
    // The second instance has read the top, and may answer it from memory from now on.
    for _ in 0..2 {
        assert_eq!(accounts(top_of(&second, &org, 10).await), [ann(5)]);
    }
    award(&first, &org, "bob", "b1", 9, false).await;
    let bob = |name: Option<&str>| ("bob".to_owned(), 9, name.map(str::to_owned));
    eventually("the second instance shows bob's move", || async {
        accounts(top_of(&second, &org, 10).await) == [bob(None), ann(5)]
    })
    .await;
    let named = first
        .get_as("/token?account=bob&platform=web&name=Bobby", &org.api_token)
        .await;
    assert_eq!(named.status, StatusCode::OK, "{}", named.text);
    eventually("the second instance shows bob's new name", || async {
        accounts(top_of(&second, &org, 10).await) == [bob(Some("Bobby")), ann(5)]
    })
    .await;
    // A deduction through the first: ann's points fall on the second.
    award(&first, &org, "ann", "a2", -3, false).await;
    eventually("the second instance shows ann's fall", || async {
        accounts(top_of(&second, &org, 10).await) == [bob(Some("Bobby")), ann(2)]
    })
    .await;
}

/// `account`'s place, and the accounts of the rows one each side.
async fn place_of(app: &TestApp, org: &Org, account: &str) -> (i64, Vec<String>) {
    let board = get_board(
        app,
        org,
        &format!("limit=1&account={account}&platform=web&around=1"),
    )
    .await;
    let me = &board["me"];
    let around = me["around"].as_array().unwrap().iter();
    let accounts = around.map(|r| r["account"].as_str().unwrap().to_owned());
    (me["place"].as_i64().unwrap(), accounts.collect())
}

#[tokio::test]
async fn a_place_read_on_another_instance_follows_the_moves_made_through_the_first() {
    let (first, org) = board_app().await;
    let second = first.another_instance().await;
    award(&first, &org, "ann", "a1", 5, false).await;
    award(&first, &org, "bob", "b1", 3, false).await;
    let accounts = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
    // The second instance reads bob's place, and holds the board from then on.
    for _ in 0..3 {
        assert_eq!(
            place_of(&second, &org, "bob").await,
            (2, accounts(&["ann", "bob"]))
        );
    }
    // A newcomer above bob, through the first instance.
    award(&first, &org, "cat", "c1", 9, false).await;
    eventually("the second instance places bob third", || async {
        place_of(&second, &org, "bob").await == (3, accounts(&["ann", "bob"]))
    })
    .await;
    // A deduction takes cat below bob.
    award(&first, &org, "cat", "c2", -8, false).await;
    eventually("the second instance places bob second again", || async {
        place_of(&second, &org, "bob").await == (2, accounts(&["ann", "bob", "cat"]))
    })
    .await;
    assert_eq!(
        place_of(&first, &org, "cat").await,
        (3, accounts(&["bob", "cat"]))
    );
}

/// Fills the board campaign with `users` users (`p<i>`), each with a random set of its
/// three tasks completed at random seconds of a short span (many ties, on points and on
/// time), straight into the database, and builds its all-time board from them.
async fn seed_board(app: &TestApp, users: usize, rng: &mut StdRng) {
    let pool = app.raw_pool().await;
    let tasks: Vec<(String, i64)> = sqlx::query_as(
        "SELECT t.id, t.points FROM tasks t JOIN quests q ON q.id = t.quest_id
         JOIN campaigns c ON c.id = q.campaign_id WHERE c.slug = 'board'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let organization: String =
        sqlx::query_scalar("SELECT organization_id FROM campaigns WHERE slug = 'board'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let mut tx = pool.begin().await.unwrap();
    for i in 0..users {
        sqlx::query(
            "INSERT INTO users (id, organization_id, platform, account, created_at)
             VALUES ($1, $2, 'web', $3, 0)",
        )
        .bind(format!("id{i}"))
        .bind(&organization)
        .bind(format!("p{i}"))
        .execute(&mut *tx)
        .await
        .unwrap();
        for (task, points) in &tasks {
            if rng.gen_bool(0.5) {
                continue;
            }
            sqlx::query(
                "INSERT INTO task_completions (user_id, task_id, slot, points, created_at)
                 VALUES ($1, $2, 0, $3, $4)",
            )
            .bind(format!("id{i}"))
            .bind(task)
            .bind(*points)
            .bind(rng.gen_range(0..20_i64))
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
    app.state.db.rebuild_all_time_boards().await.unwrap();
}

/// Every account on the board campaign's all-time board, in the board's order, from the
/// database.
async fn brute_force_order(app: &TestApp) -> Vec<String> {
    let pool = app.raw_pool().await;
    let mut rows: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT u.account, e.neg_points, e.reached_at, e.user_id
         FROM leaderboard_entries e JOIN users u ON u.id = e.user_id
         JOIN campaigns c ON c.id = e.campaign_id
         WHERE c.slug = 'board' AND e.period = 'all'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    rows.sort_by(|a, b| (a.1, a.2, &a.3).cmp(&(b.1, b.2, &b.3)));
    rows.into_iter().map(|row| row.0).collect()
}

#[tokio::test]
async fn a_board_loaded_in_pages_while_its_rows_move_places_everyone_as_the_database_does() {
    // More rows than a page of a board's load (1,000), with ties across the pages' edges.
    const USERS: usize = 2_500;
    let (app, org) = board_app().await;
    let mut rng = StdRng::seed_from_u64(0xb0a4d);
    seed_board(&app, USERS, &mut rng).await;
    // The first place read starts the load; moves are committed while it reads its pages.
    let (_, ()) = tokio::join!(place_of(&app, &org, "p0"), async {
        for step in 0..40 {
            let account = format!("p{}", rng.gen_range(0..USERS));
            let points = [1, 2, -1, 4, -2][step % 5];
            award(&app, &org, &account, &format!("m{step}"), points, false).await;
        }
    });
    // Users who completed nothing have no row.
    let order = brute_force_order(&app).await;
    let rows = order.len();
    assert!(rows > 2_000, "{rows} rows");
    eventually("the board is held in memory", || async {
        app.state.db.leaderboard_rows_held() == rows
    })
    .await;
    // Places at the pages' edges, at both ends, and a random sample.
    let mut places: Vec<usize> = vec![0, 1, 998, 999, 1000, 1001, 1999, 2000, rows - 1];
    places.extend((0..150).map(|_| rng.gen_range(0..rows)));
    for at in places {
        let around: Vec<String> = order[at.saturating_sub(1)..(at + 2).min(rows)].to_vec();
        assert_eq!(
            place_of(&app, &org, &order[at]).await,
            (at as i64 + 1, around),
            "{}",
            order[at]
        );
    }
}

#[tokio::test]
async fn a_new_week_and_month_start_empty_and_all_time_keeps_everything() {
    let (app, org) = board_app().await;
    award(&app, &org, "ann", "a-1", 10, false).await;
    award(&app, &org, "bob", "b-1", 4, false).await;
    let week = get_board(&app, &org, "period=week").await;
    assert!(
        week["board"].as_str().unwrap().starts_with("week:"),
        "{week}"
    );
    assert_eq!(week["top"][0]["account"], "ann");
    app.state.clock.advance(40 * 86_400);
    award(&app, &org, "bob", "b-2", 7, false).await;
    for period in ["week", "month"] {
        let board = get_board(&app, &org, &format!("period={period}")).await;
        let rows = board["top"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{period}: {board}");
        assert_eq!(rows[0]["account"], "bob");
        assert_eq!(rows[0]["points"], 7);
    }
    let all = get_board(&app, &org, "period=all").await;
    assert_eq!(all["top"][0]["account"], "bob");
    assert_eq!(all["top"][0]["points"], 11);
    assert_eq!(all["top"][1]["points"], 10);
}

#[tokio::test]
async fn bad_leaderboard_queries_get_a_clear_error() {
    let (app, org) = board_app().await;
    for query in [
        "period=year",
        "limit=0",
        "limit=1001",
        "around=51",
        "limit=abc",
        "platform=",
    ] {
        app.get_as(&format!("{BOARD}?{query}"), &org.api_token)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    let other = app.org("globex").await;
    app.get_as(BOARD, &other.api_token)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn an_empty_board_has_no_rows_and_an_unknown_campaign_is_not_found() {
    let (app, org) = board_app().await;
    for period in ["all", "week", "month"] {
        let board = get_board(&app, &org, &format!("period={period}&account=ann")).await;
        assert_eq!(board["top"], json!([]), "{period}: {board}");
        assert_eq!(board["me"], Value::Null, "{period}: {board}");
    }
    for period in ["all", "week"] {
        app.get_as(
            &format!("/v1/campaigns/nope/leaderboard?period={period}"),
            &org.api_token,
        )
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
}
