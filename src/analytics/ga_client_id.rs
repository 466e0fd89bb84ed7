//! The Google Analytics client id, read from the `_ga` cookie, so the server can store it
//! with task attempts and partners can join server-side activity with their GA data.

use wasm_bindgen::JsCast;

/// The client id inside a `_ga` cookie value (`GA1.1.1234567890.1700000000` gives
/// `1234567890.1700000000`).
pub fn from_cookie_value(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.split('.').collect();
    let [.., random, timestamp] = parts.as_slice() else {
        return None;
    };
    (parts.len() >= 4
        && [random, timestamp]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
    .then(|| format!("{random}.{timestamp}"))
}

/// The page's GA client id, if it has a `_ga` cookie.
pub fn current() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let cookies = document
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()?
        .cookie()
        .ok()?;
    cookies
        .split(';')
        .filter_map(|c| c.trim().strip_prefix("_ga="))
        .find_map(from_cookie_value)
}
