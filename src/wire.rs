//! Reads the server's JSON answers, as the browser's `JSON.parse` returns them, into the
//! shared wire types of `questlet-types`.
//!
//! Why not serde here: serde's derived deserializers cost about a fifth of the widget's
//! bundle (a visitor per type, instantiated again for every deserializer and for each
//! internally tagged enum's buffer, plus float formatting for their error messages), which
//! the 150 KB transfer budget cannot carry. These readers are a few lines per type. The server
//! still writes every body with serde, and `tests/web/wire.rs` round-trips every type and
//! variant through serde and back through these readers, so the two cannot drift apart.

use js_sys::{Array, Reflect};
use questlet_types::attempt::{AttemptOutcome, TaskAttemptResponse};
use questlet_types::task::{FormField, QuizQuestion};
use questlet_types::{
    CampaignView, ErrorResponse, GroupView, PopupView, QuestStatus, QuestView, TaskKind,
    TaskPublicSettings, TaskView, UserProgressView, WidgetCampaignResponse,
};
use wasm_bindgen::JsValue;

/// Where a body differs from its wire type: the path of the field and what it should be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}expected {expected}", location(.path))]
pub struct WireError {
    /// The field's path, such as `groups.0.quests.1.status` (empty for the body itself).
    pub path: String,
    /// What the field should hold.
    pub expected: &'static str,
}

/// `"path: "`, or nothing for the body itself.
fn location(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    }
}

impl WireError {
    fn expected(expected: &'static str) -> Self {
        Self {
            path: String::new(),
            expected,
        }
    }

    /// The same error, one level further out (`key` holds what failed).
    fn inside(mut self, key: &str) -> Self {
        self.path = if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{key}.{}", self.path)
        };
        self
    }
}

/// A wire type read from a parsed JSON value.
pub trait FromJs: Sized {
    /// Reads `value`, or says which field is wrong.
    fn from_js(value: &JsValue) -> Result<Self, WireError>;
}

/// Reads field `key` of the object `value`.
fn field<T: FromJs>(value: &JsValue, key: &str) -> Result<T, WireError> {
    if !value.is_object() || Array::is_array(value) {
        return Err(WireError::expected("an object"));
    }
    let inner = Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    T::from_js(&inner).map_err(|e| e.inside(key))
}

/// Reads a string naming one of `variants` by its wire name (`name`, the enum's `as_str`).
fn named<T: Copy>(
    value: &JsValue,
    variants: &[T],
    name: fn(T) -> &'static str,
    expected: &'static str,
) -> Result<T, WireError> {
    let given = value.as_string();
    variants
        .iter()
        .copied()
        .find(|variant| given.as_deref() == Some(name(*variant)))
        .ok_or(WireError::expected(expected))
}

impl FromJs for String {
    fn from_js(value: &JsValue) -> Result<Self, WireError> {
        value.as_string().ok_or(WireError::expected("a string"))
    }
}

impl FromJs for bool {
    fn from_js(value: &JsValue) -> Result<Self, WireError> {
        value.as_bool().ok_or(WireError::expected("true or false"))
    }
}

impl FromJs for i64 {
    fn from_js(value: &JsValue) -> Result<Self, WireError> {
        // JSON numbers are doubles: integers are exact up to 2^53.
        const MAX_EXACT: f64 = 9_007_199_254_740_992.0;
        value
            .as_f64()
            .filter(|n| n.fract() == 0.0 && n.abs() <= MAX_EXACT)
            .map(|n| n as i64)
            .ok_or(WireError::expected("an integer"))
    }
}

impl<T: FromJs> FromJs for Option<T> {
    fn from_js(value: &JsValue) -> Result<Self, WireError> {
        if value.is_null() || value.is_undefined() {
            Ok(None)
        } else {
            T::from_js(value).map(Some)
        }
    }
}

impl<T: FromJs> FromJs for Vec<T> {
    fn from_js(value: &JsValue) -> Result<Self, WireError> {
        if !Array::is_array(value) {
            return Err(WireError::expected("an array"));
        }
        Array::from(value)
            .iter()
            .enumerate()
            .map(|(index, item)| T::from_js(&item).map_err(|e| e.inside(&index.to_string())))
            .collect()
    }
}

impl FromJs for WidgetCampaignResponse {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        Ok(Self {
            organization: field(v, "organization")?,
            campaign: field(v, "campaign")?,
            groups: field(v, "groups")?,
            user: field(v, "user")?,
        })
    }
}

impl FromJs for CampaignView {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        Ok(Self {
            slug: field(v, "slug")?,
            title: field(v, "title")?,
            description_html: field(v, "description_html")?,
            image_url: field(v, "image_url")?,
            starts_at: field(v, "starts_at")?,
            ends_at: field(v, "ends_at")?,
            points_name: field(v, "points_name")?,
            intro: field(v, "intro")?,
        })
    }
}

impl FromJs for PopupView {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        Ok(Self {
            title: field(v, "title")?,
            body_html: field(v, "body_html")?,
        })
    }
}

impl FromJs for GroupView {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        Ok(Self {
            id: field(v, "id")?,
            title: field(v, "title")?,
            quests: field(v, "quests")?,
        })
    }
}

impl FromJs for QuestView {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        Ok(Self {
            id: field(v, "id")?,
            key: field(v, "key")?,
            title: field(v, "title")?,
            description_html: field(v, "description_html")?,
            image_url: field(v, "image_url")?,
            points: field(v, "points")?,
            prerequisites: field(v, "prerequisites")?,
            status: field(v, "status")?,
            tasks: field(v, "tasks")?,
        })
    }
}

impl FromJs for QuestStatus {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        named(
            v,
            &[
                QuestStatus::Locked,
                QuestStatus::Available,
                QuestStatus::Completed,
            ],
            QuestStatus::as_str,
            "locked, available or completed",
        )
    }
}

impl FromJs for TaskView {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        Ok(Self {
            id: field(v, "id")?,
            kind: field(v, "kind")?,
            title: field(v, "title")?,
            description_html: field(v, "description_html")?,
            points: field(v, "points")?,
            required: field(v, "required")?,
            settings: field(v, "settings")?,
            completed: field(v, "completed")?,
        })
    }
}

impl FromJs for TaskKind {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        named(v, &TaskKind::ALL, TaskKind::as_str, "a task type")
    }
}

impl FromJs for TaskPublicSettings {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        // Internally tagged by `type`, with the same names as `TaskKind`.
        Ok(match field::<TaskKind>(v, "type")? {
            TaskKind::VisitLink => TaskPublicSettings::VisitLink {
                url: field(v, "url")?,
            },
            TaskKind::SecretCode => TaskPublicSettings::SecretCode {
                placeholder: field(v, "placeholder")?,
            },
            TaskKind::Quiz => TaskPublicSettings::Quiz {
                questions: field(v, "questions")?,
            },
            TaskKind::Poll => TaskPublicSettings::Poll {
                question: field(v, "question")?,
                options: field(v, "options")?,
            },
            TaskKind::Form => TaskPublicSettings::Form {
                fields: field(v, "fields")?,
            },
        })
    }
}

impl FromJs for QuizQuestion {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        Ok(Self {
            text: field(v, "text")?,
            options: field(v, "options")?,
        })
    }
}

impl FromJs for FormField {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        Ok(Self {
            name: field(v, "name")?,
            label: field(v, "label")?,
            required: field(v, "required")?,
        })
    }
}

impl FromJs for UserProgressView {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        Ok(Self {
            account: field(v, "account")?,
            points: field(v, "points")?,
            completed_tasks: field(v, "completed_tasks")?,
        })
    }
}

impl FromJs for TaskAttemptResponse {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        Ok(Self {
            outcome: field(v, "outcome")?,
            reason: field(v, "reason")?,
            points_awarded: field(v, "points_awarded")?,
            user: field(v, "user")?,
        })
    }
}

impl FromJs for AttemptOutcome {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        named(
            v,
            &[
                AttemptOutcome::Completed,
                AttemptOutcome::AlreadyCompleted,
                AttemptOutcome::Failed,
            ],
            AttemptOutcome::as_str,
            "completed, already_completed or failed",
        )
    }
}

impl FromJs for ErrorResponse {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        Ok(Self {
            error: field(v, "error")?,
            message: field(v, "message")?,
        })
    }
}
