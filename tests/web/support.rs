//! Helpers: a fresh host element, waiting for Leptos, reading the shadow DOM, mounting
//! components inside a widget context, and recording widget events.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use questlet::app::WidgetBody;
use questlet::config::parse_config;
use questlet::context::WidgetContext;
use questlet_types::WidgetCampaignResponse;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// A new, empty `<div>` appended to the body.
pub fn fresh_host() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

/// A new `<div>` inside the body, as an `HtmlElement` (for mounting components directly).
pub fn fresh_container() -> HtmlElement {
    fresh_host().unchecked_into()
}

/// Lets Leptos and pending futures run.
pub async fn tick() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// Ticks until `done` holds (at most about a second): for what takes a varying number of
/// turns of the event loop, such as a fetch and what follows it, whose count differs between
/// browsers. The caller asserts the state it waited for afterwards.
pub async fn until(done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(5).await;
    }
}

/// Waits for the next animation frame: what the widget defers to it (a pop-up's focus) has
/// run.
pub async fn next_frame() {
    let frame = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().request_animation_frame(&resolve);
    });
    wasm_bindgen_futures::JsFuture::from(frame).await.unwrap();
}

/// The first element matching `selector` in `host`'s shadow root.
pub fn shadow_query(host: &Element, selector: &str) -> Option<Element> {
    host.shadow_root()?.query_selector(selector).ok().flatten()
}

/// The test campaign fixture.
pub fn campaign() -> WidgetCampaignResponse {
    serde_json::from_str(include_str!("campaign.json")).expect("fixture parses")
}

/// A mounted widget body (`WidgetBody`: campaign page or open quest, errors, pop-ups) over
/// fixed data.
pub struct Mounted {
    /// The element it is mounted in.
    pub container: HtmlElement,
    /// Its context.
    pub ctx: WidgetContext,
    _handle: Box<dyn std::any::Any>,
}

/// Mounts the campaign page for `data`, as user `token` (or anonymous), in language `lang`.
pub fn mount_campaign(data: WidgetCampaignResponse, token: Option<&str>, lang: &str) -> Mounted {
    let container = fresh_container();
    let host: Element = container.clone().into();
    let cell: Rc<RefCell<Option<WidgetContext>>> = Rc::default();
    let out = cell.clone();
    let token = token.map(str::to_owned);
    let lang = lang.to_owned();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        let config = parse_config(
            |name| match name {
                "organization" => Some("acme".into()),
                "campaign" => Some("launch".into()),
                "lang" => Some(lang.clone()),
                _ => None,
            },
            "http://127.0.0.1:9",
        )
        .unwrap();
        let ctx = WidgetContext::new(host.clone(), config, RwSignal::new(token));
        ctx.show(data);
        provide_context(ctx);
        *out.borrow_mut() = Some(ctx);
        view! { <WidgetBody /> }
    });
    let ctx = cell.borrow().expect("context created");
    Mounted {
        container,
        ctx,
        _handle: Box::new(handle),
    }
}

impl Mounted {
    /// The pop-up on screen, if any.
    pub fn popup(&self) -> Option<Element> {
        self.container.query_selector("[part=popup]").unwrap()
    }
}

/// Records the names of the `questlet:*` events dispatched on `target`.
pub fn record_events(target: &Element, names: &[&str]) -> Rc<RefCell<Vec<String>>> {
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    for name in names {
        let (seen, name_owned) = (seen.clone(), name.to_string());
        let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            seen.borrow_mut().push(name_owned.clone());
        });
        target
            .add_event_listener_with_callback(
                &format!("questlet:{name}"),
                listener.as_ref().unchecked_ref(),
            )
            .unwrap();
        listener.forget();
    }
    seen
}

/// Clicks the first element matching `selector` under `root`.
pub fn click(root: &Element, selector: &str) {
    let element: HtmlElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .unchecked_into();
    element.click();
}
