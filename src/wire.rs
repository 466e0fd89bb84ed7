//! Reads the server's JSON answers, as the browser's `JSON.parse` returns them, into the
//! shared wire types of `questlet-types`.
//!
//! Why not serde here: serde's derived deserializers cost about a fifth of the widget's
//! bundle (a visitor per type, instantiated again for every deserializer and for each
//! internally tagged enum's buffer, plus float formatting for their error messages), which
//! the 150 KB transfer budget cannot carry. These readers are a few lines per type. The server
//! still writes every body with serde, and `tests/web/wire.rs` round-trips every type and
//! variant through serde and back through these readers, so the two cannot drift apart.

use js_sys::{Array, Object, Reflect};
use questlet_types::attempt::{
    AttemptOutcome, TaskAnswer, TaskAttemptRequest, TaskAttemptResponse,
};
use questlet_types::rewards::RankDocument;
use questlet_types::task::{FormField, QuizQuestion};
use questlet_types::{
    CampaignView, ErrorResponse, GroupView, PopupView, ProofKind, QuestStatus, QuestView,
    ReviewState, TaskAgain, TaskKind, TaskPublicSettings, TaskReview, TaskStreak, TaskView,
    TextView, UserProgressView, WidgetCampaignResponse,
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

/// Reads field `key` of the object `value`. Out of line: one copy per field type, not per
/// field of every reader (about 9 KB of the bundle).
#[inline(never)]
fn field<T: FromJs>(value: &JsValue, key: &str) -> Result<T, WireError> {
    T::from_js(&member(value, key)?).map_err(|e| e.inside(key))
}

/// Member `key` of the object `value` (undefined when absent). Kept out of line: it is the
/// same for every field, and inlined it would repeat in each reader's every field.
#[inline(never)]
fn member(value: &JsValue, key: &str) -> Result<JsValue, WireError> {
    if !value.is_object() || Array::is_array(value) {
        return Err(WireError::expected("an object"));
    }
    Ok(Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED))
}

/// Reads a string holding a unit enum's wire name, with its `parse` (from `wire_names!` in
/// `questlet-types`, the one list of names that serde, the server and these readers share).
fn named<T>(
    value: &JsValue,
    parse: fn(&str) -> Option<T>,
    expected: &'static str,
) -> Result<T, WireError> {
    value
        .as_string()
        .and_then(|name| parse(&name))
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

impl FromJs for u32 {
    fn from_js(value: &JsValue) -> Result<Self, WireError> {
        i64::from_js(value).and_then(|n| {
            u32::try_from(n).map_err(|_| WireError::expected("a whole number below 2^32"))
        })
    }
}

impl FromJs for u64 {
    fn from_js(value: &JsValue) -> Result<Self, WireError> {
        i64::from_js(value)
            .and_then(|n| u64::try_from(n).map_err(|_| WireError::expected("a whole number")))
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
        // A plain loop: an iterator `collect` into `Result` costs each element type's
        // reader about a kilobyte more of wasm.
        let array = Array::from(value);
        let mut read = Vec::with_capacity(array.length() as usize);
        for index in 0..array.length() {
            match T::from_js(&array.get(index)) {
                Ok(item) => read.push(item),
                Err(e) => return Err(e.inside(&index.to_string())),
            }
        }
        Ok(read)
    }
}

/// Implements [`FromJs`] for structs whose JSON keys are their field names (serde's default,
/// which every wire struct uses): `Type { field, ... }` reads each field with [`field`].
macro_rules! read_structs {
    ($($type:ident { $($name:ident),* $(,)? })*) => {$(
        impl FromJs for $type {
            fn from_js(v: &JsValue) -> Result<Self, WireError> {
                Ok(Self { $($name: field(v, stringify!($name))?,)* })
            }
        }
    )*};
}

read_structs! {
    WidgetCampaignResponse { organization, campaign, groups, user }
    CampaignView { slug, title, description_html, image_url, starts_at, ends_at, points_name, intro, ranks, rewards }
    RankDocument { name, min_points, image_url }
    PopupView { title, body_html }
    GroupView { id, title, quests }
    QuestView { id, key, title, description_html, image_url, points, prerequisites, starts_at, ends_at, status, tasks }
    TaskView { id, kind, title, description_html, points, required, starts_at, ends_at, settings }
    QuizQuestion { text, options }
    FormField { name, label, required }
    UserProgressView { account, points, completed_task_ids, completed_quest_ids, unlocked_quest_ids, available_again, reviews, streaks, texts, referral_code, referral_link }
    TextView { key, html }
    TaskStreak { task_id, days }
    TaskReview { task_id, state, message }
    TaskAgain { task_id, at }
    TaskAttemptResponse { outcome, reason, message, points_awarded, user, changed_quests }
    ErrorResponse { error, message }
}

impl FromJs for QuestStatus {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        named(v, QuestStatus::parse, "locked, available or completed")
    }
}

impl FromJs for TaskKind {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        named(v, TaskKind::parse, "a task type")
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
            TaskKind::Api => TaskPublicSettings::Api {},
            TaskKind::InviteCode => TaskPublicSettings::InviteCode {
                placeholder: field(v, "placeholder")?,
            },
            TaskKind::ProofOfWork => TaskPublicSettings::ProofOfWork {},
            TaskKind::HttpRequest => TaskPublicSettings::HttpRequest {},
            TaskKind::DailyCheckIn => TaskPublicSettings::DailyCheckIn {},
            TaskKind::Referral => TaskPublicSettings::Referral {
                count: field(v, "count")?,
            },
            // Social tasks are sent as links (`visit_link`), never under their own names.
            TaskKind::TelegramJoin
            | TaskKind::TelegramBoost
            | TaskKind::DiscordJoin
            | TaskKind::XFollow
            | TaskKind::XRepost
            | TaskKind::YoutubeSubscribe
            | TaskKind::TiktokFollow => {
                return Err(WireError::expected("settings of a task type").inside("type"));
            }
            TaskKind::Custom => TaskPublicSettings::Custom {
                proof: field(v, "proof")?,
                placeholder: field(v, "placeholder")?,
            },
            TaskKind::NativeBalance => TaskPublicSettings::NativeBalance {},
            TaskKind::Erc20Balance => TaskPublicSettings::Erc20Balance {},
            TaskKind::Erc721Owner => TaskPublicSettings::Erc721Owner {},
            TaskKind::Erc1155Balance => TaskPublicSettings::Erc1155Balance {},
            TaskKind::TransactionCount => TaskPublicSettings::TransactionCount {},
            TaskKind::ContractTransaction => TaskPublicSettings::ContractTransaction {
                chain: field(v, "chain")?,
                contract: field(v, "contract")?,
                data: field(v, "data")?,
                value: field(v, "value")?,
            },
        })
    }
}

impl FromJs for AttemptOutcome {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        named(
            v,
            AttemptOutcome::parse,
            "completed, already_completed, failed or pending",
        )
    }
}

impl FromJs for ProofKind {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        named(v, ProofKind::parse, "text or url")
    }
}

impl FromJs for ReviewState {
    fn from_js(v: &JsValue) -> Result<Self, WireError> {
        named(v, ReviewState::parse, "pending, approved or rejected")
    }
}

/// The body of a task attempt as JSON, written through a JavaScript object and the
/// browser's `JSON.stringify`, the way answers are read: serde's serializer costs the
/// bundle several kilobytes more. `tests/web/wire.rs` reads every answer type written here
/// back with serde, so the two cannot drift apart.
pub fn attempt_json(request: &TaskAttemptRequest) -> String {
    let answer = Object::new();
    let set = |object: &Object, key: &str, value: JsValue| {
        let _ = Reflect::set(object, &JsValue::from_str(key), &value);
    };
    let text = |value: &str| JsValue::from_str(value);
    let (kind, fields): (&str, Vec<(&str, JsValue)>) = match &request.answer {
        TaskAnswer::VisitLink {} => ("visit_link", vec![]),
        TaskAnswer::SecretCode { code } => ("secret_code", vec![("code", text(code))]),
        TaskAnswer::InviteCode { code } => ("invite_code", vec![("code", text(code))]),
        TaskAnswer::Quiz { answers } => {
            let list = Array::new();
            for &answer in answers {
                list.push(&JsValue::from_f64(answer as f64));
            }
            ("quiz", vec![("answers", list.into())])
        }
        TaskAnswer::Poll { option } => {
            ("poll", vec![("option", JsValue::from_f64(*option as f64))])
        }
        TaskAnswer::Custom { proof } => ("custom", vec![("proof", text(proof))]),
        TaskAnswer::ProofOfWork { challenge, nonce } => (
            "proof_of_work",
            vec![("challenge", text(challenge)), ("nonce", text(nonce))],
        ),
        TaskAnswer::HttpRequest {} => ("http_request", vec![]),
        TaskAnswer::DailyCheckIn {} => ("daily_check_in", vec![]),
        TaskAnswer::Referral {} => ("referral", vec![]),
        TaskAnswer::WalletCheck {} => ("wallet_check", vec![]),
        TaskAnswer::ContractTransaction { hash } => {
            ("contract_transaction", vec![("hash", text(hash))])
        }
        TaskAnswer::Form { values } => {
            let object = Object::new();
            for name in values.names() {
                set(&object, name, text(values.get(name).unwrap_or_default()));
            }
            ("form", vec![("values", object.into())])
        }
    };
    set(&answer, "type", text(kind));
    for (key, value) in fields {
        set(&answer, key, value);
    }
    let body = Object::new();
    set(&body, "answer", answer.into());
    if let Some(id) = &request.ga_client_id {
        set(&body, "ga_client_id", text(id));
    }
    js_sys::JSON::stringify(&body)
        .map(String::from)
        .unwrap_or_default()
}
