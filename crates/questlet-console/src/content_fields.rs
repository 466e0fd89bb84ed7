//! The fields a campaign and a quest share, edited in a draft of the document's own JSON:
//! the title; the description in Markdown, previewed as the widget shows it; the image; when
//! it opens and closes; and, for a quest, the quests that unlock it. Each field shows the
//! refused save's message when the server names its path.

use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::campaign_document::{MarkdownPreviewRequest, MarkdownPreviewResponse};
use serde_json::Value;

use crate::api;
use crate::app::{report, use_session, Session};
use crate::parts::{datetime_local, seconds_of_datetime_local};
use crate::schema_form::{error_at, input_id};
use crate::texts;

/// The document path of `field` of the item at `path` (`""`: the campaign itself).
pub fn field_path(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

/// The input for document path `path`: its element id, its error line's id, and the
/// refused save's message in `error` about it.
pub fn field_ids(
    path: String,
    error: RwSignal<Option<String>>,
) -> (String, String, Signal<Option<String>>) {
    let id = input_id(&path);
    let error_id = format!("{id}-error");
    let message = Signal::derive(move || error.with(|e| error_at(e.as_deref(), &path)));
    (id, error_id, message)
}

/// An input's error line, which the input names with `aria-describedby`.
pub fn error_line(message: Signal<Option<String>>, id: String) -> impl IntoView {
    view! { <p class="qc-error" id=id>{move || message.get().unwrap_or_default()}</p> }
}

/// `aria-invalid` of an input whose error is `message`.
pub fn invalid(message: Signal<Option<String>>) -> impl Fn() -> Option<&'static str> + Copy {
    move || message.with(Option::is_some).then_some("true")
}

/// A one-line text input for string `field` of `draft` (an empty one removes an optional
/// field), with its label and error line.
pub fn text_input(
    draft: RwSignal<Value>,
    path: &str,
    field: &'static str,
    label: &'static str,
    kind: &'static str,
    optional: bool,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let (id, error_id, message) = field_ids(field_path(path, field), error);
    view! {
        <label for=id.clone()>{label}</label>
        <input id=id type=kind required=!optional maxlength="2000"
            aria-invalid=invalid(message) aria-describedby=error_id.clone()
            prop:value=move || draft.with(|d| d[field].as_str().unwrap_or_default().to_owned())
            on:input=move |ev| {
                let value = event_target_value(&ev);
                draft.update(|d| {
                    d[field] = if optional && value.trim().is_empty() {
                        Value::Null
                    } else {
                        Value::String(value)
                    }
                })
            } />
        {error_line(message, error_id)}
    }
}

/// A Markdown text area for `field` of `draft`, with a button that shows it as the widget
/// will (the server renders and sanitizes it).
pub fn markdown_input(
    draft: RwSignal<Value>,
    path: &str,
    field: &'static str,
    label: &'static str,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = expect_context::<RwSignal<Session>>();
    let csrf = StoredValue::new(use_session().csrf_token);
    let (id, error_id, message) = field_ids(field_path(path, field), error);
    let preview = RwSignal::new(None::<String>);
    let preview_error = RwSignal::new(None::<String>);
    let show_preview = move |_| {
        let markdown = draft.with_untracked(|d| d[field].as_str().unwrap_or_default().to_owned());
        spawn_local(async move {
            let body = MarkdownPreviewRequest { markdown };
            match api::send::<_, MarkdownPreviewResponse>(
                "POST",
                "/v1/markdown",
                &csrf.get_value(),
                &body,
            )
            .await
            {
                Ok(answer) => preview.set(Some(answer.html)),
                Err(e) => report(session, preview_error, &e),
            }
        });
    };
    view! {
        <label for=id.clone()>{label}</label>
        <textarea id=id rows="5"
            aria-invalid=invalid(message) aria-describedby=error_id.clone()
            prop:value=move || draft.with(|d| d[field].as_str().unwrap_or_default().to_owned())
            on:input=move |ev| draft.update(|d| d[field] = Value::String(event_target_value(&ev)))></textarea>
        {error_line(message, error_id)}
        <p class="qc-row">
            <button class="qc-button" type="button" data-action="preview-markdown" on:click=show_preview>
                {texts::PREVIEW_MARKDOWN}
            </button>
        </p>
        <p class="qc-error" role="alert">{move || preview_error.get().unwrap_or_default()}</p>
        {move || preview.get().map(|html| view! {
            // The server's sanitized HTML, as the widget shows it.
            <div class="qc-markdown" aria-label=texts::MARKDOWN_PREVIEW role="region" inner_html=html></div>
        })}
    }
}

/// A `datetime-local` input (UTC) for the Unix seconds of `field` of `draft`; empty for
/// none.
fn time_input(
    draft: RwSignal<Value>,
    path: &str,
    field: &'static str,
    label: &'static str,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let (id, error_id, message) = field_ids(field_path(path, field), error);
    view! {
        <label for=id.clone()>{label}</label>
        <input id=id type="datetime-local"
            aria-invalid=invalid(message) aria-describedby=error_id.clone()
            prop:value=move || draft.with(|d| datetime_local(d[field].as_i64()))
            on:change=move |ev| {
                let seconds = seconds_of_datetime_local(&event_target_value(&ev));
                draft.update(|d| d[field] = seconds.map_or(Value::Null, Value::from));
            } />
        {error_line(message, error_id)}
    }
}

/// The shared fields of the campaign or quest at `path` in the document, editing `draft`
/// (that item's JSON); `others` (key, title) are the quests it may require first (none for
/// a campaign).
#[component]
pub fn ContentFields(
    /// The item being edited, as JSON.
    draft: RwSignal<Value>,
    /// Its path in the campaign document (`""` for the campaign).
    path: String,
    /// The last refused save's message.
    error: RwSignal<Option<String>>,
    /// The title input's label.
    title_label: &'static str,
    /// The other quests (key, title), for prerequisites.
    others: Vec<(String, String)>,
) -> impl IntoView {
    let prerequisite = move |key: String| {
        let checked = {
            let key = key.clone();
            move || {
                draft.with(|q| {
                    q["prerequisites"]
                        .as_array()
                        .is_some_and(|p| p.iter().any(|k| k == key.as_str()))
                })
            }
        };
        let toggle = move |_: leptos::ev::Event| {
            draft.update(|q| {
                let mut keys: Vec<Value> =
                    q["prerequisites"].as_array().cloned().unwrap_or_default();
                if let Some(at) = keys.iter().position(|k| k == key.as_str()) {
                    keys.remove(at);
                } else {
                    keys.push(Value::String(key.clone()));
                }
                q["prerequisites"] = Value::Array(keys);
            })
        };
        (checked, toggle)
    };

    view! {
        <div class="qc-form">
            {text_input(draft, &path, "title", title_label, "text", false, error)}
            {markdown_input(draft, &path, "description", texts::DESCRIPTION_MARKDOWN, error)}
            {text_input(draft, &path, "image_url", texts::IMAGE_URL, "url", true, error)}
            {time_input(draft, &path, "starts_at", texts::STARTS_AT, error)}
            {time_input(draft, &path, "ends_at", texts::ENDS_AT, error)}
            {(!others.is_empty()).then(|| view! {
                <fieldset class="qc-choices">
                    <legend>{texts::PREREQUISITES}</legend>
                    {others.into_iter().map(|(key, title)| {
                        let box_id = format!("qc-prerequisite-{key}");
                        let label_for = box_id.clone();
                        let (checked, toggle) = prerequisite(key);
                        view! {
                            <label for=label_for>
                                <input id=box_id type="checkbox" prop:checked=checked on:change=toggle />
                                {title}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            })}
        </div>
    }
}
