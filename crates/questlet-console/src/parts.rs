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
    match iso(seconds) {
        Some(iso) => format!("{} {} UTC", &iso[..10], &iso[11..16]),
        None => seconds.to_string(),
    }
}

/// `seconds` since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.sssZ`, for the years 0 to 9999.
fn iso(seconds: i64) -> Option<String> {
    let milliseconds = seconds as f64 * 1000.0;
    // A JavaScript date spans ±8.64e15 ms; `toISOString` throws outside it.
    if milliseconds.abs() > 8.64e15 {
        return None;
    }
    let iso = String::from(js_sys::Date::new(&milliseconds.into()).to_iso_string());
    // Past the year 9999 it has a sign and more digits.
    (iso.len() == 24).then_some(iso)
}

/// `seconds` since the Unix epoch as a `datetime-local` input's value, in UTC
/// (`YYYY-MM-DDTHH:MM`); empty for none.
pub fn datetime_local(seconds: Option<i64>) -> String {
    seconds
        .and_then(iso)
        .map(|iso| iso[..16].to_owned())
        .unwrap_or_default()
}

/// A `datetime-local` input's value (read as UTC) as seconds since the Unix epoch; none
/// when empty or not a time.
pub fn seconds_of_datetime_local(value: &str) -> Option<i64> {
    if value.is_empty() {
        return None;
    }
    let milliseconds = js_sys::Date::parse(&format!("{value}Z"));
    (!milliseconds.is_nan()).then(|| (milliseconds / 1000.0) as i64)
}

/// Reordering rows by dragging them (HTML drag and drop): which row is dragged, and what a
/// drop on another row does. Rows keep buttons to move them too, for keyboards.
#[derive(Clone, Copy)]
pub struct DragOrder {
    dragged: RwSignal<Option<usize>>,
    on_move: Callback<(usize, usize)>,
}

impl DragOrder {
    /// Rows whose drop of row `from` on row `to` runs `on_move((from, to))`.
    pub fn new(on_move: Callback<(usize, usize)>) -> Self {
        Self {
            dragged: RwSignal::new(None),
            on_move,
        }
    }

    /// Row `index`'s `dragstart`.
    pub fn start(self, index: usize) -> impl Fn(leptos::ev::DragEvent) + 'static {
        move |ev| {
            self.dragged.set(Some(index));
            // Some browsers start a drag only with data.
            if let Some(data) = ev.data_transfer() {
                let _ = data.set_data("text/plain", &index.to_string());
                data.set_effect_allowed("move");
            }
        }
    }

    /// Any row's `dragover`: rows accept drops.
    pub fn over(self) -> impl Fn(leptos::ev::DragEvent) + 'static {
        move |ev| ev.prevent_default()
    }

    /// Row `index`'s `drop`.
    pub fn drop(self, index: usize) -> impl Fn(leptos::ev::DragEvent) + 'static {
        move |ev| {
            ev.prevent_default();
            if let Some(from) = self.dragged.get_untracked() {
                self.dragged.set(None);
                if from != index {
                    self.on_move.run((from, index));
                }
            }
        }
    }
}

/// Moves `items[from]` to `to` (nothing when either is out of range).
pub fn moved<T>(items: &mut Vec<T>, from: usize, to: usize) {
    if from < items.len() && to < items.len() {
        let item = items.remove(from);
        items.insert(to, item);
    }
}
