//! `App`, the one load path (`WidgetContext::load`) and the attempt flow, against a server
//! that cannot be reached (`127.0.0.1:9`: the connection is refused at once).

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use questlet::attempt::{attempt, AttemptState, TaskRef};
use questlet::config::parse_config;
use questlet::context::{Load, LoadOutcome};
use questlet::mount::mount_into;
use questlet_types::attempt::TaskAnswer;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::support::{campaign, fresh_host, mount_campaign, record_events, shadow_query};

/// Waits until `done` holds, up to about two seconds (a refused connection takes a few ms).
async fn until(mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    panic!("the widget never got there");
}

#[wasm_bindgen_test]
async fn app_shows_a_failed_first_load_with_a_retry_that_loads_again() {
    let host = fresh_host();
    let config = parse_config(
        |name| match name {
            "organization" => Some("acme".into()),
            "campaign" => Some("launch".into()),
            "api" => Some("http://127.0.0.1:9".into()),
            _ => None,
        },
        "http://127.0.0.1:9",
    );
    mount_into(&host, config).unwrap();
    assert!(shadow_query(&host, "[part=skeleton]").is_some());
    until(|| shadow_query(&host, "[part=error-retry]").is_some()).await;
    let error = shadow_query(&host, "[part=error]").unwrap();
    assert!(
        error
            .text_content()
            .unwrap()
            .contains("could not be loaded"),
        "{:?}",
        error.text_content()
    );
    // Retrying shows the skeleton again (seen by a MutationObserver: the refused request
    // fails within a few milliseconds), then the error again.
    let skeletons = Rc::new(Cell::new(0));
    let seen = skeletons.clone();
    let observer = web_sys::MutationObserver::new(
        &Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
            for record in records.iter() {
                let added = record
                    .unchecked_into::<web_sys::MutationRecord>()
                    .added_nodes();
                for index in 0..added.length() {
                    let skeleton = added
                        .item(index)
                        .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|e| e.get_attribute("part").as_deref() == Some("skeleton"));
                    if skeleton {
                        seen.set(seen.get() + 1);
                    }
                }
            }
        })
        .into_js_value()
        .unchecked_into(),
    )
    .unwrap();
    let init = web_sys::MutationObserverInit::new();
    init.set_child_list(true);
    init.set_subtree(true);
    observer
        .observe_with_options(&host.shadow_root().unwrap(), &init)
        .unwrap();
    shadow_query(&host, "[part=error-retry]")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    until(|| skeletons.get() == 1).await;
    until(|| shadow_query(&host, "[part=error-retry]").is_some()).await;
    observer.disconnect();
    questlet::instance::remove();
}

#[wasm_bindgen_test]
async fn a_failed_reload_keeps_the_campaign_and_shows_the_error_with_a_retry() {
    let page = mount_campaign(campaign(), Some("token-a"), "en");
    let outcome = page.ctx.load().await;
    let error = page
        .ctx
        .reload_error
        .get_untracked()
        .expect("the reload error is kept");
    assert_eq!(outcome, LoadOutcome::Failed(error));
    assert!(matches!(page.ctx.campaign.get_untracked(), Load::Ready(_)));
    crate::support::tick().await;
    let banner = page
        .container
        .query_selector("[part=error]")
        .unwrap()
        .expect("the reload error is shown");
    assert!(banner
        .text_content()
        .unwrap()
        .contains("could not be refreshed"));
    assert!(page
        .container
        .query_selector("[part=quest-card]")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
async fn a_failed_load_after_a_token_change_never_shows_the_previous_users_progress() {
    let page = mount_campaign(campaign(), Some("token-a"), "en");
    page.ctx.user_token.set(Some("token-b".into()));
    assert!(matches!(page.ctx.load().await, LoadOutcome::Failed(_)));
    assert!(matches!(page.ctx.campaign.get_untracked(), Load::Failed(_)));
    assert_eq!(page.ctx.reload_error.get_untracked(), None);
}

#[wasm_bindgen_test]
async fn only_the_newest_load_applies_its_answer() {
    let page = mount_campaign(campaign(), None, "en");
    let (first, second) = futures::join!(page.ctx.load(), page.ctx.load());
    assert_eq!(first, LoadOutcome::Stale);
    assert!(matches!(second, LoadOutcome::Failed(_)));
}

fn task_ref() -> TaskRef {
    TaskRef {
        task_id: "t1".into(),
        task_title: "Follow us".into(),
        quest_id: "q1".into(),
        quest_title: "Welcome".into(),
        points: 10,
    }
}

#[wasm_bindgen_test]
async fn an_attempt_without_a_user_asks_for_a_login() {
    let page = mount_campaign(campaign(), None, "en");
    let events = record_events(&page.container, &["login_required", "task_started"]);
    let state = AttemptState::new();
    attempt(page.ctx, task_ref(), TaskAnswer::VisitLink {}, state);
    assert_eq!(
        state.failure.get_untracked().as_deref(),
        Some("Log in to complete tasks.")
    );
    assert!(!state.busy.get_untracked());
    assert_eq!(*events.borrow(), ["login_required"]);
}

#[wasm_bindgen_test]
async fn an_attempt_the_server_never_answers_says_so_and_frees_the_button() {
    let page = mount_campaign(campaign(), Some("token-a"), "en");
    let events = record_events(&page.container, &["task_started", "task_completed"]);
    let state = AttemptState::new();
    attempt(page.ctx, task_ref(), TaskAnswer::VisitLink {}, state);
    assert!(state.busy.get_untracked(), "busy while the request is out");
    until(|| !state.busy.get_untracked()).await;
    let failure = state.failure.get_untracked().expect("a failure message");
    assert!(failure.contains("cannot reach"), "{failure}");
    assert_eq!(*events.borrow(), ["task_started"]);
}
