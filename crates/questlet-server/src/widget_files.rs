//! The built widget's files, held in memory and served as a browser wants them.
//!
//! The build (`cargo xtask widget`) gives the glue and the wasm content-hashed names and
//! writes a brotli (`.br`) and a gzip (`.gz`) copy beside every shipped file. This store
//! picks the encoding from `Accept-Encoding`, caches hashed files forever (`immutable`), and
//! gives everything a strong `ETag` so the loader, whose URL never changes, revalidates with
//! a 304. Nothing is compressed at run time.

use std::collections::HashMap;
use std::path::Path;

use axum::body::Bytes;

use crate::encoding::{Encoded, Encoding};

/// One file, in each encoding the build made.
#[derive(Debug, Clone)]
pub struct WidgetFile {
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Whether the name carries a content hash (so it may be cached forever).
    pub immutable: bool,
    /// Its bodies by encoding, with their ETags.
    pub encoded: Encoded,
}

impl WidgetFile {
    /// `Cache-Control`: hashed names forever, the rest (the loader) for five minutes and
    /// then revalidated with the ETag.
    pub fn cache_control(&self) -> &'static str {
        if self.immutable {
            "public, max-age=31536000, immutable"
        } else {
            "public, max-age=300"
        }
    }
}

/// The widget's files by path (`questlet.js`, `pkg/questlet.<hash>.wasm`, ...).
#[derive(Debug, Clone, Default)]
pub struct WidgetFiles {
    files: HashMap<String, WidgetFile>,
}

impl WidgetFiles {
    /// The widget's files compiled into this binary (`cargo xtask dist`), if it has any.
    pub fn embedded() -> Option<Self> {
        mod embedded {
            include!(concat!(env!("OUT_DIR"), "/embedded_widget.rs"));
        }
        Self::from_static(embedded::FILES)
    }

    /// The partner console's files compiled into this binary (`cargo xtask dist`), if it
    /// has any.
    pub fn embedded_console() -> Option<Self> {
        mod embedded {
            include!(concat!(env!("OUT_DIR"), "/embedded_console.rs"));
        }
        Self::from_static(embedded::FILES)
    }

    /// The store of `files` compiled in, if there are any.
    fn from_static(files: &'static [(&'static str, &'static [u8])]) -> Option<Self> {
        (!files.is_empty()).then(|| {
            Self::from_entries(
                files
                    .iter()
                    .map(|(path, bytes)| ((*path).to_owned(), Bytes::from_static(bytes))),
            )
        })
    }

    /// Reads every file under `dir` (a missing folder gives an empty store).
    pub fn from_dir(dir: &Path) -> std::io::Result<Self> {
        let mut entries = Vec::new();
        if dir.is_dir() {
            collect(dir, dir, &mut entries)?;
        }
        Ok(Self::from_entries(entries))
    }

    /// Builds the store from `(path, bytes)` pairs, `.br` and `.gz` files among them.
    pub fn from_entries(entries: impl IntoIterator<Item = (String, Bytes)>) -> Self {
        let mut plain = HashMap::new();
        let mut encoded: HashMap<String, Vec<(Encoding, Bytes)>> = HashMap::new();
        for (path, bytes) in entries {
            if let Some(stem) = path.strip_suffix(".br") {
                encoded
                    .entry(stem.to_owned())
                    .or_default()
                    .push((Encoding::Brotli, bytes));
            } else if let Some(stem) = path.strip_suffix(".gz") {
                encoded
                    .entry(stem.to_owned())
                    .or_default()
                    .push((Encoding::Gzip, bytes));
            } else {
                plain.insert(path, bytes);
            }
        }
        let files = plain
            .into_iter()
            .map(|(path, bytes)| {
                let copies = encoded.remove(&path).unwrap_or_default();
                let file = WidgetFile {
                    content_type: content_type(&path),
                    immutable: has_content_hash(&path),
                    encoded: Encoded::new(bytes, copies),
                };
                (path, file)
            })
            .collect();
        Self { files }
    }

    /// The file at `path`.
    pub fn get(&self, path: &str) -> Option<&WidgetFile> {
        self.files.get(path)
    }

    /// How many files (each with its encodings) the store holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Bytes)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            let name = relative.to_string_lossy().replace('\\', "/");
            out.push((name, Bytes::from(std::fs::read(&path)?)));
        }
    }
    Ok(())
}

/// Whether a file name carries the build's content hash: `name.<16 hex digits>.ext`.
/// Whether the file's name carries a content hash: ours, 16 hex digits
/// (`questlet.<hash>.js`), or trunk's, a 64-bit hash in hex without leading zeros, so
/// usually 16 digits and sometimes fewer (`console-42e32e4807a5655.css`).
fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split(['.', '-', '_'])
        .any(|part| (12..=16).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> WidgetFiles {
        WidgetFiles::from_entries([
            ("questlet.js".to_owned(), Bytes::from_static(b"loader")),
            (
                "questlet.js.br".to_owned(),
                Bytes::from_static(b"br-loader"),
            ),
            (
                "questlet.js.gz".to_owned(),
                Bytes::from_static(b"gz-loader"),
            ),
            (
                "pkg/questlet_bg.0123456789abcdef.wasm".to_owned(),
                Bytes::from_static(b"\0asm"),
            ),
        ])
    }

    #[test]
    fn the_best_accepted_encoding_is_chosen() {
        let store = store();
        let loader = store.get("questlet.js").unwrap();
        assert_eq!(
            loader.encoded.body_for("gzip, deflate, br, zstd").0,
            Encoding::Brotli
        );
        assert_eq!(loader.encoded.body_for("gzip").0, Encoding::Gzip);
        assert_eq!(loader.encoded.body_for("br;q=0, gzip").0, Encoding::Gzip);
        assert_eq!(loader.encoded.body_for("").0, Encoding::Identity);
        assert_eq!(
            loader.encoded.body_for("br").1,
            Bytes::from_static(b"br-loader")
        );
        // A file built without copies is sent as it is.
        let wasm = store.get("pkg/questlet_bg.0123456789abcdef.wasm").unwrap();
        assert_eq!(wasm.encoded.body_for("br").0, Encoding::Identity);
    }

    #[test]
    fn hashed_names_are_immutable_and_etags_differ_by_encoding() {
        let store = store();
        let loader = store.get("questlet.js").unwrap();
        assert!(!loader.immutable);
        assert_eq!(loader.cache_control(), "public, max-age=300");
        let wasm = store.get("pkg/questlet_bg.0123456789abcdef.wasm").unwrap();
        assert!(wasm.immutable);
        assert!(has_content_hash(
            "questlet-console-0123456789abcdef_bg.wasm"
        ));
        assert!(!has_content_hash("index.html"));
        assert_eq!(wasm.content_type, "application/wasm");
        assert_ne!(
            loader.encoded.etag(Encoding::Brotli),
            loader.encoded.etag(Encoding::Gzip)
        );
        assert!(loader
            .encoded
            .matches(&loader.encoded.etag(Encoding::Brotli), Encoding::Brotli));
        assert!(!loader
            .encoded
            .matches(&loader.encoded.etag(Encoding::Gzip), Encoding::Brotli));
        assert!(loader.encoded.matches("\"x\", *", Encoding::Identity));
    }
}
