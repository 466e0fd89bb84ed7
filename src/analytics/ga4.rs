//! Google Analytics 4, through the page's `gtag` function.

use js_sys::Object;
use wasm_bindgen::JsValue;

/// `gtag('event', name, params)` when the page has `gtag`.
pub(super) fn send(window: &web_sys::Window, event: &str, params: &Object) -> Result<(), JsValue> {
    let Some(gtag) = super::global_function(window, "gtag") else {
        return Ok(());
    };
    gtag.call3(
        window,
        &JsValue::from_str("event"),
        &JsValue::from_str(event),
        params,
    )
    .map(|_| ())
}
