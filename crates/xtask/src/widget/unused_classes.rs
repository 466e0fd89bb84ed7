//! Exported classes the widget never uses, taken out of the module and its glue.

use std::path::Path;

/// Classes that wasm-bindgen exports for a dependency's sake although the widget never
/// creates one: `wasm-streams` (Leptos always links `server_fn`, which streams request and
/// response bodies of server functions; a client-side widget has none) exports its adapters
/// between Rust streams and the browser's `ReadableStream`/`WritableStream`. Exports are
/// roots no optimiser may remove, so their code (about 6 KB of the module) and their glue
/// classes would ship in every widget.
pub const UNUSED_CLASSES: [&str; 3] = [
    "IntoUnderlyingByteSource",
    "IntoUnderlyingSink",
    "IntoUnderlyingSource",
];

/// Removes the exports of [`UNUSED_CLASSES`] (their methods, constructors and `free`) from
/// the module `wasm`, then everything only they reached. Fails when the module could still
/// hand such an object to JavaScript (an import that wraps one), since the glue then needs
/// the class. Returns how many exports were removed.
pub fn strip_unused_classes(wasm: &Path) -> anyhow::Result<usize> {
    let mut module = walrus::Module::from_file(wasm)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", wasm.display()))?;
    // wasm-bindgen names a class's exports `<class>_<method>` and `__wbg_<class>_free`, and
    // the imports that create one `__wbg_<class>_new...`, all in lower case.
    let prefixes: Vec<String> = UNUSED_CLASSES
        .iter()
        .map(|class| format!("{}_", class.to_lowercase()))
        .collect();
    let of_class = |name: &str| {
        let name = name.strip_prefix("__wbg_").unwrap_or(name);
        prefixes
            .iter()
            .any(|prefix| name.starts_with(prefix.as_str()))
    };
    if let Some(import) = module.imports.iter().find(|import| of_class(&import.name)) {
        anyhow::bail!(
            "the widget now creates a {} (import {}): it can no longer be stripped",
            import.name,
            import.name
        );
    }
    let unused: Vec<walrus::ExportId> = module
        .exports
        .iter()
        .filter(|export| of_class(&export.name))
        .map(|export| export.id())
        .collect();
    for &export in &unused {
        module.exports.delete(export);
    }
    walrus::passes::gc::run(&mut module);
    module
        .emit_wasm_file(wasm)
        .map_err(|e| anyhow::anyhow!("writing {}: {e}", wasm.display()))?;
    Ok(unused.len())
}
