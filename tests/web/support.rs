//! Helpers: a fresh host element, waiting for Leptos, and reading the shadow DOM.

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

/// The first element matching `selector` in `host`'s shadow root.
pub fn shadow_query(host: &Element, selector: &str) -> Option<Element> {
    host.shadow_root()?.query_selector(selector).ok().flatten()
}
