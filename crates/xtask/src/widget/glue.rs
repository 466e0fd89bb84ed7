//! wasm-bindgen's glue as a factory of instances.

/// Wraps wasm-bindgen's glue (an ES module holding one instance in module variables) in a
/// factory: the module's default export becomes a function that returns a fresh copy of the
/// glue's exports, with its own instance state, each time it is called.
///
/// Why: the loader gives every widget its own WebAssembly instance (a panic aborts only its
/// own), and each instance needs its own glue state. With the factory the glue is fetched
/// and parsed once per page instead of once per widget. The input's shape is checked: any
/// `import` or unrecognised `export` fails the build rather than shipping a broken glue.
/// The exports named in `left_out` are not returned (classes whose module code was
/// stripped), so the minifier drops them.
pub fn glue_factory(js: &str, left_out: &[&str]) -> anyhow::Result<String> {
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
        .filter(|(exported, _)| !left_out.contains(&exported.as_str()))
        .map(|(exported, local)| format!("{exported}: {local}"))
        .collect();
    Ok(format!(
        "export default function () {{\n{body}return {{ {} }};\n}}\n",
        fields.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::glue_factory;

    #[test]
    fn the_glue_becomes_a_factory_of_its_exports() {
        let glue = "let wasm;\nexport function mount(a) {\n    wasm.mount(a);\n}\nexport class Source {\n}\nasync function __wbg_init(m) {}\nexport { initSync, __wbg_init as default };\n";
        let factory = glue_factory(glue, &[]).unwrap();
        assert!(factory.starts_with("export default function () {\nlet wasm;\nfunction mount(a) {"));
        assert!(factory.ends_with(
            "return { mount: mount, Source: Source, initSync: initSync, default: __wbg_init };\n}\n"
        ));
        let without_source = glue_factory(glue, &["Source"]).unwrap();
        assert!(without_source
            .ends_with("return { mount: mount, initSync: initSync, default: __wbg_init };\n}\n"));
        assert_eq!(factory.matches("export").count(), 1, "{factory}");
    }

    #[test]
    fn a_glue_of_an_unknown_shape_fails_the_build() {
        assert!(glue_factory(
            "import x from './snippet.js';\nexport { a as default };\n",
            &[]
        )
        .is_err());
        assert!(glue_factory("export const x = 1;\nexport { a as default };\n", &[]).is_err());
        assert!(glue_factory("export function a() {}\n", &[]).is_err());
    }
}
