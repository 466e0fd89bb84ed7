//! The one slug rule shared by the server (organizations, campaigns, keys, platforms) and the
//! widget (its data attributes), so the two can never accept different slugs.

/// The slug rule as a regular expression, for the OpenAPI document (same rule as
/// [`is_slug`]).
pub const SLUG_PATTERN: &str = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$";

/// The rule of a form field's name (a slug that may also use `_` inside).
pub const FIELD_NAME_PATTERN: &str = "^[a-z0-9]([a-z0-9_-]{0,62}[a-z0-9])?$";

/// A pattern for text that must not be blank (holds a non-space character).
pub const NOT_BLANK: &str = "\\S";

/// Whether `value` is 1–64 characters of `[a-z0-9-]`, not starting or ending with `-`.
pub fn is_slug(value: &str) -> bool {
    (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::is_slug;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert!(is_slug("launch-week-2"));
        for bad in [
            "",
            "Launch",
            "a b",
            "-acme",
            "acme-",
            "a_b",
            &"x".repeat(65),
        ] {
            assert!(!is_slug(bad), "{bad:?}");
        }
    }
}
