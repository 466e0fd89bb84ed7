//! CORS for the widget API: a campaign answers only the origins it allows (its
//! `allowed_origins`), plus `localhost` pages when the server runs in development mode.

use axum::http::{header, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::AppState;

/// Whether `origin` is a page on this machine (`http://localhost:*`, `http://127.0.0.1:*`).
pub fn is_local_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let host = rest.rsplit_once(':').map_or(rest, |(host, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            host
        } else {
            rest
        }
    });
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// Whether a campaign allowing the origins `allowed` answers a page at `origin`: one of
/// them (a trailing `/` aside), or any local page in development mode (`dev`).
pub fn allows_origin(allowed: &[String], origin: &str, dev: bool) -> bool {
    (dev && is_local_origin(origin))
        || allowed
            .iter()
            .any(|allowed| allowed.trim_end_matches('/') == origin)
}

/// `(organization, campaign)` from a widget API path `/v1/widget/{o}/campaigns/{c}[/...]`.
fn campaign_of(path: &str) -> Option<(String, String)> {
    let mut parts = path.strip_prefix("/v1/widget/")?.split('/');
    let organization = parts.next()?;
    (parts.next()? == "campaigns").then_some(())?;
    Some((organization.to_owned(), parts.next()?.to_owned()))
}

/// The CORS layer of the widget API.
pub fn widget_cors(state: AppState) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::async_predicate(
            move |origin: HeaderValue, parts| {
                let state = state.clone();
                let campaign = campaign_of(parts.uri.path());
                async move {
                    let Ok(origin) = origin.to_str() else {
                        return false;
                    };
                    if state.config.dev && is_local_origin(origin) {
                        return true;
                    }
                    let Some((organization, campaign)) = campaign else {
                        return false;
                    };
                    // The campaign as the widget call reads it: cached per version, so
                    // the check costs no query while the campaign is unchanged.
                    match state
                        .campaigns
                        .get(&state.db, &organization, &campaign)
                        .await
                    {
                        // (Local pages in development mode were answered above.)
                        Ok(Some(rendered)) => {
                            allows_origin(&rendered.tree.campaign.allowed_origins, origin, false)
                        }
                        _ => false,
                    }
                }
            },
        ))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_origins_are_recognised() {
        assert!(is_local_origin("http://localhost:8080"));
        assert!(is_local_origin("http://127.0.0.1"));
        assert!(!is_local_origin("http://localhost.evil.com"));
        assert!(!is_local_origin("https://example.com"));
    }

    #[test]
    fn campaign_is_read_from_widget_paths() {
        assert_eq!(
            campaign_of("/v1/widget/acme/campaigns/launch/tasks/t/attempts"),
            Some(("acme".into(), "launch".into()))
        );
        assert_eq!(campaign_of("/v1/campaigns/launch"), None);
    }
}
