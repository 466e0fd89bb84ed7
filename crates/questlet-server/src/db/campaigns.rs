//! Campaign content: campaigns, groups, quests and tasks.

use std::collections::HashMap;

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
    /// JSON of the intro [`questlet_types::campaign_document::PopupDocument`], if any.
    pub intro: Option<String>,
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

const CAMPAIGN_COLUMNS: &str = "id, organization_id, slug, title, description_md, image_url, \
     starts_at, ends_at, status, points_name, allowed_origins, intro";

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// Ids of existing rows by key, for matching a document against what is stored.
async fn ids_by_key(
    tx: &mut Tx<'_>,
    sql: &str,
    parent: &str,
) -> Result<HashMap<String, String>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(sql)
        .bind(parent)
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Writes a validated document over the campaign `campaign_id`: its own fields, then its
/// groups, quests and tasks matched by key (updated in place, inserted, or deleted).
async fn write_campaign(
    tx: &mut Tx<'_>,
    campaign_id: &str,
    doc: &CampaignDocument,
) -> Result<CampaignRow, sqlx::Error> {
    let allowed_origins =
        serde_json::to_string(&doc.allowed_origins).expect("a list of strings serializes");
    let intro = doc
        .intro
        .as_ref()
        .map(|intro| serde_json::to_string(intro).expect("a pop-up serializes"));
    sqlx::query(
        "UPDATE campaigns SET title = $1, description_md = $2, image_url = $3, starts_at = $4,
            ends_at = $5, status = $6, points_name = $7, allowed_origins = $8, intro = $9,
            updated_at = $10
         WHERE id = $11",
    )
    .bind(&doc.title)
    .bind(&doc.description)
    .bind(&doc.image_url)
    .bind(doc.starts_at)
    .bind(doc.ends_at)
    .bind(doc.status.as_str())
    .bind(&doc.points_name)
    .bind(&allowed_origins)
    .bind(&intro)
    .bind(now())
    .bind(campaign_id)
    .execute(&mut **tx)
    .await?;

    let mut groups = ids_by_key(
        tx,
        "SELECT key, id FROM campaign_groups WHERE campaign_id = $1",
        campaign_id,
    )
    .await?;
    let mut quests = ids_by_key(
        tx,
        "SELECT q.key, q.id FROM quests q JOIN campaign_groups g ON g.id = q.group_id
         WHERE g.campaign_id = $1",
        campaign_id,
    )
    .await?;
    for (group_position, group) in doc.groups.iter().enumerate() {
        let group_id = match groups.remove(&group.key) {
            Some(id) => {
                sqlx::query("UPDATE campaign_groups SET title = $1, position = $2 WHERE id = $3")
                    .bind(&group.title)
                    .bind(group_position as i64)
                    .bind(&id)
                    .execute(&mut **tx)
                    .await?;
                id
            }
            None => {
                let id = new_id();
                sqlx::query(
                    "INSERT INTO campaign_groups (id, campaign_id, key, title, position)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&id)
                .bind(campaign_id)
                .bind(&group.key)
                .bind(&group.title)
                .bind(group_position as i64)
                .execute(&mut **tx)
                .await?;
                id
            }
        };
        for (quest_position, quest) in group.quests.iter().enumerate() {
            let points: i64 = quest.tasks.iter().map(|t| t.points).sum();
            let prerequisites =
                serde_json::to_string(&quest.prerequisites).expect("strings serialize");
            let quest_id = match quests.remove(&quest.key) {
                Some(id) => {
                    sqlx::query(
                        "UPDATE quests SET group_id = $1, title = $2, description_md = $3,
                            image_url = $4, points = $5, position = $6, prerequisites = $7
                         WHERE id = $8",
                    )
                    .bind(&group_id)
                    .bind(&quest.title)
                    .bind(&quest.description)
                    .bind(&quest.image_url)
                    .bind(points)
                    .bind(quest_position as i64)
                    .bind(&prerequisites)
                    .bind(&id)
                    .execute(&mut **tx)
                    .await?;
                    id
                }
                None => {
                    let id = new_id();
                    sqlx::query(
                        "INSERT INTO quests (id, group_id, key, title, description_md, image_url,
                            points, position, prerequisites)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(&id)
                    .bind(&group_id)
                    .bind(&quest.key)
                    .bind(&quest.title)
                    .bind(&quest.description)
                    .bind(&quest.image_url)
                    .bind(points)
                    .bind(quest_position as i64)
                    .bind(&prerequisites)
                    .execute(&mut **tx)
                    .await?;
                    id
                }
            };
            let mut tasks = ids_by_key(
                tx,
                "SELECT key, id FROM tasks WHERE quest_id = $1",
                &quest_id,
            )
            .await?;
            for (task_position, task) in quest.tasks.iter().enumerate() {
                let config = serde_json::to_string(&task.config).expect("task config serializes");
                let (sql, id) = match tasks.remove(&task.key) {
                    Some(id) => (
                        "UPDATE tasks SET kind = $2, title = $3, description_md = $4, points = $5,
                            required = $6, position = $7, config = $8, quest_id = $9
                         WHERE id = $1 AND key = $10",
                        id,
                    ),
                    None => (
                        "INSERT INTO tasks (id, kind, title, description_md, points, required,
                            position, config, quest_id, key)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                        new_id(),
                    ),
                };
                sqlx::query(sql)
                    .bind(&id)
                    .bind(task.config.kind().as_str())
                    .bind(&task.title)
                    .bind(&task.description)
                    .bind(task.points)
                    .bind(i64::from(task.required))
                    .bind(task_position as i64)
                    .bind(&config)
                    .bind(&quest_id)
                    .bind(&task.key)
                    .execute(&mut **tx)
                    .await?;
            }
            for (_, stale) in tasks {
                sqlx::query("DELETE FROM tasks WHERE id = $1")
                    .bind(stale)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    for (_, stale) in quests {
        sqlx::query("DELETE FROM quests WHERE id = $1")
            .bind(stale)
            .execute(&mut **tx)
            .await?;
    }
    for (_, stale) in groups {
        sqlx::query("DELETE FROM campaign_groups WHERE id = $1")
            .bind(stale)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query_as(&format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1"
    ))
    .bind(campaign_id)
    .fetch_one(&mut **tx)
    .await
}

impl Db {
    /// Stores a new campaign from a validated document, atomically. A taken slug is a
    /// unique violation.
    pub async fn insert_campaign(
        &self,
        organization_id: &str,
        doc: &CampaignDocument,
    ) -> Result<CampaignRow, sqlx::Error> {
        let mut tx = self.pool().begin().await?;
        let created = now();
        let campaign_id = new_id();
        sqlx::query(
            "INSERT INTO campaigns (id, organization_id, slug, title, description_md, image_url,
                starts_at, ends_at, status, points_name, allowed_origins, created_at, updated_at)
             VALUES ($1, $2, $3, '', '', NULL, NULL, NULL, 'draft', '', '[]', $4, $4)",
        )
        .bind(&campaign_id)
        .bind(organization_id)
        .bind(&doc.slug)
        .bind(created)
        .execute(&mut *tx)
        .await?;
        let row = write_campaign(&mut tx, &campaign_id, doc).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Replaces a campaign's content with a validated document, atomically. Groups, quests
    /// and tasks are matched by key, so unchanged or edited items keep their ids and users'
    /// completions; only items missing from the document are deleted. `false` when the
    /// organization has no campaign with `doc.slug`.
    pub async fn replace_campaign(
        &self,
        organization_id: &str,
        doc: &CampaignDocument,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool().begin().await?;
        let id: Option<(String,)> =
            sqlx::query_as("SELECT id FROM campaigns WHERE organization_id = $1 AND slug = $2")
                .bind(organization_id)
                .bind(&doc.slug)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((campaign_id,)) = id else {
            return Ok(false);
        };
        write_campaign(&mut tx, &campaign_id, doc).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes a campaign and everything in it; `false` when there is none.
    pub async fn delete_campaign(
        &self,
        organization_id: &str,
        slug: &str,
    ) -> Result<bool, sqlx::Error> {
        let result = sqlx::query("DELETE FROM campaigns WHERE organization_id = $1 AND slug = $2")
            .bind(organization_id)
            .bind(slug)
            .execute(self.pool())
            .await?;
        Ok(result.rows_affected() == 1)
    }

    /// An organization's campaigns, by slug.
    pub async fn list_campaigns(
        &self,
        organization_id: &str,
    ) -> Result<Vec<CampaignRow>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE organization_id = $1 ORDER BY slug"
        ))
        .bind(organization_id)
        .fetch_all(self.pool())
        .await
    }

    /// Loads a campaign of an organization with all its content, in display order.
    pub async fn campaign_tree(
        &self,
        organization_id: &str,
        slug: &str,
    ) -> Result<Option<CampaignTree>, sqlx::Error> {
        let campaign: Option<CampaignRow> = sqlx::query_as(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE organization_id = $1 AND slug = $2"
        ))
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

impl Db {
    /// The JSON array of origins allowed to embed a campaign, by organization and campaign
    /// slug (a light lookup for CORS checks).
    pub async fn campaign_allowed_origins(
        &self,
        organization: &str,
        campaign: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT c.allowed_origins FROM campaigns c
             JOIN organizations o ON o.id = c.organization_id
             WHERE o.slug = $1 AND c.slug = $2",
        )
        .bind(organization)
        .bind(campaign)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(origins,)| origins))
    }
}
