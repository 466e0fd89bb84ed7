//! Data attributes → one typed, validated [`WidgetConfig`].
//!
//! Every attribute a host page may set is parsed here, and only here. A bad value becomes a
//! [`ConfigError`] naming the attribute and what it accepts; the widget shows it inline and
//! logs it once to the console.

use std::fmt;

use questlet_types::slug::is_slug;

use crate::analytics::{AnalyticsConfig, SinkKind};

/// The widget's colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Light colours.
    Light,
    /// Dark colours.
    Dark,
    /// Follow the visitor's `prefers-color-scheme`.
    Auto,
}

impl Theme {
    /// The value used in the `data-theme` attribute and as a CSS modifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }
}

/// `data-mode="launcher"`: the widget opens from a floating button, as a panel (a dialog on
/// narrow screens), instead of taking its place in the page (`public/launcher.js`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launcher {
    /// `data-launcher-position`: the corner, one of [`CORNERS`] (default `bottom-right`).
    pub position: &'static str,
    /// `data-z-index`: the stacking level of the button and the panel (default
    /// 2147483000, above almost every page; set it to fit the page's own layers).
    pub z_index: u32,
}

/// The corners a launcher may sit in.
pub const CORNERS: [&str; 4] = ["bottom-right", "bottom-left", "top-right", "top-left"];

/// Everything one widget instance is configured with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetConfig {
    /// `data-organization`: the organization's slug.
    pub organization: String,
    /// `data-campaign`: the campaign's slug.
    pub campaign: String,
    /// `data-api`: base URL of the Questlet server, without a trailing slash. Defaults to the
    /// origin the loader was served from.
    pub api_base: String,
    /// `data-user-token`: the partner-issued user token, if the user is logged in.
    pub user_token: Option<String>,
    /// `data-platform`: the partner's platform name (default `web`).
    pub platform: String,
    /// `data-theme`: `light`, `dark` or `auto` (default `auto`).
    pub theme: Theme,
    /// `data-lang`: a language code (default: the browser's).
    pub lang: Option<String>,
    /// `data-container`: id of the element to render into (default: right after the script).
    pub container: Option<String>,
    /// `data-analytics` (`all`, `none`, or a list of `ga4`, `gtm`, `hotjar`) and
    /// `data-analytics-prefix` (default `questlet_`).
    pub analytics: AnalyticsConfig,
    /// `data-referral-code`: the code of whoever referred this visitor (default: the page
    /// URL's `ql_ref` parameter, see [`page_referral_code`]).
    pub referral_code: Option<String>,
    /// `data-mode`: `inline` (default: in the page, `None`) or `launcher`.
    pub launcher: Option<Launcher>,
}

/// A data attribute with an unusable value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The attribute, e.g. `data-campaign`.
    pub attribute: &'static str,
    /// What was found (`None` when missing).
    pub found: Option<String>,
    /// What the attribute accepts.
    pub accepts: &'static str,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.found {
            None => write!(
                f,
                "{} is missing: it must be {}",
                self.attribute, self.accepts
            ),
            Some(found) => write!(
                f,
                // Quoted as it is, not `{:?}`: Debug formatting of text pulls Unicode
                // tables into the bundle.
                "{} is \"{}\": it must be {}",
                self.attribute, found, self.accepts
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

const SLUG: &str = "a slug: 1-64 characters of a-z, 0-9 and '-', not starting or ending with '-'";

/// The `Questlet.mount` option for data attribute `name`: the attribute in camelCase
/// (`user-token` → `userToken`, `analytics-prefix` → `analyticsPrefix`).
pub fn option_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Reads and validates the configuration of `Questlet.mount(element, options)`: the same
/// rules as the data attributes, each under its camelCase name ([`option_name`]).
pub fn parse_options(
    options: &wasm_bindgen::JsValue,
    default_api: &str,
) -> Result<WidgetConfig, ConfigError> {
    parse_config(
        |name| {
            js_sys::Reflect::get(
                options,
                &wasm_bindgen::JsValue::from_str(&option_name(name)),
            )
            .ok()
            .and_then(|v| v.as_string())
        },
        default_api,
    )
}

/// Reads and validates the configuration. `attr` returns a data attribute's value by name
/// (`"organization"` for `data-organization`); `default_api` is the loader's origin.
pub fn parse_config(
    attr: impl Fn(&str) -> Option<String>,
    default_api: &str,
) -> Result<WidgetConfig, ConfigError> {
    // One body for every kind of `attr` (attributes, mount options), not one per kind.
    parse_with(&attr, default_api)
}

fn parse_with(
    attr: &dyn Fn(&str) -> Option<String>,
    default_api: &str,
) -> Result<WidgetConfig, ConfigError> {
    let get = |name: &str| attr(name).map(|v| v.trim().to_owned());
    let slug = |name: &str, attribute: &'static str| match get(name) {
        Some(v) if is_slug(&v) => Ok(v),
        found => Err(ConfigError {
            attribute,
            found,
            accepts: SLUG,
        }),
    };
    let organization = slug("organization", "data-organization")?;
    let campaign = slug("campaign", "data-campaign")?;
    let api_base = match get("api") {
        None => default_api.trim_end_matches('/').to_owned(),
        Some(v) if v.starts_with("https://") || v.starts_with("http://") => {
            v.trim_end_matches('/').to_owned()
        }
        found => {
            return Err(ConfigError {
                attribute: "data-api",
                found,
                accepts: "an absolute http(s) URL of the Questlet server",
            })
        }
    };
    let theme = match get("theme").as_deref() {
        None | Some("auto") => Theme::Auto,
        Some("light") => Theme::Light,
        Some("dark") => Theme::Dark,
        Some(other) => {
            return Err(ConfigError {
                attribute: "data-theme",
                found: Some(other.to_owned()),
                accepts: "one of light, dark, auto",
            })
        }
    };
    let platform = match get("platform") {
        None => "web".to_owned(),
        Some(v) if is_slug(&v) => v,
        found => {
            return Err(ConfigError {
                attribute: "data-platform",
                found,
                accepts: SLUG,
            })
        }
    };
    let container = match get("container") {
        Some(v) if v.is_empty() || v.contains(char::is_whitespace) => {
            return Err(ConfigError {
                attribute: "data-container",
                found: Some(v),
                accepts: "the id of an element on the page",
            })
        }
        other => other,
    };
    let sinks = match get("analytics").as_deref() {
        None | Some("all") => SinkKind::ALL.to_vec(),
        Some("none") => Vec::new(),
        Some(list) => list
            .split(',')
            .map(|name| SinkKind::parse(name.trim()))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| ConfigError {
                attribute: "data-analytics",
                found: Some(list.to_owned()),
                accepts: "all, none, or a comma-separated list of ga4, gtm, hotjar",
            })?,
    };
    let prefix = match get("analytics-prefix") {
        None => AnalyticsConfig::default().prefix,
        Some(p) if p.len() <= 20 && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => p,
        found => {
            return Err(ConfigError {
                attribute: "data-analytics-prefix",
                found,
                accepts: "up to 20 characters of a-z, A-Z, 0-9 and '_'",
            })
        }
    };
    let launcher = match get("mode").as_deref() {
        None | Some("inline") => None,
        Some("launcher") => Some(Launcher {
            position: match get("launcher-position") {
                None => CORNERS[0],
                Some(v) => CORNERS.into_iter().find(|c| *c == v).ok_or(ConfigError {
                    attribute: "data-launcher-position",
                    found: Some(v),
                    accepts: "one of bottom-right, bottom-left, top-right, top-left",
                })?,
            },
            z_index: match get("z-index") {
                None => 2_147_483_000,
                Some(v) => v
                    .parse()
                    .ok()
                    .filter(|z| *z <= i32::MAX as u32)
                    .ok_or(ConfigError {
                        attribute: "data-z-index",
                        found: Some(v),
                        accepts: "a whole number from 0 to 2147483647",
                    })?,
            },
        }),
        found => {
            return Err(ConfigError {
                attribute: "data-mode",
                found: found.map(str::to_owned),
                accepts: "one of inline, launcher",
            })
        }
    };
    Ok(WidgetConfig {
        launcher,
        analytics: AnalyticsConfig { sinks, prefix },
        organization,
        campaign,
        api_base,
        user_token: get("user-token").filter(|t| !t.is_empty()),
        platform,
        theme,
        lang: get("lang").filter(|l| !l.is_empty()),
        container,
        referral_code: get("referral-code").filter(|c| !c.is_empty()),
    })
}

/// The referral code in the page's URL (its `ql_ref` parameter), which referral links
/// carry.
pub fn page_referral_code() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("ql_ref="))
        .filter(|code| !code.is_empty())
        .map(str::to_owned)
}
