//! Custom task: the user sends a proof, text or a link. Here only its shape is checked; a
//! reviewed task's proof then waits in the review queue (`group_commit/batch.rs`) until the
//! partner approves or rejects it (`routes/submissions.rs`).

use questlet_types::ProofKind;

use super::Rejection;
use crate::validation::is_http_url;

/// Longest proof, in characters.
const MAX_PROOF_CHARS: usize = 2000;

/// The proof as stored: trimmed.
pub fn normalize(proof: &str) -> String {
    proof.trim().to_owned()
}

/// Accepts a proof of the task's kind: not blank, at most [`MAX_PROOF_CHARS`], and for a
/// link an absolute `http(s)` URL without spaces.
pub(super) fn verify(kind: ProofKind, given: &str) -> Result<(), Rejection> {
    let proof = given.trim();
    if proof.is_empty() {
        return Err(Rejection("Enter your proof first.".into()));
    }
    if proof.chars().count() > MAX_PROOF_CHARS {
        return Err(Rejection(format!(
            "Your proof is too long: at most {MAX_PROOF_CHARS} characters."
        )));
    }
    if kind == ProofKind::Url && (!is_http_url(proof) || proof.contains(char::is_whitespace)) {
        return Err(Rejection(
            "Enter a link that starts with https:// or http://.".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proofs_are_checked_for_their_kind() {
        assert!(verify(ProofKind::Text, " I posted it ").is_ok());
        assert!(verify(ProofKind::Text, "   ").is_err());
        assert!(verify(ProofKind::Text, &"x".repeat(2001)).is_err());
        assert!(verify(ProofKind::Url, "https://x.com/ann/status/1").is_ok());
        assert!(verify(ProofKind::Url, "javascript:alert(1)").is_err());
        assert!(verify(ProofKind::Url, "https://a b").is_err());
        assert_eq!(normalize("  a "), "a");
    }
}
