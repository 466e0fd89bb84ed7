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
/// The new-campaign form's heading.
pub const NEW_CAMPAIGN: &str = "New campaign";
/// The template picker's label.
pub const TEMPLATE: &str = "Start from";
/// The new-campaign button.
pub const CREATE: &str = "Create draft";
/// The publish button.
pub const PUBLISH: &str = "Publish";
/// The unpublish button.
pub const UNPUBLISH: &str = "Unpublish";
/// Heads the list of what someone else changed when a save is refused.
pub const CONFLICT: &str =
    "Someone else saved this campaign since you opened it, so your change was not saved. They changed:";
/// Continues from the other person's version.
pub const LOAD_THEIRS: &str = "Continue from their version";
/// The quests section's heading.
pub const QUESTS: &str = "Quests";
/// The new-quest form's heading.
pub const NEW_QUEST: &str = "New quest with a secret code";
/// The new quest's title field.
pub const QUEST_TITLE: &str = "Quest title";
/// The new task's title field.
pub const TASK_TITLE: &str = "Task title";
/// The secret-code field.
pub const SECRET_CODE: &str = "Secret code (never sent to the browser)";
/// The points field.
pub const POINTS: &str = "Points";
/// The new-quest button.
pub const ADD_QUEST: &str = "Add quest";
/// The embed section's heading.
pub const EMBED: &str = "Embed";
/// Explains the snippet.
pub const EMBED_HELP: &str =
    "Paste this where the quests should appear on your page. Allow your page's origin below.";
/// The copy button.
pub const COPY: &str = "Copy snippet";
/// The copy button once copied.
pub const COPIED: &str = "Copied";
/// The allowed origins field.
pub const ALLOWED_ORIGINS: &str = "Allowed origins (one per line, e.g. https://example.com)";
/// Saves the allowed origins.
pub const SAVE_ORIGINS: &str = "Save origins";

/// A changed title, for the conflict list.
pub fn changed_title(before: &str, after: &str) -> String {
    format!("Title: “{before}” → “{after}”")
}

/// A changed status, for the conflict list.
pub fn changed_status(before: &str, after: &str) -> String {
    format!("Status: {before} → {after}")
}

/// An edited description, for the conflict list.
pub const CHANGED_DESCRIPTION: &str = "Description edited";

/// Changed allowed origins, for the conflict list.
pub fn changed_origins(before: &str, after: &str) -> String {
    format!("Allowed origins: {before} → {after}")
}

/// No allowed origins, for the conflict list.
pub const NO_ORIGINS: &str = "none";

/// A quest added, edited or removed, for the conflict list.
pub fn changed_quest(change: QuestChange, title: &str) -> String {
    let what = match change {
        QuestChange::Added => "Quest added",
        QuestChange::Edited => "Quest edited",
        QuestChange::Removed => "Quest removed",
    };
    format!("{what}: “{title}”")
}

/// What happened to a quest between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestChange {
    /// It is new.
    Added,
    /// It is there in both, different.
    Edited,
    /// It is gone.
    Removed,
}
