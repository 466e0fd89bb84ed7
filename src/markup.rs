//! Markup written as text, for the parts of the widget that never change once drawn (the
//! quest cards, the user's badge): one `innerHTML` each, instead of a Leptos view per part.
//! Leptos gives every view tree, optional child and reactive closure its own generic code
//! (about 0.7 KB of brotli each, measured), which the 120 KB transfer budget cannot carry
//! for every piece of a card; text costs the bytes of its template. Every value written
//! into it goes through [`escape`], except HTML the server has sanitized.

/// `text` safe inside an element or a double-quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
