//! Gathers the widget's stylesheets (`styles/*.css`, in cascade order) into one, minified:
//! comments dropped and whitespace collapsed, so the bundle carries the rules and not their
//! layout. `src/styles.rs` includes the result.

use std::env;
use std::fs;
use std::path::Path;

/// The stylesheets, in cascade order.
const SHEETS: [&str; 6] = ["theme", "widget", "campaign", "quest", "popup", "rewards"];

fn main() {
    let mut css = String::new();
    for sheet in SHEETS {
        let path = format!("styles/{sheet}.css");
        println!("cargo:rerun-if-changed={path}");
        css.push_str(&fs::read_to_string(&path).expect("a stylesheet of styles/"));
        css.push('\n');
    }
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("styles.css");
    fs::write(out, minify(&css)).expect("write the minified stylesheet");
}

/// `css` without comments and with whitespace collapsed: none next to `{`, `}`, `;`, `,`
/// and `>`, and none after `:` (before one it can mean a descendant); quoted strings kept
/// as they are.
fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                space = true;
            }
            '"' | '\'' => {
                if space && !tight(out.chars().last()) {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => space = true,
            c => {
                if space && !tight(out.chars().last()) && !matches!(c, '{' | '}' | ';' | ',' | '>')
                {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out
}

/// Whether no space is needed after `last`.
fn tight(last: Option<char>) -> bool {
    matches!(last, None | Some('{' | '}' | ';' | ',' | '>' | ':'))
}
