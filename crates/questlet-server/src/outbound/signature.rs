//! Signatures in the Standard Webhooks form (<https://www.standardwebhooks.com>): a secret
//! `whsec_<base64>`, and headers `webhook-id`, `webhook-timestamp` and `webhook-signature`
//! (`v1,<base64 of HMAC-SHA256 over "id.timestamp.body">`), so a partner verifies our
//! calls with the reference libraries.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The prefix of a signing secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// A signing secret's key bytes, if `secret` is `whsec_` and 24 to 64 bytes in base64.
pub fn secret_key(secret: &str) -> Option<Vec<u8>> {
    let key = STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok()?;
    (24..=64).contains(&key.len()).then_some(key)
}

/// A new signing secret: `whsec_` and 32 random bytes in base64.
pub fn new_secret() -> String {
    let key: [u8; 32] = rand::random();
    format!("{SECRET_PREFIX}{}", STANDARD.encode(key))
}

/// The three headers of a call with `body`, id `id`, at `timestamp` (Unix seconds), signed
/// with each of `keys` (several while a rotated secret still signs: the signatures are
/// space-separated, and a receiver accepts any one it can verify).
pub fn headers(
    keys: &[impl AsRef<[u8]>],
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> [(&'static str, String); 3] {
    let signatures: Vec<String> = keys
        .iter()
        .map(|key| {
            let mut mac = Hmac::<Sha256>::new_from_slice(key.as_ref())
                .expect("HMAC takes a key of any length");
            mac.update(format!("{id}.{timestamp}.").as_bytes());
            mac.update(body);
            format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
        })
        .collect();
    [
        ("webhook-id", id.to_owned()),
        ("webhook-timestamp", timestamp.to_string()),
        ("webhook-signature", signatures.join(" ")),
    ]
}

/// How far a signed call's timestamp may be from the receiver's clock, seconds.
pub const TOLERANCE: i64 = 5 * 60;

/// Whether a call with these headers and `body` was signed with `key` within
/// [`TOLERANCE`] of `now`: what a receiver checks (the demo's partner does). Any of the
/// space-separated `v1,` signatures may match; the comparison is constant-time.
pub fn verify(
    key: &[u8],
    id: &str,
    timestamp: &str,
    signatures: &str,
    body: &[u8],
    now: i64,
) -> bool {
    let Ok(at) = timestamp.parse::<i64>() else {
        return false;
    };
    if (now - at).abs() > TOLERANCE {
        return false;
    }
    signatures.split(' ').any(|signature| {
        let Some(Ok(given)) = signature.strip_prefix("v1,").map(|s| STANDARD.decode(s)) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
        mac.update(format!("{id}.{at}.").as_bytes());
        mac.update(body);
        mac.verify_slice(&given).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_as_the_standard_webhooks_reference_does() {
        // The specification's example (the reference libraries' test vector).
        let key = secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        let [id, timestamp, signature] =
            headers(&[&key], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(id.1, "msg_p5jXN8AQM9LWM0D4loKWxJek");
        assert_eq!(timestamp.1, "1614265330");
        assert_eq!(
            signature.1,
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        assert!(verify(
            &key,
            &id.1,
            &timestamp.1,
            &signature.1,
            body,
            1614265330 + 60
        ));
        assert!(verify(
            &key,
            &id.1,
            &timestamp.1,
            &format!("v1,bm9wZQ== {}", signature.1),
            body,
            1614265330
        ));
        assert!(!verify(
            &key,
            &id.1,
            &timestamp.1,
            &signature.1,
            b"{}",
            1614265330
        ));
        assert!(!verify(
            &key,
            &id.1,
            &timestamp.1,
            &signature.1,
            body,
            1614265330 + 301
        ));
        assert!(!verify(
            &key,
            "msg_other",
            &timestamp.1,
            &signature.1,
            body,
            1614265330
        ));
        assert!(secret_key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_none());
        assert!(secret_key("whsec_c2hvcnQ=").is_none());
    }
}
