//! One quest's editor: its title; its description in Markdown, previewed as the widget shows
//! it; its image, schedule and prerequisites (see `content_fields.rs`); and its tasks, each
//! with the settings form of its type (generated from the server's types, see
//! `schema_form.rs`), reordered by dragging or by buttons, added and removed. "Save quest"
//! saves the campaign document as any edit does (with the version it was read at); a
//! refused save's message shows at the field it names.
//!
//! The quest is edited as JSON (the document's own shape), so a setting the console knows
//! nothing of is kept as it was.

use leptos::prelude::*;
use questlet_types::campaign_document::QuestDocument;
use questlet_types::CampaignDocument;
use serde_json::{json, Value};

use crate::content_fields::{error_line, field_ids, invalid, ContentFields};
use crate::pages::campaign::{unique_key, Saver};
use crate::parts::{moved, ConfirmButton, DragOrder};
use crate::schema_form::{error_at, input_id, SettingsForm, TaskSchemas};
use crate::texts;

/// What a task row needs of its editor (all `Copy`).
#[derive(Clone, Copy)]
struct Editor {
    /// The quest being edited, as JSON.
    draft: RwSignal<Value>,
    /// Bumped when tasks are added, removed or moved: the rows are drawn anew.
    layout: RwSignal<u32>,
    /// The quest's path in the campaign document (`groups[0].quests[1]`).
    path: StoredValue<String>,
    /// The task types.
    schemas: StoredValue<TaskSchemas>,
    /// The last refused save's message.
    error: RwSignal<Option<String>>,
    /// Dragging tasks.
    order: DragOrder,
}

impl Editor {
    /// Task `ti`'s `field` (a reactive read).
    fn task(self, ti: usize, field: &str) -> Value {
        self.draft.with(|q| q["tasks"][ti][field].clone())
    }

    /// Task `ti`'s `field` as it is now, read without subscribing: a row is drawn once per
    /// layout, not again at each keystroke (which would lose what its inputs hold).
    fn task_now(self, ti: usize, field: &str) -> Value {
        self.draft.with_untracked(|q| q["tasks"][ti][field].clone())
    }

    /// Sets task `ti`'s `field` (`None` removes it).
    fn set_task(self, ti: usize, field: &str, value: Option<Value>) {
        self.draft.update(|q| {
            if let Some(task) = q["tasks"].get_mut(ti).and_then(Value::as_object_mut) {
                match value {
                    Some(value) => task.insert(field.to_owned(), value),
                    None => task.remove(field),
                };
            }
        });
    }

    /// Changes the task list, then draws its rows anew.
    fn change_tasks(self, change: impl FnOnce(&mut Vec<Value>)) {
        change_tasks(self.draft, self.layout, change);
    }

    /// The document path of task `ti`'s `field`.
    fn task_path(self, ti: usize, field: &str) -> String {
        self.path.with_value(|p| format!("{p}.tasks[{ti}].{field}"))
    }
}

/// Where quest `key` is in `document`: its group's and its own index.
fn position(document: &CampaignDocument, key: &str) -> Option<(usize, usize)> {
    document.groups.iter().enumerate().find_map(|(gi, group)| {
        group
            .quests
            .iter()
            .position(|q| q.key == key)
            .map(|qi| (gi, qi))
    })
}

/// The editor of quest `key` of `document`.
#[component]
pub fn QuestEditor(
    /// The campaign as read.
    document: CampaignDocument,
    /// The quest's key.
    key: String,
    /// The task types.
    schemas: TaskSchemas,
    /// Whether a save is running.
    saving: RwSignal<bool>,
    /// Saves an edit of the campaign.
    save: Saver,
    /// The last refused save's message.
    error: RwSignal<Option<String>>,
    /// Closes the editor.
    close: Callback<()>,
) -> impl IntoView {
    let Some((gi, qi)) = position(&document, &key) else {
        return ().into_any();
    };
    let quest = &document.groups[gi].quests[qi];
    let title = quest.title.clone();
    let path = format!("groups[{gi}].quests[{qi}]");
    let others: Vec<(String, String)> = document
        .groups
        .iter()
        .flat_map(|g| &g.quests)
        .filter(|q| q.key != key)
        .map(|q| (q.key.clone(), q.title.clone()))
        .collect();
    let draft = RwSignal::new(serde_json::to_value(quest).unwrap_or(Value::Null));
    let layout = RwSignal::new(0_u32);
    let local = RwSignal::new(None::<String>);
    let editor = Editor {
        draft,
        layout,
        path: StoredValue::new(path.clone()),
        schemas: StoredValue::new(schemas.clone()),
        error,
        order: DragOrder::new(Callback::new(move |(from, to)| {
            change_tasks(draft, layout, |tasks| moved(tasks, from, to));
        })),
    };

    let save_quest = move |_| {
        local.set(None);
        match serde_json::from_value::<QuestDocument>(draft.get_untracked()) {
            Ok(edited) => save.with_value(|save| {
                save(Box::new(move |doc: &mut CampaignDocument| {
                    if let Some(quest) = doc.groups.get_mut(gi).and_then(|g| g.quests.get_mut(qi)) {
                        *quest = edited;
                    }
                }))
            }),
            Err(e) => local.set(Some(texts::not_a_quest(&e.to_string()))),
        }
    };
    // The refused save's message, when it is about this quest.
    let about_quest = {
        let path = path.clone();
        move || {
            error.with(|e| {
                e.as_deref()
                    .filter(|_| error_at(e.as_deref(), &path).is_some())
                    .map(str::to_owned)
            })
        }
    };

    let new_kind = RwSignal::new(String::from("visit_link"));
    let add_task = move |_| {
        let Some(variant) = editor
            .schemas
            .with_value(|s| s.variant(&new_kind.get_untracked()).cloned())
        else {
            return;
        };
        editor.change_tasks(|tasks| {
            let taken: Vec<String> = tasks
                .iter()
                .filter_map(|t| t["key"].as_str().map(str::to_owned))
                .collect();
            tasks.push(json!({
                "key": unique_key(&variant.kind.replace('_', "-"), &taken),
                "title": texts::NEW_TASK,
                "points": 10,
                "config": variant.new_config(),
            }));
        });
    };

    let tasks = move || {
        layout.track();
        let count = draft.with_untracked(|q| q["tasks"].as_array().map_or(0, Vec::len));
        (0..count)
            .map(|ti| task_row(editor, ti, count))
            .collect_view()
    };

    view! {
        <section class="qc-card qc-editor" aria-labelledby="qc-quest-editor-title" data-editing=key.clone()>
            <div class="qc-row">
                <h2 id="qc-quest-editor-title">{texts::editing_quest(&title)}</h2>
                <button class="qc-button qc-push" type="button" on:click=move |_| close.run(())>
                    {texts::CLOSE}
                </button>
            </div>
            <p class="qc-error" role="alert">{move || local.get().or_else(&about_quest).unwrap_or_default()}</p>
            <ContentFields draft=draft path=path.clone() error=error title_label=texts::QUEST_TITLE others=others />
            <h3>{texts::TASKS}</h3>
            <p class="qc-note">{texts::TASKS_HELP}</p>
            <ol class="qc-tasks">{tasks}</ol>
            <div class="qc-row qc-wrap">
                <label for="qc-new-task-kind">{texts::NEW_TASK_KIND}</label>
                <select id="qc-new-task-kind" on:change=move |ev| new_kind.set(event_target_value(&ev))>
                    {schemas.variants().iter().map(|variant| {
                        let (kind, shown) = (variant.kind.clone(), variant.kind.clone());
                        let selected = kind == "visit_link";
                        view! { <option value=kind selected=selected>{shown}</option> }
                    }).collect_view()}
                </select>
                <button class="qc-button" type="button" data-action="add-task" on:click=add_task>
                    {texts::ADD_TASK}
                </button>
            </div>
            <p class="qc-row">
                <button class="qc-button qc-primary" type="button" data-action="save-quest"
                    disabled=move || saving.get() on:click=save_quest>
                    {texts::SAVE_QUEST}
                </button>
            </p>
        </section>
    }
    .into_any()
}

/// Changes the task list of `draft`, then has its rows drawn anew (through `layout`).
fn change_tasks(
    draft: RwSignal<Value>,
    layout: RwSignal<u32>,
    change: impl FnOnce(&mut Vec<Value>),
) {
    draft.update(|q| {
        if let Some(tasks) = q["tasks"].as_array_mut() {
            change(tasks);
        }
    });
    layout.update(|n| *n += 1);
}

/// Task `ti` of `count`: its title, points, whether it is required, its settings, and the
/// controls that move and remove it.
fn task_row(editor: Editor, ti: usize, count: usize) -> impl IntoView {
    let kind = editor.task_now(ti, "config")["type"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let variant = editor.schemas.with_value(|s| s.variant(&kind).cloned());
    let key = editor
        .task_now(ti, "key")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let name = move || {
        editor
            .task(ti, "title")
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let field = |field: &str| field_ids(editor.task_path(ti, field), editor.error);
    let (title_id, title_error_id, title_error) = field("title");
    let (points_id, points_error_id, points_error) = field("points");
    let required_id = input_id(&editor.task_path(ti, "required"));
    let required_for = required_id.clone();
    let settings_path = editor.task_path(ti, "config");
    let settings = match variant {
        Some(variant) => view! {
            <SettingsForm
                variant=variant
                config=Signal::derive(move || editor.task(ti, "config"))
                set=Callback::new(move |(name, value): (String, Option<Value>)| {
                    editor.draft.update(|q| {
                        let config = q["tasks"]
                            .get_mut(ti)
                            .and_then(|t| t.get_mut("config"))
                            .and_then(Value::as_object_mut);
                        if let Some(config) = config {
                            match value {
                                Some(value) => config.insert(name, value),
                                None => config.remove(&name),
                            };
                        }
                    })
                })
                path=settings_path
                error=editor.error
            />
        }
        .into_any(),
        None => view! { <p class="qc-note">{texts::UNKNOWN_TASK_TYPE}</p> }.into_any(),
    };
    let move_to = move |to: usize| {
        move |_: leptos::ev::MouseEvent| editor.change_tasks(|tasks| moved(tasks, ti, to))
    };
    let remove = Callback::new(move |()| {
        editor.change_tasks(|tasks| {
            if ti < tasks.len() {
                tasks.remove(ti);
            }
        })
    });

    view! {
        <li class="qc-task" draggable="true" data-task=key.clone()
            on:dragstart=editor.order.start(ti) on:dragover=editor.order.over() on:drop=editor.order.drop(ti)>
            <div class="qc-row qc-wrap">
                <span class="qc-handle" aria-hidden="true">"⠿"</span>
                <strong>{key.clone()}</strong>
                <span class="qc-status">{kind}</span>
                <span class="qc-push"></span>
                <button class="qc-button" type="button" data-action="task-up"
                    aria-label=move || texts::move_up(&name()) disabled={ti == 0} on:click=move_to(ti.saturating_sub(1))>
                    "↑"
                </button>
                <button class="qc-button" type="button" data-action="task-down"
                    aria-label=move || texts::move_down(&name()) disabled={ti + 1 >= count} on:click=move_to(ti + 1)>
                    "↓"
                </button>
                <ConfirmButton label=texts::REMOVE confirm=texts::confirm_remove(&key) on_confirm=remove />
            </div>
            <div class="qc-form">
                <label for=title_id.clone()>{texts::TASK_TITLE}</label>
                <input id=title_id required maxlength="200"
                    aria-invalid=invalid(title_error)
                    aria-describedby=title_error_id.clone()
                    prop:value=name
                    on:input=move |ev| editor.set_task(ti, "title", Some(Value::String(event_target_value(&ev)))) />
                {error_line(title_error, title_error_id)}
                <label for=points_id.clone()>{texts::POINTS}</label>
                <input id=points_id type="number" step="1" min="0"
                    aria-invalid=invalid(points_error)
                    aria-describedby=points_error_id.clone()
                    prop:value=move || editor.task(ti, "points").as_i64().map(|n| n.to_string()).unwrap_or_default()
                    on:input=move |ev| {
                        let points = event_target_value(&ev).trim().parse::<i64>().ok().map(Value::from);
                        editor.set_task(ti, "points", points);
                    } />
                {error_line(points_error, points_error_id)}
                <label for=required_for class="qc-check">
                    <input id=required_id type="checkbox"
                        prop:checked=move || editor.task(ti, "required").as_bool().unwrap_or(true)
                        on:change=move |ev| editor.set_task(ti, "required", Some(Value::Bool(event_target_checked(&ev)))) />
                    {texts::REQUIRED}
                </label>
                <fieldset class="qc-settings">
                    <legend>{texts::SETTINGS}</legend>
                    {settings}
                </fieldset>
            </div>
        </li>
    }
}
