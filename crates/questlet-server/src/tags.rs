//! Text tags: `{{points}}`, `{{user_name}}`, ... in partners' texts (descriptions, the
//! intro, completion and failure messages), filled on the server.
//!
//! A campaign's content is rendered once per version and shared by every caller, so tags
//! are filled in two steps: those that are the same for everyone (`{{points_name}}`,
//! `{{task_points}}`) when the content is rendered, and those that differ per user
//! (`{{user_name}}`, `{{points}}`, ...) per call, only in the texts that have them: the
//! shared content shows them as an anonymous visitor sees them, and a user's part of the
//! answer carries those texts filled for the user (`user.texts`). Values are text: in HTML
//! they are escaped, so a user name with markup stays text.

/// The values of the tags for one text.
#[derive(Debug, Clone, Default)]
pub struct TagValues<'a> {
    /// `{{user_name}}`: the user's name on the partner's platform (their account).
    pub user_name: &'a str,
    /// `{{points}}`: the user's points in the campaign.
    pub points: i64,
    /// `{{rank}}`: the name of the user's rank in the campaign (empty below the first).
    pub rank: &'a str,
    /// `{{task_points}}`: the points of the task the text belongs to (none elsewhere).
    pub task_points: Option<i64>,
    /// `{{points_name}}`: what the campaign calls its points.
    pub points_name: &'a str,
    /// `{{referral_link}}`, `{{referrer}}`, `{{wallet}}`: empty until referrals and wallets
    /// exist.
    pub referral_link: &'a str,
    /// See `referral_link`.
    pub referrer: &'a str,
    /// See `referral_link`.
    pub wallet: &'a str,
}

/// The tags whose value differs per user.
const USER_TAGS: [&str; 6] = [
    "user_name",
    "points",
    "rank",
    "referral_link",
    "referrer",
    "wallet",
];

/// The tags whose value is the same for every user.
const SHARED_TAGS: [&str; 2] = ["points_name", "task_points"];

/// Whether `text` has a tag whose value differs per user.
pub fn has_user_tags(text: &str) -> bool {
    USER_TAGS
        .iter()
        .any(|tag| text.contains(&format!("{{{{{tag}}}}}")))
}

/// `text` with the shared tags filled (the user tags stay for [`fill_user`]).
pub fn fill_shared(text: &str, values: &TagValues<'_>, html: bool) -> String {
    fill(text, values, html, &SHARED_TAGS)
}

/// `text` with the user tags filled.
pub fn fill_user(text: &str, values: &TagValues<'_>, html: bool) -> String {
    fill(text, values, html, &USER_TAGS)
}

/// `text` with every tag filled.
pub fn fill_all(text: &str, values: &TagValues<'_>, html: bool) -> String {
    fill_user(&fill_shared(text, values, html), values, html)
}

/// `{{referral_link}}` as a Markdown link's target comes out of the renderer: the braces
/// percent-encoded.
const LINK_TARGET: &str = "%7B%7Breferral_link%7D%7D";

fn fill(text: &str, values: &TagValues<'_>, html: bool, tags: &[&str]) -> String {
    let link_target = html && tags.contains(&"referral_link") && text.contains(LINK_TARGET);
    if !text.contains("{{") && !link_target {
        return text.to_owned();
    }
    let mut filled = text.to_owned();
    if link_target {
        // `[Share]({{referral_link}})`. Only this tag fills a link's target, and only with
        // an http(s) URL (the campaign's referral page, validated): the sanitizer has
        // already checked targets, so no value may bring a scheme of its own.
        let link = values.referral_link;
        let safe = link.starts_with("https://") || link.starts_with("http://");
        filled = filled.replace(
            LINK_TARGET,
            &if safe {
                escape_html(link)
            } else {
                String::new()
            },
        );
    }
    for tag in tags {
        let pattern = format!("{{{{{tag}}}}}");
        if !filled.contains(&pattern) {
            continue;
        }
        let value = match *tag {
            "user_name" => values.user_name.to_owned(),
            "points" => values.points.to_string(),
            "rank" => values.rank.to_owned(),
            "task_points" => values
                .task_points
                .map(|p| p.to_string())
                .unwrap_or_default(),
            "points_name" => values.points_name.to_owned(),
            "referral_link" => values.referral_link.to_owned(),
            "referrer" => values.referrer.to_owned(),
            "wallet" => values.wallet.to_owned(),
            _ => String::new(),
        };
        let value = if html { escape_html(&value) } else { value };
        filled = filled.replace(&pattern, &value);
    }
    filled
}

/// `text` safe as HTML text or a quoted attribute value.
pub(crate) fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_filled_in_two_steps_and_values_stay_text() {
        let values = TagValues {
            user_name: "<b>Ann</b> & co",
            points: 120,
            rank: "Silver",
            task_points: Some(40),
            points_name: "XP",
            ..TagValues::default()
        };
        let text =
            "<p>Hi {{user_name}}: {{points}} {{points_name}}, +{{task_points}} ({{rank}})</p>";
        assert!(has_user_tags(text));
        assert!(has_user_tags("You are {{rank}}"));
        let shared = fill_shared(text, &values, true);
        assert_eq!(
            shared,
            "<p>Hi {{user_name}}: {{points}} XP, +40 ({{rank}})</p>"
        );
        assert_eq!(
            fill_user(&shared, &values, true),
            "<p>Hi &lt;b&gt;Ann&lt;/b&gt; &amp; co: 120 XP, +40 (Silver)</p>"
        );
        assert_eq!(
            fill_all("{{user_name}} got {{task_points}}", &values, false),
            "<b>Ann</b> & co got 40"
        );
        assert!(!has_user_tags("{{points_name}} only"));
        assert_eq!(fill_all("no tags", &values, true), "no tags");
    }

    #[test]
    fn a_markdown_links_target_takes_the_referral_link_and_no_other_tag() {
        let markdown = "[Share]({{referral_link}}) [Me]({{user_name}})";
        assert!(has_user_tags(markdown));
        let html = crate::markdown::render(markdown);
        let values = TagValues {
            user_name: "javascript:alert(1)",
            referral_link: "https://a.example/?x=1&ql_ref=abc",
            ..TagValues::default()
        };
        let filled = fill_user(&html, &values, true);
        assert!(
            filled.contains(r#"href="https://a.example/?x=1&amp;ql_ref=abc""#),
            "{filled}"
        );
        assert!(!filled.contains("javascript"), "{filled}");
        // Without a referral page, the target is empty rather than the tag.
        let none = fill_user(&html, &TagValues::default(), true);
        assert!(none.contains(r#"href="""#), "{none}");
    }
}
