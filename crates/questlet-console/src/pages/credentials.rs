//! The organization's credentials (owners only): API tokens and OAuth2 clients, each
//! created with its secret shown once, listed and revoked; and webhook endpoints, added
//! (their signing secret shown once) and removed.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::auth::{
    ApiTokenView, CreateApiTokenRequest, CreateApiTokenResponse, CreateOAuthClientRequest,
    CreateOAuthClientResponse, OAuthClientView,
};
use questlet_types::campaign_document::CampaignSummary;
use questlet_types::webhooks::{
    CreateWebhookEndpointResponse, WebhookEndpointRequest, WebhookEndpointView, WebhookScope,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::api;
use crate::app::{report, use_session, Session};
use crate::parts::{time, ConfirmButton, SecretOnce};
use crate::texts;

/// The credentials page.
#[component]
pub fn Credentials() -> impl IntoView {
    view! {
        {credential_section::<ApiTokens>()}
        {credential_section::<OAuthClients>()}
        <Webhooks />
    }
}

/// A credential's row in its table, whatever its kind.
struct Row {
    id: String,
    label: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

/// A kind of credential made from a label and revoked by id: API tokens and OAuth2 clients.
trait CredentialKind: 'static {
    /// How the API lists one.
    type View: DeserializeOwned + Clone + 'static;
    /// The creation's body.
    type Request: Serialize + 'static;
    /// The creation's answer, with the secret.
    type Created: DeserializeOwned + 'static;
    /// The collection's path; one is revoked at `PATH/{id}`.
    const PATH: &'static str;
    /// The section's texts.
    const TEXTS: texts::CredentialTexts;
    /// A creation's body for `label`.
    fn request(label: String) -> Self::Request;
    /// The row of a listed one.
    fn row(view: Self::View) -> Row;
    /// The created one's id and secret.
    fn secret(created: Self::Created) -> (String, String);
}

/// API tokens (`Authorization: Bearer qlt_...`).
struct ApiTokens;

impl CredentialKind for ApiTokens {
    type View = ApiTokenView;
    type Request = CreateApiTokenRequest;
    type Created = CreateApiTokenResponse;
    const PATH: &'static str = "/v1/api-tokens";
    const TEXTS: texts::CredentialTexts = texts::API_TOKENS;

    fn request(label: String) -> Self::Request {
        CreateApiTokenRequest { label }
    }

    fn row(view: ApiTokenView) -> Row {
        Row {
            id: view.id,
            label: view.label,
            created_at: view.created_at,
            last_used_at: view.last_used_at,
            revoked_at: view.revoked_at,
        }
    }

    fn secret(created: CreateApiTokenResponse) -> (String, String) {
        (created.metadata.label, created.token)
    }
}

/// OAuth2 clients (client-credentials grant at `/oauth2/token`).
struct OAuthClients;

impl CredentialKind for OAuthClients {
    type View = OAuthClientView;
    type Request = CreateOAuthClientRequest;
    type Created = CreateOAuthClientResponse;
    const PATH: &'static str = "/v1/oauth-clients";
    const TEXTS: texts::CredentialTexts = texts::OAUTH_CLIENTS;

    fn request(label: String) -> Self::Request {
        CreateOAuthClientRequest { label }
    }

    fn row(view: OAuthClientView) -> Row {
        Row {
            id: view.client_id,
            label: view.label,
            created_at: view.created_at,
            last_used_at: None,
            revoked_at: view.revoked_at,
        }
    }

    fn secret(created: CreateOAuthClientResponse) -> (String, String) {
        let title = format!(
            "{} · {}",
            created.metadata.label, created.metadata.client_id
        );
        (title, created.client_secret)
    }
}

/// One kind's section: the creation form, the new secret once, and the list with revoke.
fn credential_section<K: CredentialKind>() -> impl IntoView {
    let session = expect_context::<RwSignal<Session>>();
    let csrf = StoredValue::new(use_session().csrf_token);
    let text = K::TEXTS;
    let reload = RwSignal::new(0_u32);
    let listed = LocalResource::new(move || {
        reload.track();
        api::get::<Vec<K::View>>(K::PATH)
    });
    let label = RwSignal::new(String::new());
    let created = RwSignal::new(None::<(String, String)>);
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let create = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = K::request(label.get_untracked().trim().to_owned());
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let csrf = csrf.get_value();
            let answer = api::send::<_, K::Created>("POST", K::PATH, &csrf, &body).await;
            pending.set(false);
            match answer {
                Ok(answer) => {
                    created.set(Some(K::secret(answer)));
                    label.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => report(session, error, &e),
            }
        });
    };
    let revoke = Callback::new(move |id: String| {
        error.set(None);
        spawn_local(async move {
            let path = format!("{}/{id}", K::PATH);
            match api::send_empty("DELETE", &path, &csrf.get_value()).await {
                Ok(()) => reload.update(|n| *n += 1),
                Err(e) => report(session, error, &e),
            }
        });
    });

    let table = move |rows: Vec<Row>| {
        if rows.is_empty() {
            return view! { <p class="qc-note">{text.none}</p> }.into_any();
        }
        view! {
            <table class="qc-table">
                <thead>
                    <tr>
                        <th scope="col">{texts::LABEL}</th>
                        <th scope="col">{text.id}</th>
                        <th scope="col">{texts::CREATED}</th>
                        <th scope="col">{texts::LAST_USED}</th>
                        <th scope="col">{texts::STATUS}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let status = match row.revoked_at {
                            Some(at) => view! { <span>{texts::revoked_at(&time(at))}</span> }.into_any(),
                            None => {
                                let id = row.id.clone();
                                view! {
                                    <ConfirmButton
                                        label=texts::REVOKE
                                        confirm=texts::confirm_revoke(&row.label)
                                        on_confirm=Callback::new(move |()| revoke.run(id.clone()))
                                    />
                                }.into_any()
                            }
                        };
                        let key = row.id.clone();
                        view! {
                            <tr data-credential=key>
                                <td>{row.label}</td>
                                <td><code>{row.id}</code></td>
                                <td>{time(row.created_at)}</td>
                                <td>{row.last_used_at.map(time).unwrap_or_else(|| texts::NEVER.to_owned())}</td>
                                <td>{status}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };

    view! {
        <section class="qc-card" data-section=text.key aria-labelledby=format!("qc-{}-title", text.key)>
            <h2 id=format!("qc-{}-title", text.key)>{text.title}</h2>
            <p class="qc-note">{text.help}</p>
            {move || created.get().map(|(title, secret)| view! {
                <SecretOnce title=title secret=secret dismiss=created />
            })}
            <form class="qc-form" on:submit=create>
                <label for=format!("qc-{}-label", text.key)>{texts::LABEL}</label>
                <input id=format!("qc-{}-label", text.key) required maxlength="100"
                    prop:value=move || label.get()
                    on:input=move |ev| label.set(event_target_value(&ev)) />
                <button class="qc-button qc-primary" type="submit" disabled=move || pending.get()>
                    {text.create}
                </button>
            </form>
            <p class="qc-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            <Suspense fallback=|| view! { <p class="qc-note">{texts::LOADING}</p> }>
                {move || listed.get().map(|answer| match answer {
                    Ok(list) => table(list.into_iter().map(K::row).collect()),
                    Err(e) => {
                        report(session, error, &e);
                        ().into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Webhook endpoints: the list, a form to add one (its signing secret shown once), removal.
#[component]
fn Webhooks() -> impl IntoView {
    let session = expect_context::<RwSignal<Session>>();
    let csrf = StoredValue::new(use_session().csrf_token);
    let reload = RwSignal::new(0_u32);
    let endpoints = LocalResource::new(move || {
        reload.track();
        api::get::<Vec<WebhookEndpointView>>("/v1/webhooks")
    });
    let campaigns = LocalResource::new(|| api::get::<Vec<CampaignSummary>>("/v1/campaigns"));
    let url = RwSignal::new(String::new());
    let campaign = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let scopes = RwSignal::new(vec![WebhookScope::TaskCompleted]);
    let created = RwSignal::new(None::<(String, String)>);
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        let chosen = scopes.get_untracked();
        if chosen.is_empty() {
            error.set(Some(texts::CHOOSE_EVENTS.to_owned()));
            return;
        }
        let text = |signal: RwSignal<String>| {
            Some(signal.get_untracked().trim().to_owned()).filter(|s| !s.is_empty())
        };
        let body = WebhookEndpointRequest {
            url: url.get_untracked().trim().to_owned(),
            scopes: chosen,
            campaign: text(campaign),
            enabled: Some(true),
            description: text(description),
        };
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let csrf = csrf.get_value();
            let answer =
                api::send::<_, CreateWebhookEndpointResponse>("POST", "/v1/webhooks", &csrf, &body)
                    .await;
            pending.set(false);
            match answer {
                Ok(answer) => {
                    created.set(Some((answer.endpoint.url, answer.secret)));
                    url.set(String::new());
                    description.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => report(session, error, &e),
            }
        });
    };
    let remove = Callback::new(move |id: String| {
        error.set(None);
        spawn_local(async move {
            let path = format!("/v1/webhooks/{id}");
            match api::send_empty("DELETE", &path, &csrf.get_value()).await {
                Ok(()) => reload.update(|n| *n += 1),
                Err(e) => report(session, error, &e),
            }
        });
    });

    let table = move |list: Vec<WebhookEndpointView>| {
        if list.is_empty() {
            return view! { <p class="qc-note">{texts::NO_WEBHOOKS}</p> }.into_any();
        }
        view! {
            <table class="qc-table">
                <thead>
                    <tr>
                        <th scope="col">{texts::URL}</th>
                        <th scope="col">{texts::EVENTS}</th>
                        <th scope="col">{texts::CAMPAIGN}</th>
                        <th scope="col">{texts::STATUS}</th>
                        <th scope="col"><span class="qc-hidden">{texts::ACTIONS}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|endpoint| {
                        let events = endpoint
                            .scopes
                            .iter()
                            .map(|e| e.as_str())
                            .collect::<Vec<_>>()
                            .join(", ");
                        let id = endpoint.id.clone();
                        let state = if endpoint.enabled { texts::ENABLED } else { texts::DISABLED };
                        view! {
                            <tr data-webhook=endpoint.id.clone()>
                                <td><code>{endpoint.url.clone()}</code></td>
                                <td>{events}</td>
                                <td>{endpoint.campaign.unwrap_or_else(|| texts::ALL_CAMPAIGNS.to_owned())}</td>
                                <td>{state}</td>
                                <td>
                                    <ConfirmButton
                                        label=texts::REMOVE
                                        confirm=texts::confirm_remove(&endpoint.url)
                                        on_confirm=Callback::new(move |()| remove.run(id.clone()))
                                    />
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };

    view! {
        <section class="qc-card" data-section="webhooks" aria-labelledby="qc-webhooks-title">
            <h2 id="qc-webhooks-title">{texts::WEBHOOKS}</h2>
            <p class="qc-note">{texts::WEBHOOKS_HELP}</p>
            {move || created.get().map(|(title, secret)| view! {
                <SecretOnce title=title secret=secret dismiss=created />
            })}
            <form class="qc-form" on:submit=add>
                <label for="qc-webhook-url">{texts::URL}</label>
                <input id="qc-webhook-url" type="url" required maxlength="2000"
                    placeholder="https://example.com/questlet"
                    prop:value=move || url.get()
                    on:input=move |ev| url.set(event_target_value(&ev)) />
                <fieldset class="qc-choices">
                    <legend>{texts::EVENTS}</legend>
                    {WebhookScope::ALL.iter().copied().filter(|scope| scope.as_str().contains('.')).map(|scope| {
                        let id = format!("qc-scope-{}", scope.as_str().replace('.', "-"));
                        let input_id = id.clone();
                        view! {
                            <label for=id>
                                <input id=input_id type="checkbox"
                                    prop:checked=move || scopes.with(|s| s.contains(&scope))
                                    on:change=move |_| scopes.update(|s| {
                                        if let Some(at) = s.iter().position(|x| *x == scope) {
                                            s.remove(at);
                                        } else {
                                            s.push(scope);
                                        }
                                    }) />
                                {scope.as_str()}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <label for="qc-webhook-campaign">{texts::CAMPAIGN}</label>
                <select id="qc-webhook-campaign" on:change=move |ev| campaign.set(event_target_value(&ev))>
                    <option value="">{texts::ALL_CAMPAIGNS}</option>
                    <Suspense fallback=|| ()>
                        {move || campaigns.get().and_then(Result::ok).map(|list| {
                            list.into_iter()
                                .map(|c| view! { <option value=c.slug>{c.title}</option> })
                                .collect_view()
                        })}
                    </Suspense>
                </select>
                <label for="qc-webhook-description">{texts::DESCRIPTION}</label>
                <input id="qc-webhook-description" maxlength="200"
                    prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev)) />
                <button class="qc-button qc-primary" type="submit" disabled=move || pending.get()>
                    {texts::ADD_WEBHOOK}
                </button>
            </form>
            <p class="qc-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            <Suspense fallback=|| view! { <p class="qc-note">{texts::LOADING}</p> }>
                {move || endpoints.get().map(|answer| match answer {
                    Ok(list) => table(list),
                    Err(e) => {
                        report(session, error, &e);
                        ().into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
