//! The Questlet widget: a Leptos (CSR) component tree that a host page adds with one
//! `<script>` tag (see `public/questlet.js`), rendered inside a shadow root.
//!
//! Each instance of this WebAssembly module runs one widget (`instance.rs`); the loader
//! creates one instance per widget. This file is the widget's only `#[wasm_bindgen]`
//! surface: the calls the loader makes on one instance.

pub mod analytics;
pub mod api;
pub mod app;
pub mod attempt;
pub mod components;
pub mod config;
pub mod context;
pub mod crash;
pub mod events;
pub mod i18n;
pub mod instance;
pub mod intro;
pub mod markup;
pub mod mount;
pub mod styles;
pub mod tasks;
pub mod wire;

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlScriptElement};

use crate::config::parse_options;

/// Mounts this instance's widget for an embedding `<script>` tag, configured by its data
/// attributes, and returns the element it renders in. A bad configuration shows an inline
/// error instead.
#[wasm_bindgen]
pub fn mount_script(script: HtmlScriptElement) -> Element {
    crash::install_panic_hook();
    mount::mount_for_script(&script)
}

/// `Questlet.mount(element, options)`: mounts this instance's widget into `element`,
/// configured by an options object whose keys are the data attributes in camelCase
/// (`organization`, `campaign`, `api`, `userToken`, `analyticsPrefix`, ...). Without `api`,
/// the server is `default_api`: the origin the loader was served from. A bad option shows
/// the inline error, like a bad attribute.
#[wasm_bindgen]
pub fn mount(element: Element, options: JsValue, default_api: String) {
    crash::install_panic_hook();
    mount::mount_or_log(&element, parse_options(&options, &default_api));
}

/// `Questlet.setUserToken(token)`: sets (or, with `null`, clears) the widget's user token;
/// its progress reloads.
#[wasm_bindgen]
pub fn set_user_token(token: Option<String>) {
    instance::set_user_token(token);
}

/// `Questlet.destroy()`: removes the widget with its listeners.
#[wasm_bindgen]
pub fn destroy() {
    instance::remove();
}

/// Panics on purpose, so tests can check end to end that a crash stays in its widget (the
/// loader calls it as `Questlet.__crashForTest(element)`).
#[wasm_bindgen]
pub fn crash_for_test() {
    panic!("crash test: a panic on purpose");
}
