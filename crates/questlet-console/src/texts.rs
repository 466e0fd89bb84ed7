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

/// The header's navigation, for screen readers.
pub const NAVIGATION: &str = "Console";
/// The review queue's name.
pub const REVIEW: &str = "Review";
/// The team page's name.
pub const TEAM: &str = "Team";
/// The credentials page's name.
pub const CREDENTIALS: &str = "Credentials";

/// The warning beside a secret shown once.
pub const SECRET_ONCE: &str =
    "Copy this secret now and keep it somewhere safe: it is shown only this once, and anyone who has it acts as your organization.";
/// Copies a secret.
pub const COPY_SECRET: &str = "Copy secret";
/// Hides a secret for good.
pub const SECRET_STORED: &str = "I have stored it";

/// The texts of one kind of credential's section.
#[derive(Debug, Clone, Copy)]
pub struct CredentialTexts {
    /// A key for the section's element ids.
    pub key: &'static str,
    /// The heading.
    pub title: &'static str,
    /// What the credential is for.
    pub help: &'static str,
    /// The create button.
    pub create: &'static str,
    /// The id column.
    pub id: &'static str,
    /// Said when there are none.
    pub none: &'static str,
}

/// API tokens.
pub const API_TOKENS: CredentialTexts = CredentialTexts {
    key: "tokens",
    title: "API tokens",
    help: "For your backend: it goes in the admin API's Authorization header (Bearer). Never put it in a web page.",
    create: "Create token",
    id: "Token id",
    none: "No API tokens yet.",
};
/// OAuth2 clients.
pub const OAUTH_CLIENTS: CredentialTexts = CredentialTexts {
    key: "clients",
    title: "OAuth2 clients",
    help: "For services that get short-lived access tokens from /oauth2/token with the client-credentials grant.",
    create: "Create client",
    id: "Client id",
    none: "No OAuth2 clients yet.",
};
/// A credential's label.
pub const LABEL: &str = "Label";
/// The creation time column.
pub const CREATED: &str = "Created";
/// The last use column.
pub const LAST_USED: &str = "Last used";
/// A credential never used.
pub const NEVER: &str = "never";
/// Revokes a credential.
pub const REVOKE: &str = "Revoke";
/// Removes an endpoint or a member.
pub const REMOVE: &str = "Remove";
/// The actions column, for screen readers.
pub const ACTIONS: &str = "Actions";

/// A revoked credential's status.
pub fn revoked_at(when: &str) -> String {
    format!("Revoked {when}")
}

/// The revoke button, armed.
pub fn confirm_revoke(label: &str) -> String {
    format!("Click again to revoke “{label}”")
}

/// The remove button, armed.
pub fn confirm_remove(what: &str) -> String {
    format!("Click again to remove {what}")
}

/// The webhooks section's heading.
pub const WEBHOOKS: &str = "Webhooks";
/// What webhooks do.
pub const WEBHOOKS_HELP: &str =
    "Questlet POSTs each event to your URL, signed as Standard Webhooks specifies; verify it with the signing secret.";
/// No endpoints.
pub const NO_WEBHOOKS: &str = "No webhook endpoints yet.";
/// The URL field and column.
pub const URL: &str = "URL";
/// The events field and column.
pub const EVENTS: &str = "Events";
/// The campaign field and column.
pub const CAMPAIGN: &str = "Campaign";
/// Events of every campaign.
pub const ALL_CAMPAIGNS: &str = "All campaigns";
/// An endpoint that gets events.
pub const ENABLED: &str = "enabled";
/// An endpoint that gets none.
pub const DISABLED: &str = "disabled";
/// The description field.
pub const DESCRIPTION: &str = "Description (optional)";
/// Adds an endpoint.
pub const ADD_WEBHOOK: &str = "Add endpoint";
/// An endpoint without events.
pub const CHOOSE_EVENTS: &str = "Choose at least one event.";

/// The name field and column.
pub const NAME: &str = "Name";
/// The role field and column.
pub const ROLE: &str = "Role";
/// When a member was added.
pub const ADDED: &str = "Added";
/// What the roles may do.
pub const ROLES_HELP: &str =
    "Owners manage everything, credentials and the team included; editors build campaigns; reviewers review submissions.";
/// The add-member form.
pub const ADD_MEMBER: &str = "Add member";
/// A new member's first password.
pub const FIRST_PASSWORD: &str = "First password (12 characters or more; share it privately)";

/// A member added.
pub fn member_added(name: &str, email: &str) -> String {
    format!("{name} ({email}) can now sign in.")
}

/// A submission state filter.
pub const PENDING: &str = "Pending";
/// A submission state filter.
pub const APPROVED: &str = "Approved";
/// A submission state filter.
pub const REJECTED: &str = "Rejected";
/// No filter.
pub const ALL: &str = "All";
/// The quest filter.
pub const QUEST: &str = "Quest";
/// The keyboard shortcuts.
pub const REVIEW_KEYS: &str =
    "Keys: j / k or ↓ / ↑ move between proofs, x selects, a approves, r rejects.";
/// The queue, for screen readers.
pub const SUBMISSIONS: &str = "Submissions";
/// An empty queue.
pub const NOTHING_TO_REVIEW: &str = "Nothing here to review.";
/// A proof's message field.
pub const MESSAGE_TO_USER: &str = "Message to the user";
/// The bulk message field.
pub const MESSAGE_TO_USERS: &str = "Message to the users";
/// Approves a proof.
pub const APPROVE: &str = "Approve";
/// Rejects a proof.
pub const REJECT: &str = "Reject";
/// Approves the selected proofs.
pub const APPROVE_SELECTED: &str = "Approve selected";
/// Rejects the selected proofs.
pub const REJECT_SELECTED: &str = "Reject selected";
/// The bulk actions, for screen readers.
pub const BULK: &str = "Selected proofs";

/// How many proofs are selected.
pub fn selected(count: usize) -> String {
    match count {
        1 => "1 proof selected".to_owned(),
        n => format!("{n} proofs selected"),
    }
}

/// A proof's checkbox, for screen readers.
pub fn select_proof(account: &str) -> String {
    format!("Select the proof of {account}")
}

/// When a proof was decided.
pub fn decided_at(when: &str) -> String {
    format!("Decided {when}")
}

/// What a review did.
pub fn reviewed(
    decision: questlet_types::partner::ReviewDecision,
    count: usize,
    skipped: &[String],
) -> String {
    let verb = match decision {
        questlet_types::partner::ReviewDecision::Approve => "Approved",
        questlet_types::partner::ReviewDecision::Reject => "Rejected",
    };
    let mut said = format!("{verb} {count}.");
    if !skipped.is_empty() {
        said += &format!(" Skipped {}: {}", skipped.len(), skipped.join("; "));
    }
    said
}

/// The campaign file section's heading.
pub const CAMPAIGN_FILE: &str = "Campaign file";
/// What export and import do.
pub const CAMPAIGN_FILE_HELP: &str =
    "Export the campaign as JSON (the document the API reads and writes), or import one to replace this campaign's content.";
/// Downloads the campaign document.
pub const EXPORT: &str = "Export JSON";
/// Replaces the campaign from a file.
pub const IMPORT: &str = "Import JSON";
/// The download could not be made.
pub const EXPORT_FAILED: &str = "The browser refused to make the download.";
/// The chosen file could not be read.
pub const IMPORT_UNREADABLE: &str = "The file could not be read.";

/// The chosen file is not a campaign document.
pub fn import_invalid(reason: &str) -> String {
    format!("This file is not a campaign document: {reason}")
}

/// The preview section's heading.
pub const PREVIEW: &str = "Preview";
/// What the preview shows.
pub const PREVIEW_HELP: &str =
    "The real widget as a signed-out visitor sees this campaign (drafts too, only for your team), refreshed after each save.";
/// The light preview frame's title.
pub const PREVIEW_LIGHT: &str = "Preview in the light theme";
/// The dark preview frame's title.
pub const PREVIEW_DARK: &str = "Preview in the dark theme";

/// The results page's name.
pub const RESULTS: &str = "Results";
/// Back from the results to the campaign.
pub const BACK_TO_CAMPAIGN: &str = "← Back to the campaign";

/// The results page's heading.
pub fn results_of(slug: &str) -> String {
    format!("Results of {slug}")
}

/// Users who took part.
pub const PARTICIPANTS: &str = "Participants";
/// Task completions.
pub const COMPLETIONS: &str = "Completions";
/// The per-day chart's heading.
pub const PER_DAY: &str = "Last 30 days";
/// The funnel's heading.
pub const FUNNEL: &str = "Quests: opened, started and completed";
/// Downloads the participants.
pub const EXPORT_PARTICIPANTS: &str = "Download participants (CSV)";
/// Downloads the completions.
pub const EXPORT_COMPLETIONS: &str = "Download completions (CSV)";
/// The top users' heading.
pub const TOP_USERS: &str = "Top users";
/// Nobody has done anything yet.
pub const NOBODY_YET: &str = "Nobody has completed a task yet.";
/// A leaderboard place.
pub const PLACE: &str = "Place";
/// A user column.
pub const USER: &str = "User";
/// The activity feed's heading.
pub const ACTIVITY: &str = "Latest activity";
/// Shows the chart's numbers as a table.
pub const AS_TABLE: &str = "Show as a table";
/// A day column.
pub const DAY: &str = "Day";
/// Signed-in users who opened a quest.
pub const OPENED: &str = "Opened";
/// Users who started a quest.
pub const STARTED: &str = "Started";
/// Users who completed a quest.
pub const COMPLETED: &str = "Completed";
/// The share column, for screen readers.
pub const SHARE_COMPLETED: &str = "Share completed";
/// When an attempt happened.
pub const WHEN: &str = "When";
/// A task column.
pub const TASK: &str = "Task";
/// An attempt's outcome.
pub const OUTCOME: &str = "Outcome";
/// The Google Analytics client id column.
pub const GA_CLIENT_ID: &str = "GA client id";

/// The per-day chart's title.
pub fn chart_title(first: &str, last: &str) -> String {
    format!("Completions (bars) and participants (line) per day, {first} to {last}")
}

/// A quest's share of starters who completed it.
pub fn share_completed(share: f64) -> String {
    format!("{:.0}% of those who started completed it", share * 100.0)
}

/// Opens a quest's editor.
pub const EDIT: &str = "Edit";
/// Closes a quest's editor.
pub const CLOSE: &str = "Close";
/// The quest editor's heading.
pub fn editing_quest(title: &str) -> String {
    format!("Edit quest “{title}”")
}
/// The tasks section of the quest editor.
pub const TASKS: &str = "Tasks";
/// How tasks are ordered.
pub const TASKS_HELP: &str =
    "Drag a task, or use its arrows, to change the order the widget shows them in.";
/// A new task's title.
pub const NEW_TASK: &str = "New task";
/// The new task's type picker.
pub const NEW_TASK_KIND: &str = "New task of type";
/// Adds a task.
pub const ADD_TASK: &str = "Add task";
/// Saves the quest.
pub const SAVE_QUEST: &str = "Save quest";
/// The quest cannot be read as a quest (a setting of the wrong kind).
pub fn not_a_quest(reason: &str) -> String {
    format!("This quest cannot be saved as it is: {reason}")
}
/// The description field.
pub const DESCRIPTION_MARKDOWN: &str = "Description (Markdown)";
/// Shows the description as the widget will.
pub const PREVIEW_MARKDOWN: &str = "Preview description";
/// The description preview, for screen readers.
pub const MARKDOWN_PREVIEW: &str = "Description preview";
/// An optional image's address.
pub const IMAGE_URL: &str = "Image URL (optional)";
/// The campaign settings' heading.
pub const CAMPAIGN_SETTINGS: &str = "Campaign settings";
/// What the campaign settings hold.
pub const CAMPAIGN_SETTINGS_HELP: &str =
    "The campaign's title, description, image and schedule, what its points are called, its time zone and its intro pop-up.";
/// The campaign's title field.
pub const CAMPAIGN_TITLE: &str = "Campaign title";
/// The points' name field.
pub const POINTS_NAME: &str = "What the points are called (e.g. XP)";
/// The time zone field.
pub const TIME_ZONE: &str =
    "Time zone (IANA, e.g. UTC or Europe/Berlin): daily and weekly tasks turn over at its midnight";
/// The referral link field.
pub const REFERRAL_URL: &str = "Where referral links point (optional; the page the widget is on)";
/// Whether the campaign has an intro pop-up.
pub const HAS_INTRO: &str = "Show an intro pop-up on a user's first visit";
/// The intro pop-up's title field.
pub const INTRO_TITLE: &str = "Pop-up title";
/// The intro pop-up's text field.
pub const INTRO_BODY: &str = "Pop-up text (Markdown)";
/// Saves the campaign settings.
pub const SAVE_SETTINGS: &str = "Save settings";
/// The settings cannot be read as a campaign's (a value of the wrong kind).
pub fn not_settings(reason: &str) -> String {
    format!("These settings cannot be saved as they are: {reason}")
}
/// When the item opens.
pub const STARTS_AT: &str = "Opens at (UTC, optional)";
/// When the item closes.
pub const ENDS_AT: &str = "Closes at (UTC, optional)";
/// The prerequisites.
pub const PREREQUISITES: &str = "Unlocked after completing";
/// A task type this console has no form for.
pub const UNKNOWN_TASK_TYPE: &str = "This task's type has no form here; it is kept as it is.";
/// Moves a task up.
pub fn move_up(title: &str) -> String {
    format!("Move “{title}” up")
}
/// Moves a task down.
pub fn move_down(title: &str) -> String {
    format!("Move “{title}” down")
}
/// Whether the quest needs a task.
pub const REQUIRED: &str = "Required to complete the quest";
/// A task's settings.
pub const SETTINGS: &str = "Settings";
/// After an optional setting's name.
pub const OPTIONAL: &str = " (optional)";
/// A JSON setting that is not JSON yet.
pub const NOT_JSON: &str = "Not valid JSON yet: the last valid value is kept.";
/// How quests are ordered and edited.
pub const QUESTS_HELP: &str =
    "Drag a quest, or use its arrows, to reorder it within its group; Edit opens its tasks and settings.";
/// A group's title field.
pub const GROUP: &str = "Group";
/// Saves a group's title.
pub const RENAME: &str = "Rename";
/// The new group's title field.
pub const NEW_GROUP: &str = "New group";
/// Adds a group.
pub const ADD_GROUP: &str = "Add group";
