//! The shipped files as a server sends them: content-hashed names for the glue and the
//! wasm (so they can be cached forever and a deploy never pairs an old glue with a new
//! module), and every file precompressed at build time, brotli and gzip, beside it.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};

/// The loader's URL stays `questlet.js` (partners paste it); these get hashed names. The
/// first two are what every host page downloads; the solver (`pow.js`) loads only when a
/// user starts a proof-of-work task, the tabs (`panels.js`) when one opens the leaderboard
/// or the rewards, the Telegram support (`telegram.js`) inside a Telegram Mini App only,
/// the wallet support (`wallet.js`) for a widget with wallet tasks or a host's wallet only,
/// the launcher (`launcher.js`) for a widget in launcher mode only.
pub(super) const HASHED: [(&str, &str, &str); 7] = [
    ("pkg/questlet.js", "pkg/questlet.", ".js"),
    ("pkg/questlet_bg.wasm", "pkg/questlet_bg.", ".wasm"),
    ("pow.js", "pow.", ".js"),
    ("panels.js", "panels.", ".js"),
    ("telegram.js", "telegram.", ".js"),
    ("wallet.js", "wallet.", ".js"),
    ("launcher.js", "launcher.", ".js"),
];

/// The files shipped, relative to `dist/`.
pub struct Published {
    /// The loader, then the glue, the wasm, the solver and the tabs under their hashed
    /// names.
    pub files: Vec<String>,
}

/// Renames the glue and the wasm in `dist/` to content-hashed names, points the loader at
/// them, and writes `.br` and `.gz` beside every shipped file.
pub fn publish(dist: &Path) -> anyhow::Result<Published> {
    let loader_path = dist.join("questlet.js");
    let mut loader = read_text(&loader_path)?;
    let mut files = vec!["questlet.js".to_owned()];
    for (plain, prefix, suffix) in HASHED {
        let bytes = std::fs::read(dist.join(plain)).with_context(|| format!("reading {plain}"))?;
        let hashed = format!("{prefix}{}{suffix}", content_hash(&bytes));
        std::fs::rename(dist.join(plain), dist.join(&hashed))?;
        // The loader names each file once, as a string literal.
        let quoted = |name: &str| format!("\"{name}\"");
        anyhow::ensure!(
            loader.matches(&quoted(plain)).count() == 1,
            "the loader must name {plain} exactly once"
        );
        loader = loader.replace(&quoted(plain), &quoted(&hashed));
        files.push(hashed);
    }
    std::fs::write(&loader_path, loader)?;
    // trunk's build page only drives the build; it is not shipped.
    let _ = std::fs::remove_file(dist.join("index.html"));
    for file in &files {
        compress_beside(&dist.join(file))?;
    }
    Ok(Published { files })
}

/// The first 16 hex digits of the SHA-256 of `bytes`.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip -9).
pub fn compress_beside(path: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    std::fs::write(with_suffix(path, ".br"), brotli(&bytes)?)?;
    std::fs::write(with_suffix(path, ".gz"), gzip(&bytes)?)?;
    Ok(())
}

/// Brotli at its best quality and largest window.
pub fn brotli(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 24);
        writer.write_all(bytes)?;
    }
    Ok(out)
}

/// gzip -9.
pub fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}
