//! Every text the console shows, in English, in one place: a translation replaces this file.

/// The product's name in the header.
pub const PRODUCT: &str = "Questlet console";
/// The sign-in page's heading.
pub const SIGN_IN_TITLE: &str = "Sign in to your team";
/// The email field's label.
pub const EMAIL: &str = "Email";
/// The password field's label.
pub const PASSWORD: &str = "Password";
/// The sign-in button.
pub const SIGN_IN: &str = "Sign in";
/// The sign-in button while the server checks.
pub const SIGNING_IN: &str = "Signing in…";
/// The sign-out button.
pub const SIGN_OUT: &str = "Sign out";
/// Shown while the session is read.
pub const LOADING: &str = "Loading…";
/// The campaigns page's heading.
pub const CAMPAIGNS: &str = "Campaigns";
/// The campaign table's column headings.
pub const TITLE: &str = "Title";
/// The slug column.
pub const SLUG: &str = "Slug";
/// The status column.
pub const STATUS: &str = "Status";
/// The campaign list when there are none.
pub const NO_CAMPAIGNS: &str = "No campaigns yet.";
/// Said when the server cannot be reached.
pub const NETWORK_ERROR: &str =
    "The server could not be reached. Check your connection and try again.";
/// Said when an answer cannot be read.
pub const UNEXPECTED_ANSWER: &str =
    "The server answered something the console does not understand.";
