//! Console members' passwords: argon2id, stored as PHC strings (`$argon2id$v=19$...`), so
//! the parameters travel with each hash and can be raised later without a migration.
//!
//! Unlike a generated secret (see `secrets.rs`), a password is chosen by a person and may be
//! guessed, so it gets a deliberately slow, memory-hard hash (argon2's defaults: OWASP's
//! 19 MiB, 2 passes) and sign-ins are rate limited on top.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Shortest password a member may set.
pub const MIN_LENGTH: usize = 12;
/// Longest password a member may set (hashing is slow; an unbounded input is a lever).
pub const MAX_LENGTH: usize = 200;

/// Why a password cannot be set.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Shorter than [`MIN_LENGTH`] or longer than [`MAX_LENGTH`] characters.
    #[error("password must be {MIN_LENGTH} to {MAX_LENGTH} characters")]
    Length,
    /// The hasher failed (it does not for valid parameters).
    #[error("hashing the password: {0}")]
    Hash(String),
}

/// Hashes `password` with argon2id and a fresh random salt: the PHC string to store.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let length = password.chars().count();
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&length) {
        return Err(PasswordError::Length);
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` is the one `stored` (a PHC string) was made from. A stored string
/// that does not parse matches nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    if password.len() > MAX_LENGTH * 4 {
        return false;
    }
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the time of one [`verify`] for an email no member has, so that how long a
/// refused sign-in takes does not tell which emails are members.
pub fn verify_nobody(password: &str) {
    static NOBODY: OnceLock<String> = OnceLock::new();
    let stored =
        NOBODY.get_or_init(|| hash("no member has this password").expect("a valid password"));
    let _ = verify(password, stored);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_salted_and_verifies_only_its_password() {
        let first = hash("correct horse battery").unwrap();
        assert!(
            first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{first}"
        );
        assert!(verify("correct horse battery", &first));
        assert!(!verify("correct horse batterz", &first));
        assert!(!verify("", &first));
        let second = hash("correct horse battery").unwrap();
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify("correct horse battery", &second));
    }

    #[test]
    fn short_and_long_passwords_are_refused_and_bad_hashes_match_nothing() {
        assert!(matches!(hash("elevenchars"), Err(PasswordError::Length)));
        assert!(hash("twelve chars").is_ok());
        assert!(matches!(hash(&"x".repeat(201)), Err(PasswordError::Length)));
        assert!(!verify("anything at all", "not a phc string"));
        assert!(!verify("anything at all", ""));
    }
}
