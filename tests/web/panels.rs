//! The leaderboard and rewards tabs as `public/panels.js` writes them, in the browser, from
//! answers written by serde from their `questlet-types` types (so a renamed field fails
//! here): the user's row and the gap before it, names kept as text, conditions, the claim
//! button, a claimed code, and a claim announced through the widget's callback.

use questlet_types::leaderboard::{WidgetLeaderboardResponse, WidgetLeaderboardRow};
use questlet_types::rewards::{
    ConditionKind, ConditionView, RewardClaimView, RewardKind, RewardView, RewardsResponse,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use crate::support::{fresh_host, until};

/// Imports the shipped `panels.js` (as a module from a blob URL) and answers its exports.
async fn panels_module() -> JsValue {
    let source = js_sys::Array::of1(&include_str!("../../public/panels.js").into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&source, &options).unwrap();
    let url = web_sys::Url::create_object_url_with_blob(&blob).unwrap();
    let import = js_sys::Function::new_with_args("url", "return import(url);");
    let promise: js_sys::Promise = import.call1(&JsValue::NULL, &url.into()).unwrap().into();
    JsFuture::from(promise).await.unwrap()
}

/// Makes `fetch` answer `body` (JSON) with status `status`, recording each request's URL
/// and method in `window.__fetched`, until [`restore_fetch`].
fn stub_fetch(status: u16, body: &str) {
    let script = format!(
        "window.__realFetch = window.__realFetch || window.fetch;
         window.__fetched = [];
         window.fetch = function (url, init) {{
             window.__fetched.push((init && init.method || 'GET') + ' ' + url);
             return Promise.resolve(new Response({body:?}, {{ status: {status},
                 headers: {{ 'Content-Type': 'application/json' }} }}));
         }};"
    );
    js_sys::eval(&script).unwrap();
}

/// Gives `fetch` back (the other tests reach the network, or fail to).
fn restore_fetch() {
    js_sys::eval("if (window.__realFetch) { window.fetch = window.__realFetch; }").unwrap();
}

/// Shows a tab of `kind` with `panels.js` in a fresh element, as user `token`; answers the
/// element.
async fn show(kind: &str, token: &str) -> web_sys::Element {
    let module = panels_module().await;
    let element = fresh_host();
    let options = js_sys::eval(&format!(
        "({{ kind: '{kind}', url: 'http://127.0.0.1:9/v1/widget/acme/campaigns/launch',
            token: '{token}', points: 'XP',
            texts: {{ all_time: 'All time', this_week: 'This week', this_month: 'This month',
                     no_one_yet: 'No one yet', claim: 'Claim', claimed: 'Claimed', copy: 'Copy',
                     none_left: 'None left', complete: 'Complete', rank: 'Rank', top: 'Top' }},
            claimed: function (key, title, kind) {{ window.__claimed = [key, title, kind]; }} }})"
    ))
    .unwrap();
    let show = js_sys::Reflect::get(&module, &"show".into()).unwrap();
    let promise: js_sys::Promise = show
        .unchecked_ref::<js_sys::Function>()
        .call2(&JsValue::NULL, &element, &options)
        .unwrap()
        .into();
    JsFuture::from(promise).await.unwrap();
    element
}

/// The claims announced so far (`window.__claimed`), joined by commas.
fn claimed_names() -> String {
    js_sys::eval("(window.__claimed || []).join(',')")
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

fn texts(element: &web_sys::Element, selector: &str) -> Vec<String> {
    let found = element.query_selector_all(selector).unwrap();
    (0..found.length())
        .map(|i| found.get(i).unwrap().text_content().unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn the_board_marks_the_users_row_after_a_gap_and_keeps_names_as_text() {
    let row = |place: i64, name: &str, points: i64, me: bool| WidgetLeaderboardRow {
        place,
        name: name.into(),
        points,
        me,
    };
    let board = WidgetLeaderboardResponse {
        board: "all".into(),
        rows: vec![
            row(1, "<img src=x onerror=alert(1)>", 90, false),
            row(2, "Bob", 80, false),
            row(41, "Cy", 12, false),
            row(42, "Me", 11, true),
        ],
    };
    stub_fetch(200, &serde_json::to_string(&board).unwrap());
    let element = show("leaderboard", "t").await;
    assert_eq!(
        texts(&element, "[part=leaderboard-row]"),
        [
            "1<img src=x onerror=alert(1)>90",
            "2Bob80",
            "41Cy12",
            "42Me11"
        ]
    );
    assert!(element.query_selector("img").unwrap().is_none());
    let mine = element
        .query_selector("[aria-current=true]")
        .unwrap()
        .unwrap();
    assert_eq!(mine.text_content().unwrap(), "42Me11");
    let gap = texts(&element, ".ql-board__row--gap");
    assert_eq!(gap, ["41Cy12"]);
    // The periods: all time pressed; this week asks the week's board.
    assert_eq!(texts(&element, "[aria-pressed=true]"), ["All time"]);
    let week: web_sys::HtmlElement = element
        .query_selector("[data-period='1']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    week.click();
    until(|| texts(&element, "[aria-pressed=true]") == ["This week"]).await;
    let fetched = js_sys::eval("window.__fetched.join('|')")
        .unwrap()
        .as_string()
        .unwrap();
    assert!(
        fetched.ends_with(
            "GET http://127.0.0.1:9/v1/widget/acme/campaigns/launch/leaderboard?period=week"
        ),
        "{fetched}"
    );
    assert_eq!(texts(&element, "[aria-pressed=true]"), ["This week"]);
    restore_fetch();
}

#[wasm_bindgen_test]
async fn rewards_show_conditions_a_claim_button_and_a_claimed_code() {
    let condition = |kind, value, name: &str, met| ConditionView {
        kind,
        value,
        name: name.into(),
        met,
    };
    let reward = |key: &str, kind, claimable, left, claim| RewardView {
        key: key.into(),
        title: key.to_uppercase(),
        description_html: "<p>Sanitized <strong>on the server</strong></p>".into(),
        image_url: None,
        kind,
        conditions: vec![
            condition(ConditionKind::Points, 100, "", Some(true)),
            condition(ConditionKind::Quest, 0, "Welcome", Some(false)),
            condition(ConditionKind::Top, 10, "week", None),
        ],
        claimable,
        left,
        claim,
    };
    let list = RewardsResponse {
        rewards: vec![
            reward("hoodie", RewardKind::Custom, true, None, None),
            reward("stickers", RewardKind::GiftCode, false, Some(0), None),
            reward(
                "voucher",
                RewardKind::GiftCode,
                false,
                Some(3),
                Some(RewardClaimView {
                    reward: "voucher".into(),
                    code: Some("\"CODE-1\"".into()),
                    claimed_at: 1,
                }),
            ),
        ],
    };
    stub_fetch(200, &serde_json::to_string(&list).unwrap());
    let element = show("rewards", "t").await;
    let hoodie = element
        .query_selector("[data-reward=hoodie]")
        .unwrap()
        .unwrap();
    assert_eq!(
        texts(&hoodie, ".ql-condition"),
        ["100 XP", "Complete: Welcome", "Top 10 · This week"]
    );
    assert_eq!(texts(&hoodie, "[data-met=true]"), ["100 XP"]);
    assert!(hoodie.query_selector("strong").unwrap().is_some());
    let claim = hoodie
        .query_selector("[part=reward-claim]")
        .unwrap()
        .unwrap();
    assert!(!claim.has_attribute("disabled"));
    assert_eq!(
        texts(&element, "[data-reward=stickers] [part=note]"),
        ["None left"]
    );
    let code: web_sys::HtmlInputElement = element
        .query_selector("[data-reward=voucher] [part=reward-code]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(code.value(), "\"CODE-1\"");

    // A claim: POSTed with the user's token, announced, and the list read again.
    stub_fetch(200, r#"{"reward":"hoodie","code":null,"claimed_at":2}"#);
    js_sys::eval("window.__claimed = []").unwrap();
    claim.unchecked_ref::<web_sys::HtmlElement>().click();
    until(|| !claimed_names().is_empty()).await;
    assert_eq!(
        js_sys::eval("window.__fetched[0]")
            .unwrap()
            .as_string()
            .as_deref(),
        Some("POST http://127.0.0.1:9/v1/widget/acme/campaigns/launch/rewards/hoodie/claim")
    );
    assert_eq!(claimed_names(), "hoodie,HOODIE,custom");
    restore_fetch();
}

#[wasm_bindgen_test]
async fn a_refused_claim_shows_why_and_the_button_works_again() {
    let list = RewardsResponse {
        rewards: vec![RewardView {
            key: "hoodie".into(),
            title: "Hoodie".into(),
            description_html: String::new(),
            image_url: None,
            kind: RewardKind::GiftCode,
            conditions: vec![],
            claimable: true,
            left: Some(1),
            claim: None,
        }],
    };
    stub_fetch(200, &serde_json::to_string(&list).unwrap());
    let element = show("rewards", "t").await;
    stub_fetch(
        409,
        r#"{"error":"none_left","message":"reward hoodie: every code has been given"}"#,
    );
    let claim: web_sys::HtmlElement = element
        .query_selector("[part=reward-claim]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    claim.click();
    until(|| !texts(&element, "[part=note]").is_empty()).await;
    assert_eq!(
        texts(&element, "[part=note]"),
        ["reward hoodie: every code has been given"]
    );
    assert!(!claim.has_attribute("disabled"));
    restore_fetch();
}
