//! The widget's words, in English and German, chosen by `data-lang` or the browser.

/// A supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English (the default).
    En,
    /// German.
    De,
}

/// A piece of interface text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// "Locked"
    Locked,
    /// "Available"
    Available,
    /// "Completed"
    Completed,
    /// "Back to quests"
    Back,
    /// "Submit"
    Submit,
    /// "Open link"
    OpenLink,
    /// "Log in to complete tasks."
    LoginRequired,
    /// "Your session has expired. Log in again."
    TokenExpired,
    /// "Quest completed!"
    QuestCompleted,
    /// "Campaign completed!"
    CampaignCompleted,
    /// "Close"
    Close,
    /// "Try again"
    TryAgain,
    /// "The quests could not be loaded"
    LoadFailed,
    /// "Your progress could not be refreshed"
    RefreshFailed,
    /// "This widget is misconfigured"
    Misconfigured,
    /// "You earned"
    YouEarned,
    /// "Starts in"
    StartsIn,
    /// "Ends in"
    EndsIn,
    /// "Ended"
    Ended,
    /// "Again in"
    AgainIn,
    /// "Completes by itself once you do it on our site"
    ByPartner,
    /// "Waiting for review"
    InReview,
    /// "Not accepted"
    NotAccepted,
    /// "Solve the puzzle"
    Solve,
    /// "Check"
    Check,
    /// "Check in"
    CheckIn,
    /// "Your referral link"
    YourLink,
    /// "Transaction hash (0x…)"
    TransactionHash,
    /// "Leaderboard"
    Leaderboard,
    /// "Rewards"
    Rewards,
    /// "All time"
    AllTime,
    /// "This week"
    ThisWeek,
    /// "This month"
    ThisMonth,
    /// "Claim"
    Claim,
    /// "Claimed"
    Claimed,
    /// "Copy"
    Copy,
    /// "None left"
    NoneLeft,
    /// "Rank" (a reward's condition: hold this rank)
    Rank,
    /// "Top" (a reward's condition: be among the first N)
    Top,
    /// "Complete" (a reward's condition: complete this quest)
    Complete,
    /// "No one has points yet"
    NoOneYet,
    /// "Unlocks after" (a locked quest's card: the quests to complete first)
    UnlocksAfter,
    /// "No quests here yet. Check back soon."
    NoQuests,
    /// "Quests" (the launcher button's name)
    Quests,
}

impl Lang {
    /// The language for a `data-lang` value or the browser's language; English otherwise.
    pub fn choose(requested: Option<&str>) -> Lang {
        let browser = web_sys::window().and_then(|w| w.navigator().language());
        let code = requested.map(str::to_owned).or(browser).unwrap_or_default();
        match code.to_ascii_lowercase().split(['-', '_']).next() {
            Some("de") => Lang::De,
            _ => Lang::En,
        }
    }

    /// The text in this language.
    pub fn t(self, text: Text) -> &'static str {
        use Text::*;
        match (self, text) {
            (Lang::En, Locked) => "Locked",
            (Lang::En, Available) => "Available",
            (Lang::En, Completed) => "Completed",
            (Lang::En, Back) => "Back to quests",
            (Lang::En, Submit) => "Submit",
            (Lang::En, OpenLink) => "Open link",
            (Lang::En, LoginRequired) => "Log in to complete tasks.",
            (Lang::En, TokenExpired) => "Your session has expired. Log in again.",
            (Lang::En, QuestCompleted) => "Quest completed!",
            (Lang::En, CampaignCompleted) => "Campaign completed!",
            (Lang::En, Close) => "Close",
            (Lang::En, TryAgain) => "Try again",
            (Lang::En, LoadFailed) => "The quests could not be loaded",
            (Lang::En, RefreshFailed) => "Your progress could not be refreshed",
            (Lang::En, Misconfigured) => "This widget is misconfigured",
            (Lang::En, YouEarned) => "You earned",
            (Lang::En, StartsIn) => "Starts in",
            (Lang::En, EndsIn) => "Ends in",
            (Lang::En, Ended) => "Ended",
            (Lang::En, AgainIn) => "Again in",
            (Lang::En, ByPartner) => "Completes by itself once you do it on our site",
            (Lang::En, InReview) => "Waiting for review",
            (Lang::En, NotAccepted) => "Not accepted",
            (Lang::En, Solve) => "Solve the puzzle",
            (Lang::En, Check) => "Check",
            (Lang::En, CheckIn) => "Check in",
            (Lang::En, YourLink) => "Your referral link",
            (Lang::En, TransactionHash) => "Transaction hash (0x…)",
            (Lang::En, Leaderboard) => "Leaderboard",
            (Lang::En, Rewards) => "Rewards",
            (Lang::En, AllTime) => "All time",
            (Lang::En, ThisWeek) => "This week",
            (Lang::En, ThisMonth) => "This month",
            (Lang::En, Claim) => "Claim",
            (Lang::En, Claimed) => "Claimed",
            (Lang::En, Copy) => "Copy",
            (Lang::En, NoneLeft) => "None left",
            (Lang::En, Rank) => "Rank",
            (Lang::En, Top) => "Top",
            (Lang::En, Complete) => "Complete",
            (Lang::En, NoOneYet) => "No one has points yet",
            (Lang::En, UnlocksAfter) => "Unlocks after",
            (Lang::En, NoQuests) => "No quests here yet. Check back soon.",
            (Lang::En, Quests) => "Quests",
            (Lang::De, Locked) => "Gesperrt",
            (Lang::De, Available) => "Verfügbar",
            (Lang::De, Completed) => "Abgeschlossen",
            (Lang::De, Back) => "Zurück zu den Quests",
            (Lang::De, Submit) => "Senden",
            (Lang::De, OpenLink) => "Link öffnen",
            (Lang::De, LoginRequired) => "Melde dich an, um Aufgaben zu erledigen.",
            (Lang::De, TokenExpired) => "Deine Sitzung ist abgelaufen. Melde dich erneut an.",
            (Lang::De, QuestCompleted) => "Quest abgeschlossen!",
            (Lang::De, CampaignCompleted) => "Kampagne abgeschlossen!",
            (Lang::De, Close) => "Schließen",
            (Lang::De, TryAgain) => "Erneut versuchen",
            (Lang::De, LoadFailed) => "Die Quests konnten nicht geladen werden",
            (Lang::De, RefreshFailed) => "Dein Fortschritt konnte nicht aktualisiert werden",
            (Lang::De, Misconfigured) => "Dieses Widget ist falsch eingerichtet",
            (Lang::De, YouEarned) => "Du hast erhalten",
            (Lang::De, StartsIn) => "Beginnt in",
            (Lang::De, EndsIn) => "Endet in",
            (Lang::De, Ended) => "Beendet",
            (Lang::De, AgainIn) => "Wieder in",
            (Lang::De, ByPartner) => "Wird abgeschlossen, sobald du es auf unserer Seite erledigst",
            (Lang::De, InReview) => "Wird geprüft",
            (Lang::De, NotAccepted) => "Nicht angenommen",
            (Lang::De, Solve) => "Rätsel lösen",
            (Lang::De, Check) => "Prüfen",
            (Lang::De, CheckIn) => "Einchecken",
            (Lang::De, YourLink) => "Dein Einladungslink",
            (Lang::De, TransactionHash) => "Transaktions-Hash (0x…)",
            (Lang::De, Leaderboard) => "Bestenliste",
            (Lang::De, Rewards) => "Belohnungen",
            (Lang::De, AllTime) => "Gesamt",
            (Lang::De, ThisWeek) => "Diese Woche",
            (Lang::De, ThisMonth) => "Dieser Monat",
            (Lang::De, Claim) => "Einlösen",
            (Lang::De, Claimed) => "Eingelöst",
            (Lang::De, Copy) => "Kopieren",
            (Lang::De, NoneLeft) => "Keine mehr übrig",
            (Lang::De, Rank) => "Rang",
            (Lang::De, Top) => "Top",
            (Lang::De, Complete) => "Abschließen",
            (Lang::De, NoOneYet) => "Noch hat niemand Punkte",
            (Lang::De, UnlocksAfter) => "Freigeschaltet nach",
            (Lang::De, NoQuests) => "Hier gibt es noch keine Quests. Schau bald wieder vorbei.",
            (Lang::De, Quests) => "Quests",
        }
    }
}
