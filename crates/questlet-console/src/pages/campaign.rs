//! One campaign: its status with publish and unpublish, its quests and tasks, a new quest
//! with a secret-code task, its embed snippet with a copy button, its allowed origins, its
//! settings, and its document exported and imported as a file.
//!
//! Every change (publishing too) is a save of the whole campaign document with the version it was read at
//! (`If-Match`). When someone else saved in between, the server refuses it (412): the page
//! then shows what they changed and offers their version, and nothing is overwritten.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use questlet_types::campaign_document::{GroupDocument, QuestDocument};
use questlet_types::{CampaignDocument, CampaignStatus};
use serde_json::json;

use crate::api;
use crate::app::{report, use_session, Page, Session};
use crate::pages::campaign_file::CampaignFile;
use crate::pages::campaign_settings::CampaignSettings;
use crate::pages::campaigns::slug_of;
use crate::pages::quest_editor::QuestEditor;
use crate::parts::{moved, CopyButton, DragOrder};
use crate::schema_form::TaskSchemas;
use crate::{changes, texts};

/// An edit of the campaign document, saved by a [`Saver`].
pub type Edit = Box<dyn FnOnce(&mut CampaignDocument)>;

/// Saves an edit of the campaign as read (see the module's documentation).
pub type Saver = StoredValue<Box<dyn Fn(Edit) + Send + Sync>>;

/// The campaign as read, with the version it was read at.
#[derive(Debug, Clone, PartialEq)]
struct Loaded {
    document: CampaignDocument,
    etag: String,
}

/// A save refused because the campaign changed: what changed, and the version now saved.
#[derive(Debug, Clone, PartialEq)]
struct Conflict {
    changes: Vec<String>,
    current: Loaded,
}

/// The campaign editor for campaign `slug`.
#[component]
pub fn CampaignEditor(
    /// The campaign's slug.
    slug: String,
) -> impl IntoView {
    let session = expect_context::<RwSignal<Session>>();
    let page = expect_context::<RwSignal<Page>>();
    let member = use_session();
    let path = format!("/v1/campaigns/{slug}");
    let loaded = RwSignal::new(None::<Loaded>);
    let error = RwSignal::new(None::<String>);
    let conflict = RwSignal::new(None::<Conflict>);
    let saving = RwSignal::new(false);
    // The quest open in the editor, by key.
    let editing = RwSignal::new(None::<String>);
    // The task types, from the server's own description of them.
    let schemas = LocalResource::new(|| async {
        api::get::<serde_json::Value>("/openapi.json")
            .await
            .ok()
            .and_then(|document| TaskSchemas::from_openapi(&document))
    });

    {
        let path = path.clone();
        spawn_local(async move {
            match api::get_versioned::<CampaignDocument>(&path).await {
                Ok((document, etag)) => loaded.set(Some(Loaded { document, etag })),
                Err(e) => report(session, error, &e),
            }
        });
    }

    // Saves `edit` applied to the campaign as read; a stale save shows the conflict.
    let save = {
        let path = path.clone();
        let csrf = member.csrf_token.clone();
        move |edit: Edit| {
            let Some(base) = loaded.get_untracked() else {
                return;
            };
            let mut document = base.document.clone();
            edit(&mut document);
            let (path, csrf) = (path.clone(), csrf.clone());
            saving.set(true);
            error.set(None);
            conflict.set(None);
            spawn_local(async move {
                let saved = api::send_versioned::<_, CampaignDocument>(
                    "PUT",
                    &path,
                    &csrf,
                    Some(&base.etag),
                    &document,
                )
                .await;
                saving.set(false);
                match saved {
                    Ok((document, etag)) => loaded.set(Some(Loaded { document, etag })),
                    Err(e) if e.is_stale() => {
                        if let Ok((current, etag)) =
                            api::get_versioned::<CampaignDocument>(&path).await
                        {
                            conflict.set(Some(Conflict {
                                changes: changes::between(&base.document, &current),
                                current: Loaded {
                                    document: current,
                                    etag,
                                },
                            }));
                        }
                    }
                    Err(e) => report(session, error, &e),
                }
            });
        }
    };
    let save: Saver = StoredValue::new(Box::new(save));

    let title = move || loaded.with(|l| l.as_ref().map(|l| l.document.title.clone()));
    let status = move || loaded.with(|l| l.as_ref().map(|l| l.document.status));

    view! {
        <section class="qc-card" aria-labelledby="qc-campaign-title">
            <h1 id="qc-campaign-title">{move || title().unwrap_or_else(|| texts::LOADING.to_owned())}</h1>
            <p class="qc-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            {move || conflict.get().map(|c| view! { <ConflictPanel conflict=c loaded=loaded conflict_signal=conflict /> })}
            {move || status().map(|status| {
                let (label, next) = match status {
                    CampaignStatus::Published => (texts::UNPUBLISH, CampaignStatus::Draft),
                    _ => (texts::PUBLISH, CampaignStatus::Published),
                };
                view! {
                    <p class="qc-row">
                        <span class="qc-status" data-status=status.as_str()>{status.as_str()}</span>
                        <button
                            class="qc-button qc-primary"
                            type="button"
                            data-action="status"
                            disabled=move || saving.get()
                            on:click=move |_| {
                                save.with_value(|save| save(Box::new(move |doc| doc.status = next)))
                            }
                        >
                            {label}
                        </button>
                        <button class="qc-button" type="button" data-action="results"
                            on:click={
                                let slug = slug.clone();
                                move |_| page.set(Page::Results(slug.clone()))
                            }>
                            {texts::RESULTS}
                        </button>
                    </p>
                }
            })}
        </section>
        {move || loaded.get().map(|l| view! {
            <PreviewPanel slug=l.document.slug.clone() version=l.etag.clone() />
            <QuestList document=l.document.clone() saving=saving save=save editing=editing />
            {editing.get().zip(schemas.get().flatten()).map(|(key, schemas)| view! {
                <QuestEditor document=l.document.clone() key=key schemas=schemas saving=saving save=save
                    error=error close=Callback::new(move |()| editing.set(None)) />
            })}
            <NewQuest document=l.document.clone() saving=saving save=save />
            <EmbedPanel document=l.document.clone() organization=member.organization.clone() saving=saving save=save />
            <CampaignSettings document=l.document.clone() saving=saving save=save error=error />
            <CampaignFile document=l.document saving=saving import=Callback::new(move |imported: CampaignDocument| {
                save.with_value(|save| save(Box::new(move |doc| *doc = imported)))
            }) />
        })}
    }
}

/// Someone saved first: what they changed, and a button to continue from their version.
#[component]
fn ConflictPanel(
    /// The refused save's conflict.
    conflict: Conflict,
    /// The campaign as read, replaced by theirs on demand.
    loaded: RwSignal<Option<Loaded>>,
    /// The conflict shown, cleared on demand.
    conflict_signal: RwSignal<Option<Conflict>>,
) -> impl IntoView {
    let current = conflict.current.clone();
    view! {
        <div class="qc-conflict" role="alert">
            <p><strong>{texts::CONFLICT}</strong></p>
            <ul>
                {conflict.changes.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
            <button
                class="qc-button"
                type="button"
                on:click=move |_| {
                    loaded.set(Some(current.clone()));
                    conflict_signal.set(None);
                }
            >
                {texts::LOAD_THEIRS}
            </button>
        </div>
    }
}

/// The real widget showing the campaign as a user sees it (a draft too), light and dark.
/// The frames' address names the campaign's version, so each save loads them afresh (a
/// redrawn panel keeps its elements; only a changed address reloads a frame).
#[component]
fn PreviewPanel(
    /// The campaign's slug.
    slug: String,
    /// The campaign's version (its `ETag`).
    version: String,
) -> impl IntoView {
    let version = String::from(js_sys::encode_uri_component(&version));
    let frame = |theme: &str, title: &'static str| {
        let src = format!("/console/preview/{slug}?theme={theme}&v={version}");
        view! { <iframe class="qc-preview" src=src title=title data-theme=theme.to_owned()></iframe> }
    };
    view! {
        <section class="qc-card" aria-labelledby="qc-preview-title">
            <h2 id="qc-preview-title">{texts::PREVIEW}</h2>
            <p class="qc-note">{texts::PREVIEW_HELP}</p>
            <div class="qc-previews">
                {frame("light", texts::PREVIEW_LIGHT)}
                {frame("dark", texts::PREVIEW_DARK)}
            </div>
        </section>
    }
}

/// The campaign's groups, quests and tasks: groups renamed, added and moved by their arrows,
/// quests opened in the editor and moved within their group by dragging or by their arrows
/// (each change is saved at once).
#[component]
fn QuestList(
    /// The campaign.
    document: CampaignDocument,
    /// Whether a save is running.
    saving: RwSignal<bool>,
    /// Saves an edit of the campaign.
    save: Saver,
    /// The quest open in the editor.
    editing: RwSignal<Option<String>>,
) -> impl IntoView {
    let groups = document.groups.len();
    let taken: Vec<String> = document.groups.iter().map(|g| g.key.clone()).collect();
    let new_group = RwSignal::new(String::new());
    let add_group = move |ev: SubmitEvent| {
        ev.prevent_default();
        let title = new_group.get_untracked().trim().to_owned();
        let key = unique_key(&slug_of(&title), &taken);
        let group: Result<GroupDocument, _> =
            serde_json::from_value(json!({"key": key, "title": title, "quests": []}));
        if let Ok(group) = group {
            save.with_value(|save| {
                save(Box::new(move |doc: &mut CampaignDocument| {
                    doc.groups.push(group)
                }))
            });
            new_group.set(String::new());
        }
    };
    let move_group = move |from: usize, to: usize| {
        save.with_value(|save| {
            save(Box::new(move |doc: &mut CampaignDocument| {
                moved(&mut doc.groups, from, to)
            }))
        })
    };
    view! {
        <section class="qc-card" aria-labelledby="qc-quests-title">
            <h2 id="qc-quests-title">{texts::QUESTS}</h2>
            <p class="qc-note">{texts::QUESTS_HELP}</p>
            {document.groups.into_iter().enumerate().map(|(gi, group)| {
                let move_quest = Callback::new(move |(from, to): (usize, usize)| {
                    save.with_value(|save| {
                        save(Box::new(move |doc: &mut CampaignDocument| {
                            if let Some(group) = doc.groups.get_mut(gi) {
                                moved(&mut group.quests, from, to);
                            }
                        }))
                    })
                });
                let order = DragOrder::new(move_quest);
                let count = group.quests.len();
                let title = RwSignal::new(group.title.clone());
                let rename = move |ev: SubmitEvent| {
                    ev.prevent_default();
                    let renamed = title.get_untracked();
                    save.with_value(|save| {
                        save(Box::new(move |doc: &mut CampaignDocument| {
                            if let Some(group) = doc.groups.get_mut(gi) {
                                group.title = renamed;
                            }
                        }))
                    })
                };
                let title_id = format!("qc-group-title-{gi}");
                let (up, down) = (texts::move_up(&group.title), texts::move_down(&group.title));
                view! {
                    <form class="qc-row qc-wrap qc-group" data-group=group.key on:submit=rename>
                        <label for=title_id.clone()>{texts::GROUP}</label>
                        <input id=title_id required maxlength="200"
                            prop:value=move || title.get()
                            on:input=move |ev| title.set(event_target_value(&ev)) />
                        <button class="qc-button" type="submit" disabled=move || saving.get()>{texts::RENAME}</button>
                        <span class="qc-push"></span>
                        <button class="qc-button" type="button" data-action="group-up" aria-label=up
                            disabled={move || saving.get() || gi == 0}
                            on:click=move |_| move_group(gi, gi.saturating_sub(1))>"↑"</button>
                        <button class="qc-button" type="button" data-action="group-down" aria-label=down
                            disabled={move || saving.get() || gi + 1 >= groups}
                            on:click=move |_| move_group(gi, gi + 1)>"↓"</button>
                    </form>
                    <ul class="qc-quests">
                        {group.quests.into_iter().enumerate().map(|(qi, quest)| {
                            let tasks = quest
                                .tasks
                                .iter()
                                .map(|t| format!("{} ({})", t.title, t.config.kind().as_str()))
                                .collect::<Vec<_>>()
                                .join(" · ");
                            let key = quest.key.clone();
                            let (up, down) = (texts::move_up(&quest.title), texts::move_down(&quest.title));
                            view! {
                                <li data-quest=quest.key draggable="true"
                                    on:dragstart=order.start(qi) on:dragover=order.over() on:drop=order.drop(qi)>
                                    <span class="qc-handle" aria-hidden="true">"⠿"</span>
                                    <strong>{quest.title}</strong>
                                    <span class="qc-note">{tasks}</span>
                                    <span class="qc-push"></span>
                                    <button class="qc-button" type="button" data-action="quest-up" aria-label=up
                                        disabled={move || saving.get() || qi == 0}
                                        on:click=move |_| move_quest.run((qi, qi.saturating_sub(1)))>"↑"</button>
                                    <button class="qc-button" type="button" data-action="quest-down" aria-label=down
                                        disabled={move || saving.get() || qi + 1 >= count}
                                        on:click=move |_| move_quest.run((qi, qi + 1))>"↓"</button>
                                    <button class="qc-button" type="button" data-action="edit-quest"
                                        on:click=move |_| editing.set(Some(key.clone()))>
                                        {texts::EDIT}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
            }).collect_view()}
            <form class="qc-row qc-wrap" on:submit=add_group>
                <label for="qc-new-group">{texts::NEW_GROUP}</label>
                <input id="qc-new-group" required maxlength="200"
                    prop:value=move || new_group.get()
                    on:input=move |ev| new_group.set(event_target_value(&ev)) />
                <button class="qc-button" type="submit" disabled=move || saving.get()>{texts::ADD_GROUP}</button>
            </form>
        </section>
    }
}

/// A new quest with one secret-code task, added to the chosen group (to a new one when the
/// campaign has none).
#[component]
fn NewQuest(
    /// The campaign.
    document: CampaignDocument,
    /// Whether a save is running.
    saving: RwSignal<bool>,
    /// Saves an edit of the campaign.
    save: Saver,
) -> impl IntoView {
    let quest_title = RwSignal::new(String::new());
    let task_title = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let points = RwSignal::new(String::from("10"));
    let group_at = RwSignal::new(0_usize);
    let group_titles: Vec<String> = document.groups.iter().map(|g| g.title.clone()).collect();
    let taken: Vec<String> = document
        .groups
        .iter()
        .flat_map(|g| &g.quests)
        .map(|q| q.key.clone())
        .collect();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let key = unique_key(&slug_of(&quest_title.get_untracked()), &taken);
        let quest: Result<QuestDocument, _> = serde_json::from_value(json!({
            "key": key,
            "title": quest_title.get_untracked(),
            "tasks": [{
                "key": "code",
                "title": task_title.get_untracked(),
                "points": points.get_untracked().trim().parse::<i64>().unwrap_or(0),
                "config": {"type": "secret_code", "code": code.get_untracked()},
            }],
        }));
        let Ok(quest) = quest else {
            return;
        };
        let at = group_at.get_untracked();
        save.with_value(|save| {
            save(Box::new(move |doc: &mut CampaignDocument| {
                if doc.groups.is_empty() {
                    let first = serde_json::from_value(json!({
                        "key": "quests", "title": texts::QUESTS, "quests": []
                    }));
                    doc.groups.extend(first.ok());
                }
                let last = doc.groups.len().saturating_sub(1);
                if let Some(group) = doc.groups.get_mut(at.min(last)) {
                    group.quests.push(quest);
                }
            }))
        });
        quest_title.set(String::new());
        task_title.set(String::new());
        code.set(String::new());
    };

    view! {
        <section class="qc-card" aria-labelledby="qc-new-quest-title">
            <h2 id="qc-new-quest-title">{texts::NEW_QUEST}</h2>
            <form class="qc-form" on:submit=submit>
                {(group_titles.len() > 1).then(|| view! {
                    <label for="qc-quest-group">{texts::GROUP}</label>
                    <select id="qc-quest-group"
                        on:change=move |ev| group_at.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {group_titles.into_iter().enumerate().map(|(i, title)| view! {
                            <option value=i.to_string()>{title}</option>
                        }).collect_view()}
                    </select>
                })}
                <label for="qc-quest-title">{texts::QUEST_TITLE}</label>
                <input id="qc-quest-title" required prop:value=move || quest_title.get()
                    on:input=move |ev| quest_title.set(event_target_value(&ev)) />
                <label for="qc-task-title">{texts::TASK_TITLE}</label>
                <input id="qc-task-title" required prop:value=move || task_title.get()
                    on:input=move |ev| task_title.set(event_target_value(&ev)) />
                <label for="qc-code">{texts::SECRET_CODE}</label>
                <input id="qc-code" required prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev)) />
                <label for="qc-points">{texts::POINTS}</label>
                <input id="qc-points" type="number" min="0" max="1000000" required
                    prop:value=move || points.get()
                    on:input=move |ev| points.set(event_target_value(&ev)) />
                <button class="qc-button qc-primary" type="submit" disabled=move || saving.get()>
                    {texts::ADD_QUEST}
                </button>
            </form>
        </section>
    }
}

/// The snippet that embeds this campaign, with a copy button, and the origins allowed to.
#[component]
fn EmbedPanel(
    /// The campaign.
    document: CampaignDocument,
    /// The organization's slug.
    organization: String,
    /// Whether a save is running.
    saving: RwSignal<bool>,
    /// Saves an edit of the campaign.
    save: Saver,
) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    let snippet = format!(
        "<script async src=\"{origin}/widget/questlet.js\"\n        \
         data-organization=\"{organization}\" data-campaign=\"{}\" \
         data-container=\"quests\"></script>\n<div id=\"quests\"></div>",
        document.slug
    );
    let origins = RwSignal::new(document.allowed_origins.join("\n"));
    let save_origins = move |ev: SubmitEvent| {
        ev.prevent_default();
        let list: Vec<String> = origins
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        save.with_value(|save| {
            save(Box::new(move |doc: &mut CampaignDocument| {
                doc.allowed_origins = list
            }))
        });
    };

    view! {
        <section class="qc-card" aria-labelledby="qc-embed-title">
            <h2 id="qc-embed-title">{texts::EMBED}</h2>
            <p class="qc-note">{texts::EMBED_HELP}</p>
            <pre class="qc-snippet"><code id="qc-snippet">{snippet.clone()}</code></pre>
            <CopyButton text=snippet label=texts::COPY />
            <form class="qc-form" on:submit=save_origins>
                <label for="qc-origins">{texts::ALLOWED_ORIGINS}</label>
                <textarea id="qc-origins" rows="3"
                    prop:value=move || origins.get()
                    on:input=move |ev| origins.set(event_target_value(&ev))></textarea>
                <button class="qc-button" type="submit" disabled=move || saving.get()>
                    {texts::SAVE_ORIGINS}
                </button>
            </form>
        </section>
    }
}

/// `wanted`, or `wanted-2`, `wanted-3`... whichever is not `taken` (`quest` when empty).
pub fn unique_key(wanted: &str, taken: &[String]) -> String {
    let base = if wanted.is_empty() { "quest" } else { wanted };
    let mut key = base.to_owned();
    let mut n = 1;
    while taken.contains(&key) {
        n += 1;
        key = format!("{base}-{n}");
    }
    key
}
