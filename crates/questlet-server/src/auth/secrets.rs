//! Generating, hashing and checking secrets.
//!
//! A credential is `<prefix>_<id>_<secret>`: the id finds the row, and the SHA-256 of the
//! secret is compared with the stored hash in constant time. Secrets are 256 random bits, so
//! a fast hash is enough (there is nothing to brute-force, unlike passwords).

use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A freshly generated credential: show `plaintext` once, store `id` and `hash`.
#[derive(Debug, Clone)]
pub struct NewSecret {
    /// Public identifier of the credential (the row key).
    pub id: String,
    /// The whole credential as the partner sees it, once.
    pub plaintext: String,
    /// SHA-256 of the secret part, hex: the only thing stored.
    pub hash: String,
}

/// Random bytes as lowercase hex.
pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}

/// SHA-256 of `secret`, hex.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares a presented secret with a stored hash in constant time.
pub fn verify_secret(presented: &str, stored_hash: &str) -> bool {
    hash_secret(presented)
        .as_bytes()
        .ct_eq(stored_hash.as_bytes())
        .into()
}

/// Generates a credential `<prefix>_<id>_<secret>`.
pub fn generate(prefix: &str) -> NewSecret {
    let id = random_hex(8);
    let secret = random_hex(32);
    NewSecret {
        plaintext: format!("{prefix}_{id}_{secret}"),
        hash: hash_secret(&secret),
        id,
    }
}

/// Generates an OAuth2 client: the id is public, the secret is shown once.
pub fn generate_client() -> NewSecret {
    let secret = random_hex(32);
    NewSecret {
        id: format!("qlc_{}", random_hex(12)),
        hash: hash_secret(&secret),
        plaintext: secret,
    }
}

/// Splits `<prefix>_<id>_<secret>` into id and secret, if it has that shape.
pub fn split<'a>(prefix: &str, credential: &'a str) -> Option<(&'a str, &'a str)> {
    let rest = credential.strip_prefix(prefix)?.strip_prefix('_')?;
    let (id, secret) = rest.split_once('_')?;
    (!id.is_empty() && !secret.is_empty()).then_some((id, secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_token_verifies_and_a_changed_one_does_not() {
        let token = generate("qlt");
        let (id, secret) = split("qlt", &token.plaintext).unwrap();
        assert_eq!(id, token.id);
        assert!(verify_secret(secret, &token.hash));
        let mut wrong = secret.to_owned();
        wrong.replace_range(0..1, if wrong.starts_with('0') { "1" } else { "0" });
        assert!(!verify_secret(&wrong, &token.hash));
    }

    #[test]
    fn split_rejects_other_shapes() {
        assert_eq!(split("qlt", "qlt_abc_def"), Some(("abc", "def")));
        assert_eq!(split("qlt", "qlc_abc_def"), None);
        assert_eq!(split("qlt", "qlt_abc"), None);
        assert_eq!(split("qlt", "qlt__def"), None);
    }
}
