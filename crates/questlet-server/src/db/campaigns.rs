//! Campaign content: campaigns, groups, quests and tasks.

use questlet_types::CampaignDocument;
use sqlx::FromRow;

use super::{new_id, Db};
use crate::time::now;

/// A campaign as stored.
#[derive(Debug, Clone, FromRow)]
pub struct CampaignRow {
    /// Row id.
    pub id: String,
    /// Owning organization.
    pub organization_id: String,
    /// Slug, unique within the organization.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Description, Markdown.
    pub description_md: String,
    /// Header image URL.
    pub image_url: Option<String>,
    /// Start, Unix seconds.
    pub starts_at: Option<i64>,
    /// End, Unix seconds.
    pub ends_at: Option<i64>,
    /// `draft`, `published` or `ended`.
    pub status: String,
    /// Name of the points.
    pub points_name: String,
    /// JSON array of allowed embedding origins.
    pub allowed_origins: String,
}

/// A group as stored.
#[derive(Debug, Clone, FromRow)]
pub struct GroupRow {
    /// Row id.
    pub id: String,
    /// Document key.
    pub key: String,
    /// Title.
    pub title: String,
}

/// A quest as stored.
#[derive(Debug, Clone, FromRow)]
pub struct QuestRow {
    /// Row id.
    pub id: String,
    /// Owning group.
    pub group_id: String,
    /// Document key.
    pub key: String,
    /// Title.
    pub title: String,
    /// Description, Markdown.
    pub description_md: String,
    /// Card image URL.
    pub image_url: Option<String>,
    /// JSON array of prerequisite quest keys.
    pub prerequisites: String,
}

/// A task as stored.
#[derive(Debug, Clone, FromRow)]
pub struct TaskRow {
    /// Row id.
    pub id: String,
    /// Owning quest.
    pub quest_id: String,
    /// Document key.
    pub key: String,
    /// Kind name (`visit_link`, ...).
    pub kind: String,
    /// Title.
    pub title: String,
    /// Description, Markdown.
    pub description_md: String,
    /// Points on completion.
    pub points: i64,
    /// 1 when the quest needs it.
    pub required: i64,
    /// JSON of the full [`questlet_types::TaskConfig`].
    pub config: String,
}

/// A campaign with all its content, each level in display order.
#[derive(Debug, Clone)]
pub struct CampaignTree {
    /// The campaign.
    pub campaign: CampaignRow,
    /// Its groups.
    pub groups: Vec<GroupRow>,
    /// Its quests, across groups.
    pub quests: Vec<QuestRow>,
    /// Its tasks, across quests.
    pub tasks: Vec<TaskRow>,
}

impl Db {
    /// Stores a whole campaign document for an organization, atomically. The document must
    /// already be validated. A taken slug is a unique violation.
    pub async fn insert_campaign(
        &self,
        organization_id: &str,
        doc: &CampaignDocument,
    ) -> Result<CampaignRow, sqlx::Error> {
        let mut tx = self.pool().begin().await?;
        let created = now();
        let campaign = CampaignRow {
            id: new_id(),
            organization_id: organization_id.to_owned(),
            slug: doc.slug.clone(),
            title: doc.title.clone(),
            description_md: doc.description.clone(),
            image_url: doc.image_url.clone(),
            starts_at: doc.starts_at,
            ends_at: doc.ends_at,
            status: doc.status.as_str().to_owned(),
            points_name: doc.points_name.clone(),
            allowed_origins: serde_json::to_string(&doc.allowed_origins)
                .expect("a list of strings serializes"),
        };
        sqlx::query(
            "INSERT INTO campaigns (id, organization_id, slug, title, description_md, image_url,
                starts_at, ends_at, status, points_name, allowed_origins, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
        )
        .bind(&campaign.id)
        .bind(&campaign.organization_id)
        .bind(&campaign.slug)
        .bind(&campaign.title)
        .bind(&campaign.description_md)
        .bind(&campaign.image_url)
        .bind(campaign.starts_at)
        .bind(campaign.ends_at)
        .bind(&campaign.status)
        .bind(&campaign.points_name)
        .bind(&campaign.allowed_origins)
        .bind(created)
        .execute(&mut *tx)
        .await?;

        for (group_position, group) in doc.groups.iter().enumerate() {
            let group_id = new_id();
            sqlx::query(
                "INSERT INTO campaign_groups (id, campaign_id, key, title, position)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&group_id)
            .bind(&campaign.id)
            .bind(&group.key)
            .bind(&group.title)
            .bind(group_position as i64)
            .execute(&mut *tx)
            .await?;
            for (quest_position, quest) in group.quests.iter().enumerate() {
                let quest_id = new_id();
                let points: i64 = quest.tasks.iter().map(|t| t.points).sum();
                sqlx::query(
                    "INSERT INTO quests (id, group_id, key, title, description_md, image_url,
                        points, position, prerequisites)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(&quest_id)
                .bind(&group_id)
                .bind(&quest.key)
                .bind(&quest.title)
                .bind(&quest.description)
                .bind(&quest.image_url)
                .bind(points)
                .bind(quest_position as i64)
                .bind(serde_json::to_string(&quest.prerequisites).expect("strings serialize"))
                .execute(&mut *tx)
                .await?;
                for (task_position, task) in quest.tasks.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO tasks (id, quest_id, key, kind, title, description_md,
                            points, required, position, config)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    )
                    .bind(new_id())
                    .bind(&quest_id)
                    .bind(&task.key)
                    .bind(task.config.kind().as_str())
                    .bind(&task.title)
                    .bind(&task.description)
                    .bind(task.points)
                    .bind(i64::from(task.required))
                    .bind(task_position as i64)
                    .bind(serde_json::to_string(&task.config).expect("task config serializes"))
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(campaign)
    }

    /// Loads a campaign of an organization with all its content, in display order.
    pub async fn campaign_tree(
        &self,
        organization_id: &str,
        slug: &str,
    ) -> Result<Option<CampaignTree>, sqlx::Error> {
        let campaign: Option<CampaignRow> = sqlx::query_as(
            "SELECT id, organization_id, slug, title, description_md, image_url, starts_at,
                    ends_at, status, points_name, allowed_origins
             FROM campaigns WHERE organization_id = $1 AND slug = $2",
        )
        .bind(organization_id)
        .bind(slug)
        .fetch_optional(self.pool())
        .await?;
        let Some(campaign) = campaign else {
            return Ok(None);
        };
        let groups = sqlx::query_as(
            "SELECT id, key, title FROM campaign_groups WHERE campaign_id = $1 ORDER BY position",
        )
        .bind(&campaign.id)
        .fetch_all(self.pool())
        .await?;
        let quests = sqlx::query_as(
            "SELECT q.id, q.group_id, q.key, q.title, q.description_md, q.image_url,
                    q.prerequisites
             FROM quests q JOIN campaign_groups g ON g.id = q.group_id
             WHERE g.campaign_id = $1 ORDER BY g.position, q.position",
        )
        .bind(&campaign.id)
        .fetch_all(self.pool())
        .await?;
        let tasks = sqlx::query_as(
            "SELECT t.id, t.quest_id, t.key, t.kind, t.title, t.description_md, t.points,
                    t.required, t.config
             FROM tasks t JOIN quests q ON q.id = t.quest_id
                          JOIN campaign_groups g ON g.id = q.group_id
             WHERE g.campaign_id = $1 ORDER BY g.position, q.position, t.position",
        )
        .bind(&campaign.id)
        .fetch_all(self.pool())
        .await?;
        Ok(Some(CampaignTree {
            campaign,
            groups,
            quests,
            tasks,
        }))
    }
}
