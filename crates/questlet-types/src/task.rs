//! Task types as the widget sees them: the kind and the settings that are safe to show.
//!
//! Each kind has a server-side verifier and a widget component. Secrets (secret codes, quiz
//! answers) live only in the server's private settings and never appear here.

use serde::{Deserialize, Serialize};

/// The type of a task. New task types are added as new variants, each with a verifier on the
/// server (`crates/questlet-server/src/tasks/`) and a component in the widget (`src/tasks/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// Open a link; completed when the user has visited it.
    VisitLink,
    /// Enter a code the partner published somewhere; checked on the server.
    SecretCode,
    /// Answer questions; answers are checked on the server and never sent to the browser.
    Quiz,
    /// Pick one of several options; any answer completes it.
    Poll,
    /// Fill in a form of named fields.
    Form,
    /// Completed by the partner's backend through the admin API (the user does it on the
    /// partner's own site or app).
    Api,
    /// Enter one of the partner's single-use invite codes; each is accepted once.
    InviteCode,
    /// Send a proof (text or a link); reviewed by the partner when the task asks for it.
    Custom,
    /// Solve a hashcash-style puzzle the server issues (in the browser, off the main thread).
    ProofOfWork,
    /// The server asks the partner's URL whether the user did it (a signed request).
    HttpRequest,
    /// Check in once a day; consecutive days make a streak.
    DailyCheckIn,
    /// Bring friends: done when enough users the user referred have completed a quest.
    Referral,
    /// Join a Telegram channel or group (checked with the Bot API's `getChatMember`).
    TelegramJoin,
    /// Boost a Telegram channel (checked with the Bot API's `getUserChatBoosts`).
    TelegramBoost,
    /// Join a Discord server (checked with Discord's guild member API).
    DiscordJoin,
    /// Follow an account on X (checked with the X API's following list).
    XFollow,
    /// Repost a post on X (checked with the X API's reposted-by list).
    XRepost,
    /// Subscribe to a YouTube channel (checked with the YouTube Data API).
    YoutubeSubscribe,
    /// Follow a TikTok account (checked with TikTok's Research API).
    TiktokFollow,
    /// Hold a chain's native coin (checked on the chain, like every on-chain task).
    NativeBalance,
    /// Hold an ERC-20 token.
    Erc20Balance,
    /// Own an ERC-721 token.
    Erc721Owner,
    /// Hold an ERC-1155 token.
    Erc1155Balance,
    /// Have sent some number of transactions.
    TransactionCount,
    /// Send a transaction to a contract (its receipt is checked on the chain).
    ContractTransaction,
}

// In catalogue order.
wire_names!(TaskKind {
    VisitLink => "visit_link",
    SecretCode => "secret_code",
    Quiz => "quiz",
    Poll => "poll",
    Form => "form",
    Api => "api",
    InviteCode => "invite_code",
    Custom => "custom",
    ProofOfWork => "proof_of_work",
    HttpRequest => "http_request",
    DailyCheckIn => "daily_check_in",
    Referral => "referral",
    TelegramJoin => "telegram_join",
    TelegramBoost => "telegram_boost",
    DiscordJoin => "discord_join",
    XFollow => "x_follow",
    XRepost => "x_repost",
    YoutubeSubscribe => "youtube_subscribe",
    TiktokFollow => "tiktok_follow",
    NativeBalance => "native_balance",
    Erc20Balance => "erc20_balance",
    Erc721Owner => "erc721_owner",
    Erc1155Balance => "erc1155_balance",
    TransactionCount => "transaction_count",
    ContractTransaction => "contract_transaction",
});

impl TaskKind {
    /// Whether the task is checked on a chain, in the user's wallet.
    pub fn needs_wallet(self) -> bool {
        matches!(
            self,
            TaskKind::NativeBalance
                | TaskKind::Erc20Balance
                | TaskKind::Erc721Owner
                | TaskKind::Erc1155Balance
                | TaskKind::TransactionCount
                | TaskKind::ContractTransaction
        )
    }
}

/// What a custom task's proof is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProofKind {
    /// Free text (up to 2,000 characters).
    Text,
    /// An absolute `http(s)` link.
    Url,
}

wire_names!(ProofKind {
    Text => "text",
    Url => "url",
});

/// The part of a task's settings that the widget may see, one shape per kind. Social tasks
/// (`telegram_join`, `x_follow`, ...) show as `visit_link`: the link to open; their checks
/// and credentials stay on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TaskPublicSettings {
    /// The link to open.
    VisitLink {
        /// Absolute `http(s)` URL the user is sent to.
        url: String,
    },
    /// A code field; the expected code stays on the server.
    SecretCode {
        /// Placeholder text for the input.
        placeholder: String,
    },
    /// The questions and their options, without the correct answers.
    Quiz {
        /// The questions, in order.
        questions: Vec<QuizQuestion>,
    },
    /// The poll's question and options.
    Poll {
        /// The question asked.
        question: String,
        /// The options offered.
        options: Vec<String>,
    },
    /// The form's fields.
    Form {
        /// The fields, in order.
        fields: Vec<FormField>,
    },
    /// Nothing to enter: the partner's backend reports the completion.
    Api {},
    /// A code field; the pool of codes stays on the server.
    InviteCode {
        /// Placeholder text for the input.
        placeholder: String,
    },
    /// A button that fetches a puzzle and solves it; the difficulty comes with the puzzle.
    ProofOfWork {},
    /// A button that asks the server to check with the partner; the URL stays on the server.
    HttpRequest {},
    /// A check-in button.
    DailyCheckIn {},
    /// The user's referral link (in `user.referral_link`) and a check button.
    Referral {
        /// How many referred users the task needs.
        count: u32,
    },
    /// A proof field.
    Custom {
        /// What the proof is.
        proof: ProofKind,
        /// Placeholder text for the input.
        placeholder: String,
    },
    /// A check button: the user's wallet must hold the chain's coin (the threshold stays
    /// on the server, as with every on-chain check).
    NativeBalance {},
    /// A check button: the user's wallet must hold an ERC-20 token.
    Erc20Balance {},
    /// A check button: the user's wallet must own an ERC-721 token.
    Erc721Owner {},
    /// A check button: the user's wallet must hold an ERC-1155 token.
    Erc1155Balance {},
    /// A check button: the user's wallet must have sent transactions.
    TransactionCount {},
    /// A transaction to send (when `data` is given) and a field for its hash.
    ContractTransaction {
        /// The chain's EIP-155 id.
        chain: u64,
        /// The contract's address.
        contract: String,
        /// The call data to send (hex); none: the user sends it elsewhere.
        data: Option<String>,
        /// The value to send with it, in wei (decimal).
        value: String,
    },
}

/// One quiz question as the widget shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuizQuestion {
    /// The question text.
    pub text: String,
    /// The options offered, in order.
    pub options: Vec<String>,
}

/// One form field as the widget shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormField {
    /// The key the answer is stored under (`[a-z0-9_-]`, unique within the form).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[a-z0-9]([a-z0-9_-]{0,62}[a-z0-9])?$")
    )]
    pub name: String,
    /// The label shown beside the input.
    pub label: String,
    /// Whether an empty answer is rejected.
    pub required: bool,
}
