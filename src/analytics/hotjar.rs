//! HotJar, through the page's `hj` function (its events carry a name only).

use wasm_bindgen::JsValue;

/// `hj('event', name)` when the page has `hj`.
pub(super) fn send(window: &web_sys::Window, event: &str) -> Result<(), JsValue> {
    let Some(hj) = super::global_function(window, "hj") else {
        return Ok(());
    };
    hj.call2(
        window,
        &JsValue::from_str("event"),
        &JsValue::from_str(event),
    )
    .map(|_| ())
}
