//! Crashes: a Rust panic aborts the WebAssembly instance it happens in, so none of that
//! instance's code can run afterwards. The loader (`public/questlet.js`) gives every widget
//! its own instance (see `instance.rs`), so a panic stops one widget only; this module's
//! panic hook makes the stop visible in that widget instead of leaving it frozen: an inline
//! error, a console error, and a `questlet:widget_crashed` event on its host element.

use std::sync::Once;

use wasm_bindgen::JsValue;
use web_sys::Element;

use crate::events;
use crate::instance;
use crate::styles;

/// Installs the panic hook (once per instance).
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(on_panic)));
}

// The hook touches no widget state (it may be mid-update, borrowed): only the host element,
// read without ever failing.
fn on_panic(info: &std::panic::PanicHookInfo<'_>) {
    web_sys::console::error_1(&JsValue::from_str(&format!(
        "Questlet: a widget stopped after an internal error: {info}"
    )));
    if let Some(host) = instance::host() {
        show_crashed(&host);
    }
}

/// Replaces the widget in `host` with the "stopped working" error and announces
/// `widget_crashed` on the host.
pub fn show_crashed(host: &Element) {
    if let Some(shadow) = host.shadow_root() {
        shadow.set_inner_html(
            "<div class=\"ql-root\" data-theme=\"auto\">\
             <div class=\"ql-widget\"><div class=\"ql-error\" part=\"error\" role=\"alert\">\
             <strong class=\"ql-error__title\">This widget stopped working</strong>\
             <p class=\"ql-error__message\">Reload the page to try again.</p></div></div></div>",
        );
        // Adopted stylesheets survive the new content; a `<style>` fallback is put back.
        let _ = styles::apply(&shadow);
    }
    // The DOM event only: the widget's state (its analytics settings) may be mid-update.
    events::dispatch_on(host, "widget_crashed", &JsValue::UNDEFINED);
}
