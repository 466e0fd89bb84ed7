//! Stored rows become wire types here, and only here (rows are never the wire format).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use questlet_types::attempt::ActivityEntry;
use questlet_types::campaign_document::{
    CampaignSummary, GroupDocument, QuestDocument, TaskDocument,
};
use questlet_types::leaderboard::{WidgetLeaderboardResponse, WidgetLeaderboardRow};
use questlet_types::partner::SubmissionView;
use questlet_types::rewards::{rank_for, RankDocument};
use questlet_types::{
    CampaignDocument, CampaignView, GroupView, PopupView, QuestStatus, QuestView, Recurrence,
    TaskAgain, TaskReview, TaskStreak, TaskView, TextView, UserProgressView,
    WidgetCampaignResponse,
};

use crate::db::campaigns::{CampaignRow, CampaignTree, TaskRow};
use crate::db::leaderboard::{BoardPlace, BoardRow};
use crate::db::progress::{ActivityRow, Completions, UserKey};
use crate::db::submissions::SubmissionRow;
use crate::error::AppError;
use crate::markdown;
use crate::milestones::Milestones;
use crate::recurrence::{self, CampaignZone, TaskRecord, Turn};
use crate::tags::{self, TagValues};
use crate::tasks::referral;

/// The caller's completions in one campaign.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// The user's account id.
    pub account: String,
    /// What the user is called (`{{user_name}}`): the name their token carries, else
    /// their account.
    pub user_name: String,
    /// The user's referral code.
    pub referral_code: String,
    /// The account of whoever referred the user (`{{referrer}}`), where it was asked for.
    pub referrer: String,
    /// Ids of the tasks the user has completed at least once (what quests count).
    pub completed_task_ids: HashSet<String>,
    /// Per completed task: its completions (what repeating tasks' turns go by).
    pub records: HashMap<String, TaskRecord>,
    /// Per task the user sent a proof of for review: where the review stands.
    pub reviews: Vec<TaskReview>,
    /// Points earned in the campaign.
    pub points: i64,
}

impl Progress {
    /// The progress of `user` (called `name`, when their token names them) in campaign
    /// `campaign_id` with `completions`, counting only the tasks `keep` accepts (the
    /// campaign's, where `completions` span the organization). Points are the completions'
    /// and the partner's adjustments' in the campaign.
    pub fn from_completions(
        user: &UserKey,
        name: Option<&str>,
        campaign_id: &str,
        completions: &Completions,
        keep: impl Fn(&str) -> bool,
    ) -> Self {
        let mut progress = Self {
            account: user.account.clone(),
            user_name: name.unwrap_or(&user.account).to_owned(),
            referral_code: referral::code(user),
            ..Self::default()
        };
        for (task, record) in completions.records.iter().filter(|(t, _)| keep(t)) {
            progress.completed_task_ids.insert(task.clone());
            progress.records.insert(task.clone(), *record);
            progress.points += record.points;
        }
        progress.points += completions.adjusted.get(campaign_id).copied().unwrap_or(0);
        progress.reviews = completions
            .reviews
            .iter()
            .filter(|(task, _)| keep(task))
            .map(|(task, review)| TaskReview {
                task_id: task.clone(),
                state: review.state,
                message: review.message.clone(),
            })
            .collect();
        progress.reviews.sort_by(|a, b| a.task_id.cmp(&b.task_id));
        progress
    }

    /// The user's referral link in the campaign of `plan`.
    pub fn referral_link(&self, plan: &QuestPlan) -> String {
        referral::link(plan.referral_page.as_deref(), &self.referral_code)
    }

    /// The user tags' values for this user in the campaign of `plan`, whose referral link
    /// is `referral_link`.
    pub fn tag_values<'a>(&'a self, plan: &'a QuestPlan, referral_link: &'a str) -> TagValues<'a> {
        TagValues {
            user_name: &self.user_name,
            points: self.points,
            rank: rank_for(&plan.ranks, self.points).map_or("", |rank| rank.name.as_str()),
            referral_link,
            referrer: &self.referrer,
            ..TagValues::default()
        }
    }

    /// The user's part of the widget's answers at `now`, in the campaign whose quests
    /// `plan` indexes: the tasks done for now (and when the repeating ones open again), and
    /// the quests completed or unlocked. Its cost follows the user's completions, not the
    /// campaign's size: only a quest with a completed task can be completed, and only one
    /// that needs such a quest can be unlocked.
    pub fn view(&self, plan: &QuestPlan, now: i64) -> UserProgressView {
        let sorted = |ids: BTreeSet<&String>| ids.into_iter().cloned().collect::<Vec<_>>();
        let ids = plan.milestones.ids();
        let touched: BTreeSet<usize> = self
            .completed_task_ids
            .iter()
            .filter_map(|task| plan.milestones.quest_of(task))
            .collect();
        let completed: BTreeSet<usize> = touched
            .iter()
            .copied()
            .filter(|&quest| plan.completed(quest, &self.completed_task_ids))
            .collect();
        let unlocked = completed
            .iter()
            .flat_map(|&quest| plan.dependents[quest].iter().copied())
            .filter(|&quest| plan.unlocked(quest, &self.completed_task_ids));
        let mut done_now = BTreeSet::new();
        let mut available_again = Vec::new();
        for (task, record) in &self.records {
            match plan.turn(task, record, now) {
                Turn::Open => {}
                Turn::Done => {
                    done_now.insert(task);
                }
                Turn::DoneUntil(at) => {
                    done_now.insert(task);
                    available_again.push(TaskAgain {
                        task_id: task.clone(),
                        at,
                    });
                }
            }
        }
        available_again.sort_by(|a, b| a.task_id.cmp(&b.task_id));
        let mut streaks: Vec<TaskStreak> = self
            .records
            .iter()
            .filter(|(task, _)| plan.recurrence(task) == Recurrence::Daily)
            .map(|(task, record)| TaskStreak {
                task_id: task.clone(),
                days: recurrence::live_streak(record, plan.zone(), now),
            })
            .filter(|streak| streak.days > 0)
            .collect();
        streaks.sort_by(|a, b| a.task_id.cmp(&b.task_id));
        let referral_link = self.referral_link(plan);
        let values = self.tag_values(plan, &referral_link);
        UserProgressView {
            account: self.account.clone(),
            points: self.points,
            completed_task_ids: sorted(done_now),
            completed_quest_ids: sorted(completed.iter().map(|&q| &ids[q]).collect()),
            unlocked_quest_ids: sorted(unlocked.map(|q| &ids[q]).collect()),
            available_again,
            reviews: self.reviews.clone(),
            streaks,
            texts: plan
                .templates
                .iter()
                .map(|(key, html)| TextView {
                    key: key.clone(),
                    html: tags::fill_user(html, &values, true),
                })
                .collect(),
            referral_code: self.referral_code.clone(),
            referral_link: referral_link.clone(),
        }
    }
}

/// One line of the campaign list per stored campaign.
pub fn campaign_summaries(rows: Vec<CampaignRow>) -> Vec<CampaignSummary> {
    rows.into_iter()
        .map(|row| CampaignSummary {
            slug: row.slug,
            title: row.title,
            status: row.status,
            version: row.version,
        })
        .collect()
}

/// A submission in the review queue as the partner reads it.
pub fn submission(row: SubmissionRow) -> SubmissionView {
    SubmissionView {
        id: row.id,
        quest: row.quest_key,
        task: row.task_key,
        account: row.account,
        platform: row.platform,
        proof: row.proof,
        state: row.state,
        message: row.message,
        submitted_at: row.submitted_at,
        reviewed_at: row.reviewed_at,
    }
}

/// The partner's activity feed from stored attempts.
pub fn activity(rows: Vec<ActivityRow>) -> Vec<ActivityEntry> {
    rows.into_iter()
        .map(|row| ActivityEntry {
            account: row.account,
            platform: row.platform,
            task: row.task_key,
            outcome: row.outcome.as_str().to_owned(),
            reason: row.reason,
            ga_client_id: row.ga_client_id,
            created_at: row.created_at,
        })
        .collect()
}

/// A partner's Markdown text as the shared content shows it (the shared tags filled, the
/// user tags as an anonymous visitor sees them), and, when it has user tags, the template
/// each user's answer fills (`user.texts`).
fn rendered_text(markdown: &str, shared: &TagValues<'_>) -> (String, Option<String>) {
    let html = tags::fill_shared(&markdown::render(markdown), shared, true);
    if tags::has_user_tags(&html) {
        (tags::fill_user(&html, shared, true), Some(html))
    } else {
        (html, None)
    }
}

/// The shared tags' values for campaign `campaign` (and task points, for a task's text).
fn shared_values(campaign: &CampaignRow, task_points: Option<i64>) -> TagValues<'_> {
    TagValues {
        points_name: &campaign.points_name,
        task_points,
        ..TagValues::default()
    }
}

/// Every text of campaign `tree` that can carry tags, with its key and its Markdown, and
/// the task points for a task's.
fn texts(tree: &CampaignTree) -> impl Iterator<Item = (String, &str, Option<i64>)> {
    let campaign = &tree.campaign;
    std::iter::once((
        "campaign".to_owned(),
        campaign.description_md.as_str(),
        None,
    ))
    .chain(
        campaign
            .intro
            .iter()
            .map(|intro| ("intro".to_owned(), intro.body.as_str(), None)),
    )
    .chain(
        tree.quests
            .iter()
            .map(|q| (format!("quest:{}", q.id), q.description_md.as_str(), None)),
    )
    .chain(tree.tasks.iter().map(|t| {
        (
            format!("task:{}", t.id),
            t.description_md.as_str(),
            Some(t.points_per_completion()),
        )
    }))
}

fn task_view(task: &TaskRow, campaign: &CampaignRow) -> TaskView {
    let shared = shared_values(campaign, Some(task.points_per_completion()));
    TaskView {
        id: task.id.clone(),
        kind: task.kind,
        title: task.title.clone(),
        description_html: rendered_text(&task.description_md, &shared).0,
        points: task.points_per_completion(),
        required: task.required,
        starts_at: task.rules.starts_at,
        ends_at: task.rules.ends_at,
        settings: task.config.public(),
    }
}

/// What decides each quest's status, indexed once per rendering of a campaign (it is kept
/// with the rendering), so a user's statuses cost a look at the quests their completions
/// touch, and an attempt's changes only the quests it can touch. Quests are numbered in the
/// order the view shows them.
#[derive(Debug, Default)]
pub struct QuestPlan {
    /// The quests, numbered in display order, and what completes each.
    milestones: Arc<Milestones>,
    /// Per quest: its prerequisites (`None`: a key that names no quest, never completed).
    prerequisites: Vec<Vec<Option<usize>>>,
    /// Per quest: the quests that need it.
    dependents: Vec<Vec<usize>>,
    /// Quest id -> number.
    index: HashMap<String, usize>,
    /// Task id -> how it recurs, for the repeating tasks (the others are done once).
    recurrences: HashMap<String, Recurrence>,
    /// The campaign's time zone, which turns daily and weekly tasks over.
    zone: CampaignZone,
    /// The texts with user tags, sorted by key: their HTML with the shared tags filled,
    /// which each user's answer fills (see `tags.rs`).
    templates: Vec<(String, String)>,
    /// Where referral links point: the campaign's referral URL, else its first allowed
    /// origin that is not a pattern.
    referral_page: Option<String>,
    /// Whether a text names `{{referrer}}` (then a user's answer looks the referrer up).
    pub wants_referrer: bool,
    /// The campaign's ranks, ascending (`{{rank}}`).
    ranks: Vec<RankDocument>,
}

impl QuestPlan {
    /// The plan of `view`, the rendering of campaign `tree`.
    pub fn new(view: &WidgetCampaignResponse, tree: &CampaignTree) -> Self {
        let mut plan = QuestPlan {
            zone: tree.campaign.time_zone.clone(),
            templates: {
                // Only texts whose Markdown names a user tag are rendered again here.
                let mut templates: Vec<(String, String)> = texts(tree)
                    .filter(|(_, markdown, _)| tags::has_user_tags(markdown))
                    .filter_map(|(key, markdown, task_points)| {
                        let shared = shared_values(&tree.campaign, task_points);
                        rendered_text(markdown, &shared).1.map(|html| (key, html))
                    })
                    .collect();
                templates.sort();
                templates
            },
            referral_page: tree.campaign.referral_url.clone().or_else(|| {
                tree.campaign
                    .allowed_origins
                    .iter()
                    .find(|origin| !origin.contains('*'))
                    .map(|origin| format!("{}/", origin.trim_end_matches('/')))
            }),
            wants_referrer: texts(tree).any(|(_, markdown, _)| markdown.contains("{{referrer}}"))
                || tree.tasks.iter().any(|task| {
                    task.rules.completion_message.contains("{{referrer}}")
                        || task.rules.failure_message.contains("{{referrer}}")
                }),
            recurrences: tree
                .tasks
                .iter()
                .filter(|task| task.rules.recurrence.repeats())
                .map(|task| (task.id.clone(), task.rules.recurrence))
                .collect(),
            ranks: tree.campaign.ranks.clone(),
            ..QuestPlan::default()
        };
        // The tree's quests are the view's, in the same order.
        plan.milestones = Arc::new(Milestones::of(tree));
        let mut by_key = HashMap::new();
        for (number, quest) in view.quests().enumerate() {
            plan.index.insert(quest.id.clone(), number);
            by_key.insert(quest.key.as_str(), number);
        }
        plan.dependents = vec![Vec::new(); plan.milestones.ids().len()];
        for quest in view.quests() {
            let number = plan.index[&quest.id];
            let needs: Vec<Option<usize>> = quest
                .prerequisites
                .iter()
                .map(|key| by_key.get(key.as_str()).copied())
                .collect();
            for &need in needs.iter().flatten() {
                plan.dependents[need].push(number);
            }
            plan.prerequisites.push(needs);
        }
        plan
    }

    /// What completing the campaign's tasks completes (for the attempt writer).
    pub fn milestones(&self) -> Arc<Milestones> {
        Arc::clone(&self.milestones)
    }

    /// Whether task `id` is one of the campaign's.
    pub fn has_task(&self, id: &str) -> bool {
        self.milestones.quest_of(id).is_some()
    }

    /// How task `id` recurs.
    pub fn recurrence(&self, id: &str) -> Recurrence {
        self.recurrences.get(id).copied().unwrap_or_default()
    }

    /// The campaign's time zone.
    pub fn zone(&self) -> &CampaignZone {
        &self.zone
    }

    /// Where a user with `record` of task `id` stands on it at `now`.
    fn turn(&self, id: &str, record: &TaskRecord, now: i64) -> Turn {
        recurrence::turn(self.recurrence(id), &self.zone, record, now)
    }

    /// The number of quest `id`.
    pub fn number(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Whether quest `quest` needs others first (only such a quest can be locked).
    pub fn has_prerequisites(&self, quest: usize) -> bool {
        !self.prerequisites[quest].is_empty()
    }

    /// Whether the quest with id `quest_id` is completed by a user who completed the tasks
    /// `done`.
    pub fn quest_completed(&self, quest_id: &str, done: &HashSet<String>) -> bool {
        self.number(quest_id)
            .is_some_and(|quest| self.completed(quest, done))
    }

    /// Whether quest `quest` is completed: its deciding tasks all are (a quest without
    /// tasks never is).
    fn completed(&self, quest: usize, done: &HashSet<String>) -> bool {
        self.milestones
            .completed(quest, &|task| done.contains(task))
    }

    /// Quest `quest`'s status for an anonymous visitor (who completed nothing).
    pub fn anonymous_status(&self, quest: usize) -> QuestStatus {
        self.status(quest, &HashSet::new())
    }

    /// Whether every prerequisite of quest `quest` is completed (true for a quest without
    /// any).
    fn unlocked(&self, quest: usize, done: &HashSet<String>) -> bool {
        self.prerequisites[quest]
            .iter()
            .all(|need| need.is_some_and(|need| self.completed(need, done)))
    }

    /// Quest `quest`'s status for a user who completed the tasks `done`: completed, or
    /// locked while a prerequisite is not completed, or available.
    pub fn status(&self, quest: usize, done: &HashSet<String>) -> QuestStatus {
        if self.completed(quest, done) {
            QuestStatus::Completed
        } else if self.unlocked(quest, done) {
            QuestStatus::Available
        } else {
            QuestStatus::Locked
        }
    }
}

/// Renders what the widget paints for an anonymous visitor from a campaign's rows (Markdown
/// rendered and sanitized, secrets stripped); a user's answer adds [`Progress::view`].
pub fn widget_campaign(
    organization: &str,
    tree: &CampaignTree,
) -> Result<WidgetCampaignResponse, AppError> {
    let mut tasks_by_quest: HashMap<&str, Vec<TaskView>> = HashMap::new();
    for task in &tree.tasks {
        tasks_by_quest
            .entry(task.quest_id.as_str())
            .or_default()
            .push(task_view(task, &tree.campaign));
    }

    let mut groups: Vec<GroupView> = tree
        .groups
        .iter()
        .map(|g| GroupView {
            id: g.id.clone(),
            title: g.title.clone(),
            quests: Vec::new(),
        })
        .collect();
    for quest in &tree.quests {
        let tasks = tasks_by_quest.remove(quest.id.as_str()).unwrap_or_default();
        let view = QuestView {
            id: quest.id.clone(),
            key: quest.key.clone(),
            title: quest.title.clone(),
            description_html: rendered_text(
                &quest.description_md,
                &shared_values(&tree.campaign, None),
            )
            .0,
            image_url: quest.image_url.clone(),
            points: tasks.iter().map(|t| t.points).sum(),
            prerequisites: quest.prerequisites.clone(),
            starts_at: quest.starts_at,
            ends_at: quest.ends_at,
            // Set below, once every quest is in place.
            status: QuestStatus::Available,
            tasks,
        };
        let group_index = tree
            .groups
            .iter()
            .position(|g| g.id == quest.group_id)
            .ok_or_else(|| AppError::Internal(format!("quest {} has no group", quest.id)))?;
        groups[group_index].quests.push(view);
    }

    let campaign = &tree.campaign;
    let mut view = WidgetCampaignResponse {
        organization: organization.to_owned(),
        campaign: CampaignView {
            slug: campaign.slug.clone(),
            title: campaign.title.clone(),
            description_html: rendered_text(
                &campaign.description_md,
                &shared_values(campaign, None),
            )
            .0,
            image_url: campaign.image_url.clone(),
            starts_at: campaign.starts_at,
            ends_at: campaign.ends_at,
            points_name: campaign.points_name.clone(),
            intro: campaign.intro.as_ref().map(|intro| PopupView {
                title: intro.title.clone(),
                body_html: rendered_text(&intro.body, &shared_values(campaign, None)).0,
            }),
            ranks: campaign.ranks.clone(),
            rewards: campaign.rewards.len() as i64,
        },
        groups,
        user: None,
    };
    let plan = QuestPlan::new(&view, tree);
    for (number, quest) in view
        .groups
        .iter_mut()
        .flat_map(|g| g.quests.iter_mut())
        .enumerate()
    {
        quest.status = plan.anonymous_status(number);
    }
    Ok(view)
}

/// The quests that look different to a user with progress `after` than with `before` (an
/// attempt's): quest `quest_id` (the attempted task's) and those of its dependents whose
/// status changed. What an attempt's answer names, so the widget repaints only those; its
/// cost is that of those quests, not of the campaign.
pub fn changed_quests(
    plan: &QuestPlan,
    before: &Progress,
    after: &Progress,
    quest_id: &str,
) -> Vec<String> {
    let Some(number) = plan.number(quest_id) else {
        return Vec::new();
    };
    let (was, now) = (&before.completed_task_ids, &after.completed_task_ids);
    std::iter::once(number)
        .chain(
            plan.dependents[number]
                .iter()
                .copied()
                .filter(|&d| plan.status(d, was) != plan.status(d, now)),
        )
        .map(|number| plan.milestones.ids()[number].clone())
        .collect()
}

/// Exports a campaign as its campaign-as-code document (the inverse of an import).
pub fn campaign_document(tree: &CampaignTree) -> Result<CampaignDocument, AppError> {
    let campaign = &tree.campaign;
    let mut groups: Vec<GroupDocument> = tree
        .groups
        .iter()
        .map(|g| GroupDocument {
            key: g.key.clone(),
            title: g.title.clone(),
            quests: Vec::new(),
        })
        .collect();
    for quest in &tree.quests {
        let tasks = tree
            .tasks
            .iter()
            .filter(|t| t.quest_id == quest.id)
            .map(|t| TaskDocument {
                key: t.key.clone(),
                title: t.title.clone(),
                description: t.description_md.clone(),
                points: t.points,
                required: t.required,
                points_multiplier_pct: t.rules.points_multiplier_pct,
                recurrence: t.rules.recurrence,
                completion_message: t.rules.completion_message.clone(),
                failure_message: t.rules.failure_message.clone(),
                starts_at: t.rules.starts_at,
                ends_at: t.rules.ends_at,
                config: t.config.clone(),
            })
            .collect();
        let index = tree
            .groups
            .iter()
            .position(|g| g.id == quest.group_id)
            .ok_or_else(|| AppError::Internal(format!("quest {} has no group", quest.id)))?;
        groups[index].quests.push(QuestDocument {
            key: quest.key.clone(),
            title: quest.title.clone(),
            description: quest.description_md.clone(),
            image_url: quest.image_url.clone(),
            prerequisites: quest.prerequisites.clone(),
            starts_at: quest.starts_at,
            ends_at: quest.ends_at,
            tasks,
        });
    }
    Ok(CampaignDocument {
        slug: campaign.slug.clone(),
        title: campaign.title.clone(),
        description: campaign.description_md.clone(),
        image_url: campaign.image_url.clone(),
        starts_at: campaign.starts_at,
        ends_at: campaign.ends_at,
        status: campaign.status,
        points_name: campaign.points_name.clone(),
        time_zone: campaign.time_zone.name().to_owned(),
        allowed_origins: campaign.allowed_origins.clone(),
        intro: campaign.intro.clone(),
        referral_url: campaign.referral_url.clone(),
        ranks: campaign.ranks.clone(),
        rewards: campaign.rewards.clone(),
        groups,
    })
}

/// The widget's board: the `top` rows, then, when `me` (the caller's place) is below them,
/// the caller's row with its neighbours. Users are shown by the name the partner gave them,
/// else by their account shortened, so a board never lists raw accounts (emails, ids).
pub fn widget_leaderboard(
    board: String,
    top: Vec<BoardRow>,
    me: Option<BoardPlace>,
    user: Option<&UserKey>,
) -> WidgetLeaderboardResponse {
    let is_me = |row: &BoardRow| {
        user.is_some_and(|user| user.platform == row.platform && user.account == row.account)
    };
    let shown = top.len() as i64;
    let below = me
        .filter(|me| me.me.place > shown)
        .map(|me| me.around)
        .unwrap_or_default();
    let rows = top
        .into_iter()
        .chain(below.into_iter().filter(|row| row.place > shown))
        .map(|row| WidgetLeaderboardRow {
            place: row.place,
            me: is_me(&row),
            name: display_name(row.name, &row.account),
            points: row.points,
        })
        .collect();
    WidgetLeaderboardResponse { board, rows }
}

/// What a board shows for a user: the partner's name for them, else their account
/// shortened to its first and last two characters (`ann@example.com` → `an…om`).
fn display_name(name: Option<String>, account: &str) -> String {
    if let Some(name) = name {
        return name;
    }
    let chars: Vec<char> = account.chars().collect();
    if chars.len() <= 4 {
        return chars.first().map_or_else(String::new, |c| format!("{c}…"));
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    #[test]
    fn a_board_shows_names_or_shortened_accounts_never_raw_ones() {
        assert_eq!(display_name(Some("Ann".into()), "ann@example.com"), "Ann");
        assert_eq!(display_name(None, "ann@example.com"), "an…om");
        assert_eq!(display_name(None, "bob"), "b…");
        assert_eq!(display_name(None, "élan"), "é…");
    }

    #[tokio::test]
    async fn a_users_view_gives_every_quest_and_task_its_status_for_every_progress() {
        let dir = std::env::temp_dir().join(format!("questlet-views-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::connect(&format!("sqlite://{}", dir.join("q.db").display()))
            .await
            .unwrap();
        crate::demo::seed(&db, "http://demo.invalid").await.unwrap();
        let demo = db.organization_by_slug("demo").await.unwrap().unwrap();
        let tree = db
            .campaign_tree(&demo.id, "launch-week")
            .await
            .unwrap()
            .unwrap();
        let mut view = widget_campaign("demo", &tree).unwrap();
        let plan = QuestPlan::new(&view, &tree);
        let tasks: Vec<String> = view
            .quests()
            .flat_map(|q| &q.tasks)
            .map(|t| t.id.clone())
            .collect();
        assert!(tasks.len() >= 4, "the demo has tasks to combine");
        assert!(
            view.quests().any(|q| q.status == QuestStatus::Locked),
            "the demo has a locked quest to unlock"
        );
        // Every combination of completions of the first tasks (the rest stay open).
        let first = tasks.len().min(10);
        let mut unlocked = false;
        for combination in 0u32..(1 << first) {
            let completed: HashSet<String> = (0..first)
                .filter(|bit| combination & (1 << bit) != 0)
                .map(|bit| tasks[bit].clone())
                .collect();
            let completions = Completions {
                records: completed
                    .iter()
                    .map(|task| (task.clone(), TaskRecord::default()))
                    .collect(),
                ..Completions::default()
            };
            let ann = UserKey {
                organization_id: "org".into(),
                platform: "web".into(),
                account: "ann".into(),
            };
            let progress = Progress::from_completions(&ann, None, "c", &completions, |_| true);
            view.user = Some(progress.view(&plan, 0));
            for (number, quest) in view.quests().enumerate() {
                // The definition: the status from every one of the quest's tasks.
                let expected = plan.status(number, &completed);
                assert_eq!(
                    view.quest_status(quest),
                    expected,
                    "combination {combination:b}, quest {}",
                    quest.key
                );
                unlocked |=
                    quest.status == QuestStatus::Locked && expected == QuestStatus::Available;
            }
            for task in &tasks {
                assert_eq!(view.task_completed(task), completed.contains(task));
            }
        }
        assert!(unlocked, "some combination unlocks a quest");
    }
}
