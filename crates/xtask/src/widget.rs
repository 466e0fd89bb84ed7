//! Building the widget with trunk.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use flate2::write::GzEncoder;
use flate2::Compression;

use xshell::{cmd, Shell};

use crate::step;

/// Builds the widget in release mode into `dist/`, with the project's wasm-opt first on PATH,
/// then minifies its JavaScript (the loader and wasm-bindgen's glue) with terser.
pub fn build_release(root: &Path, path_env: &OsString) -> anyhow::Result<()> {
    step("widget: trunk build --release");
    let sh = Shell::new()?;
    sh.change_dir(root);
    let _path = sh.push_env("PATH", path_env);
    cmd!(sh, "trunk build --release --offline").run()?;

    step("widget: short import names");
    let renamed = shorten_import_names(
        &root.join("dist/pkg/questlet_bg.wasm"),
        &root.join("dist/pkg/questlet.js"),
    )?;
    println!("{renamed} imports renamed");

    step("widget: minify JavaScript (terser)");
    // The glue is an ES module (the loader imports it); the loader is a classic script.
    for (file, module) in [("dist/pkg/questlet.js", true), ("dist/questlet.js", false)] {
        let module = module.then_some("--module");
        cmd!(
            sh,
            "terser {file} {module...} --compress --mangle --output {file}"
        )
        .run()?;
    }
    Ok(())
}

/// Renames wasm-bindgen's imports to short names, in the module and its glue alike.
///
/// wasm-bindgen names each import after the browser API it wraps plus a hash
/// (`__wbg_setAttribute_8d9cb4e2a3c1f4b0`). The widget has about two hundred of them, each
/// written once in the module and once in the glue, and the hashes do not compress: short
/// names save about 5 KB of the gzipped transfer. Returns how many imports were renamed.
fn shorten_import_names(wasm: &Path, glue: &Path) -> anyhow::Result<usize> {
    const PREFIX: &str = "__wbg_";
    let mut module = walrus::Module::from_file(wasm)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", wasm.display()))?;
    let mut short_names: HashMap<String, String> = HashMap::new();
    for import in module.imports.iter_mut() {
        if import.name.starts_with(PREFIX) {
            let short = format!("{PREFIX}{:x}", short_names.len());
            short_names.insert(std::mem::replace(&mut import.name, short.clone()), short);
        }
    }
    let js =
        std::fs::read_to_string(glue).with_context(|| format!("reading {}", glue.display()))?;
    // Whole identifiers only: every `__wbg_...` token in the glue is one of the imports.
    let mut out = String::with_capacity(js.len());
    let mut rest = js.as_str();
    while let Some(start) = rest.find(PREFIX) {
        out.push_str(&rest[..start]);
        let token_len = rest[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len() - start);
        let token = &rest[start..start + token_len];
        out.push_str(short_names.get(token).map_or(token, String::as_str));
        rest = &rest[start + token_len..];
    }
    out.push_str(rest);
    module
        .emit_wasm_file(wasm)
        .map_err(|e| anyhow::anyhow!("writing {}: {e}", wasm.display()))?;
    std::fs::write(glue, out).with_context(|| format!("writing {}", glue.display()))?;
    Ok(short_names.len())
}

/// The widget's transfer budget: loader + glue + wasm, gzip -9, in bytes.
pub const BUDGET_GZIP: usize = 150_000;

/// The files a host page downloads for the widget, in load order (the CSS is in the wasm).
const SHIPPED_FILES: [&str; 3] = ["questlet.js", "pkg/questlet.js", "pkg/questlet_bg.wasm"];

/// What a host page downloads for the widget: each file's raw and gzip -9 bytes.
pub struct Transfer {
    /// `(file, raw bytes, gzip -9 bytes)`, in load order.
    pub files: Vec<(&'static str, usize, usize)>,
}

impl Transfer {
    /// Total gzip -9 bytes.
    pub fn gzip_total(&self) -> usize {
        self.files.iter().map(|(_, _, gz)| gz).sum()
    }

    /// Whether the total fits [`BUDGET_GZIP`].
    pub fn within_budget(&self) -> bool {
        self.gzip_total() <= BUDGET_GZIP
    }

    /// Prints a table and the verdict.
    pub fn print(&self) {
        println!("{:<28} {:>10} {:>12}", "file", "raw", "gzip -9");
        for (name, raw, gz) in &self.files {
            println!("{name:<28} {raw:>10} {gz:>12}");
        }
        let raw_total: usize = self.files.iter().map(|(_, raw, _)| raw).sum();
        let gz_total = self.gzip_total();
        println!("{:<28} {raw_total:>10} {gz_total:>12}", "total");
        let verdict = if self.within_budget() {
            format!("within the {} KB budget", BUDGET_GZIP / 1000)
        } else {
            format!(
                "OVER the {} KB budget by {} bytes",
                BUDGET_GZIP / 1000,
                gz_total - BUDGET_GZIP
            )
        };
        println!(
            "transfer (loader + glue + wasm, CSS inside): {gz_total} bytes gzip -9, {verdict}"
        );
    }
}

fn gzip9_len(bytes: &[u8]) -> anyhow::Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

/// Measures the built widget in `dist/`.
pub fn transfer(root: &Path) -> anyhow::Result<Transfer> {
    let files = SHIPPED_FILES
        .into_iter()
        .map(|name| {
            let path = root.join("dist").join(name);
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            Ok((name, bytes.len(), gzip9_len(&bytes)?))
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(Transfer { files })
}
