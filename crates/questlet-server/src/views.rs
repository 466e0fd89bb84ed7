//! Stored rows become wire types here, and only here (rows are never the wire format).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use questlet_types::attempt::ActivityEntry;
use questlet_types::campaign_document::{
    CampaignSummary, GroupDocument, QuestDocument, TaskDocument,
};
use questlet_types::{
    CampaignDocument, CampaignView, GroupView, PopupView, QuestStatus, QuestView, TaskView,
    UserProgressView, WidgetCampaignResponse,
};

use crate::db::campaigns::{CampaignRow, CampaignTree, TaskRow};
use crate::db::progress::ActivityRow;
use crate::error::AppError;
use crate::markdown;

/// The caller's completions in one campaign.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// The user's account id.
    pub account: String,
    /// Ids of the tasks the user has completed.
    pub completed_task_ids: HashSet<String>,
    /// Points earned in the campaign.
    pub points: i64,
}

impl Progress {
    /// The progress of `account` with `completions` (task id -> points awarded).
    pub fn from_completions(account: &str, completions: &HashMap<String, i64>) -> Self {
        Self {
            account: account.to_owned(),
            points: completions.values().sum(),
            completed_task_ids: completions.keys().cloned().collect(),
        }
    }

    /// The user's line of the widget's answers.
    pub fn view(&self) -> UserProgressView {
        UserProgressView {
            account: self.account.clone(),
            points: self.points,
            completed_tasks: self.completed_task_ids.len() as i64,
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

fn task_view(task: &TaskRow, completed: bool) -> TaskView {
    TaskView {
        id: task.id.clone(),
        kind: task.kind,
        title: task.title.clone(),
        description_html: markdown::render(&task.description_md),
        points: task.points,
        required: task.required,
        settings: task.config.public(),
        completed,
    }
}

/// What decides each quest's status, indexed once per rendering of a campaign (it is kept
/// with the rendering), so a user's statuses cost one pass over the tasks and an attempt's
/// changes only the quests it can touch. Quests are numbered in the order the view shows
/// them.
#[derive(Debug, Default)]
pub struct QuestPlan {
    /// Per quest: where it is in the view (group, position in the group).
    position: Vec<(usize, usize)>,
    /// Per quest: the tasks that decide its completion (the required ones, or all when none
    /// is required).
    deciding: Vec<Vec<String>>,
    /// Per quest: its prerequisites (`None`: a key that names no quest, never completed).
    prerequisites: Vec<Vec<Option<usize>>>,
    /// Per quest: the quests that need it.
    dependents: Vec<Vec<usize>>,
    /// Quest id -> number.
    index: HashMap<String, usize>,
}

impl QuestPlan {
    /// The plan of a rendered campaign.
    pub fn new(view: &WidgetCampaignResponse) -> Self {
        let mut plan = QuestPlan::default();
        let mut by_key = HashMap::new();
        for (g, group) in view.groups.iter().enumerate() {
            for (q, quest) in group.quests.iter().enumerate() {
                let number = plan.position.len();
                plan.position.push((g, q));
                plan.index.insert(quest.id.clone(), number);
                by_key.insert(quest.key.as_str(), number);
                let required = quest.tasks.iter().any(|t| t.required);
                plan.deciding.push(
                    quest
                        .tasks
                        .iter()
                        .filter(|t| t.required || !required)
                        .map(|t| t.id.clone())
                        .collect(),
                );
            }
        }
        plan.dependents = vec![Vec::new(); plan.position.len()];
        for quest in view.groups.iter().flat_map(|g| &g.quests) {
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

    /// The number of quest `id`.
    pub fn number(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Whether quest `quest` needs others first (only such a quest can be locked).
    pub fn has_prerequisites(&self, quest: usize) -> bool {
        !self.prerequisites[quest].is_empty()
    }

    /// Whether quest `quest` is completed: its deciding tasks all are (a quest without
    /// tasks never is).
    fn completed(&self, quest: usize, done: &HashSet<String>) -> bool {
        let deciding = &self.deciding[quest];
        !deciding.is_empty() && deciding.iter().all(|task| done.contains(task))
    }

    /// Quest `quest`'s status for a user who completed the tasks `done`: completed, or
    /// locked while a prerequisite is not completed, or available.
    pub fn status(&self, quest: usize, done: &HashSet<String>) -> QuestStatus {
        if self.completed(quest, done) {
            QuestStatus::Completed
        } else if self.prerequisites[quest]
            .iter()
            .all(|need| need.is_some_and(|need| self.completed(need, done)))
        {
            QuestStatus::Available
        } else {
            QuestStatus::Locked
        }
    }
}

/// Renders what the widget paints for an anonymous visitor from a campaign's rows (Markdown
/// rendered and sanitized, secrets stripped); [`AnswerLayout::user_answer`] adds a user's
/// progress.
pub fn widget_campaign(
    organization: &str,
    tree: &CampaignTree,
) -> Result<WidgetCampaignResponse, AppError> {
    let mut tasks_by_quest: HashMap<&str, Vec<TaskView>> = HashMap::new();
    for task in &tree.tasks {
        tasks_by_quest
            .entry(task.quest_id.as_str())
            .or_default()
            .push(task_view(task, false));
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
            description_html: markdown::render(&quest.description_md),
            image_url: quest.image_url.clone(),
            points: tasks.iter().map(|t| t.points).sum(),
            prerequisites: quest.prerequisites.clone(),
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
            description_html: markdown::render(&campaign.description_md),
            image_url: campaign.image_url.clone(),
            starts_at: campaign.starts_at,
            ends_at: campaign.ends_at,
            points_name: campaign.points_name.clone(),
            intro: campaign.intro.as_ref().map(|intro| PopupView {
                title: intro.title.clone(),
                body_html: markdown::render(&intro.body),
            }),
        },
        groups,
        user: None,
    };
    let plan = QuestPlan::new(&view);
    let nobody = HashSet::new();
    for (number, quest) in view
        .groups
        .iter_mut()
        .flat_map(|g| g.quests.iter_mut())
        .enumerate()
    {
        quest.status = plan.status(number, &nobody);
    }
    Ok(view)
}

/// Where each quest and the user sit in the JSON of a campaign's anonymous answer, so a
/// user's answer is that JSON with only what looks different to the user written anew: the
/// quests the user's progress touches (a completed task, a status other than the anonymous
/// one) and the user. Its cost is a copy of the anonymous answer plus those quests, not a
/// new rendering and serialization of the whole campaign for every call.
#[derive(Debug)]
pub struct AnswerLayout {
    /// Per quest (in [`QuestPlan`] order): its bytes.
    quests: Vec<Range<usize>>,
    /// The `null` of the anonymous answer's `"user"`.
    user: Range<usize>,
}

impl AnswerLayout {
    /// Finds the pieces of the anonymous `view` in `json`, its serialization.
    pub fn new(view: &WidgetCampaignResponse, json: &[u8]) -> Result<Self, AppError> {
        let lost = |what: &str| AppError::Internal(format!("answer layout: {what} not found"));
        let mut quests = Vec::new();
        let mut cursor = 0;
        for quest in view.groups.iter().flat_map(|g| &g.quests) {
            let piece = serde_json::to_vec(quest)
                .map_err(|e| AppError::Internal(format!("serializing a quest: {e}")))?;
            let start = cursor
                + json[cursor..]
                    .windows(piece.len())
                    .position(|window| window == piece)
                    .ok_or_else(|| lost(&format!("quest {}", quest.id)))?;
            cursor = start + piece.len();
            quests.push(start..cursor);
        }
        // `user` is the answer's last field, `null` for an anonymous visitor.
        let tail = br#","user":null}"#;
        if view.user.is_some() || !json.ends_with(tail) {
            return Err(lost("the user field"));
        }
        let user = json.len() - 5..json.len() - 1;
        Ok(Self { quests, user })
    }

    /// The answer for a user with `progress`: byte for byte the serialization of the
    /// anonymous `view` (whose JSON is `json`) with each task's completion, each quest's
    /// status for this user and the user's points.
    pub fn user_answer(
        &self,
        view: &WidgetCampaignResponse,
        plan: &QuestPlan,
        json: &[u8],
        progress: &Progress,
    ) -> Result<Vec<u8>, AppError> {
        let serialize = |e: serde_json::Error| AppError::Internal(format!("serializing: {e}"));
        let mut answer = Vec::with_capacity(json.len() + 128);
        let mut copied = 0;
        let done = &progress.completed_task_ids;
        for (number, quest) in view.groups.iter().flat_map(|g| &g.quests).enumerate() {
            let status = plan.status(number, done);
            if status == quest.status && !quest.tasks.iter().any(|t| done.contains(&t.id)) {
                continue;
            }
            let range = &self.quests[number];
            answer.extend_from_slice(&json[copied..range.start]);
            let mut mine = quest.clone();
            show_progress(&mut mine, status, progress);
            serde_json::to_writer(&mut answer, &mine).map_err(serialize)?;
            copied = range.end;
        }
        answer.extend_from_slice(&json[copied..self.user.start]);
        serde_json::to_writer(&mut answer, &progress.view()).map_err(serialize)?;
        answer.extend_from_slice(&json[self.user.end..]);
        Ok(answer)
    }
}

/// Sets a quest's status and its tasks' `completed` flags for one user.
fn show_progress(quest: &mut QuestView, status: QuestStatus, progress: &Progress) {
    quest.status = status;
    for task in &mut quest.tasks {
        task.completed = progress.completed_task_ids.contains(&task.id);
    }
}

/// The quests of the anonymous `view` that look different to a user with progress `after`
/// than with `before` (an attempt's), as that user now sees them: quest `quest_id` (the
/// attempted task's) and those of its dependents whose status changed. What an attempt's
/// answer carries, so the widget patches only those; its cost is that of those quests, not
/// of the campaign.
pub fn changed_quests(
    view: &WidgetCampaignResponse,
    plan: &QuestPlan,
    before: &Progress,
    after: &Progress,
    quest_id: &str,
) -> Vec<QuestView> {
    let Some(number) = plan.number(quest_id) else {
        return Vec::new();
    };
    let (was, now) = (&before.completed_task_ids, &after.completed_task_ids);
    let changed = std::iter::once(number).chain(
        plan.dependents[number]
            .iter()
            .copied()
            .filter(|&d| plan.status(d, was) != plan.status(d, now)),
    );
    changed
        .map(|number| {
            let (g, q) = plan.position[number];
            let mut quest = view.groups[g].quests[q].clone();
            show_progress(&mut quest, plan.status(number, now), after);
            quest
        })
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
        allowed_origins: campaign.allowed_origins.clone(),
        intro: campaign.intro.clone(),
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    /// The definition a user's answer must meet: the anonymous view with the user's progress
    /// applied to every quest, serialized whole.
    fn with_progress(
        view: &WidgetCampaignResponse,
        plan: &QuestPlan,
        progress: &Progress,
    ) -> WidgetCampaignResponse {
        let mut view = view.clone();
        for (number, quest) in view
            .groups
            .iter_mut()
            .flat_map(|g| g.quests.iter_mut())
            .enumerate()
        {
            show_progress(
                quest,
                plan.status(number, &progress.completed_task_ids),
                progress,
            );
        }
        view.user = Some(progress.view());
        view
    }

    #[tokio::test]
    async fn a_users_answer_is_the_anonymous_answer_with_their_progress_for_every_progress() {
        let dir = std::env::temp_dir().join(format!("questlet-views-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::connect(&format!("sqlite://{}", dir.join("q.db").display()))
            .await
            .unwrap();
        crate::demo::seed(&db).await.unwrap();
        let demo = db.organization_by_slug("demo").await.unwrap().unwrap();
        let tree = db
            .campaign_tree(&demo.id, "launch-week")
            .await
            .unwrap()
            .unwrap();
        let view = widget_campaign("demo", &tree).unwrap();
        let json = serde_json::to_vec(&view).unwrap();
        let plan = QuestPlan::new(&view);
        let layout = AnswerLayout::new(&view, &json).unwrap();
        let tasks: Vec<&TaskView> = view
            .groups
            .iter()
            .flat_map(|g| &g.quests)
            .flat_map(|q| &q.tasks)
            .collect();
        assert!(tasks.len() >= 4, "the demo has tasks to combine");
        assert!(
            view.groups
                .iter()
                .flat_map(|g| &g.quests)
                .any(|q| q.status == QuestStatus::Locked),
            "the demo has a locked quest to unlock"
        );
        // Every combination of completions of the first tasks (the rest stay open).
        let first = tasks.len().min(10);
        for combination in 0u32..(1 << first) {
            let completed: HashSet<String> = (0..first)
                .filter(|bit| combination & (1 << bit) != 0)
                .map(|bit| tasks[bit].id.clone())
                .collect();
            let progress = Progress {
                account: "ann \"<b>\"".into(),
                points: completed.len() as i64 * 10,
                completed_task_ids: completed,
            };
            let expected = serde_json::to_vec(&with_progress(&view, &plan, &progress)).unwrap();
            let answer = layout.user_answer(&view, &plan, &json, &progress).unwrap();
            assert!(
                answer == expected,
                "combination {combination:b}:\n{}\n!=\n{}",
                String::from_utf8_lossy(&answer),
                String::from_utf8_lossy(&expected)
            );
        }
    }
}
