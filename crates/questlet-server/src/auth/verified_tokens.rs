//! User tokens this process has already verified or issued itself, so a widget that calls
//! with the same token does not pay for an Ed25519 signature check each time (it was a
//! quarter of the widget call's cost, and a third of a first completion's).
//!
//! An entry is keyed by the token's exact text: the same bytes verify the same way again,
//! except for expiry, which is checked on every hit with the leeway of the first check.
//! Signing keys are never withdrawn from a running server, so nothing else can change the
//! answer. The map is bounded: when full it starts over.

use std::collections::HashMap;
use std::sync::RwLock;

use super::extract::UserAuth;
use super::jwt::LEEWAY;
use crate::time::now;

/// Most tokens remembered (a few hundred bytes each).
const CAPACITY: usize = 50_000;

/// Verified user tokens with their expiry (Unix seconds).
#[derive(Debug, Default)]
pub struct VerifiedTokens {
    entries: RwLock<HashMap<String, (UserAuth, i64)>>,
}

impl VerifiedTokens {
    /// The user of `token` if it was verified here and has not expired since.
    pub fn get(&self, token: &str) -> Option<UserAuth> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let (user, expires) = entries.get(token)?;
        (now() <= expires + LEEWAY as i64).then(|| user.clone())
    }

    /// Remembers a token that was just verified (or signed here).
    pub fn insert(&self, token: &str, user: UserAuth, expires: i64) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(token.to_owned(), (user, expires));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> UserAuth {
        UserAuth {
            organization_id: "o".into(),
            platform: "web".into(),
            account: "alice".into(),
            name: None,
        }
    }

    #[test]
    fn a_remembered_token_answers_until_it_expires() {
        let tokens = VerifiedTokens::default();
        assert!(tokens.get("t").is_none());
        tokens.insert("t", user(), now() + 60);
        assert_eq!(tokens.get("t").unwrap().account, "alice");
        tokens.insert("old", user(), now() - LEEWAY as i64 - 1);
        assert!(
            tokens.get("old").is_none(),
            "an expired token is not answered"
        );
    }
}
