//! What every component of one widget shares: its configuration, its user token, and the
//! campaign as last loaded.

use leptos::prelude::*;
use questlet_types::WidgetCampaignResponse;

use crate::api::ApiError;
use crate::config::WidgetConfig;
use crate::events::{self, InstanceId, Params};
use crate::i18n::{Lang, Text};

/// Where loading the campaign stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    /// The first load is under way.
    Loading,
    /// Loaded (later reloads keep showing this until they finish).
    Ready(Box<WidgetCampaignResponse>),
    /// The load failed.
    Failed(ApiError),
}

/// One widget's shared state, provided as Leptos context.
#[derive(Clone, Copy)]
pub struct WidgetContext {
    /// The widget's id (for events).
    pub id: InstanceId,
    /// The validated configuration.
    pub config: StoredValue<WidgetConfig>,
    /// The user token; `None` browses read-only. Setting it reloads progress.
    pub user_token: RwSignal<Option<String>>,
    /// The campaign.
    pub campaign: RwSignal<Load>,
    /// The interface language.
    pub lang: Lang,
    /// The selected group tab.
    pub selected_group: RwSignal<usize>,
    /// The open quest's id, if one is open.
    pub open_quest: RwSignal<Option<String>>,
    /// The pop-up on screen, if any.
    pub popup: RwSignal<Option<PopupContent>>,
    /// Loads so far; a response is applied only if it belongs to the newest load.
    pub generation: RwSignal<u32>,
}

/// What a pop-up shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopupContent {
    /// Which pop-up (`intro`, `quest_completed`, `campaign_completed`), for events.
    pub kind: &'static str,
    /// Headline.
    pub title: String,
    /// Body.
    pub body: PopupBody,
}

/// A pop-up's body: the widget's own text, or the partner's content as the server's
/// sanitized HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PopupBody {
    /// Plain text, shown as text.
    Text(String),
    /// Sanitized HTML from the server.
    Html(String),
}

impl WidgetContext {
    /// A fresh context for widget `id`.
    pub fn new(id: InstanceId, config: WidgetConfig, user_token: RwSignal<Option<String>>) -> Self {
        let lang = Lang::choose(config.lang.as_deref());
        Self {
            id,
            config: StoredValue::new(config),
            user_token,
            campaign: RwSignal::new(Load::Loading),
            lang,
            selected_group: RwSignal::new(0),
            open_quest: RwSignal::new(None),
            popup: RwSignal::new(None),
            generation: RwSignal::new(0),
        }
    }

    /// Starts a campaign load and returns its number; only the newest load may apply its
    /// answer (see [`WidgetContext::is_newest_load`]).
    pub fn start_load(&self) -> u32 {
        let load = self.generation.get_untracked() + 1;
        self.generation.set(load);
        load
    }

    /// Whether `load` is still the newest load (no token change or reload since).
    pub fn is_newest_load(&self, load: u32) -> bool {
        self.generation.get_untracked() == load
    }

    /// Puts `content` on screen and announces `popup_shown`.
    pub fn show_popup(&self, content: PopupContent) {
        let kind = content.kind;
        self.popup.set(Some(content));
        self.emit("popup_shown", vec![("popup", kind.into())]);
    }

    /// Interface text in the widget's language.
    pub fn t(&self, text: Text) -> &'static str {
        self.lang.t(text)
    }

    /// The context of the component's widget.
    pub fn get() -> Self {
        expect_context::<WidgetContext>()
    }

    /// Announces an event with the organization and campaign added to `params`.
    pub fn emit(&self, name: &str, mut params: Params) {
        let (organization, campaign) = self
            .config
            .with_value(|c| (c.organization.clone(), c.campaign.clone()));
        params.insert(0, ("organization", organization.into()));
        params.insert(1, ("campaign", campaign.into()));
        events::emit(self.id, name, params);
    }
}
