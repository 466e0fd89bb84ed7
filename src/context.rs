//! What every component of one widget shares: its configuration, its user token, the
//! campaign as last loaded, and the one way to load it.

use leptos::prelude::*;
use questlet_types::{UserProgressView, WidgetCampaignResponse};
use web_sys::Element;

use crate::api::{fetch_campaign, ApiError};
use crate::config::WidgetConfig;
use crate::events::{self, Params};
use crate::i18n::{Lang, Text};
use crate::intro;

/// Where loading the campaign stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    /// The first load is under way.
    Loading,
    /// Loaded (later reloads keep showing this until they finish).
    Ready(Box<WidgetCampaignResponse>),
    /// The load failed and there is nothing to show.
    Failed(ApiError),
}

/// What one [`WidgetContext::load`] came to.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadOutcome {
    /// The campaign on screen is the answer.
    Applied,
    /// A newer load (after a token change or another reload) started meanwhile: this answer
    /// was dropped.
    Stale,
    /// The load failed: the widget shows the error with a retry (in place of the campaign,
    /// or above it when the campaign on screen is still the user's).
    Failed(ApiError),
}

/// One widget's shared state, provided as Leptos context.
#[derive(Clone, Copy)]
pub struct WidgetContext {
    /// The host page's element the widget renders in (events are dispatched on it).
    pub host: StoredValue<Element, LocalStorage>,
    /// The validated configuration.
    pub config: StoredValue<WidgetConfig>,
    /// The user token; `None` browses read-only. Setting it reloads progress.
    pub user_token: RwSignal<Option<String>>,
    /// The campaign.
    pub campaign: RwSignal<Load>,
    /// Why the last reload failed while an earlier answer stays on screen; cleared by the
    /// next successful load.
    pub reload_error: RwSignal<Option<ApiError>>,
    /// The user token the campaign on screen was loaded with.
    shown_for: StoredValue<Option<String>>,
    /// The interface language.
    pub lang: Lang,
    /// The selected group tab.
    pub selected_group: RwSignal<usize>,
    /// The open quest's id, if one is open.
    pub open_quest: RwSignal<Option<String>>,
    /// The pop-up on screen, if any.
    pub popup: RwSignal<Option<PopupContent>>,
    /// One counter per quest of the campaign on screen, in campaign order. A patch of a
    /// quest (after an attempt) raises its counter and leaves `campaign` unnotified, so
    /// only what shows that quest (its open page) renders again.
    quest_versions: StoredValue<Vec<ArcRwSignal<usize>>>,
    /// Raised when a patch changes the user's standing (points).
    pub user_version: RwSignal<usize>,
    /// The task the user has just completed, until its item shows it (with the completion
    /// animation, once).
    pub just_completed: StoredValue<Option<String>>,
    /// Loads so far; a response is applied only if it belongs to the newest load.
    generation: StoredValue<u32>,
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
    /// A fresh context for the widget rendered in `host`.
    pub fn new(host: Element, config: WidgetConfig, user_token: RwSignal<Option<String>>) -> Self {
        let lang = Lang::choose(config.lang.as_deref());
        Self {
            host: StoredValue::new_local(host),
            config: StoredValue::new(config),
            user_token,
            campaign: RwSignal::new(Load::Loading),
            reload_error: RwSignal::new(None),
            shown_for: StoredValue::new(None),
            lang,
            selected_group: RwSignal::new(0),
            open_quest: RwSignal::new(None),
            popup: RwSignal::new(None),
            quest_versions: StoredValue::new(Vec::new()),
            user_version: RwSignal::new(0),
            just_completed: StoredValue::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// Loads the campaign with the current user token and applies the answer, unless a newer
    /// load started meanwhile. Every load goes through here: the first, the one after a
    /// token change, and a retry (an attempt's answer is applied by [`patch`](Self::patch)).
    ///
    /// The first campaign shown announces `campaign_viewed` (and opens the intro pop-up on a
    /// first visit); a refused token announces `token_expired`. A failure replaces the
    /// campaign with the error unless the campaign on screen was loaded with the same token,
    /// which then stays, with the error and a retry above it.
    pub async fn load(self) -> LoadOutcome {
        let load = self.generation.get_value() + 1;
        self.generation.set_value(load);
        let token = self.user_token.get_untracked();
        let config = self.config.get_value();
        let result = fetch_campaign(&config, token.as_deref()).await;
        // `None` too when the widget was destroyed meanwhile (its state is gone).
        if self.generation.try_get_value() != Some(load) {
            return LoadOutcome::Stale;
        }
        let shown = self.has_campaign();
        match result {
            Ok(campaign) => {
                if !shown {
                    let title = campaign.campaign.title.clone();
                    self.emit("campaign_viewed", vec![("campaign_title", title.into())]);
                    intro::show_on_first_visit(&self, &campaign);
                }
                self.show(campaign);
                LoadOutcome::Applied
            }
            Err(error) => {
                if error.is_unauthorized() && token.is_some() {
                    self.emit("token_expired", vec![]);
                }
                if shown && self.shown_for.get_value() == token {
                    self.reload_error.set(Some(error.clone()));
                } else {
                    self.reload_error.set(None);
                    self.campaign.set(Load::Failed(error.clone()));
                }
                LoadOutcome::Failed(error)
            }
        }
    }

    /// Whether a campaign is on screen (read without cloning it, and untracked).
    pub fn has_campaign(&self) -> bool {
        self.campaign
            .with_untracked(|load| matches!(load, Load::Ready(_)))
    }

    /// Puts `campaign`, loaded with the current user token, on screen.
    pub fn show(&self, mut campaign: WidgetCampaignResponse) {
        campaign.apply_user_texts();
        self.shown_for.set_value(self.user_token.get_untracked());
        self.reload_error.set(None);
        let quests = campaign.groups.iter().map(|g| g.quests.len()).sum();
        self.quest_versions
            .set_value((0..quests).map(|_| ArcRwSignal::new(0)).collect());
        self.campaign.set(Load::Ready(Box::new(campaign)));
    }

    /// The counter that a patch of quest `id` raises.
    pub fn quest_version(&self, id: &str) -> Option<ArcRwSignal<usize>> {
        let index = self.campaign.with_untracked(|load| match load {
            Load::Ready(campaign) => campaign.quests().position(|q| q.id == id),
            _ => None,
        })?;
        self.quest_versions
            .with_value(|versions| versions.get(index).cloned())
    }

    /// Applies an attempt's answer to the campaign on screen: the user's standing becomes
    /// `user`, and the quests it `changed` (by id; the server names only those) and the
    /// points are marked for repainting, so a completion repaints one quest and the points,
    /// not the page.
    pub fn patch(&self, changed: Vec<String>, user: UserProgressView) {
        let mut numbers = Vec::new();
        self.campaign.update_untracked(|load| {
            let Load::Ready(campaign) = load else {
                return;
            };
            numbers = campaign
                .quests()
                .enumerate()
                .filter(|(_, quest)| changed.contains(&quest.id))
                .map(|(number, _)| number)
                .collect();
            campaign.user = Some(user);
            campaign.apply_user_texts();
        });
        self.quest_versions.with_value(|versions| {
            for number in numbers {
                if let Some(version) = versions.get(number) {
                    version.update(|n| *n += 1);
                }
            }
        });
        self.user_version.update(|n| *n += 1);
    }

    /// Puts `content` on screen and announces `popup_shown`.
    pub fn show_popup(&self, content: PopupContent) {
        let kind = content.kind;
        self.popup.set(Some(content));
        self.emit("popup_shown", vec![("popup", kind.into())]);
    }

    /// What the campaign on screen calls its points (empty before it loads).
    pub fn points_name(&self) -> String {
        self.campaign.with_untracked(|load| match load {
            Load::Ready(data) => data.campaign.points_name.clone(),
            _ => String::new(),
        })
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
        // Copies, not borrows: a host callback may destroy this widget while it runs.
        // Nothing when the widget was destroyed (its state is gone).
        let Some((organization, campaign, analytics)) = self.config.try_with_value(|c| {
            (
                c.organization.clone(),
                c.campaign.clone(),
                c.analytics.clone(),
            )
        }) else {
            return;
        };
        let Some(host) = self.host.try_get_value() else {
            return;
        };
        params.insert(0, ("organization", organization.into()));
        params.insert(1, ("campaign", campaign.into()));
        events::emit(&host, &analytics, name, params);
    }
}
