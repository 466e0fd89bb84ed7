//! Entity tags (RFC 9110 §8.8.3) and the conditions on them.
//!
//! - A campaign's version on the wire (§13.1.1): answers that show a campaign's state carry
//!   `ETag: "<version>"`, and every write accepts `If-Match` with such tags (or `*`), read
//!   here into a [`Precondition`] that `db/` checks inside the write's transaction.
//! - Answers that are cached by content (the widget's files, the widget's campaign call)
//!   carry a hash of their body ([`content_hash`]) and answer `If-None-Match` with a 304
//!   ([`none_match`], §13.1.2).

use axum::extract::FromRequestParts;
use axum::http::header::{ETAG, IF_MATCH};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::campaigns::Precondition;
use crate::error::AppError;

/// A hash of `body`, the stem of a strong entity tag for it: the first 12 bytes of its
/// SHA-256, in hex.
pub fn content_hash(body: &[u8]) -> String {
    hex::encode(&Sha256::digest(body)[..12])
}

/// The stem of a strong entity tag for a body that is a function of `inputs` alone (it
/// changes exactly when one of them does), without hashing the whole body: each input is
/// hashed with its length, so no two lists of inputs hash the same bytes.
pub fn derived_hash<'a>(inputs: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = Sha256::new();
    for input in inputs {
        hasher.update((input.len() as u64).to_le_bytes());
        hasher.update(input);
    }
    hex::encode(&hasher.finalize()[..12])
}

/// Whether the `If-None-Match` field value `if_none_match` names `etag`: the weak comparison
/// that field uses (a `W/` prefix is ignored), `*` naming any current representation.
pub fn none_match(if_none_match: &str, etag: &str) -> bool {
    if_none_match
        .split(',')
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

/// The `If-Match` of a write; [`Precondition::Unconditional`] when none was sent.
#[derive(Debug, Clone, Default)]
pub struct IfMatch(pub Precondition);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        let mut values = Vec::new();
        for value in parts.headers.get_all(IF_MATCH) {
            values.push(value.to_str().map_err(|_| {
                AppError::InvalidRequest("If-Match: must be ASCII entity tags or *".into())
            })?);
        }
        Ok(IfMatch(precondition(&values)))
    }
}

/// The precondition of the `If-Match` field lines `values` (none: unconditional). `*`
/// matches any version; a strong tag `"<n>"` matches version n; any other tag (weak, or
/// not one of ours) matches nothing, since `If-Match` compares strongly.
fn precondition(values: &[&str]) -> Precondition {
    if values.is_empty() {
        return Precondition::Unconditional;
    }
    let tags = values
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim);
    let mut versions = Vec::new();
    for tag in tags {
        if tag == "*" {
            return Precondition::Exists;
        }
        if let Some(version) = tag
            .strip_prefix('"')
            .and_then(|tag| tag.strip_suffix('"'))
            .and_then(|version| version.parse().ok())
        {
            versions.push(version);
        }
    }
    Precondition::OneOf(versions)
}

/// An answer showing a campaign at `version`: the body as JSON, the version as its ETag.
#[derive(Debug, Clone)]
pub struct Tagged<T>(pub i64, pub T);

impl<T: Serialize> IntoResponse for Tagged<T> {
    fn into_response(self) -> Response {
        let Tagged(version, body) = self;
        ([(ETAG, format!("\"{version}\""))], Json(body)).into_response()
    }
}

/// The `If-Match` parameter as OpenAPI shows it (the extractor is [`IfMatch`]).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatchHeader {
    /// The ETag (`"<version>"`) of the campaign state this write is based on, or `*` for
    /// any state of an existing campaign. If the campaign is at another version (or does
    /// not exist) the write is refused with 412. Without it the write applies to the latest
    /// state: writes are serialised, so nothing is lost, but nothing is checked either.
    #[param(rename = "If-Match")]
    pub if_match: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_tags_tell_apart_inputs_that_concatenate_alike() {
        let hash = |inputs: [&str; 2]| derived_hash(inputs.map(str::as_bytes));
        assert_ne!(hash(["ab", "c"]), hash(["a", "bc"]));
        assert_eq!(hash(["a", "b"]), hash(["a", "b"]));
        assert_eq!(hash(["a", "b"]).len(), content_hash(b"ab").len());
    }

    #[test]
    fn if_match_reads_strong_tags_star_and_nothing() {
        assert_eq!(precondition(&[]), Precondition::Unconditional);
        assert_eq!(precondition(&["*"]), Precondition::Exists);
        assert_eq!(
            precondition(&["\"3\", \"5\"", "\"7\""]),
            Precondition::OneOf(vec![3, 5, 7])
        );
        // Weak and foreign tags never match.
        assert_eq!(
            precondition(&["W/\"3\", \"abc\""]),
            Precondition::OneOf(vec![])
        );
    }
}
