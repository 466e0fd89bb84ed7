//! The Questlet partner console: a Leptos (CSR) app for an organization's team, served by
//! the server at `/console/` and talking only to the public admin API with the member's
//! session cookie (so everything it does stays possible by API).
//!
//! - `api.rs`: the one way to call the API (the cookie rides along; writes carry the
//!   session's CSRF token).
//! - `texts.rs`: every English text the console shows, in one place for translation.
//! - `app.rs`: the session, and which page it shows.
//! - `changes.rs`: what changed between two versions of a campaign (a refused save).
//! - `pages/`: one file per page (campaigns, a campaign, review, team, credentials).
//! - `parts.rs`: pieces the pages share (copy button, secret shown once, confirm button,
//!   drag to reorder).
//! - `schema_form.rs`: task settings forms generated from the server's OpenAPI document.

mod api;
mod app;
mod changes;
mod content_fields;
mod pages;
mod parts;
mod schema_form;
mod texts;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
