//! Task settings forms generated from the server's own types. The server's OpenAPI document
//! (`/openapi.json`) describes `TaskConfig`, the Rust type it validates campaign documents
//! with: one variant per task type, each with its settings, their kinds, limits and
//! descriptions. A task's form is drawn from its variant, so a task type added to the server
//! gets a form without a change here; a setting whose shape a form cannot hold (a list of
//! quiz questions) is edited as JSON.
//!
//! A refused save names the field it refuses (`groups[0].quests[1].tasks[2].config.url:
//! must be ...`); each input knows its path and shows the message that names it.

use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::texts;

/// The task types and their settings, as the server's document describes them.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskSchemas {
    variants: Vec<Variant>,
}

/// One task type.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Its `type` (`visit_link`, `quiz`...).
    pub kind: String,
    /// What the task asks of the user.
    pub description: String,
    /// Its settings, in the document's order.
    pub fields: Vec<Field>,
}

/// One setting.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Its name in the document.
    pub name: String,
    /// What it is.
    pub description: String,
    /// Whether the server requires it.
    pub required: bool,
    /// How it is entered.
    pub input: Input,
}

/// How a setting is entered.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A line of text, with the pattern and length the schema states.
    Text {
        /// A regular expression the value must match.
        pattern: Option<String>,
        /// The most characters.
        max_length: Option<u64>,
    },
    /// A whole number within the schema's bounds.
    Number {
        /// The least.
        minimum: Option<i64>,
        /// The most.
        maximum: Option<i64>,
    },
    /// Yes or no.
    Flag,
    /// One of the named values.
    Choice(Vec<String>),
    /// A list of texts, one per line.
    Lines,
    /// Anything else, as JSON.
    Json,
}

impl TaskSchemas {
    /// The task types `document` (the server's OpenAPI document) describes, if it does.
    pub fn from_openapi(document: &Value) -> Option<Self> {
        let config = document.pointer("/components/schemas/TaskConfig")?;
        let variants = config["oneOf"]
            .as_array()?
            .iter()
            .filter_map(|variant| variant_of(document, variant))
            .collect();
        Some(Self { variants })
    }

    /// Every task type, in the document's order.
    pub fn variants(&self) -> &[Variant] {
        &self.variants
    }

    /// The task type `kind`.
    pub fn variant(&self, kind: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.kind == kind)
    }
}

impl Variant {
    /// A new task's settings of this type: its required settings at their empty values
    /// (the server's refusal then names what is still missing).
    pub fn new_config(&self) -> Value {
        let mut config = Map::new();
        config.insert("type".into(), Value::String(self.kind.clone()));
        for field in self.fields.iter().filter(|f| f.required) {
            let empty = match &field.input {
                Input::Text { .. } => Value::String(String::new()),
                Input::Number { minimum, .. } => Value::from(minimum.unwrap_or(0).max(0)),
                Input::Flag => Value::Bool(false),
                Input::Choice(values) => values.first().cloned().map_or(Value::Null, Value::String),
                Input::Lines | Input::Json => Value::Array(Vec::new()),
            };
            config.insert(field.name.clone(), empty);
        }
        Value::Object(config)
    }
}

/// The task type `schema` (one of `TaskConfig`'s variants) describes.
fn variant_of(document: &Value, schema: &Value) -> Option<Variant> {
    let properties = schema["properties"].as_object()?;
    let kind = properties.get("type")?["enum"][0].as_str()?.to_owned();
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let fields = properties
        .iter()
        .filter(|(name, _)| name.as_str() != "type")
        .map(|(name, property)| Field {
            name: name.clone(),
            description: property["description"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            required: required.contains(&name.as_str()),
            input: input_of(document, property),
        })
        .collect();
    Some(Variant {
        kind,
        description: schema["description"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        fields,
    })
}

/// `schema` with a `$ref` followed, and an optional value's `null` alternative set aside.
fn resolved<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let pointer = reference.trim_start_matches('#');
        return document.pointer(pointer).unwrap_or(&Value::Null);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            let real: Vec<&Value> = options.iter().filter(|o| o["type"] != "null").collect();
            if let [only] = real[..] {
                return resolved(document, only);
            }
        }
    }
    schema
}

/// A schema's type name, the non-null one of a list (`["string", "null"]`).
fn type_of(schema: &Value) -> &str {
    match &schema["type"] {
        Value::String(name) => name,
        Value::Array(names) => names
            .iter()
            .filter_map(Value::as_str)
            .find(|name| *name != "null")
            .unwrap_or_default(),
        _ => "",
    }
}

/// How a setting of `schema` is entered.
fn input_of(document: &Value, schema: &Value) -> Input {
    let schema = resolved(document, schema);
    if let Some(values) = schema["enum"].as_array() {
        return Input::Choice(
            values
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        );
    }
    match type_of(schema) {
        "string" => Input::Text {
            pattern: schema["pattern"].as_str().map(str::to_owned),
            max_length: schema["maxLength"].as_u64(),
        },
        "integer" | "number" => Input::Number {
            minimum: schema["minimum"].as_i64(),
            maximum: schema["maximum"].as_i64(),
        },
        "boolean" => Input::Flag,
        "array" => {
            let items = resolved(document, &schema["items"]);
            if type_of(items) == "string" && items["enum"].is_null() {
                Input::Lines
            } else {
                Input::Json
            }
        }
        _ => Input::Json,
    }
}

/// The message of `error` (a refused save's `path: message`) when its path is `path` or
/// inside it (`...config.questions[0].answer` is the questions field's).
pub fn error_at(error: Option<&str>, path: &str) -> Option<String> {
    let (named, message) = error?.split_once(": ")?;
    let inside = named == path
        || named
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['));
    inside.then(|| message.to_owned())
}

/// The settings form of a task of type `variant`, editing the value `config` holds; `path`
/// is the settings' path in the campaign document (`groups[0].quests[1].tasks[2].config`),
/// `error` the last refused save's message.
#[component]
pub fn SettingsForm(
    /// The task's type.
    variant: Variant,
    /// Reads the settings.
    config: Signal<Value>,
    /// Writes one setting (`None` removes it).
    set: Callback<(String, Option<Value>)>,
    /// The settings' path in the campaign document, also the prefix of the inputs' ids.
    path: String,
    /// The last refused save's message.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let fields = variant
        .fields
        .into_iter()
        .map(|field| {
            let field_path = format!("{path}.{}", field.name);
            let id = input_id(&field_path);
            let hint_id = format!("{id}-hint");
            let error_id = format!("{id}-error");
            let message = {
                let field_path = field_path.clone();
                Signal::derive(move || error.with(|e| error_at(e.as_deref(), &field_path)))
            };
            let name = field.name.clone();
            let value = Signal::derive(move || config.with(|c| c.get(&name).cloned()));
            let described = format!("{hint_id} {error_id}");
            let input = field_input(
                field.input,
                FieldBinding {
                    id: id.clone(),
                    name: field.name.clone(),
                    required: field.required,
                    described,
                    invalid: Signal::derive(move || message.with(Option::is_some)),
                    value,
                    set,
                },
            );
            view! {
                <div class="qc-field">
                    <label for=id>{field.name.replace('_', " ")}{(!field.required).then_some(texts::OPTIONAL)}</label>
                    {input}
                    <p class="qc-note qc-hint" id=hint_id>{field.description}</p>
                    <p class="qc-error" id=error_id>{move || message.get().unwrap_or_default()}</p>
                </div>
            }
        })
        .collect_view();
    view! {
        <p class="qc-note">{variant.description}</p>
        {fields}
    }
}

/// What an input reads, writes and says about itself.
struct FieldBinding {
    id: String,
    name: String,
    required: bool,
    described: String,
    invalid: Signal<bool>,
    value: Signal<Option<Value>>,
    set: Callback<(String, Option<Value>)>,
}

/// The input of one setting.
fn field_input(input: Input, b: FieldBinding) -> AnyView {
    let FieldBinding {
        id,
        name,
        required,
        described,
        invalid,
        value,
        set,
    } = b;
    let invalid = move || invalid.get().then_some("true");
    match input {
        Input::Text {
            pattern,
            max_length,
        } => view! {
            <input id=id required=required maxlength=max_length.map(|n| n.to_string())
                // A schema's pattern matches anywhere in the value; an input's, the whole value.
                pattern=pattern.map(|p| format!("[\\s\\S]*(?:{p})[\\s\\S]*"))
                aria-describedby=described aria-invalid=invalid
                prop:value=move || value.with(|v| v.as_ref().and_then(Value::as_str).unwrap_or_default().to_owned())
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    let stored = (required || !typed.is_empty()).then_some(Value::String(typed));
                    set.run((name.clone(), stored));
                } />
        }
        .into_any(),
        Input::Number { minimum, maximum } => view! {
            <input id=id type="number" required=required step="1"
                min=minimum.map(|n| n.to_string()) max=maximum.map(|n| n.to_string())
                aria-describedby=described aria-invalid=invalid
                prop:value=move || value.with(|v| v.as_ref().map(|n| n.to_string()).unwrap_or_default())
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    let stored = typed.trim().parse::<i64>().ok().map(Value::from);
                    set.run((name.clone(), stored));
                } />
        }
        .into_any(),
        Input::Flag => view! {
            <input id=id type="checkbox" aria-describedby=described aria-invalid=invalid
                prop:checked=move || value.with(|v| v.as_ref().and_then(Value::as_bool).unwrap_or(false))
                on:change=move |ev| {
                    let checked = event_target_checked(&ev);
                    set.run((name.clone(), Some(Value::Bool(checked))));
                } />
        }
        .into_any(),
        Input::Choice(values) => view! {
            <select id=id aria-describedby=described aria-invalid=invalid
                on:change=move |ev| set.run((name.clone(), Some(Value::String(event_target_value(&ev)))))>
                {values.into_iter().map(|choice| {
                    let chosen = choice.clone();
                    let selected = move || value.with(|v| v.as_ref().and_then(Value::as_str) == Some(chosen.as_str()));
                    let shown = choice.clone();
                    view! { <option value=choice selected=selected>{shown}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
        Input::Lines => {
            // The text as typed (a line just begun, blank lines), while the setting holds
            // its non-blank lines.
            let typed = RwSignal::new(None::<String>);
            view! {
                <textarea id=id rows="4" aria-describedby=described aria-invalid=invalid
                    prop:value=move || typed.get().unwrap_or_else(|| value.with(|v| lines_of(v.as_ref())))
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        let lines: Vec<Value> = text
                            .lines()
                            .map(str::trim)
                            .filter(|line| !line.is_empty())
                            .map(|line| Value::String(line.to_owned()))
                            .collect();
                        typed.set(Some(text));
                        set.run((name.clone(), Some(Value::Array(lines))));
                    }></textarea>
            }
            .into_any()
        }
        Input::Json => {
            // Kept as typed while it is not JSON yet; stored once it is.
            let unparsed = RwSignal::new(None::<String>);
            view! {
                <textarea id=id rows="6" class="qc-code" spellcheck="false"
                    aria-describedby=described
                    aria-invalid=move || (invalid() == Some("true") || unparsed.with(Option::is_some)).then_some("true")
                    prop:value=move || unparsed.get().unwrap_or_else(|| value.with(|v| {
                        v.as_ref().and_then(|v| serde_json::to_string_pretty(v).ok()).unwrap_or_default()
                    }))
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        match serde_json::from_str::<Value>(&typed) {
                            Ok(parsed) => {
                                unparsed.set(None);
                                set.run((name.clone(), Some(parsed)));
                            }
                            Err(_) => unparsed.set(Some(typed)),
                        }
                    }></textarea>
                <p class="qc-error">{move || unparsed.with(|u| u.as_ref().map(|_| texts::NOT_JSON))}</p>
            }
            .into_any()
        }
    }
}

/// A list of texts as lines.
fn lines_of(value: Option<&Value>) -> String {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// An element id for the input of document path `path`.
pub fn input_id(path: &str) -> String {
    let mut id = String::from("qc-f-");
    for c in path.chars() {
        id.push(if c.is_ascii_alphanumeric() { c } else { '-' });
    }
    id
}
