//! Content codings (RFC 9110 §8.4): one body held in the encodings a browser may want,
//! picked by `Accept-Encoding`, each encoding its own representation with its own strong
//! `ETag`.
//!
//! Two kinds of body use it: the widget's files, compressed by the build at the highest
//! quality ([`Encoded::new`] with the build's copies), and the widget's campaign call,
//! compressed once per campaign version when it is rendered ([`Encoded::compress`]): never
//! per request.

use std::io::Write;

use axum::body::Bytes;

/// How a response body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Brotli (`.br`).
    Brotli,
    /// gzip (`.gz`).
    Gzip,
    /// As built.
    Identity,
}

impl Encoding {
    /// The `Content-Encoding` value, `None` for identity.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Encoding::Brotli => Some("br"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        }
    }

    /// The encodings a request's `Accept-Encoding` allows, best first.
    pub fn accepted(accept_encoding: &str) -> Vec<Encoding> {
        let allows = |name: &str| {
            accept_encoding.split(',').any(|item| {
                let mut parts = item.split(';').map(str::trim);
                let coding = parts.next().unwrap_or_default();
                let refused = parts.any(|p| {
                    p.strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                (coding.eq_ignore_ascii_case(name) || coding == "*") && !refused
            })
        };
        let mut accepted = Vec::new();
        if allows("br") {
            accepted.push(Encoding::Brotli);
        }
        if allows("gzip") {
            accepted.push(Encoding::Gzip);
        }
        accepted.push(Encoding::Identity);
        accepted
    }
}

/// One body in several encodings.
#[derive(Debug, Clone)]
pub struct Encoded {
    /// The hash of the identity body (each encoding's ETag stem).
    hash: String,
    /// The bodies by encoding; identity first, always there.
    bodies: Vec<(Encoding, Bytes)>,
}

/// Brotli quality for bodies compressed at run time: about as small as gzip's best at a
/// fraction of brotli 11's time (a 320 KB campaign takes a few milliseconds, once per
/// version).
const RUNTIME_BROTLI_QUALITY: u32 = 5;

impl Encoded {
    /// `identity` with the encoded `copies` made for it.
    pub fn new(identity: Bytes, copies: Vec<(Encoding, Bytes)>) -> Self {
        let mut bodies = vec![(Encoding::Identity, identity)];
        bodies.extend(copies);
        Self {
            hash: crate::etag::content_hash(&bodies[0].1),
            bodies,
        }
    }

    /// `identity` with brotli and gzip copies made now, each kept only where it is smaller.
    pub fn compress(identity: Bytes) -> Self {
        let mut brotli = Vec::new();
        {
            let mut writer =
                brotli::CompressorWriter::new(&mut brotli, 64 * 1024, RUNTIME_BROTLI_QUALITY, 22);
            // Writing to a Vec cannot fail.
            let _ = writer.write_all(&identity);
        }
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = gzip.write_all(&identity);
        let gzip = gzip.finish().unwrap_or_default();
        let copies = [(Encoding::Brotli, brotli), (Encoding::Gzip, gzip)]
            .into_iter()
            .filter(|(_, body)| !body.is_empty() && body.len() < identity.len())
            .map(|(encoding, body)| (encoding, Bytes::from(body)))
            .collect();
        Self::new(identity, copies)
    }

    /// The identity body.
    pub fn identity(&self) -> &Bytes {
        &self.bodies[0].1
    }

    /// The best encoding for `accept_encoding` and its body.
    pub fn body_for(&self, accept_encoding: &str) -> (Encoding, Bytes) {
        Encoding::accepted(accept_encoding)
            .into_iter()
            .find_map(|wanted| {
                self.bodies
                    .iter()
                    .find(|(encoding, _)| *encoding == wanted)
                    .cloned()
            })
            .unwrap_or_else(|| self.bodies[0].clone())
    }

    /// The strong `ETag` of one encoding (each encoding is its own representation).
    pub fn etag(&self, encoding: Encoding) -> String {
        match encoding.header() {
            Some(suffix) => format!("\"{}-{suffix}\"", self.hash),
            None => format!("\"{}\"", self.hash),
        }
    }

    /// Whether `If-None-Match` names the representation of `encoding`.
    pub fn matches(&self, if_none_match: &str, encoding: Encoding) -> bool {
        crate::etag::none_match(if_none_match, &self.etag(encoding))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn runtime_copies_decode_to_the_body_and_are_chosen_by_accept_encoding() {
        let body = Bytes::from(
            "{\"quests\": [".to_owned() + &"{\"title\": \"Quest\"},".repeat(200) + "]}",
        );
        let encoded = Encoded::compress(body.clone());
        let (encoding, brotli) = encoded.body_for("gzip, deflate, br, zstd");
        assert_eq!(encoding, Encoding::Brotli);
        let mut decoded = Vec::new();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, body);
        let (encoding, gzip) = encoded.body_for("gzip");
        assert_eq!(encoding, Encoding::Gzip);
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, body);
        assert!(brotli.len() < body.len() / 4 && gzip.len() < body.len() / 4);
        assert_eq!(encoded.body_for("").1, body);
    }

    #[test]
    fn a_body_that_does_not_shrink_is_only_sent_as_it_is() {
        let encoded = Encoded::compress(Bytes::from_static(b"{}"));
        assert_eq!(encoded.body_for("br, gzip").0, Encoding::Identity);
    }
}
