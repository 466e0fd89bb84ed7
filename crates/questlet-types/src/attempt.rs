//! Task attempts: what the widget sends when a user tries a task, and what it gets back.

use serde::{Deserialize, Serialize};

use crate::widget::UserProgressView;

/// `POST /v1/widget/{organization}/campaigns/{campaign}/tasks/{task}/attempts` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskAttemptRequest {
    /// The user's answer; its `type` must match the task's kind.
    pub answer: TaskAnswer,
    /// The Google Analytics client id (from the `_ga` cookie), stored with the attempt.
    #[serde(default)]
    pub ga_client_id: Option<String>,
}

/// The user's answer, one shape per task kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum TaskAnswer {
    /// The user opened the link.
    VisitLink {},
    /// The code the user entered.
    SecretCode {
        /// The code.
        code: String,
    },
    /// The invite code the user entered.
    InviteCode {
        /// The code.
        code: String,
    },
    /// One option index per question, in order.
    Quiz {
        /// Chosen option indexes.
        #[serde(deserialize_with = "crate::whole_number::vec_usize")]
        #[cfg_attr(feature = "openapi", schema(value_type = Vec<OptionIndex>))]
        answers: Vec<usize>,
    },
    /// The chosen option index.
    Poll {
        /// Chosen option index.
        #[serde(deserialize_with = "crate::whole_number::usize")]
        #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 255))]
        option: usize,
    },
    /// The proof of a custom task: text, or a link.
    Custom {
        /// The proof.
        proof: String,
    },
    /// A solved puzzle: the challenge as the server issued it, and the nonce found.
    ProofOfWork {
        /// The `challenge` of the server's puzzle.
        challenge: String,
        /// The nonce, in decimal (1 to 20 digits).
        #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{1,20}$"))]
        nonce: String,
    },
    /// Ask the server to check with the partner.
    HttpRequest {},
    /// Check in for today.
    DailyCheckIn {},
    /// Ask the server to count the user's referred friends.
    Referral {},
    /// Ask the server to check the user's wallet on the task's chain.
    WalletCheck {},
    /// The hash of the transaction the user sent.
    ContractTransaction {
        /// The transaction's hash (`0x` and 64 hex digits).
        #[cfg_attr(feature = "openapi", schema(pattern = "^0x[0-9a-fA-F]{64}$"))]
        hash: String,
    },
    /// Field values by field name.
    Form {
        /// Values by field name.
        #[cfg_attr(feature = "openapi", schema(value_type = std::collections::HashMap<String, String>))]
        values: FormValues,
    },
}

/// A form's values by field name, written as a JSON object of strings.
///
/// A list in the order given rather than a map type: the widget has no other use for a
/// map, and a map's code costs its bundle kilobytes. Reading an object that names a field
/// twice fails.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormValues(Vec<(String, String)>);

impl FormValues {
    /// Sets field `name` to `value` (replacing an earlier value).
    pub fn set(&mut self, name: &str, value: String) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some((_, old)) => *old = value,
            None => self.0.push((name.to_owned(), value)),
        }
    }

    /// The value of field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The names given, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(n, _)| n.as_str())
    }
}

impl<const N: usize> From<[(&str, &str); N]> for FormValues {
    fn from(pairs: [(&str, &str); N]) -> Self {
        let mut values = FormValues::default();
        for (name, value) in pairs {
            values.set(name, value.to_owned());
        }
        values
    }
}

impl Serialize for FormValues {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for FormValues {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Values;
        impl<'de> serde::de::Visitor<'de> for Values {
            type Value = FormValues;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of field names to strings")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<FormValues, A::Error> {
                let mut values = FormValues::default();
                while let Some((name, value)) = map.next_entry::<String, String>()? {
                    if values.get(&name).is_some() {
                        return Err(serde::de::Error::custom(format!(
                            "field {name} is given twice"
                        )));
                    }
                    values.0.push((name, value));
                }
                Ok(values)
            }
        }
        deserializer.deserialize_map(Values)
    }
}

/// An index into a question's options (a question has at most 256).
#[cfg(feature = "openapi")]
struct OptionIndex;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for OptionIndex {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .minimum(Some(0))
            .maximum(Some(255))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for OptionIndex {}

/// `POST /v1/widget/{organization}/campaigns/{campaign}/tasks/{task}/challenge` answer: a
/// proof-of-work puzzle for the caller, to solve and send back as a `proof_of_work` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProofOfWorkChallenge {
    /// The puzzle as the server signed it: send it back with the nonce.
    pub challenge: String,
    /// The text to hash: find a nonce such that SHA-256 of `"<prefix>:<nonce>"` (the nonce
    /// in decimal) starts with `difficulty` zero bits.
    pub prefix: String,
    /// Leading zero bits the hash must have.
    pub difficulty: u32,
    /// When the puzzle expires, Unix seconds.
    pub expires_at: i64,
}

/// What an attempt achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttemptOutcome {
    /// The task is now completed and its points were awarded.
    Completed,
    /// It was completed before; nothing was awarded again.
    AlreadyCompleted,
    /// The answer was not accepted; `reason` says why.
    Failed,
    /// The answer waits for the partner's review (a reviewed custom task): it completes the
    /// task when approved.
    Pending,
}

wire_names!(AttemptOutcome {
    Completed => "completed",
    AlreadyCompleted => "already_completed",
    Failed => "failed",
    Pending => "pending",
});

/// The answer to a task attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskAttemptResponse {
    /// What happened.
    pub outcome: AttemptOutcome,
    /// Why a failed attempt failed, in words for the user.
    pub reason: Option<String>,
    /// The partner's message for this outcome (the task's completion message when it
    /// completed, its failure message when it failed), if the task has one.
    pub message: Option<String>,
    /// Points awarded by this attempt (0 unless `completed`).
    pub points_awarded: i64,
    /// The user's standing in the campaign after the attempt.
    pub user: UserProgressView,
    /// Ids of the quests whose look the attempt changed for this user: the task's quest
    /// (unless the attempt failed) and any quest it unlocked. With `user`, what the widget
    /// needs to repaint those, without loading the campaign again.
    pub changed_quests: Vec<String>,
}

/// One line of `GET /v1/campaigns/{campaign}/activity`: a task attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityEntry {
    /// The user's account id on the partner's platform.
    pub account: String,
    /// The partner's platform name.
    pub platform: String,
    /// The task's key.
    pub task: String,
    /// `completed`, `already_completed`, `failed` or `pending`.
    pub outcome: String,
    /// Why a failed attempt failed.
    pub reason: Option<String>,
    /// The Google Analytics client id the widget sent, to join with GA data.
    pub ga_client_id: Option<String>,
    /// When, Unix seconds.
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::{FormValues, TaskAnswer};

    #[test]
    fn form_values_are_a_json_object_and_a_name_given_twice_is_refused() {
        let answer = TaskAnswer::Form {
            values: FormValues::from([("nickname", "Ann"), ("site", "x"), ("nickname", "Bo")]),
        };
        let json = serde_json::to_string(&answer).unwrap();
        assert_eq!(
            json,
            r#"{"type":"form","values":{"nickname":"Bo","site":"x"}}"#
        );
        assert_eq!(serde_json::from_str::<TaskAnswer>(&json).unwrap(), answer);
        let twice = r#"{"type":"form","values":{"a":"1","a":"2"}}"#;
        let error = serde_json::from_str::<TaskAnswer>(twice).unwrap_err();
        assert!(
            error.to_string().contains("field a is given twice"),
            "{error}"
        );
        assert!(serde_json::from_str::<TaskAnswer>(r#"{"type":"form","values":{"a":1}}"#).is_err());
    }
}
