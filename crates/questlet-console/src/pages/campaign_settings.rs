//! The campaign's own settings: its title, description, image and schedule (the fields it
//! shares with a quest, see `content_fields.rs`), what its points are called, its time zone,
//! where referral links point, and its intro pop-up. "Save settings" saves the campaign
//! document as any edit does; only these fields change, and a refused save's message shows
//! at the field it names.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use questlet_types::CampaignDocument;
use serde_json::{json, Value};

use crate::content_fields::{markdown_input, text_input, ContentFields};
use crate::pages::campaign::Saver;
use crate::texts;

/// The settings form of `document`.
#[component]
pub fn CampaignSettings(
    /// The campaign as read.
    document: CampaignDocument,
    /// Whether a save is running.
    saving: RwSignal<bool>,
    /// Saves an edit of the campaign.
    save: Saver,
    /// The last refused save's message.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let has_intro = RwSignal::new(document.intro.is_some());
    let intro = RwSignal::new(
        document
            .intro
            .as_ref()
            .and_then(|intro| serde_json::to_value(intro).ok())
            .unwrap_or_else(|| json!({"title": "", "body": ""})),
    );
    let draft = RwSignal::new(serde_json::to_value(&document).unwrap_or(Value::Null));
    let local = RwSignal::new(None::<String>);

    let save_settings = move |ev: SubmitEvent| {
        ev.prevent_default();
        local.set(None);
        let mut value = draft.get_untracked();
        value["intro"] = if has_intro.get_untracked() {
            intro.get_untracked()
        } else {
            Value::Null
        };
        match serde_json::from_value::<CampaignDocument>(value) {
            Ok(edited) => save.with_value(|save| {
                save(Box::new(move |doc: &mut CampaignDocument| {
                    doc.title = edited.title;
                    doc.description = edited.description;
                    doc.image_url = edited.image_url;
                    doc.starts_at = edited.starts_at;
                    doc.ends_at = edited.ends_at;
                    doc.points_name = edited.points_name;
                    doc.time_zone = edited.time_zone;
                    doc.referral_url = edited.referral_url;
                    doc.intro = edited.intro;
                }))
            }),
            Err(e) => local.set(Some(texts::not_settings(&e.to_string()))),
        }
    };

    view! {
        <details class="qc-card" data-section="settings">
            <summary><h2 class="qc-inline">{texts::CAMPAIGN_SETTINGS}</h2></summary>
            <p class="qc-note">{texts::CAMPAIGN_SETTINGS_HELP}</p>
            <form on:submit=save_settings>
                <p class="qc-error" role="alert">{move || local.get().unwrap_or_default()}</p>
                <ContentFields draft=draft path=String::new() error=error
                    title_label=texts::CAMPAIGN_TITLE others=Vec::new() />
                <div class="qc-form">
                    {text_input(draft, "", "points_name", texts::POINTS_NAME, "text", false, error)}
                    {text_input(draft, "", "time_zone", texts::TIME_ZONE, "text", false, error)}
                    {text_input(draft, "", "referral_url", texts::REFERRAL_URL, "url", true, error)}
                    <label for="qc-has-intro" class="qc-check">
                        <input id="qc-has-intro" type="checkbox"
                            prop:checked=move || has_intro.get()
                            on:change=move |ev| has_intro.set(event_target_checked(&ev)) />
                        {texts::HAS_INTRO}
                    </label>
                </div>
                <Show when=move || has_intro.get()>
                    <div class="qc-form" data-part="intro">
                        {text_input(intro, "intro", "title", texts::INTRO_TITLE, "text", false, error)}
                        {markdown_input(intro, "intro", "body", texts::INTRO_BODY, error)}
                    </div>
                </Show>
                <p class="qc-row">
                    <button class="qc-button qc-primary" type="submit" data-action="save-settings"
                        disabled=move || saving.get()>
                        {texts::SAVE_SETTINGS}
                    </button>
                </p>
            </form>
        </details>
    }
}
