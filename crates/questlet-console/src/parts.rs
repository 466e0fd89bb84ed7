//! Small pieces the pages share: a copy button, a secret shown once, a button that asks
//! before it acts, and times as people read them.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::texts;

/// A button that copies `text` to the clipboard and says so once it has.
#[component]
pub fn CopyButton(
    /// What to copy.
    text: String,
    /// The button's label before copying.
    label: &'static str,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let promise = window().navigator().clipboard().write_text(&text);
        spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                copied.set(true);
            }
        });
    };
    view! {
        <button class="qc-button" type="button" data-action="copy" on:click=copy>
            {move || if copied.get() { texts::COPIED } else { label }}
        </button>
    }
}

/// A new secret, shown this once with a warning and a copy button; `dismiss` hides it.
#[component]
pub fn SecretOnce(
    /// What the secret is for (e.g. the new token's label).
    title: String,
    /// The secret.
    secret: String,
    /// Cleared to hide the panel (the secret is then gone for good).
    dismiss: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    view! {
        <div class="qc-secret" role="status">
            <p><strong>{title}</strong></p>
            <p class="qc-warning">{texts::SECRET_ONCE}</p>
            <pre class="qc-snippet"><code class="qc-secret-value">{secret.clone()}</code></pre>
            <p class="qc-row">
                <CopyButton text=secret label=texts::COPY_SECRET />
                <button class="qc-button" type="button" on:click=move |_| dismiss.set(None)>
                    {texts::SECRET_STORED}
                </button>
            </p>
        </div>
    }
}

/// A button that acts only when clicked twice: the first click turns it into a
/// confirmation naming what will happen.
#[component]
pub fn ConfirmButton(
    /// The button's label.
    label: &'static str,
    /// The label once armed (what a second click does).
    confirm: String,
    /// What the second click does.
    on_confirm: Callback<()>,
) -> impl IntoView {
    let armed = RwSignal::new(false);
    view! {
        <button
            class="qc-button"
            class:qc-danger=move || armed.get()
            type="button"
            on:click=move |_| {
                if armed.get_untracked() {
                    armed.set(false);
                    on_confirm.run(());
                } else {
                    armed.set(true);
                }
            }
            on:blur=move |_| armed.set(false)
        >
            {move || if armed.get() { confirm.clone() } else { label.to_owned() }}
        </button>
    }
}

/// `seconds` since the Unix epoch as `YYYY-MM-DD HH:MM UTC` (as a number, past the years
/// a date can say).
pub fn time(seconds: i64) -> String {
    let milliseconds = seconds as f64 * 1000.0;
    // A JavaScript date spans ±8.64e15 ms; `toISOString` throws outside it.
    if milliseconds.abs() > 8.64e15 {
        return seconds.to_string();
    }
    let iso = String::from(js_sys::Date::new(&milliseconds.into()).to_iso_string());
    match (iso.get(..10), iso.get(11..16)) {
        (Some(day), Some(minute)) if iso.len() == 24 => format!("{day} {minute} UTC"),
        _ => iso,
    }
}
