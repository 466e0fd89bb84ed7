//! Components rendered from fixed data inside a widget context: no network.

use leptos::prelude::*;
use questlet::components::error_box::ErrorBox;
use questlet::context::{PopupBody, PopupContent};
use questlet_types::{PopupView, TaskAgain};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::support::{
    campaign, click, fresh_container, mount_campaign, next_frame, record_events, tick, Mounted,
};

#[wasm_bindgen_test]
async fn a_locked_card_names_the_quests_that_unlock_it_and_an_empty_group_says_so() {
    let mut data = campaign();
    data.user = None;
    data.groups[0].quests[1].prerequisites = vec!["welcome".into(), "gone".into()];
    data.groups[1].quests.clear();
    let page = mount_campaign(data, None, "en");
    tick().await;
    let c = &page.container;
    let unlock = c
        .query_selector("[data-status=locked] .ql-card__unlock")
        .unwrap()
        .expect("the locked card says what unlocks it");
    assert_eq!(unlock.text_content().unwrap(), "Unlocks after Welcome");
    assert!(c.query_selector("[part=empty]").unwrap().is_none());
    click(c, "[part=group-tab]:nth-of-type(2)");
    tick().await;
    let empty = c
        .query_selector("[part=empty]")
        .unwrap()
        .expect("an empty state");
    assert_eq!(
        empty.text_content().unwrap(),
        "No quests here yet. Check back soon."
    );
}

#[wasm_bindgen_test]
async fn campaign_page_shows_header_tabs_and_the_first_groups_cards() {
    let page = mount_campaign(campaign(), Some("t"), "en");
    tick().await;
    let c = &page.container;
    let title = c.query_selector("[part=campaign-title]").unwrap().unwrap();
    assert_eq!(title.text_content().unwrap().trim(), "Launch");
    assert!(c
        .query_selector("[part=campaign-description] strong")
        .unwrap()
        .is_some());
    assert_eq!(
        c.query_selector_all("[part=group-tab]").unwrap().length(),
        2
    );
    assert_eq!(
        c.query_selector_all("[part=quest-card]").unwrap().length(),
        2
    );
    let locked = c
        .query_selector("[part=quest-card][data-status=locked]")
        .unwrap()
        .unwrap();
    assert!(
        locked.has_attribute("disabled"),
        "locked quests cannot be opened"
    );
    // Each card's progress bar.
    assert_eq!(
        c.query_selector_all("[part=quest-progress]")
            .unwrap()
            .length(),
        2
    );
    // The host carries how many tasks the user can work on: the third quest's (the first
    // is completed, the second locked).
    assert_eq!(
        c.get_attribute("data-questlet-available").as_deref(),
        Some("26")
    );
    let points = c.query_selector("[part=points]").unwrap().unwrap();
    assert_eq!(points.text_content().unwrap(), "60 XP");
    let rank = c.query_selector("[part=rank]").unwrap().unwrap();
    assert_eq!(rank.text_content().unwrap(), "Rookie");
    // The leaderboard's tab, then the rewards' (the campaign has some).
    let panels: Vec<String> = (0..2)
        .map(|i| {
            let tabs = c.query_selector_all("[part=panel-tab]").unwrap();
            tabs.get(i).unwrap().text_content().unwrap()
        })
        .collect();
    assert_eq!(panels, ["Leaderboard", "Rewards"]);
}

/// Replaces the loader's `Questlet.__panel` with one that records each call's element and
/// options in `window.__panels`.
fn stub_panels() {
    js_sys::eval(
        "window.__panels = [];
         window.Questlet = { __panel: function (element, options) {
             window.__panels.push({ element: element, options: options });
             return Promise.resolve();
         } };",
    )
    .unwrap();
}

#[wasm_bindgen_test]
async fn a_panel_tab_hands_panels_js_the_campaign_the_user_and_the_words_and_announces_claims() {
    stub_panels();
    let page = mount_campaign(campaign(), Some("t"), "de");
    let events = record_events(&page.container, &["reward_claimed"]);
    tick().await;
    click(&page.container, "[part=panel-tab]:last-of-type");
    tick().await;
    let calls = js("window.__panels.length").as_f64();
    assert_eq!(calls, Some(1.0));
    assert_eq!(
        js("JSON.stringify(window.__panels[0].options, ['kind', 'url', 'token', 'points'])")
            .as_string()
            .unwrap(),
        r#"{"kind":"rewards","url":"http://127.0.0.1:9/v1/widget/acme/campaigns/launch","token":"t","points":"XP"}"#
    );
    // The words in the widget's language; the panel is the widget's own element.
    assert_eq!(
        js("window.__panels[0].options.texts.claim")
            .as_string()
            .as_deref(),
        Some("Einlösen")
    );
    assert_eq!(
        js("window.__panels[0].element.className")
            .as_string()
            .as_deref(),
        Some("ql-panel")
    );
    js("window.__panels[0].options.claimed('hoodie', 'Hoodie', 'custom')");
    assert_eq!(*events.borrow(), ["reward_claimed"]);
    // A new user token reads the tab again, for that user.
    page.ctx.user_token.set(Some("u2".into()));
    tick().await;
    assert_eq!(
        js("window.__panels.length > 1 && window.__panels[window.__panels.length - 1].options.token")
            .as_string()
            .as_deref(),
        Some("u2")
    );
    // The leaderboard's tab asks for the board.
    click(&page.container, "[part=panel-tab]");
    tick().await;
    assert_eq!(
        js("window.__panels[window.__panels.length - 1].options.kind")
            .as_string()
            .as_deref(),
        Some("leaderboard")
    );
}

#[wasm_bindgen_test]
async fn clicking_a_group_tab_shows_its_quests() {
    let page = mount_campaign(campaign(), None, "en");
    tick().await;
    let c = &page.container;
    let tabs = c.query_selector_all("[part=group-tab]").unwrap();
    let second: web_sys::HtmlElement = tabs.get(1).unwrap().unchecked_into();
    second.click();
    tick().await;
    assert_eq!(
        c.query_selector_all("[part=quest-card]").unwrap().length(),
        1
    );
    assert_eq!(
        second.get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    let card_title = c.query_selector(".ql-card__title").unwrap().unwrap();
    assert_eq!(card_title.text_content().unwrap(), "Community quest");
}

#[wasm_bindgen_test]
async fn opening_a_quest_shows_a_component_for_each_task_type_and_back_returns() {
    let page = mount_campaign(campaign(), Some("t"), "en");
    let events = record_events(&page.container, &["quest_opened"]);
    tick().await;
    click(&page.container, "[part=group-tab]:nth-child(2)");
    tick().await;
    click(&page.container, "[part=quest-card]");
    tick().await;
    let c = &page.container;
    assert!(c.query_selector("[part=quest]").unwrap().is_some());
    assert_eq!(*events.borrow(), ["quest_opened"]);
    let kinds: Vec<String> = (0..c.query_selector_all("[part=task]").unwrap().length())
        .map(|i| {
            let task: web_sys::Element = c
                .query_selector_all("[part=task]")
                .unwrap()
                .get(i)
                .unwrap()
                .unchecked_into();
            task.get_attribute("data-kind").unwrap()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "visit_link",
            "secret_code",
            "quiz",
            "poll",
            "form",
            "api",
            "invite_code",
            "custom",
            "custom",
            "proof_of_work",
            "http_request",
            "daily_check_in",
            "referral",
            "telegram_join",
            "telegram_boost",
            "discord_join",
            "x_follow",
            "x_repost",
            "youtube_subscribe",
            "tiktok_follow",
            "native_balance",
            "erc20_balance",
            "erc721_owner",
            "erc1155_balance",
            "transaction_count",
            "contract_transaction"
        ]
    );
    // A referral task: the user's link to share, and a button that counts their friends.
    let friends = c.query_selector("[data-kind=referral]").unwrap().unwrap();
    let link: web_sys::HtmlInputElement = friends
        .query_selector("[part=task-input]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(
        link.value(),
        "https://acme.example/quests?ql_ref=abcdefghjk23"
    );
    assert!(link.read_only());
    assert_eq!(
        friends
            .query_selector("[part=task-submit]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Check"
    );
    // A social task is a link to open.
    let telegram = c
        .query_selector("[data-kind=telegram_join] a[href='https://t.me/questlet']")
        .unwrap();
    assert!(telegram.is_some(), "the channel's link");
    // A daily check-in with a live streak (checked in yesterday): the button and the streak.
    let daily = c
        .query_selector("[data-kind=daily_check_in]")
        .unwrap()
        .unwrap();
    assert_eq!(
        daily
            .query_selector("[part=task-state]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "🔥 3"
    );
    assert_eq!(
        daily
            .query_selector("[part=task-submit]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Check in"
    );
    // An HTTP request task: a button that asks the server to check.
    let check = c
        .query_selector("[data-kind=http_request]")
        .unwrap()
        .unwrap();
    assert!(check.query_selector("[part=task-input]").unwrap().is_none());
    assert_eq!(
        check
            .query_selector("[part=task-submit]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Check"
    );
    // On-chain checks: a button each that asks the server to check the user's wallet.
    for kind in [
        "native_balance",
        "erc20_balance",
        "erc721_owner",
        "erc1155_balance",
        "transaction_count",
    ] {
        let task = c
            .query_selector(&format!("[data-kind={kind}]"))
            .unwrap()
            .unwrap();
        assert!(task.query_selector("[part=task-input]").unwrap().is_none());
        let button = task.query_selector("[part=task-submit]").unwrap().unwrap();
        assert_eq!(button.text_content().unwrap(), "Check", "{kind}");
    }
    // A contract transaction: a field for the transaction's hash.
    let hash: web_sys::HtmlInputElement = c
        .query_selector("[data-kind=contract_transaction] [part=task-input]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(hash.placeholder(), "Transaction hash (0x…)");
    assert_eq!(
        c.query_selector_all("[data-kind=invite_code] [part=task-input]")
            .unwrap()
            .length(),
        1
    );
    // An api task: nothing to enter, and it says how it completes.
    let api = c.query_selector("[data-kind=api]").unwrap().unwrap();
    assert!(api.query_selector("[part=task-input]").unwrap().is_none());
    assert!(api.query_selector("[part=task-submit]").unwrap().is_none());
    assert_eq!(
        api.query_selector("[part=task-state]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Completes by itself once you do it on our site"
    );
    // Quiz: 2 questions x 2 options; poll: 3 options; form: 2 fields; code: 1 input.
    assert_eq!(
        c.query_selector_all("[data-kind=quiz] [part=task-input]")
            .unwrap()
            .length(),
        4
    );
    assert_eq!(
        c.query_selector_all("[data-kind=poll] [part=task-input]")
            .unwrap()
            .length(),
        3
    );
    assert_eq!(
        c.query_selector_all("[data-kind=form] [part=task-input]")
            .unwrap()
            .length(),
        2
    );
    assert_eq!(
        c.query_selector_all("[data-kind=secret_code] [part=task-input]")
            .unwrap()
            .length(),
        1
    );
    click(c, "[part=quest-back]");
    tick().await;
    assert!(c.query_selector("[part=quest]").unwrap().is_none());
    assert!(c.query_selector("[part=campaign]").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn trying_a_task_without_a_user_token_asks_for_login() {
    let page = mount_campaign(campaign(), None, "en");
    let events = record_events(&page.container, &["login_required", "task_started"]);
    open_every_type_quest(&page).await;
    click(
        &page.container,
        "[data-kind=secret_code] [part=task-submit]",
    );
    tick().await;
    assert_eq!(
        *events.borrow(),
        ["login_required"],
        "no attempt is started"
    );
    let message = page
        .container
        .query_selector("[data-kind=secret_code] [part=task-message]")
        .unwrap()
        .unwrap();
    assert_eq!(message.text_content().unwrap(), "Log in to complete tasks.");
}

#[wasm_bindgen_test]
async fn completed_tasks_show_as_done_without_inputs() {
    let page = mount_campaign(campaign(), Some("t"), "en");
    tick().await;
    click(&page.container, "[part=quest-card][data-status=completed]");
    tick().await;
    let task = page
        .container
        .query_selector("[part=task]")
        .unwrap()
        .unwrap();
    assert_eq!(
        task.get_attribute("data-state").as_deref(),
        Some("completed")
    );
    assert!(task.query_selector("[part=task-input]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_proof_under_review_waits_and_a_rejected_one_shows_why_and_asks_again() {
    let page = mount_campaign(campaign(), Some("t"), "en");
    open_every_type_quest(&page).await;
    let task = |n: usize| -> web_sys::Element {
        page.container
            .query_selector_all("[data-kind=custom]")
            .unwrap()
            .get(n as u32)
            .unwrap()
            .unchecked_into()
    };
    let state_line = |task: &web_sys::Element| {
        task.query_selector("[part=task-state]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    // Pending: no input, and it says so.
    let pending = task(0);
    assert_eq!(
        pending.get_attribute("data-state").as_deref(),
        Some("pending")
    );
    assert_eq!(state_line(&pending), "⏳ Waiting for review");
    assert!(pending
        .query_selector("[part=task-input]")
        .unwrap()
        .is_none());
    // Rejected: the reviewer's message, and the input to send another proof.
    let rejected = task(1);
    assert_eq!(
        rejected.get_attribute("data-state").as_deref(),
        Some("rejected")
    );
    assert_eq!(state_line(&rejected), "✗ Not accepted · Too short.");
    let input = rejected
        .query_selector("[part=task-input]")
        .unwrap()
        .unwrap();
    assert_eq!(input.get_attribute("type").as_deref(), Some("text"));
    assert_eq!(
        input.get_attribute("placeholder").as_deref(),
        Some("Your story")
    );
}

#[wasm_bindgen_test]
async fn a_link_proof_takes_a_url_and_an_approved_one_shows_the_reviewers_message() {
    let mut data = campaign();
    let user = data.user.as_mut().unwrap();
    user.reviews.clear();
    let page = mount_campaign(data.clone(), Some("t"), "en");
    open_every_type_quest(&page).await;
    let input = page
        .container
        .query_selector("[data-kind=custom] [part=task-input]")
        .unwrap()
        .unwrap();
    assert_eq!(input.get_attribute("type").as_deref(), Some("url"));
    drop(page);

    let user = data.user.as_mut().unwrap();
    user.completed_task_ids = vec!["t-proof".into(), "t1".into()];
    user.reviews = vec![questlet_types::TaskReview {
        task_id: "t-proof".into(),
        state: questlet_types::ReviewState::Approved,
        message: Some("Great post!".into()),
    }];
    let page = mount_campaign(data, Some("t"), "en");
    open_every_type_quest(&page).await;
    let task = page
        .container
        .query_selector("[data-kind=custom]")
        .unwrap()
        .unwrap();
    assert_eq!(
        task.get_attribute("data-state").as_deref(),
        Some("completed")
    );
    assert_eq!(
        task.query_selector("[part=task-state]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "✓ Completed · Great post!"
    );
}

/// Replaces the loader's `Questlet.__solve` with `solver` (JavaScript), which records its
/// arguments in `window.__solveArgs`.
fn stub_solver(solver: &str) {
    js_sys::eval(&format!(
        "window.Questlet = {{ __solve: function (url, token, bar) {{
            window.__solveArgs = [url, token, bar.tagName];
            {solver}
        }} }};"
    ))
    .unwrap();
}

fn js(expression: &str) -> wasm_bindgen::JsValue {
    js_sys::eval(expression).unwrap()
}

#[wasm_bindgen_test]
async fn a_proof_of_work_task_solves_its_puzzle_through_the_loader_and_sends_the_answer() {
    stub_solver("bar.value = 0.5; return Promise.resolve({ challenge: 'c1', nonce: '7' });");
    let page = mount_campaign(campaign(), Some("t"), "en");
    let events = record_events(&page.container, &["task_started"]);
    open_every_type_quest(&page).await;
    let task = page
        .container
        .query_selector("[data-kind=proof_of_work]")
        .unwrap()
        .unwrap();
    let bar = task
        .query_selector("[part=task-progress]")
        .unwrap()
        .unwrap();
    assert_eq!(bar.tag_name(), "PROGRESS");
    click(&task, "[part=task-submit]");
    tick().await;
    tick().await;
    // The puzzle of this task, for this user, into this bar; then the answer is sent.
    assert_eq!(
        js("JSON.stringify(window.__solveArgs)")
            .as_string()
            .unwrap(),
        r#"["http://127.0.0.1:9/v1/widget/acme/campaigns/launch/tasks/t-pow/challenge","t","PROGRESS"]"#
    );
    assert_eq!(
        js_sys::Reflect::get(&bar, &"value".into())
            .unwrap()
            .as_f64(),
        Some(0.5)
    );
    assert_eq!(*events.borrow(), ["task_started"]);
}

#[wasm_bindgen_test]
async fn a_puzzle_that_cannot_be_solved_shows_why_and_the_button_works_again() {
    stub_solver("return Promise.reject(new Error('The puzzle could not be loaded.'));");
    let page = mount_campaign(campaign(), Some("t"), "en");
    let events = record_events(&page.container, &["task_started"]);
    open_every_type_quest(&page).await;
    let task = page
        .container
        .query_selector("[data-kind=proof_of_work]")
        .unwrap()
        .unwrap();
    click(&task, "[part=task-submit]");
    tick().await;
    tick().await;
    let message = task.query_selector("[part=task-message]").unwrap().unwrap();
    assert_eq!(
        message.text_content().unwrap(),
        "The puzzle could not be loaded."
    );
    let button = task.query_selector("[part=task-submit]").unwrap().unwrap();
    assert!(!button.has_attribute("disabled"));
    assert!(events.borrow().is_empty(), "no answer was sent");
}

#[wasm_bindgen_test]
async fn a_users_own_texts_replace_the_contents_where_tags_are_filled_for_them() {
    let mut data = campaign();
    let task = data.groups[1].quests[0].tasks[0].id.clone();
    data.user.as_mut().unwrap().texts = vec![
        questlet_types::TextView {
            key: "campaign".into(),
            html: "<p>Hi &lt;i&gt;Ann&lt;/i&gt;, you have 60 XP</p>".into(),
        },
        questlet_types::TextView {
            key: format!("task:{task}"),
            html: "<p>Yours: 60</p>".into(),
        },
    ];
    let page = mount_campaign(data, Some("t"), "en");
    tick().await;
    let description = page
        .container
        .query_selector("[part=campaign-description]")
        .unwrap()
        .unwrap();
    assert_eq!(
        description.text_content().unwrap(),
        "Hi <i>Ann</i>, you have 60 XP",
        "the user's text, its markup as text"
    );
    assert!(description.query_selector("i").unwrap().is_none());
    open_every_type_quest(&page).await;
    let first = page
        .container
        .query_selector(".ql-task__description")
        .unwrap()
        .unwrap();
    assert_eq!(first.text_content().unwrap(), "Yours: 60");
}

/// Opens the fixture's quest of every task type (the second group's first quest).
async fn open_every_type_quest(page: &Mounted) {
    page.ctx.selected_group.set(1);
    tick().await;
    click(&page.container, "[part=quest-card]");
    tick().await;
}

/// The first task of the first quest (the completed `welcome`, task `t1`) of `data`, shown.
async fn first_task(data: questlet_types::WidgetCampaignResponse) -> (web_sys::Element, Mounted) {
    let page = mount_campaign(data, Some("t"), "en");
    tick().await;
    click(&page.container, "[part=quest-card]");
    tick().await;
    let task = page
        .container
        .query_selector("[part=task]")
        .unwrap()
        .unwrap();
    (task, page)
}

#[wasm_bindgen_test]
async fn a_repeating_task_counts_down_to_its_next_turn_then_opens() {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let mut data = campaign();
    let again = |at| TaskAgain {
        task_id: "t1".into(),
        at,
    };
    data.user.as_mut().unwrap().available_again = vec![again(now + 7_230)];
    let (task, _page) = first_task(data.clone()).await;
    assert_eq!(
        task.get_attribute("data-state").as_deref(),
        Some("completed")
    );
    let state = task.query_selector("[part=task-state]").unwrap().unwrap();
    assert_eq!(
        state.text_content().unwrap(),
        "✓ Completed · Again in 2h 0m"
    );
    assert!(task.query_selector("[part=task-input]").unwrap().is_none());

    // Its turn has come: the task is open again.
    data.user.as_mut().unwrap().available_again = vec![again(now - 10)];
    let (task, _page) = first_task(data).await;
    assert_eq!(
        task.get_attribute("data-state").as_deref(),
        Some("available")
    );
    assert!(task.query_selector("[part=task-input]").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn a_task_outside_its_window_says_when_it_opens_or_that_it_ended() {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let mut data = campaign();
    data.user = None;
    data.groups[0].quests[0].tasks[0].starts_at = Some(now + 90_060);
    let (task, _page) = first_task(data.clone()).await;
    let state = task.query_selector("[part=task-state]").unwrap().unwrap();
    assert_eq!(state.text_content().unwrap(), "Starts in 1d 1h");
    assert!(task.query_selector("[part=task-input]").unwrap().is_none());

    // The quest's window counts too: it ended.
    data.groups[0].quests[0].tasks[0].starts_at = None;
    data.groups[0].quests[0].ends_at = Some(now - 60);
    let (task, _page) = first_task(data.clone()).await;
    let state = task.query_selector("[part=task-state]").unwrap().unwrap();
    assert_eq!(state.text_content().unwrap(), "Ended");
    assert!(task.query_selector("[part=task-input]").unwrap().is_none());

    // Within both, it is open and says when it ends.
    data.groups[0].quests[0].ends_at = Some(now + 3_750);
    let (task, _page) = first_task(data).await;
    let state = task.query_selector("[part=task-state]").unwrap().unwrap();
    assert_eq!(state.text_content().unwrap(), "Ends in 1h 2m");
    assert!(task.query_selector("[part=task-input]").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn popup_takes_focus_traps_tab_closes_on_escape_and_restores_focus() {
    let page = mount_campaign(campaign(), Some("t"), "en");
    let events = record_events(&page.container, &["popup_closed"]);
    tick().await;
    let tab: web_sys::HtmlElement = page
        .container
        .query_selector("[part=group-tab]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    tab.focus().unwrap();
    page.ctx.popup.set(Some(PopupContent {
        kind: "quest_completed",
        title: "Quest completed!".into(),
        body: PopupBody::Text("You earned: 60 XP".into()),
    }));
    tick().await;
    next_frame().await;
    let popup = page.popup().expect("a pop-up");
    assert_eq!(popup.get_attribute("role").as_deref(), Some("dialog"));
    assert_eq!(popup.get_attribute("aria-modal").as_deref(), Some("true"));
    let document = web_sys::window().unwrap().document().unwrap();
    let close = page
        .container
        .query_selector("[part=popup-close]")
        .unwrap()
        .unwrap();
    assert_eq!(
        document.active_element().as_ref(),
        Some(&close),
        "focus moves into the dialog"
    );

    let tab_key = web_sys::KeyboardEventInit::new();
    tab_key.set_key("Tab");
    tab_key.set_bubbles(true);
    tab_key.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &tab_key).unwrap();
    close.dispatch_event(&event).unwrap();
    assert!(event.default_prevented(), "Tab stays inside the dialog");

    let escape = web_sys::KeyboardEventInit::new();
    escape.set_key("Escape");
    escape.set_bubbles(true);
    close
        .dispatch_event(
            &web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &escape).unwrap(),
        )
        .unwrap();
    tick().await;
    assert!(page.popup().is_none());
    assert_eq!(*events.borrow(), ["popup_closed"]);
    let focused = document.active_element().unwrap();
    assert_eq!(
        &focused,
        tab.unchecked_ref::<web_sys::Element>(),
        "focus returns to where it was"
    );
}

#[wasm_bindgen_test]
async fn the_intro_shows_on_a_first_visit_only_and_is_remembered_once_closed() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage
        .remove_item("questlet:intro-seen:acme/launch")
        .unwrap();
    let mut data = campaign();
    data.campaign.intro = Some(PopupView {
        title: "Welcome".into(),
        body_html: "<p>Earn <strong>XP</strong></p>".into(),
    });
    let page = mount_campaign(data.clone(), None, "en");
    let events = record_events(&page.container, &["popup_shown", "popup_closed"]);
    questlet::intro::show_on_first_visit(&page.ctx, &data);
    tick().await;
    let popup = page
        .container
        .query_selector("[part=popup][data-popup=intro]")
        .unwrap()
        .expect("the intro pop-up");
    assert!(popup.text_content().unwrap().contains("Welcome"));
    let bold = popup.query_selector("strong").unwrap().expect("HTML body");
    assert_eq!(bold.text_content().unwrap(), "XP");

    // Shown but not closed: a reload would show it again.
    assert_eq!(
        storage.get_item("questlet:intro-seen:acme/launch").unwrap(),
        None
    );
    click(&page.container, "[part=popup-close]");
    tick().await;
    assert!(page.popup().is_none());
    assert_eq!(*events.borrow(), ["popup_shown", "popup_closed"]);

    // The next visit (another widget of the same campaign) skips it.
    let again = mount_campaign(data.clone(), None, "en");
    questlet::intro::show_on_first_visit(&again.ctx, &data);
    tick().await;
    assert!(again.popup().is_none());

    // A campaign without an intro never shows one.
    storage
        .remove_item("questlet:intro-seen:acme/launch")
        .unwrap();
    let none = mount_campaign(campaign(), None, "en");
    questlet::intro::show_on_first_visit(&none.ctx, &campaign());
    tick().await;
    assert!(none.popup().is_none());
}

#[wasm_bindgen_test]
async fn german_is_chosen_by_data_lang() {
    let page = mount_campaign(campaign(), Some("t"), "de");
    tick().await;
    let status = page
        .container
        .query_selector("[data-status=locked] .ql-card__status")
        .unwrap()
        .unwrap();
    assert_eq!(status.text_content().unwrap(), "Gesperrt");
}

#[wasm_bindgen_test]
async fn error_box_retry_calls_back() {
    let container = fresh_container();
    let (clicks, set_clicks) = signal(0);
    let retry = Callback::new(move |()| set_clicks.update(|n| *n += 1));
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <ErrorBox title="Oops" message="Server down" retry /> }
    });
    tick().await;
    let button: web_sys::HtmlElement = container
        .query_selector("[part=error-retry]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    button.click();
    tick().await;
    assert_eq!(clicks.get_untracked(), 2);
}

#[wasm_bindgen_test]
fn schedule_counts_down_to_start_and_end() {
    use questlet::components::schedule::schedule_text;
    use questlet::i18n::Lang;
    let now = 1_000_000;
    assert_eq!(
        schedule_text(now, Some(now + 90_000), None, Lang::En).as_deref(),
        Some("Starts in 1d 1h")
    );
    assert_eq!(
        schedule_text(now, Some(now - 10), Some(now + 3_720), Lang::En).as_deref(),
        Some("Ends in 1h 2m")
    );
    assert_eq!(
        schedule_text(now, None, Some(now - 1), Lang::De).as_deref(),
        Some("Beendet")
    );
    assert_eq!(schedule_text(now, None, None, Lang::En), None);
    assert_eq!(
        schedule_text(now, None, Some(now + 30), Lang::En).as_deref(),
        Some("Ends in 1m")
    );
}

#[wasm_bindgen_test]
async fn campaign_header_shows_the_schedule() {
    let mut data = campaign();
    data.campaign.ends_at = Some((js_sys::Date::now() / 1000.0) as i64 + 2 * 86_400 + 3_600 + 30);
    let page = mount_campaign(data, None, "en");
    tick().await;
    let schedule = page
        .container
        .query_selector("[part=schedule]")
        .unwrap()
        .unwrap();
    assert_eq!(schedule.text_content().unwrap(), "Ends in 2d 1h");
}
