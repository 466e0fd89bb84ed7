//! Proof of work: a hashcash-style puzzle. The server issues a signed puzzle for one user
//! and task (`POST .../tasks/{task}/challenge`): a random prefix and a difficulty. The
//! browser finds a nonce such that SHA-256 of `"<prefix>:<nonce>"` starts with that many
//! zero bits (`public/pow.js`, in a Web Worker) and sends both back. Here the answer is
//! checked: the puzzle's signature, that it is this user's for this task and not expired,
//! and the hash. That it is used once is decided where the completion is stored: its id is
//! claimed in the attempt writer's transaction (`group_commit/batch.rs`).

use questlet_types::attempt::ProofOfWorkChallenge;
use sha2::{Digest, Sha256};

use super::Rejection;
use crate::auth::extract::UserAuth;
use crate::auth::jwt::{self, PuzzleClaims, PUZZLE_AUDIENCE};
use crate::error::AppError;
use crate::AppState;

/// How long a puzzle may be solved, seconds.
pub const PUZZLE_TTL: i64 = 600;

/// Why a used puzzle is refused.
pub const USED: &str = "This puzzle was solved already: solve a new one.";

/// Longest nonce, in digits.
const MAX_NONCE_DIGITS: usize = 20;

/// Issues a puzzle of `bits` for `user` and task `task_id` at `now`.
pub fn issue(
    state: &AppState,
    user: &UserAuth,
    task_id: &str,
    bits: u32,
    now: i64,
) -> Result<ProofOfWorkChallenge, AppError> {
    let claims = PuzzleClaims {
        iss: state.config.issuer.clone(),
        sub: user.account.clone(),
        aud: PUZZLE_AUDIENCE.to_owned(),
        exp: now + PUZZLE_TTL,
        iat: now,
        jti: crate::db::new_id(),
        org: user.organization_id.clone(),
        platform: user.platform.clone(),
        task: task_id.to_owned(),
        bits,
    };
    Ok(ProofOfWorkChallenge {
        challenge: jwt::issue_puzzle(state, &claims)?,
        prefix: claims.jti,
        difficulty: bits,
        expires_at: claims.exp,
    })
}

/// Checks a solved puzzle of task `task_id` (whose difficulty is `bits` now) sent by
/// `user` at `now`; answers the puzzle's id, to claim once.
pub async fn check(
    state: &AppState,
    user: &UserAuth,
    task_id: &str,
    bits: u32,
    challenge: &str,
    nonce: &str,
    now: i64,
) -> Result<String, Rejection> {
    let claims: PuzzleClaims = jwt::verify(state, challenge, PUZZLE_AUDIENCE)
        .await
        .map_err(|_| Rejection("This puzzle is not valid: solve a new one.".into()))?;
    if claims.task != task_id
        || claims.org != user.organization_id
        || claims.platform != user.platform
        || claims.sub != user.account
    {
        return Err(Rejection(
            "This puzzle was issued for another task or user: solve a new one.".into(),
        ));
    }
    if claims.exp <= now {
        return Err(Rejection(
            "This puzzle has expired: solve a new one.".into(),
        ));
    }
    if claims.bits < bits {
        return Err(Rejection(
            "This puzzle is easier than the task asks now: solve a new one.".into(),
        ));
    }
    verify(&claims.jti, nonce, claims.bits)?;
    Ok(claims.jti)
}

/// Whether `nonce` solves the puzzle `prefix` at `bits`.
fn verify(prefix: &str, nonce: &str, bits: u32) -> Result<(), Rejection> {
    if nonce.is_empty()
        || nonce.len() > MAX_NONCE_DIGITS
        || !nonce.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(Rejection(format!(
            "The nonce must be 1 to {MAX_NONCE_DIGITS} decimal digits."
        )));
    }
    let digest = Sha256::digest(format!("{prefix}:{nonce}"));
    if leading_zero_bits(&digest) < bits {
        return Err(Rejection("That nonce does not solve the puzzle.".into()));
    }
    Ok(())
}

/// The number of zero bits `bytes` start with.
fn leading_zero_bits(bytes: &[u8]) -> u32 {
    let mut zeros = 0;
    for &byte in bytes {
        zeros += byte.leading_zeros();
        if byte != 0 {
            break;
        }
    }
    zeros
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first nonce that solves `prefix` at `bits`, by brute force.
    fn solve(prefix: &str, bits: u32) -> u64 {
        (0..)
            .find(|n| verify(prefix, &n.to_string(), bits).is_ok())
            .unwrap()
    }

    #[test]
    fn a_nonce_solves_when_the_hash_has_enough_leading_zero_bits() {
        assert_eq!(leading_zero_bits(&[0, 0, 0x1f, 0xff]), 19);
        assert_eq!(leading_zero_bits(&[0x80]), 0);
        assert_eq!(leading_zero_bits(&[0, 0]), 16);
        // The same answers `public/pow.js` finds (its search runs against this check in
        // the end-to-end tests).
        let prefix = "abcDEF0123456789_-xyzQ";
        assert_eq!(solve(prefix, 8), 1336);
        assert_eq!(solve(prefix, 12), 4640);
        assert!(verify(prefix, "4640", 12).is_ok());
        assert!(verify(prefix, "4640", 13).is_err() || solve(prefix, 13) == 4640);
        assert!(verify(prefix, "4641", 12).is_err());
        assert!(verify(prefix, "", 1).is_err());
        assert!(verify(prefix, "12a", 0).is_err());
        assert!(verify(prefix, &"1".repeat(21), 0).is_err());
    }
}
