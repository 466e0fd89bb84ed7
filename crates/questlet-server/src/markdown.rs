//! Markdown from partners becomes HTML that is safe to insert into the widget.

/// Renders Markdown to HTML and sanitizes it with ammonia (no scripts, no event handlers,
/// no `javascript:` links; links get `rel="noopener noreferrer"`).
pub fn render(markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new(markdown);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::clean(&html)
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn render_keeps_formatting() {
        assert_eq!(render("**hi**").trim(), "<p><strong>hi</strong></p>");
    }

    #[test]
    fn render_strips_scripts_and_handlers() {
        let html = render(
            "<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[a](javascript:alert(1))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(html.contains("<a"), "the link itself is kept: {html}");
        assert!(!html.contains("href=\"javascript:"), "{html}");
    }
}
