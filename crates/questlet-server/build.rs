//! With the `embedded-widget` feature, compiles the built widget (the folder named by
//! `QUESTLET_EMBED_WIDGET_DIR`, made by `cargo xtask widget`) and, when
//! `QUESTLET_EMBED_CONSOLE_DIR` names it, the built partner console (`cargo xtask console`)
//! into the binary, so a release is one file. Without the feature this does nothing.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-env-changed=QUESTLET_EMBED_WIDGET_DIR");
    println!("cargo:rerun-if-env-changed=QUESTLET_EMBED_CONSOLE_DIR");
    // `sqlx::migrate!` embeds the migration folders: a new file must rebuild the crate.
    println!("cargo:rerun-if-changed=migrations");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let embedding = std::env::var_os("CARGO_FEATURE_EMBEDDED_WIDGET").is_some();
    let widget = embedding.then(|| {
        std::env::var("QUESTLET_EMBED_WIDGET_DIR").expect(
            "the embedded-widget feature needs QUESTLET_EMBED_WIDGET_DIR (use `cargo xtask dist`)",
        )
    });
    let console = embedding
        .then(|| std::env::var("QUESTLET_EMBED_CONSOLE_DIR").ok())
        .flatten();
    embed(widget, "questlet.js", &out.join("embedded_widget.rs"));
    embed(console, "index.html", &out.join("embedded_console.rs"));
}

/// Writes to `code_path` a `FILES` table of every file under `dir` (none without one), which
/// must hold `required`.
fn embed(dir: Option<String>, required: &str, code_path: &Path) {
    let mut code = String::from(
        "/// The embedded files: (path, bytes).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    if let Some(dir) = dir {
        let dir = std::fs::canonicalize(&dir).unwrap_or_else(|e| panic!("{dir}: {e}"));
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files = Vec::new();
        collect(&dir, &dir, &mut files);
        assert!(
            files.iter().any(|(name, _)| name == required),
            "{} holds no {required}: build it first",
            dir.display()
        );
        files.sort();
        for (name, path) in files {
            println!("cargo:rerun-if-changed={}", path.display());
            code.push_str(&format!(
                "    ({name:?}, include_bytes!({:?})),\n",
                path.display().to_string()
            ));
        }
    }
    code.push_str("];\n");
    std::fs::write(code_path, code).expect("write the embedded files' table");
}
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    for entry in std::fs::read_dir(dir).expect("read the folder to embed") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let name = path
                .strip_prefix(root)
                .expect("inside the root")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((name, path));
        }
    }
}
