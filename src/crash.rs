//! Crashes: a Rust panic aborts the WebAssembly instance it happens in, so none of that
//! instance's code can run afterwards. The loader (`public/questlet.js`) gives every widget
//! its own instance, so a panic stops one widget only; this module's panic hook makes the
//! stop visible in that widget instead of leaving it frozen: an inline error, a console
//! error, and a `questlet:widget_crashed` event on its host element.

use std::cell::Cell;
use std::sync::Once;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

use crate::events;
use crate::mount::STYLES;

/// The host attribute naming the instance that runs a widget (its value is this instance's
/// [`instance_mark`]).
pub const INSTANCE_ATTRIBUTE: &str = "data-questlet-instance";

thread_local! {
    static MARK: Cell<u32> = const { Cell::new(0) };
}

/// A random number naming this WebAssembly instance among those on the page.
pub fn instance_mark() -> u32 {
    MARK.with(|mark| {
        if mark.get() == 0 {
            mark.set((js_sys::Math::random() * f64::from(u32::MAX)) as u32 | 1);
        }
        mark.get()
    })
}

/// Installs the panic hook (once per instance).
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(on_panic)));
}

// The hook touches no widget state (it may be mid-update, borrowed): it finds this
// instance's hosts in the DOM by their mark.
fn on_panic(info: &std::panic::PanicHookInfo<'_>) {
    web_sys::console::error_1(&JsValue::from_str(&format!(
        "Questlet: a widget stopped after an internal error: {info}"
    )));
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let selector = format!("[{INSTANCE_ATTRIBUTE}=\"{}\"]", instance_mark());
    let Ok(hosts) = document.query_selector_all(&selector) else {
        return;
    };
    for index in 0..hosts.length() {
        if let Some(host) = hosts.item(index).and_then(|n| n.dyn_into::<Element>().ok()) {
            show_crashed(&host);
        }
    }
}

/// Replaces the widget in `host` with the "stopped working" error and announces
/// `widget_crashed` on the host.
pub fn show_crashed(host: &Element) {
    if let Some(shadow) = host.shadow_root() {
        shadow.set_inner_html(&format!(
            "<style>{STYLES}</style><div class=\"ql-root\" data-theme=\"auto\">\
             <div class=\"ql-widget\"><div class=\"ql-error\" part=\"error\" role=\"alert\">\
             <strong class=\"ql-error__title\">This widget stopped working</strong>\
             <p class=\"ql-error__message\">Reload the page to try again.</p></div></div></div>"
        ));
    }
    // The DOM event only: `events::emit` reads registries the panic may have left borrowed.
    events::dispatch_on(host, "widget_crashed", &JsValue::UNDEFINED);
}
