//! Stored rows become wire types here, and only here (rows are never the wire format).

use std::collections::{HashMap, HashSet};

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

/// Each quest's status for the caller, by quest id: completed when its required tasks are
/// (all tasks when none is required), locked while a prerequisite is not completed.
pub fn quest_statuses<'a>(
    tree: &'a CampaignTree,
    progress: Option<&Progress>,
) -> HashMap<&'a str, QuestStatus> {
    let done = |task_id: &str| progress.is_some_and(|p| p.completed_task_ids.contains(task_id));
    // Each quest's tasks, in one pass (a per-quest scan of every task would be quadratic on a
    // 1,000-task campaign).
    let mut tasks_of: HashMap<&str, Vec<&TaskRow>> = HashMap::with_capacity(tree.quests.len());
    for task in &tree.tasks {
        tasks_of
            .entry(task.quest_id.as_str())
            .or_default()
            .push(task);
    }
    let completed_by_key: HashMap<&str, bool> = tree
        .quests
        .iter()
        .map(|quest| {
            let tasks = tasks_of
                .get(quest.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            let required: Vec<&&TaskRow> = tasks.iter().filter(|t| t.required).collect();
            let completed = !tasks.is_empty()
                && if required.is_empty() {
                    tasks.iter().all(|t| done(&t.id))
                } else {
                    required.iter().all(|t| done(&t.id))
                };
            (quest.key.as_str(), completed)
        })
        .collect();
    tree.quests
        .iter()
        .map(|quest| {
            let status = if completed_by_key[quest.key.as_str()] {
                QuestStatus::Completed
            } else if quest
                .prerequisites
                .iter()
                .all(|key| completed_by_key.get(key.as_str()).copied().unwrap_or(false))
            {
                QuestStatus::Available
            } else {
                QuestStatus::Locked
            };
            (quest.id.as_str(), status)
        })
        .collect()
}

/// Renders what the widget paints for an anonymous visitor from a campaign's rows (Markdown
/// rendered and sanitized, secrets stripped); [`with_progress`] adds a user's progress.
pub fn widget_campaign(
    organization: &str,
    tree: &CampaignTree,
) -> Result<WidgetCampaignResponse, AppError> {
    let statuses = quest_statuses(tree, None);
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
        let status = statuses[quest.id.as_str()];
        let tasks = tasks_by_quest.remove(quest.id.as_str()).unwrap_or_default();
        let view = QuestView {
            id: quest.id.clone(),
            key: quest.key.clone(),
            title: quest.title.clone(),
            description_html: markdown::render(&quest.description_md),
            image_url: quest.image_url.clone(),
            points: tasks.iter().map(|t| t.points).sum(),
            prerequisites: quest.prerequisites.clone(),
            status,
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
    Ok(WidgetCampaignResponse {
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
    })
}

/// The anonymous `view` of `tree` with a user's progress: each task's completion, each
/// quest's status for this user, and the user's points.
pub fn with_progress(
    view: &WidgetCampaignResponse,
    tree: &CampaignTree,
    progress: &Progress,
) -> WidgetCampaignResponse {
    let statuses = quest_statuses(tree, Some(progress));
    let mut view = view.clone();
    for quest in view.groups.iter_mut().flat_map(|g| g.quests.iter_mut()) {
        show_progress(quest, &statuses, progress);
    }
    view.user = Some(UserProgressView {
        account: progress.account.clone(),
        points: progress.points,
        completed_tasks: progress.completed_task_ids.len() as i64,
    });
    view
}

/// Sets a quest's status and its tasks' `completed` flags for one user.
fn show_progress(
    quest: &mut QuestView,
    statuses: &HashMap<&str, QuestStatus>,
    progress: &Progress,
) {
    if let Some(status) = statuses.get(quest.id.as_str()) {
        quest.status = *status;
    }
    for task in &mut quest.tasks {
        task.completed = progress.completed_task_ids.contains(&task.id);
    }
}

/// The quests of the anonymous `view` that look different to a user with progress `after`
/// than with `before`, plus quest `quest_id` (the attempted task's), as that user now sees
/// them: what an attempt's answer carries so the widget patches only those.
pub fn changed_quests(
    view: &WidgetCampaignResponse,
    tree: &CampaignTree,
    before: &Progress,
    after: &Progress,
    quest_id: &str,
) -> Vec<QuestView> {
    let (was, now) = (
        quest_statuses(tree, Some(before)),
        quest_statuses(tree, Some(after)),
    );
    view.groups
        .iter()
        .flat_map(|g| &g.quests)
        .filter(|quest| {
            quest.id == quest_id || was.get(quest.id.as_str()) != now.get(quest.id.as_str())
        })
        .map(|quest| {
            let mut quest = quest.clone();
            show_progress(&mut quest, &now, after);
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
