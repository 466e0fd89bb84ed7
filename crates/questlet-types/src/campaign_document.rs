//! Campaign as code: one JSON document holding a whole campaign, for the admin API's import
//! and export. It carries the tasks' full settings, secrets included, so it is only ever
//! exchanged with the organization's own credential, never with the widget.

use serde::{Deserialize, Serialize};

use crate::recurrence::Recurrence;
use crate::rewards::{RankDocument, RewardDocument};
use crate::task::{FormField, ProofKind, TaskKind, TaskPublicSettings};

/// A whole campaign: its settings, groups, quests and tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignDocument {
    /// URL-safe identifier, unique within the organization (`[a-z0-9-]`, 1–64 characters).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")
    )]
    pub slug: String,
    /// Title shown in the widget's header.
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
    pub title: String,
    /// Description in Markdown; sanitized when rendered.
    #[serde(default)]
    pub description: String,
    /// Optional header image URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Start time, Unix seconds.
    #[serde(default, deserialize_with = "crate::whole_number::option_i64")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_i64)
    )]
    pub starts_at: Option<i64>,
    /// End time, Unix seconds.
    #[serde(default, deserialize_with = "crate::whole_number::option_i64")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_i64)
    )]
    pub ends_at: Option<i64>,
    /// `draft`, `published` or `ended`.
    pub status: CampaignStatus,
    /// What the campaign calls its points.
    #[serde(default = "default_points_name")]
    pub points_name: String,
    /// The IANA time zone (`Europe/Berlin`) whose midnights turn daily and weekly tasks over;
    /// `UTC` when absent.
    #[serde(default = "default_time_zone")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$")
    )]
    pub time_zone: String,
    /// Origins allowed to embed the widget (`https://example.com`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = Vec<Origin>))]
    pub allowed_origins: Vec<String>,
    /// The intro pop-up a user sees on their first visit; none when absent.
    #[serde(default)]
    pub intro: Option<PopupDocument>,
    /// Where referral links point (the page the widget is on, absolute `http(s)`): a
    /// user's link is this URL with `ql_ref=<their code>` added. Absent: the first allowed
    /// origin that is not a pattern, then none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^https?://.+"))]
    pub referral_url: Option<String>,
    /// Named levels by points, ascending by `min_points` (`{{rank}}` in texts, the widget's
    /// header); none when absent.
    #[serde(default)]
    pub ranks: Vec<RankDocument>,
    /// What users can claim, in display order.
    #[serde(default)]
    pub rewards: Vec<RewardDocument>,
    /// The groups, in display order.
    pub groups: Vec<GroupDocument>,
}

/// A pop-up's content as the partner writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PopupDocument {
    /// Headline.
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
    pub title: String,
    /// Body in Markdown; sanitized when rendered.
    #[serde(default)]
    pub body: String,
}

/// An origin allowed to embed the widget: scheme and host (and port), no path.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(pattern = "^https?://[^/]+/?$")]
#[allow(dead_code)]
struct Origin(String);

/// A slug (`[a-z0-9-]`, 1–64 characters, not starting or ending with `-`).
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")]
#[allow(dead_code)]
struct Slug(String);

fn default_points_name() -> String {
    "Points".to_owned()
}

fn default_time_zone() -> String {
    "UTC".to_owned()
}

/// A campaign's lifecycle state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    /// Being edited; invisible to the widget.
    Draft,
    /// Live: the widget shows it.
    Published,
    /// Over: visible, but no new completions.
    Ended,
}

wire_names!(CampaignStatus {
    Draft => "draft",
    Published => "published",
    Ended => "ended",
});

/// A group of quests (a tab).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GroupDocument {
    /// Stable key within the document (a slug, unique among the campaign's groups).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")
    )]
    pub key: String,
    /// Tab title.
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
    pub title: String,
    /// The quests, in display order.
    pub quests: Vec<QuestDocument>,
}

/// A quest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuestDocument {
    /// Stable key within the document (a slug, unique among the campaign's quests);
    /// prerequisites refer to quests by key.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")
    )]
    pub key: String,
    /// Quest title.
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
    pub title: String,
    /// Description in Markdown.
    #[serde(default)]
    pub description: String,
    /// Optional card image URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Keys of other quests of the campaign that must be completed first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = Vec<Slug>))]
    pub prerequisites: Vec<String>,
    /// When the quest opens, Unix seconds: before it, none of its tasks can be completed.
    #[serde(default, deserialize_with = "crate::whole_number::option_i64")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_i64)
    )]
    pub starts_at: Option<i64>,
    /// When the quest closes, Unix seconds: from then on, none of its tasks can be completed.
    #[serde(default, deserialize_with = "crate::whole_number::option_i64")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_i64)
    )]
    pub ends_at: Option<i64>,
    /// The tasks, in order.
    pub tasks: Vec<TaskDocument>,
}

/// A task with its full settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskDocument {
    /// Stable key within the quest (a slug, unique among the quest's tasks).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")
    )]
    pub key: String,
    /// Task title.
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
    pub title: String,
    /// Description in Markdown.
    #[serde(default)]
    pub description: String,
    /// Points awarded on completion (0 to 1,000,000).
    #[serde(default, deserialize_with = "crate::whole_number::i64")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000))]
    pub points: i64,
    /// Whether the quest needs this task (default: yes).
    #[serde(default = "default_required")]
    pub required: bool,
    /// Percent of `points` a completion awards (0 to 10,000; default 100): 200 doubles them.
    #[serde(
        default = "default_multiplier",
        deserialize_with = "crate::whole_number::i64"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10_000))]
    pub points_multiplier_pct: i64,
    /// How often a user may complete it (default: once).
    #[serde(default)]
    pub recurrence: Recurrence,
    /// Shown to the user when an attempt completes it (plain text; the widget's own words
    /// when empty).
    #[serde(default)]
    pub completion_message: String,
    /// Shown to the user when an attempt fails, before the reason (plain text).
    #[serde(default)]
    pub failure_message: String,
    /// When the task opens, Unix seconds.
    #[serde(default, deserialize_with = "crate::whole_number::option_i64")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_i64)
    )]
    pub starts_at: Option<i64>,
    /// When the task closes, Unix seconds.
    #[serde(default, deserialize_with = "crate::whole_number::option_i64")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 253_402_300_799_i64)
    )]
    pub ends_at: Option<i64>,
    /// The type and its settings, secrets included.
    pub config: TaskConfig,
}

fn default_required() -> bool {
    true
}

fn default_multiplier() -> i64 {
    100
}

impl TaskDocument {
    /// The points one completion awards: `points` times the multiplier, rounded down.
    pub fn points_per_completion(&self) -> i64 {
        self.points.saturating_mul(self.points_multiplier_pct) / 100
    }
}

/// A task's full settings, one shape per kind; `type` names the kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum TaskConfig {
    /// Visit a link.
    VisitLink {
        /// Absolute `http(s)` URL.
        #[cfg_attr(feature = "openapi", schema(pattern = "^https?://.+"))]
        url: String,
    },
    /// Enter a secret code.
    SecretCode {
        /// The accepted code (compared case-insensitively, trimmed).
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        code: String,
        /// Placeholder text for the input.
        #[serde(default)]
        placeholder: String,
    },
    /// Answer a quiz.
    Quiz {
        /// The questions with their correct answers (at least one).
        #[cfg_attr(feature = "openapi", schema(min_items = 1))]
        questions: Vec<QuizQuestionConfig>,
    },
    /// Answer a poll.
    Poll {
        /// The question.
        question: String,
        /// The options (2 to 256).
        #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 256))]
        options: Vec<String>,
    },
    /// Fill in a form.
    Form {
        /// The fields (at least one; names unique).
        #[cfg_attr(feature = "openapi", schema(min_items = 1))]
        fields: Vec<FormField>,
    },
    /// Completed by the partner's backend:
    /// `POST /v1/campaigns/{campaign}/quests/{quest}/tasks/{task}/completions`.
    Api {},
    /// Enter one of the single-use codes uploaded with
    /// `POST /v1/campaigns/{campaign}/quests/{quest}/tasks/{task}/codes`: each is accepted
    /// once, and a user claims one (so the task is done once: its recurrence is `once`).
    InviteCode {
        /// Placeholder text for the input.
        #[serde(default)]
        placeholder: String,
    },
    /// Send a proof: text or a link. With `review`, the answer waits in the review queue
    /// (`GET /v1/campaigns/{campaign}/submissions`) until the partner approves it, and the
    /// task is done once (its recurrence is `once`); without, any proof of the right shape
    /// completes it.
    Custom {
        /// What the proof is.
        proof: ProofKind,
        /// Placeholder text for the input.
        #[serde(default)]
        placeholder: String,
        /// Whether the partner reviews each proof before it counts.
        #[serde(default)]
        review: bool,
    },
    /// Solve a puzzle: find a nonce such that SHA-256 of `"<prefix>:<nonce>"` starts with
    /// `difficulty` zero bits, for a prefix the server issues
    /// (`POST /v1/widget/{organization}/campaigns/{campaign}/tasks/{task}/challenge`). Each
    /// puzzle is for one user, used once, and expires after 10 minutes. Each extra bit
    /// doubles the work: 18 takes a browser about half a second, 24 about half a minute.
    ProofOfWork {
        /// Leading zero bits the hash must have (8 to 32, default 18).
        #[serde(
            default = "default_difficulty",
            deserialize_with = "crate::whole_number::u32"
        )]
        #[cfg_attr(feature = "openapi", schema(minimum = 8, maximum = 32))]
        difficulty: u32,
    },
    /// The server asks the partner: it POSTs `{"type": "task.check", "timestamp": ...,
    /// "data": {"organization", "campaign", "quest", "task", "account", "platform"}}` to
    /// `url`, signed as Standard Webhooks are (headers `webhook-id`, `webhook-timestamp`,
    /// `webhook-signature`), and the task is done when the answer is a 2xx whose body is not
    /// `0`, `"0"` or `false`. Calls time out after 5 seconds and go only to public addresses
    /// unless the operator allows others (`--outbound-allow`).
    HttpRequest {
        /// Absolute `http(s)` URL of the partner's check.
        #[cfg_attr(feature = "openapi", schema(pattern = "^https?://.+"))]
        url: String,
        /// The signing secret, `whsec_` and 24 to 64 bytes in base64 (as Standard Webhooks
        /// libraries make them); it stays on the server.
        #[cfg_attr(
            feature = "openapi",
            schema(pattern = "^whsec_[A-Za-z0-9+/]{32,88}={0,2}$")
        )]
        secret: String,
    },
    /// Check in once a day (the task's recurrence must be `daily`): each check-in awards the
    /// points, and consecutive days, in the campaign's time zone, make a streak that a
    /// missed day resets. The widget shows the streak.
    DailyCheckIn {},
    /// Bring friends: done when `count` users the user referred (who arrived through the
    /// user's referral link) have completed quest `quest` of this campaign, or, without a
    /// quest, have arrived. A user is referred once, by someone else, before they have done
    /// anything in the organization. Done once (its recurrence is `once`).
    Referral {
        /// How many referred users it needs (1 to 1,000, default 1).
        #[serde(
            default = "default_count",
            deserialize_with = "crate::whole_number::u32"
        )]
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000))]
        count: u32,
        /// The key of the quest of this campaign that referred users must complete; none:
        /// arriving is enough.
        #[serde(default)]
        quest: Option<String>,
    },
    /// Join a Telegram channel or group. With `bot_token` (a bot that is an administrator
    /// there), a user signed in with platform `telegram` (account: their Telegram user id)
    /// is checked with the Bot API's `getChatMember`; without it, opening the link is
    /// enough.
    TelegramJoin {
        /// The link to the channel or group (`https://t.me/...`).
        #[cfg_attr(feature = "openapi", schema(pattern = "^https?://.+"))]
        url: String,
        /// The chat's id or `@username`.
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        chat: String,
        /// The partner's bot token; it stays on the server.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        bot_token: Option<String>,
    },
    /// Boost a Telegram channel. With `bot_token` (a bot that is an administrator of the
    /// channel), a user signed in with platform `telegram` is checked with the Bot API's
    /// `getUserChatBoosts` (at least one active boost); without it, opening the link is
    /// enough.
    TelegramBoost {
        /// The channel's boost link (`https://t.me/boost/...`).
        #[cfg_attr(feature = "openapi", schema(pattern = "^https?://.+"))]
        url: String,
        /// The channel's id or `@username`.
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        chat: String,
        /// The partner's bot token; it stays on the server.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        bot_token: Option<String>,
    },
    /// Join a Discord server. With `bot_token` (a bot in that server), a user signed in
    /// with platform `discord` (account: their Discord user id) is checked with
    /// `GET /guilds/{guild}/members/{user}`; without it, opening the link is enough.
    DiscordJoin {
        /// The invite link.
        #[cfg_attr(feature = "openapi", schema(pattern = "^https?://.+"))]
        url: String,
        /// The server's (guild's) id.
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        guild: String,
        /// The partner's bot token; it stays on the server.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        bot_token: Option<String>,
    },
    /// Follow an account on X. With `bearer_token`, a user signed in with platform `x`
    /// (account: their X user id) is checked with `GET /2/users/{id}/following`; without
    /// it, opening the link is enough.
    XFollow {
        /// The profile link.
        #[cfg_attr(feature = "openapi", schema(pattern = "^https?://.+"))]
        url: String,
        /// The X user id of the account to follow.
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        account: String,
        /// The partner's X API bearer token; it stays on the server.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        bearer_token: Option<String>,
    },
    /// Repost a post on X. With `bearer_token`, a user signed in with platform `x`
    /// (account: their X user id) is checked with `GET /2/tweets/{id}/retweeted_by`;
    /// without it, opening the link is enough.
    XRepost {
        /// The post's link.
        #[cfg_attr(feature = "openapi", schema(pattern = "^https?://.+"))]
        url: String,
        /// The post's id.
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        post: String,
        /// The partner's X API bearer token; it stays on the server.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        bearer_token: Option<String>,
    },
    /// Subscribe to a YouTube channel. With `api_key`, a user signed in with platform
    /// `youtube` (account: their channel id, subscriptions public) is checked with
    /// `GET /youtube/v3/subscriptions`; without it, opening the link is enough.
    YoutubeSubscribe {
        /// The channel's link.
        #[cfg_attr(feature = "openapi", schema(pattern = "^https?://.+"))]
        url: String,
        /// The channel's id (`UC...`).
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        channel: String,
        /// The partner's YouTube Data API key; it stays on the server.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        api_key: Option<String>,
    },
    /// Follow a TikTok account. With `access_token` (a Research API client token), a user
    /// signed in with platform `tiktok` (account: their username) is checked with
    /// `POST /v2/research/user/following/`; without it, opening the link is enough.
    TiktokFollow {
        /// The profile link.
        #[cfg_attr(feature = "openapi", schema(pattern = "^https?://.+"))]
        url: String,
        /// The username of the account to follow.
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        username: String,
        /// The partner's Research API access token; it stays on the server.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(pattern = "\\S"))]
        access_token: Option<String>,
    },
    /// Hold at least `min` of a chain's native coin (checked with `eth_getBalance`). Like
    /// every on-chain task, it checks the user's wallet: the account of a user signed in
    /// with platform `ethereum` (Sign-In with Ethereum), or the wallet linked to them.
    NativeBalance {
        /// The chain's EIP-155 id; the server must know it (`--evm-chain`).
        #[serde(deserialize_with = "crate::whole_number::u64")]
        chain: u64,
        /// The least balance, in wei.
        #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9]{1,78}$"))]
        min: TokenAmount,
    },
    /// Hold at least `min` of an ERC-20 token (its `balanceOf`).
    Erc20Balance {
        /// The chain's EIP-155 id; the server must know it (`--evm-chain`).
        #[serde(deserialize_with = "crate::whole_number::u64")]
        chain: u64,
        /// The token contract's address.
        #[cfg_attr(feature = "openapi", schema(pattern = "^0x[0-9a-fA-F]{40}$"))]
        token: String,
        /// The least balance, in the token's smallest unit.
        #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9]{1,78}$"))]
        min: TokenAmount,
    },
    /// Own a token of an ERC-721 collection: any (its `balanceOf` is at least one), or the
    /// one with `token_id` (its `ownerOf`).
    Erc721Owner {
        /// The chain's EIP-155 id; the server must know it (`--evm-chain`).
        #[serde(deserialize_with = "crate::whole_number::u64")]
        chain: u64,
        /// The collection contract's address.
        #[cfg_attr(feature = "openapi", schema(pattern = "^0x[0-9a-fA-F]{40}$"))]
        collection: String,
        /// The token the user must own; none: any token of the collection.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = "^[0-9]{1,78}$"))]
        token_id: Option<TokenAmount>,
    },
    /// Hold at least `min` of one token of an ERC-1155 contract (its `balanceOf`).
    Erc1155Balance {
        /// The chain's EIP-155 id; the server must know it (`--evm-chain`).
        #[serde(deserialize_with = "crate::whole_number::u64")]
        chain: u64,
        /// The contract's address.
        #[cfg_attr(feature = "openapi", schema(pattern = "^0x[0-9a-fA-F]{40}$"))]
        collection: String,
        /// The token's id.
        #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9]{1,78}$"))]
        token_id: TokenAmount,
        /// The least balance (default 1).
        #[serde(default = "TokenAmount::one")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9]{1,78}$"))]
        min: TokenAmount,
    },
    /// Have sent at least `min` transactions from the wallet (its nonce,
    /// `eth_getTransactionCount`).
    TransactionCount {
        /// The chain's EIP-155 id; the server must know it (`--evm-chain`).
        #[serde(deserialize_with = "crate::whole_number::u64")]
        chain: u64,
        /// The least number of transactions (1 or more).
        #[serde(deserialize_with = "crate::whole_number::u64")]
        #[cfg_attr(feature = "openapi", schema(minimum = 1))]
        min: u64,
    },
    /// Send a transaction to `contract` (calling `method`, when given) after the campaign
    /// started. The user answers the transaction's hash; the server reads it and its
    /// receipt from the chain: sent from the user's wallet, to the contract, with the
    /// method's selector, successful, in a block after the campaign's start. Each
    /// transaction counts once per task. With `data`, the widget offers to send that
    /// transaction through the user's wallet (or the host page's `onRequest`).
    ContractTransaction {
        /// The chain's EIP-155 id; the server must know it (`--evm-chain`).
        #[serde(deserialize_with = "crate::whole_number::u64")]
        chain: u64,
        /// The contract's address.
        #[cfg_attr(feature = "openapi", schema(pattern = "^0x[0-9a-fA-F]{40}$"))]
        contract: String,
        /// The method the transaction must call: a Solidity signature (`mint(uint256)`) or a
        /// 4-byte selector (`0x40c10f19`); none: any call to the contract.
        #[serde(default)]
        method: Option<String>,
        /// The call data the widget sends (hex, `0x...`); none: the user sends the
        /// transaction elsewhere and enters its hash.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(pattern = "^0x([0-9a-fA-F]{2})*$"))]
        data: Option<String>,
        /// The value the widget sends with it, in wei (default 0).
        #[serde(default = "TokenAmount::zero")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9]{1,78}$"))]
        value: TokenAmount,
    },
}

/// A whole number of wei or token units, written as a decimal string (JSON numbers lose
/// precision above 2^53, and balances reach 2^256).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TokenAmount(pub String);

impl TokenAmount {
    /// Nothing.
    pub fn zero() -> Self {
        Self("0".into())
    }

    /// One unit.
    pub fn one() -> Self {
        Self("1".into())
    }

    /// Whether it is 1 to 78 decimal digits (a 256-bit number fits; the server checks the
    /// value's range).
    pub fn is_decimal(&self) -> bool {
        (1..=78).contains(&self.0.len()) && self.0.bytes().all(|b| b.is_ascii_digit())
    }
}

fn default_count() -> u32 {
    1
}

/// A proof-of-work task's difficulty unless the document says otherwise.
pub const DEFAULT_DIFFICULTY: u32 = 18;

fn default_difficulty() -> u32 {
    DEFAULT_DIFFICULTY
}

/// A quiz question with its answer (server side only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuizQuestionConfig {
    /// The question text.
    pub text: String,
    /// The options offered (2 to 256).
    #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 256))]
    pub options: Vec<String>,
    /// Index into `options` of the correct answer.
    #[serde(deserialize_with = "crate::whole_number::usize")]
    #[cfg_attr(feature = "openapi", schema(maximum = 255))]
    pub answer: usize,
}

impl TaskConfig {
    /// The task's kind.
    pub fn kind(&self) -> TaskKind {
        match self {
            TaskConfig::VisitLink { .. } => TaskKind::VisitLink,
            TaskConfig::SecretCode { .. } => TaskKind::SecretCode,
            TaskConfig::Quiz { .. } => TaskKind::Quiz,
            TaskConfig::Poll { .. } => TaskKind::Poll,
            TaskConfig::Form { .. } => TaskKind::Form,
            TaskConfig::Api {} => TaskKind::Api,
            TaskConfig::InviteCode { .. } => TaskKind::InviteCode,
            TaskConfig::Custom { .. } => TaskKind::Custom,
            TaskConfig::ProofOfWork { .. } => TaskKind::ProofOfWork,
            TaskConfig::HttpRequest { .. } => TaskKind::HttpRequest,
            TaskConfig::DailyCheckIn {} => TaskKind::DailyCheckIn,
            TaskConfig::Referral { .. } => TaskKind::Referral,
            TaskConfig::TelegramJoin { .. } => TaskKind::TelegramJoin,
            TaskConfig::TelegramBoost { .. } => TaskKind::TelegramBoost,
            TaskConfig::DiscordJoin { .. } => TaskKind::DiscordJoin,
            TaskConfig::XFollow { .. } => TaskKind::XFollow,
            TaskConfig::XRepost { .. } => TaskKind::XRepost,
            TaskConfig::YoutubeSubscribe { .. } => TaskKind::YoutubeSubscribe,
            TaskConfig::TiktokFollow { .. } => TaskKind::TiktokFollow,
            TaskConfig::NativeBalance { .. } => TaskKind::NativeBalance,
            TaskConfig::Erc20Balance { .. } => TaskKind::Erc20Balance,
            TaskConfig::Erc721Owner { .. } => TaskKind::Erc721Owner,
            TaskConfig::Erc1155Balance { .. } => TaskKind::Erc1155Balance,
            TaskConfig::TransactionCount { .. } => TaskKind::TransactionCount,
            TaskConfig::ContractTransaction { .. } => TaskKind::ContractTransaction,
        }
    }

    /// The settings the widget may see: everything but the secrets.
    pub fn public(&self) -> TaskPublicSettings {
        match self {
            TaskConfig::VisitLink { url } => TaskPublicSettings::VisitLink { url: url.clone() },
            TaskConfig::SecretCode { placeholder, .. } => TaskPublicSettings::SecretCode {
                placeholder: placeholder.clone(),
            },
            TaskConfig::Quiz { questions } => TaskPublicSettings::Quiz {
                questions: questions
                    .iter()
                    .map(|q| crate::task::QuizQuestion {
                        text: q.text.clone(),
                        options: q.options.clone(),
                    })
                    .collect(),
            },
            TaskConfig::Poll { question, options } => TaskPublicSettings::Poll {
                question: question.clone(),
                options: options.clone(),
            },
            TaskConfig::Form { fields } => TaskPublicSettings::Form {
                fields: fields.clone(),
            },
            TaskConfig::Api {} => TaskPublicSettings::Api {},
            TaskConfig::InviteCode { placeholder } => TaskPublicSettings::InviteCode {
                placeholder: placeholder.clone(),
            },
            TaskConfig::Custom {
                proof, placeholder, ..
            } => TaskPublicSettings::Custom {
                proof: *proof,
                placeholder: placeholder.clone(),
            },
            TaskConfig::ProofOfWork { .. } => TaskPublicSettings::ProofOfWork {},
            TaskConfig::HttpRequest { .. } => TaskPublicSettings::HttpRequest {},
            TaskConfig::DailyCheckIn {} => TaskPublicSettings::DailyCheckIn {},
            TaskConfig::Referral { count, .. } => TaskPublicSettings::Referral { count: *count },
            TaskConfig::TelegramJoin { url, .. }
            | TaskConfig::TelegramBoost { url, .. }
            | TaskConfig::DiscordJoin { url, .. }
            | TaskConfig::XFollow { url, .. }
            | TaskConfig::XRepost { url, .. }
            | TaskConfig::YoutubeSubscribe { url, .. }
            | TaskConfig::TiktokFollow { url, .. } => {
                TaskPublicSettings::VisitLink { url: url.clone() }
            }
            TaskConfig::NativeBalance { .. } => TaskPublicSettings::NativeBalance {},
            TaskConfig::Erc20Balance { .. } => TaskPublicSettings::Erc20Balance {},
            TaskConfig::Erc721Owner { .. } => TaskPublicSettings::Erc721Owner {},
            TaskConfig::Erc1155Balance { .. } => TaskPublicSettings::Erc1155Balance {},
            TaskConfig::TransactionCount { .. } => TaskPublicSettings::TransactionCount {},
            TaskConfig::ContractTransaction {
                chain,
                contract,
                data,
                value,
                ..
            } => TaskPublicSettings::ContractTransaction {
                chain: *chain,
                contract: contract.clone(),
                data: data.clone(),
                value: value.0.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_settings_never_carry_quiz_answers_or_codes() {
        let quiz = TaskConfig::Quiz {
            questions: vec![QuizQuestionConfig {
                text: "2 + 2?".into(),
                options: vec!["3".into(), "4".into()],
                answer: 1,
            }],
        };
        let json = serde_json::to_string(&quiz.public()).unwrap();
        assert!(!json.contains("answer"), "{json}");

        let code = TaskConfig::SecretCode {
            code: "LAUNCH-2026".into(),
            placeholder: "Code".into(),
        };
        let json = serde_json::to_string(&code.public()).unwrap();
        assert!(!json.contains("LAUNCH-2026"), "{json}");
    }

    #[test]
    fn document_rejects_unknown_fields() {
        let err = serde_json::from_str::<TaskDocument>(
            r#"{"key":"a","title":"t","config":{"type":"poll","question":"q","options":[]},"bogus":1}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("bogus"), "{err}");
    }
}

/// One line of `GET /v1/campaigns`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignSummary {
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Lifecycle state.
    pub status: CampaignStatus,
    /// The campaign's version: bumped by every edit, sent as `ETag: "<version>"` and checked
    /// against `If-Match`.
    pub version: i64,
}

/// `PUT .../order` body: the keys of a level's items in their new order (each exactly once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReorderRequest {
    /// The keys, in order.
    pub keys: Vec<String>,
}

/// `PUT /v1/campaigns/{campaign}/status` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignStatusRequest {
    /// The new state (`published` to publish).
    pub status: CampaignStatus,
}

/// A campaign to start from (`GET /v1/campaign-templates`): create one by posting its
/// document with a slug and title of your own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignTemplate {
    /// The template's key.
    pub key: String,
    /// What it is called.
    pub title: String,
    /// What it holds.
    pub description: String,
    /// The campaign document it starts from (a draft).
    pub document: CampaignDocument,
}

/// `GET /v1/campaign-templates` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignTemplatesResponse {
    /// The templates, simplest first.
    pub templates: Vec<CampaignTemplate>,
}

/// `POST /v1/markdown` body: a description to see as the widget shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarkdownPreviewRequest {
    /// The Markdown (up to 20,000 characters).
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub markdown: String,
}

/// `POST /v1/markdown` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkdownPreviewResponse {
    /// The HTML the widget would show: rendered, then sanitized (no scripts, no event
    /// handlers, no `javascript:` links).
    pub html: String,
}
