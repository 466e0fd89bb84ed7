//! Invite code: one of the partner's single-use codes. Here only its shape is checked; the
//! pool decides, in the transaction that stores the completion (`group_commit/batch.rs`),
//! whether the code exists and is still free.

use super::Rejection;

/// Longest code, in characters.
const MAX_CODE_CHARS: usize = 64;

/// The code as stored and compared: trimmed and upper-cased; `None` when blank or too long.
pub fn normalize(code: &str) -> Option<String> {
    let code = code.trim();
    (!code.is_empty() && code.chars().count() <= MAX_CODE_CHARS).then(|| code.to_uppercase())
}

/// Accepts a code of the right shape (the pool decides the rest).
pub(super) fn verify(given: &str) -> Result<(), Rejection> {
    normalize(given)
        .map(|_| ())
        .ok_or_else(|| Rejection(NOT_VALID.into()))
}

/// Why a code was refused (the same words whether it never existed or was used: a code's
/// existence is not for a guesser to learn).
pub const NOT_VALID: &str = "That code is not valid or was already used.";

#[cfg(test)]
mod tests {
    use super::{normalize, verify};

    #[test]
    fn codes_are_trimmed_upper_cased_and_bounded() {
        assert_eq!(normalize("  ab-12 ").as_deref(), Some("AB-12"));
        assert_eq!(normalize("   "), None);
        assert_eq!(normalize(&"x".repeat(65)), None);
        assert!(verify("ok").is_ok());
        assert!(verify("").is_err());
    }
}
