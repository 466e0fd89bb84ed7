//! The widget API: what one request returns for the widget to paint a campaign.
//!
//! The content (campaign, groups, quests, tasks) is the same for every caller; a user's
//! standing comes after it, in `user`, as what differs from an anonymous visitor's view. So
//! the server keeps the content's bytes (and their compression) once per campaign version and
//! adds only the user's part per call, and the widget keeps one copy of the content however
//! the user's progress changes.

use serde::{Deserialize, Serialize};

use crate::rewards::RankDocument;
use crate::task::{TaskKind, TaskPublicSettings};

/// Response of `GET /v1/widget/{organization}/campaigns/{campaign}`: the published campaign's
/// content and, when a user token was sent, that user's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetCampaignResponse {
    /// The organization's slug.
    pub organization: String,
    /// The campaign itself.
    pub campaign: CampaignView,
    /// The campaign's groups in display order, each with its quests.
    pub groups: Vec<GroupView>,
    /// The caller's progress; `None` when no user token was sent. The last field, so the
    /// content before it is the same bytes for every caller.
    pub user: Option<UserProgressView>,
}

impl WidgetCampaignResponse {
    /// The caller's status for `quest`: completed, or unlocked (available) by the user, or
    /// else as the content gives it (an anonymous visitor's).
    pub fn quest_status(&self, quest: &QuestView) -> QuestStatus {
        match &self.user {
            Some(user) if sorted_contains(&user.completed_quest_ids, &quest.id) => {
                QuestStatus::Completed
            }
            Some(user) if sorted_contains(&user.unlocked_quest_ids, &quest.id) => {
                QuestStatus::Available
            }
            _ => quest.status,
        }
    }

    /// Whether the caller has completed task `task_id` and cannot complete it again now.
    pub fn task_completed(&self, task_id: &str) -> bool {
        self.user
            .as_ref()
            .is_some_and(|user| sorted_contains(&user.completed_task_ids, task_id))
    }

    /// When the caller may complete task `task_id` again (Unix seconds), if it is completed
    /// for now and repeats.
    pub fn task_again_at(&self, task_id: &str) -> Option<i64> {
        let again = &self.user.as_ref()?.available_again;
        again
            .binary_search_by(|item| item.task_id.as_str().cmp(task_id))
            .ok()
            .map(|i| again[i].at)
    }

    /// The review of the caller's proof of task `task_id`, if they sent one to review.
    pub fn task_review(&self, task_id: &str) -> Option<&TaskReview> {
        let reviews = &self.user.as_ref()?.reviews;
        reviews
            .binary_search_by(|item| item.task_id.as_str().cmp(task_id))
            .ok()
            .map(|i| &reviews[i])
    }

    /// The caller's live streak of daily task `task_id`, in days (0 without one).
    pub fn task_streak(&self, task_id: &str) -> i64 {
        let Some(user) = &self.user else {
            return 0;
        };
        user.streaks
            .binary_search_by(|item| item.task_id.as_str().cmp(task_id))
            .map_or(0, |i| user.streaks[i].days)
    }

    /// Puts the caller's own renderings of texts (`user.texts`, tags filled for them) in
    /// place of the content's.
    pub fn apply_user_texts(&mut self) {
        let Self {
            campaign,
            groups,
            user,
            ..
        } = self;
        let Some(user) = user else {
            return;
        };
        for text in &user.texts {
            let html = text.html.clone();
            match text.key.split_once(':') {
                None if text.key == "campaign" => campaign.description_html = html,
                None => {
                    if let Some(intro) = &mut campaign.intro {
                        intro.body_html = html;
                    }
                }
                Some((kind, id)) => {
                    for quest in groups.iter_mut().flat_map(|g| &mut g.quests) {
                        if kind == "quest" && quest.id == id {
                            quest.description_html = html.clone();
                        }
                        for task in &mut quest.tasks {
                            if kind == "task" && task.id == id {
                                task.description_html = html.clone();
                            }
                        }
                    }
                }
            }
        }
    }

    /// Every quest, in display order.
    pub fn quests(&self) -> impl Iterator<Item = &QuestView> {
        self.groups.iter().flat_map(|g| &g.quests)
    }

    /// How many tasks the caller can work on now: those not completed (for now) in the
    /// quests available to them. The launcher shows it, and the host element carries it.
    pub fn available_tasks(&self) -> usize {
        self.quests()
            .filter(|quest| self.quest_status(quest) == QuestStatus::Available)
            .flat_map(|quest| &quest.tasks)
            .filter(|task| !self.task_completed(&task.id))
            .count()
    }
}

/// Whether the sorted `ids` hold `id`.
fn sorted_contains(ids: &[String], id: &str) -> bool {
    ids.binary_search_by(|item| item.as_str().cmp(id)).is_ok()
}

/// A campaign's header content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignView {
    /// URL-safe identifier, unique within the organization.
    pub slug: String,
    /// Title shown in the header.
    pub title: String,
    /// Description rendered from Markdown and sanitized on the server: safe to insert as HTML.
    pub description_html: String,
    /// Optional header image URL.
    pub image_url: Option<String>,
    /// Start time, Unix seconds.
    pub starts_at: Option<i64>,
    /// End time, Unix seconds.
    pub ends_at: Option<i64>,
    /// What the campaign calls its points ("XP", "Stars", ...).
    pub points_name: String,
    /// The intro pop-up for a user's first visit, if the campaign has one.
    pub intro: Option<PopupView>,
    /// The campaign's ranks, ascending by points: a user holds the last they reach.
    pub ranks: Vec<RankDocument>,
    /// How many rewards the campaign has (listed by the rewards call): the widget shows a
    /// rewards tab when there are any.
    pub rewards: i64,
}

/// A pop-up's content, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PopupView {
    /// Headline.
    pub title: String,
    /// Body rendered from Markdown and sanitized on the server: safe to insert as HTML.
    pub body_html: String,
}

/// A group: an ordered section (tab) of a campaign's quests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupView {
    /// Group id.
    pub id: String,
    /// Tab title.
    pub title: String,
    /// The group's quests in display order.
    pub quests: Vec<QuestView>,
}

/// A quest and its tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestView {
    /// Quest id.
    pub id: String,
    /// The partner's key for the quest, unique within the campaign.
    pub key: String,
    /// Quest title.
    pub title: String,
    /// Description, sanitized HTML.
    pub description_html: String,
    /// Optional card image URL.
    pub image_url: Option<String>,
    /// Points for completing the quest's tasks.
    pub points: i64,
    /// Keys of quests that must be completed before this one unlocks.
    pub prerequisites: Vec<String>,
    /// When the quest opens, Unix seconds: its tasks cannot be completed before.
    pub starts_at: Option<i64>,
    /// When the quest closes, Unix seconds: its tasks cannot be completed from then on.
    pub ends_at: Option<i64>,
    /// An anonymous visitor's status for this quest: `locked` while it has prerequisites,
    /// `available` otherwise. A user's differs where `user` says the quest is completed or
    /// unlocked ([`WidgetCampaignResponse::quest_status`]).
    pub status: QuestStatus,
    /// The quest's tasks in order.
    pub tasks: Vec<TaskView>,
}

/// Where the caller stands on a quest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestStatus {
    /// A prerequisite quest is not completed yet.
    Locked,
    /// The quest can be worked on.
    Available,
    /// Every required task is completed.
    Completed,
}

wire_names!(QuestStatus {
    Locked => "locked",
    Available => "available",
    Completed => "completed",
});

/// A task as the widget shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskView {
    /// Task id.
    pub id: String,
    /// The task's type.
    pub kind: TaskKind,
    /// Task title.
    pub title: String,
    /// Description, sanitized HTML.
    pub description_html: String,
    /// Points one completion awards (the task's points multiplier applied).
    pub points: i64,
    /// Whether the quest needs this task to complete.
    pub required: bool,
    /// When the task opens, Unix seconds.
    pub starts_at: Option<i64>,
    /// When the task closes, Unix seconds.
    pub ends_at: Option<i64>,
    /// Settings the widget needs to render the task (never the answers).
    pub settings: TaskPublicSettings,
}

/// The caller's standing in a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserProgressView {
    /// The user's account id on the partner's platform.
    pub account: String,
    /// Points earned in this campaign.
    pub points: i64,
    /// Ids of the tasks the user has completed in this campaign and cannot complete again
    /// now (a repeating task is here until its next turn, see `available_again`), sorted.
    pub completed_task_ids: Vec<String>,
    /// Ids of the quests the user has completed (every deciding task done), sorted.
    pub completed_quest_ids: Vec<String>,
    /// Ids of the quests with prerequisites whose prerequisites the user has all completed
    /// (locked for an anonymous visitor, open to this user), sorted.
    pub unlocked_quest_ids: Vec<String>,
    /// For the repeating tasks of `completed_task_ids` that the user may complete again:
    /// when, sorted by task id.
    pub available_again: Vec<TaskAgain>,
    /// The user's proofs of reviewed custom tasks and where their review stands (the
    /// latest per task), sorted by task id.
    pub reviews: Vec<TaskReview>,
    /// The user's live streaks of daily tasks (checked in today or yesterday), sorted by
    /// task id.
    pub streaks: Vec<TaskStreak>,
    /// The texts of the content that have tags filled per user (`{{points}}`, ...), filled
    /// for this user, sorted by key; the content shows them as an anonymous visitor sees
    /// them.
    pub texts: Vec<TextView>,
    /// The user's referral code: a page with `ql_ref=<code>` in its URL makes a new user
    /// their referral.
    pub referral_code: String,
    /// The user's referral link (`{{referral_link}}`): the campaign's referral page with
    /// their code; empty when the campaign has no page to point to.
    pub referral_link: String,
}

/// A text of the content as one user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextView {
    /// Which text: `campaign` (its description), `intro` (the intro's body), `quest:<id>`
    /// or `task:<id>` (a description).
    pub key: String,
    /// The text, sanitized HTML.
    pub html: String,
}

/// A streak of consecutive days on which a user completed a daily task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskStreak {
    /// The task's id.
    pub task_id: String,
    /// Consecutive days, up to the latest completion (today's or yesterday's).
    pub days: i64,
}

/// Where the review of a user's proof of a task stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskReview {
    /// The task's id.
    pub task_id: String,
    /// Pending, approved or rejected.
    pub state: ReviewState,
    /// The reviewer's message to the user, if any.
    pub message: Option<String>,
}

/// The state of a proof sent for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Waiting for the partner.
    Pending,
    /// Approved: the task is completed.
    Approved,
    /// Rejected: the user may send another proof.
    Rejected,
}

wire_names!(ReviewState {
    Pending => "pending",
    Approved => "approved",
    Rejected => "rejected",
});

/// When a user may complete a repeating task again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskAgain {
    /// The task's id.
    pub task_id: String,
    /// From when, Unix seconds.
    pub at: i64,
}
