//! The organization's campaigns with their status, and a new campaign made from a template.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::campaign_document::{
    CampaignSummary, CampaignTemplate, CampaignTemplatesResponse,
};
use questlet_types::{CampaignDocument, CampaignStatus};

use crate::api;
use crate::app::{report, signed_out, use_session, Page, Session};
use crate::texts;

/// The campaign list, each campaign opening its editor, and the new-campaign form.
#[component]
pub fn Campaigns() -> impl IntoView {
    let session = expect_context::<RwSignal<Session>>();
    let campaigns = LocalResource::new(|| api::get::<Vec<CampaignSummary>>("/v1/campaigns"));

    view! {
        <section class="qc-card" aria-labelledby="qc-campaigns-title">
            <h1 id="qc-campaigns-title">{texts::CAMPAIGNS}</h1>
            <Suspense fallback=|| view! { <p class="qc-note">{texts::LOADING}</p> }>
                {move || campaigns.get().map(|answer| match answer {
                    Ok(list) => campaign_table(list).into_any(),
                    Err(error) => {
                        signed_out(session, &error);
                        view! { <p class="qc-error" role="alert">{error.to_string()}</p> }
                            .into_any()
                    }
                })}
            </Suspense>
        </section>
        <NewCampaign />
    }
}

/// The campaigns as a table, or a line saying there are none.
fn campaign_table(list: Vec<CampaignSummary>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="qc-note">{texts::NO_CAMPAIGNS}</p> }.into_any();
    }
    let page = expect_context::<RwSignal<Page>>();
    view! {
        <table class="qc-table">
            <thead>
                <tr>
                    <th scope="col">{texts::TITLE}</th>
                    <th scope="col">{texts::SLUG}</th>
                    <th scope="col">{texts::STATUS}</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|campaign| {
                        let status = campaign.status.as_str();
                        let key = campaign.slug.clone();
                        let slug = campaign.slug.clone();
                        view! {
                            <tr data-campaign=key>
                                <td>
                                    <button
                                        class="qc-link"
                                        type="button"
                                        on:click=move |_| page.set(Page::Campaign(slug.clone()))
                                    >
                                        {campaign.title}
                                    </button>
                                </td>
                                <td><code>{campaign.slug}</code></td>
                                <td><span class="qc-status" data-status=status>{status}</span></td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A new campaign: a template, a title and a slug; created as a draft and opened.
#[component]
fn NewCampaign() -> impl IntoView {
    let session = expect_context::<RwSignal<Session>>();
    let page = expect_context::<RwSignal<Page>>();
    let csrf = use_session().csrf_token;
    let templates =
        LocalResource::new(|| api::get::<CampaignTemplatesResponse>("/v1/campaign-templates"));
    let template = RwSignal::new(String::from("starter"));
    let title = RwSignal::new(String::new());
    let slug = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(Ok(list)) = templates.get_untracked() else {
            return;
        };
        let Some(chosen) = list
            .templates
            .into_iter()
            .find(|t| t.key == template.get_untracked())
        else {
            return;
        };
        let document = from_template(chosen, title.get_untracked(), slug.get_untracked());
        let csrf = csrf.clone();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let created =
                api::send::<_, CampaignDocument>("POST", "/v1/campaigns", &csrf, &document).await;
            pending.set(false);
            match created {
                Ok(campaign) => page.set(Page::Campaign(campaign.slug)),
                Err(refusal) => report(session, error, &refusal),
            }
        });
    };

    view! {
        <section class="qc-card" aria-labelledby="qc-new-title">
            <h2 id="qc-new-title">{texts::NEW_CAMPAIGN}</h2>
            <form class="qc-form" on:submit=submit>
                <label for="qc-template">{texts::TEMPLATE}</label>
                <select
                    id="qc-template"
                    on:change=move |ev| template.set(event_target_value(&ev))
                >
                    <Suspense fallback=|| ()>
                        {move || templates.get().and_then(Result::ok).map(|list| {
                            list.templates
                                .into_iter()
                                .map(|t| {
                                    let selected = t.key == template.get_untracked();
                                    view! {
                                        <option value=t.key selected=selected>
                                            {t.title}
                                        </option>
                                    }
                                })
                                .collect_view()
                        })}
                    </Suspense>
                </select>
                <label for="qc-new-title-field">{texts::TITLE}</label>
                <input
                    id="qc-new-title-field"
                    required
                    prop:value=move || title.get()
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        slug.set(slug_of(&typed));
                        title.set(typed);
                    }
                />
                <label for="qc-new-slug">{texts::SLUG}</label>
                <input
                    id="qc-new-slug"
                    required
                    pattern="[a-z0-9]([a-z0-9\\-]{0,62}[a-z0-9])?"
                    prop:value=move || slug.get()
                    on:input=move |ev| slug.set(event_target_value(&ev))
                />
                <p class="qc-error" role="alert">{move || error.get().unwrap_or_default()}</p>
                <button class="qc-button qc-primary" type="submit" disabled=move || pending.get()>
                    {texts::CREATE}
                </button>
            </form>
        </section>
    }
}

/// The template's document as a new draft called `title` at `slug`.
fn from_template(template: CampaignTemplate, title: String, slug: String) -> CampaignDocument {
    let mut document = template.document;
    document.title = title;
    document.slug = slug;
    document.status = CampaignStatus::Draft;
    document
}

/// A slug suggested for `title`: lowercase letters and digits, runs of anything else as one
/// `-`, at most 64 characters.
pub fn slug_of(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.truncate(64);
    slug.trim_end_matches('-').to_owned()
}
