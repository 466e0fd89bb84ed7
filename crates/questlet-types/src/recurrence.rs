//! How often a user may complete a task.

use serde::{Deserialize, Serialize};

/// How often a user may complete a task, counted in the campaign's time zone. Points are
/// awarded on every completion; a quest counts a task done from its first completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Recurrence {
    /// Once only (the default).
    #[default]
    Once,
    /// Once per calendar day (midnight to midnight in the campaign's time zone).
    Daily,
    /// Once per calendar week (Monday to Sunday in the campaign's time zone).
    Weekly,
    /// Again once `hours` have passed since the user's last completion.
    EveryHours {
        /// Hours between completions (1 to 8,760).
        #[serde(deserialize_with = "crate::whole_number::u32")]
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 8760))]
        hours: u32,
    },
    /// Up to `count` times in all, with no wait between them.
    Times {
        /// How many completions (2 to 1,000).
        #[serde(deserialize_with = "crate::whole_number::u32")]
        #[cfg_attr(feature = "openapi", schema(minimum = 2, maximum = 1000))]
        count: u32,
    },
}

impl Recurrence {
    /// Whether a user may complete the task more than once.
    pub fn repeats(self) -> bool {
        self != Recurrence::Once
    }
}

#[cfg(test)]
mod tests {
    use super::Recurrence;

    #[test]
    fn recurrences_read_and_write_as_tagged_objects() {
        for (json, recurrence) in [
            (r#"{"type":"once"}"#, Recurrence::Once),
            (r#"{"type":"daily"}"#, Recurrence::Daily),
            (r#"{"type":"weekly"}"#, Recurrence::Weekly),
            (
                r#"{"type":"every_hours","hours":8}"#,
                Recurrence::EveryHours { hours: 8 },
            ),
            (
                r#"{"type":"times","count":3}"#,
                Recurrence::Times { count: 3 },
            ),
        ] {
            assert_eq!(
                serde_json::from_str::<Recurrence>(json).unwrap(),
                recurrence
            );
            assert_eq!(serde_json::to_string(&recurrence).unwrap(), json);
        }
        assert!(serde_json::from_str::<Recurrence>(r#"{"type":"hourly"}"#).is_err());
        assert!(serde_json::from_str::<Recurrence>(r#"{"type":"times","count":-1}"#).is_err());
    }
}
