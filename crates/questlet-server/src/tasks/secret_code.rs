//! Secret code: the code is compared trimmed, case-insensitively, in constant time.

use subtle::ConstantTimeEq;

use super::Rejection;

fn normalize(code: &str) -> String {
    code.trim().to_lowercase()
}

/// Accepts the code when it matches.
pub(super) fn verify(expected: &str, given: &str) -> Result<(), Rejection> {
    let matches: bool = normalize(expected)
        .as_bytes()
        .ct_eq(normalize(given).as_bytes())
        .into();
    if matches {
        Ok(())
    } else {
        Err(Rejection("That code is not right.".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::verify;

    #[test]
    fn accepts_case_and_space_variants_only_of_the_code() {
        assert!(verify("LAUNCH-2026", " launch-2026 ").is_ok());
        assert!(verify("LAUNCH-2026", "LAUNCH-2025").is_err());
        assert!(verify("LAUNCH-2026", "").is_err());
    }
}
