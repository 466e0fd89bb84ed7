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

    step("widget: glue as an instance factory");
    let glue = root.join("dist/pkg/questlet.js");
    let js =
        std::fs::read_to_string(&glue).with_context(|| format!("reading {}", glue.display()))?;
    std::fs::write(&glue, glue_factory(&js)?)
        .with_context(|| format!("writing {}", glue.display()))?;

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

/// Wraps wasm-bindgen's glue (an ES module holding one instance in module variables) in a
/// factory: the module's default export becomes a function that returns a fresh copy of the
/// glue's exports, with its own instance state, each time it is called.
///
/// Why: the loader gives every widget its own WebAssembly instance (a panic aborts only its
/// own), and each instance needs its own glue state. With the factory the glue is fetched
/// and parsed once per page instead of once per widget. The input's shape is checked: any
/// `import` or unrecognised `export` fails the build rather than shipping a broken glue.
fn glue_factory(js: &str) -> anyhow::Result<String> {
    let mut body = String::with_capacity(js.len());
    let mut exports: Vec<(String, String)> = Vec::new();
    for line in js.lines() {
        if let Some(rest) = line.strip_prefix("export ") {
            if let Some(list) = rest.strip_prefix('{') {
                // `export { initSync, __wbg_init as default };`
                let list = list
                    .trim_end()
                    .strip_suffix("};")
                    .ok_or_else(|| anyhow::anyhow!("unexpected glue export list: {line}"))?;
                for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                    let (local, exported) = item.split_once(" as ").unwrap_or((item, item));
                    exports.push((exported.trim().to_owned(), local.trim().to_owned()));
                }
                continue;
            }
            let name = ["class ", "function ", "async function "]
                .iter()
                .find_map(|kind| rest.strip_prefix(kind))
                .and_then(|decl| {
                    decl.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                })
                .filter(|name| !name.is_empty())
                .ok_or_else(|| anyhow::anyhow!("unexpected glue export: {line}"))?;
            exports.push((name.to_owned(), name.to_owned()));
            body.push_str(rest);
        } else if line.starts_with("import ") {
            anyhow::bail!("the glue imports another module, which the factory cannot wrap: {line}");
        } else {
            body.push_str(line);
        }
        body.push('\n');
    }
    anyhow::ensure!(
        exports.iter().any(|(exported, _)| exported == "default"),
        "the glue has no default export (its init function)"
    );
    let fields: Vec<String> = exports
        .iter()
        .map(|(exported, local)| format!("{exported}: {local}"))
        .collect();
    Ok(format!(
        "export default function () {{\n{body}return {{ {} }};\n}}\n",
        fields.join(", ")
    ))
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

#[cfg(test)]
mod tests {
    use super::glue_factory;

    #[test]
    fn the_glue_becomes_a_factory_of_its_exports() {
        let glue = "let wasm;\nexport function mount(a) {\n    wasm.mount(a);\n}\nexport class Source {\n}\nasync function __wbg_init(m) {}\nexport { initSync, __wbg_init as default };\n";
        let factory = glue_factory(glue).unwrap();
        assert!(factory.starts_with("export default function () {\nlet wasm;\nfunction mount(a) {"));
        assert!(factory.ends_with(
            "return { mount: mount, Source: Source, initSync: initSync, default: __wbg_init };\n}\n"
        ));
        assert_eq!(factory.matches("export").count(), 1, "{factory}");
    }

    #[test]
    fn a_glue_of_an_unknown_shape_fails_the_build() {
        assert!(glue_factory("import x from './snippet.js';\nexport { a as default };\n").is_err());
        assert!(glue_factory("export const x = 1;\nexport { a as default };\n").is_err());
        assert!(glue_factory("export function a() {}\n").is_err());
    }
}
