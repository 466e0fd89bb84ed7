//! The campaign's intro pop-up: shown on a user's first visit to a campaign, and remembered
//! in the browser's `localStorage` once the user closes it, per organization and campaign.

use leptos::prelude::*;
use questlet_types::WidgetCampaignResponse;

use crate::config::WidgetConfig;
use crate::context::{PopupBody, PopupContent, WidgetContext};

/// The pop-up kind, in events and in `data-popup`.
pub const KIND: &str = "intro";

/// The `localStorage` key that records a closed intro.
fn seen_key(config: &WidgetConfig) -> String {
    format!(
        "questlet:intro-seen:{}/{}",
        config.organization, config.campaign
    )
}

/// The page's `localStorage`; `None` where the browser refuses it (privacy modes, sandboxed
/// frames), in which case the intro shows on every visit rather than never.
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether this browser has closed the campaign's intro before.
pub fn was_seen(config: &WidgetConfig) -> bool {
    storage().is_some_and(|s| matches!(s.get_item(&seen_key(config)), Ok(Some(_))))
}

/// Records that the campaign's intro was closed.
pub fn remember_seen(config: &WidgetConfig) {
    if let Some(storage) = storage() {
        // A full or refused storage only means the intro shows again next visit.
        let _ = storage.set_item(&seen_key(config), "1");
    }
}

/// Shows the campaign's intro, if it has one that this browser has not closed yet.
pub fn show_on_first_visit(ctx: &WidgetContext, campaign: &WidgetCampaignResponse) {
    let Some(intro) = &campaign.campaign.intro else {
        return;
    };
    if ctx.config.with_value(was_seen) {
        return;
    }
    ctx.show_popup(PopupContent {
        kind: KIND,
        title: intro.title.clone(),
        body: PopupBody::Html(intro.body_html.clone()),
    });
}
