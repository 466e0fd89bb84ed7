//! Content codings (RFC 9110 §8.4): one body held in the encodings a browser may want,
//! picked by `Accept-Encoding`, each encoding its own representation with its own strong
//! `ETag`.
//!
//! Three kinds of body use it: the widget's files, compressed by the build at the highest
//! quality ([`Encoded::new`] with the build's copies); the widget's campaign call for an
//! anonymous visitor, compressed once per campaign version when it is rendered
//! ([`Encoded::compress`]); and the same call for a user, which is that answer's content with
//! the user's part at its end, gzip-encoded by adding only that part to the content deflated
//! once ([`GzipPrefix`]). Nothing is compressed per request.

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

    /// The strong `ETag` of this encoding of the body whose hash is `hash` (each encoding is
    /// its own representation).
    pub fn etag(self, hash: &str) -> String {
        match self.header() {
            Some(suffix) => format!("\"{hash}-{suffix}\""),
            None => format!("\"{hash}\""),
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

    /// The body unencoded.
    pub fn identity(&self) -> &Bytes {
        &self.bodies[0].1
    }

    /// The hash of the identity body.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The strong `ETag` of one encoding (each encoding is its own representation).
    pub fn etag(&self, encoding: Encoding) -> String {
        encoding.etag(&self.hash)
    }

    /// Whether `If-None-Match` names the representation of `encoding`.
    pub fn matches(&self, if_none_match: &str, encoding: Encoding) -> bool {
        crate::etag::none_match(if_none_match, &self.etag(encoding))
    }
}

/// The first part of many bodies, the same in each, deflated once, so that a body made of it
/// and a short tail of its own is gzip-encoded at the cost of that tail: the deflate stream
/// of the prefix ends with a sync flush (byte-aligned, not final, RFC 1951 §3.2.4 and zlib's
/// `Z_SYNC_FLUSH`), the tail follows as stored blocks, the last one final, and the gzip
/// trailer's CRC-32 is the prefix's combined with the tail's (RFC 1952 §2.3). A tail is a few
/// hundred bytes (a user's progress), so storing it costs less on the wire than compressing
/// it costs a core.
#[derive(Debug, Clone)]
pub struct GzipPrefix {
    /// The prefix as it is.
    identity: Bytes,
    /// The gzip header and the prefix's deflate blocks, up to and with the sync flush.
    gzip_head: Bytes,
    /// The CRC-32 of the prefix.
    crc: crc32fast::Hasher,
}

/// The gzip member header (RFC 1952 §2.3): deflate, no flags, no time, unknown system.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// The longest stored deflate block (its length is a 16-bit field).
const MAX_STORED_BLOCK: usize = u16::MAX as usize;

impl GzipPrefix {
    /// Deflates `prefix` once.
    pub fn new(prefix: Bytes) -> Self {
        let mut deflate = flate2::write::DeflateEncoder::new(
            GZIP_HEADER.to_vec(),
            flate2::Compression::default(),
        );
        // Writing to a Vec cannot fail; `flush` is deflate's sync flush.
        let _ = deflate.write_all(&prefix);
        let _ = deflate.flush();
        let gzip_head = Bytes::from(deflate.get_ref().clone());
        let mut crc = crc32fast::Hasher::new();
        crc.update(&prefix);
        Self {
            identity: prefix,
            gzip_head,
            crc,
        }
    }

    /// The prefix followed by `tail`, as it is.
    pub fn identity_with(&self, tail: &[u8]) -> Bytes {
        let mut body = Vec::with_capacity(self.identity.len() + tail.len());
        body.extend_from_slice(&self.identity);
        body.extend_from_slice(tail);
        body.into()
    }

    /// The prefix followed by `tail`, gzip-encoded.
    pub fn gzip_with(&self, tail: &[u8]) -> Bytes {
        let blocks = tail.len() / MAX_STORED_BLOCK + 1;
        let mut body = Vec::with_capacity(self.gzip_head.len() + tail.len() + 5 * blocks + 8);
        body.extend_from_slice(&self.gzip_head);
        let mut chunks = tail.chunks(MAX_STORED_BLOCK).peekable();
        if chunks.peek().is_none() {
            // An empty final block ends the stream.
            body.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
        }
        while let Some(chunk) = chunks.next() {
            let last = chunks.peek().is_none();
            // BFINAL in the lowest bit, BTYPE 00 (stored), then padding to the byte.
            body.push(u8::from(last));
            let len = chunk.len() as u16;
            body.extend_from_slice(&len.to_le_bytes());
            body.extend_from_slice(&(!len).to_le_bytes());
            body.extend_from_slice(chunk);
        }
        let mut crc = self.crc.clone();
        let mut tail_crc = crc32fast::Hasher::new();
        tail_crc.update(tail);
        crc.combine(&tail_crc);
        body.extend_from_slice(&crc.finalize().to_le_bytes());
        // ISIZE: the length modulo 2^32.
        let size = (self.identity.len() + tail.len()) as u32;
        body.extend_from_slice(&size.to_le_bytes());
        body.into()
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

    fn gunzip(body: &[u8]) -> Vec<u8> {
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(body)
            .read_to_end(&mut decoded)
            .unwrap();
        decoded
    }

    #[test]
    fn a_prefix_deflated_once_and_any_tail_decode_to_the_whole_body() {
        let prefix = "{\"quests\": [".to_owned() + &"{\"title\": \"Quest\"},".repeat(2000);
        let spliced = GzipPrefix::new(Bytes::from(prefix.clone()));
        let long_tail = "x".repeat(MAX_STORED_BLOCK * 2 + 17);
        for tail in ["", "]}", "{\"points\": 10}]}", long_tail.as_str()] {
            let whole = prefix.clone() + tail;
            let gzip = spliced.gzip_with(tail.as_bytes());
            // A strict decoder that checks the CRC and the length (a wrong one fails).
            assert_eq!(
                gunzip(&gzip),
                whole.as_bytes(),
                "tail of {} bytes",
                tail.len()
            );
            assert_eq!(spliced.identity_with(tail.as_bytes()), whole.as_bytes());
            if tail.len() < 100 {
                assert!(
                    gzip.len() < prefix.len() / 20,
                    "the prefix stays compressed"
                );
            }
        }
    }

    #[test]
    fn a_body_that_does_not_shrink_is_only_sent_as_it_is() {
        let encoded = Encoded::compress(Bytes::from_static(b"{}"));
        assert_eq!(encoded.body_for("br, gzip").0, Encoding::Identity);
    }
}
