//! Campaign content: campaigns, groups, quests and tasks.
//!
//! Rows are decoded here, once: status and kind columns become the `questlet-types` enums
//! and JSON columns their types, so a corrupt stored value fails the read.
//!
//! A campaign's tree is read in one snapshot ([`Db::campaign_tree`]). It is edited in one
//! write transaction ([`Db::begin_campaign_edit`] → [`CampaignEdit::save`]) whose first
//! statement bumps the campaign's version: that serialises editors (the row lock on
//! PostgreSQL, the write lock taken by `BEGIN IMMEDIATE` on SQLite), so an edit always
//! starts from the state the previous one committed, and the version is what partners see
//! as the ETag and send back as `If-Match`.

use std::collections::HashMap;

use questlet_types::campaign_document::TaskDocument;
use questlet_types::campaign_document::{
    CampaignDocument, GroupDocument, PopupDocument, QuestDocument,
};
use questlet_types::rewards::{RankDocument, RewardDocument};
use questlet_types::{CampaignStatus, Recurrence, TaskConfig, TaskKind};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, FromRow, Row};

use super::shared_reads::SharedReadError;
use super::stamped_map::remembered_or_read;
use super::{decode, new_id, Db, Tx};
use crate::recurrence::CampaignZone;
use crate::time::now;

/// A campaign as stored.
#[derive(Debug, Clone)]
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
    /// Lifecycle state.
    pub status: CampaignStatus,
    /// Name of the points.
    pub points_name: String,
    /// The time zone of its daily and weekly tasks.
    pub time_zone: CampaignZone,
    /// Origins allowed to embed the campaign.
    pub allowed_origins: Vec<String>,
    /// The intro pop-up, if any.
    pub intro: Option<PopupDocument>,
    /// Where referral links point, if set.
    pub referral_url: Option<String>,
    /// Named levels by points, ascending.
    pub ranks: Vec<RankDocument>,
    /// What users can claim, in display order.
    pub rewards: Vec<RewardDocument>,
    /// Bumped by every edit; the ETag partners see.
    pub version: i64,
}

impl FromRow<'_, AnyRow> for CampaignRow {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.try_get("id")?,
            organization_id: row.try_get("organization_id")?,
            slug: row.try_get("slug")?,
            title: row.try_get("title")?,
            description_md: row.try_get("description_md")?,
            image_url: row.try_get("image_url")?,
            starts_at: row.try_get("starts_at")?,
            ends_at: row.try_get("ends_at")?,
            status: decode::wire_name(row, "status", CampaignStatus::parse)?,
            points_name: row.try_get("points_name")?,
            time_zone: {
                let name: String = row.try_get("time_zone")?;
                CampaignZone::named(&name)
                    .ok_or_else(|| decode::corrupt("time_zone", format!("no time zone {name}")))?
            },
            allowed_origins: decode::json(row, "allowed_origins")?,
            intro: decode::optional_json(row, "intro")?,
            referral_url: row.try_get("referral_url")?,
            ranks: decode::json(row, "ranks")?,
            rewards: decode::json(row, "rewards")?,
            version: row.try_get("version")?,
        })
    }
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
#[derive(Debug, Clone)]
pub struct QuestRow {
    /// Row id.
    pub id: String,
    /// Owning group.
    pub group_id: String,
    /// Document key, unique within the campaign.
    pub key: String,
    /// Title.
    pub title: String,
    /// Description, Markdown.
    pub description_md: String,
    /// Card image URL.
    pub image_url: Option<String>,
    /// Keys of the quests that must be completed first.
    pub prerequisites: Vec<String>,
    /// Opens, Unix seconds.
    pub starts_at: Option<i64>,
    /// Closes, Unix seconds.
    pub ends_at: Option<i64>,
}

impl FromRow<'_, AnyRow> for QuestRow {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.try_get("id")?,
            group_id: row.try_get("group_id")?,
            key: row.try_get("key")?,
            title: row.try_get("title")?,
            description_md: row.try_get("description_md")?,
            image_url: row.try_get("image_url")?,
            prerequisites: decode::json(row, "prerequisites")?,
            starts_at: row.try_get("starts_at")?,
            ends_at: row.try_get("ends_at")?,
        })
    }
}

/// A task as stored.
#[derive(Debug, Clone)]
pub struct TaskRow {
    /// Row id.
    pub id: String,
    /// Owning quest.
    pub quest_id: String,
    /// Document key, unique within the quest.
    pub key: String,
    /// The task's type (always `config.kind()`).
    pub kind: TaskKind,
    /// Title.
    pub title: String,
    /// Description, Markdown.
    pub description_md: String,
    /// Points on completion.
    pub points: i64,
    /// Whether the quest needs it.
    pub required: bool,
    /// The full settings, secrets included: never sent to the widget whole.
    pub config: TaskConfig,
    /// Its multiplier, recurrence, messages and window.
    pub rules: TaskRules,
}

/// A task's rules as stored: one JSON object in `tasks.rules` (read with the tree, never
/// filtered on in SQL). Absent fields take the document's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRules {
    /// Percent of the points a completion awards.
    #[serde(default = "hundred")]
    pub points_multiplier_pct: i64,
    /// How often a user may complete the task.
    #[serde(default)]
    pub recurrence: Recurrence,
    /// Shown when an attempt completes it.
    #[serde(default)]
    pub completion_message: String,
    /// Shown when an attempt fails.
    #[serde(default)]
    pub failure_message: String,
    /// Opens, Unix seconds.
    #[serde(default)]
    pub starts_at: Option<i64>,
    /// Closes, Unix seconds.
    #[serde(default)]
    pub ends_at: Option<i64>,
}

fn hundred() -> i64 {
    100
}

impl TaskRules {
    /// A document task's rules.
    pub fn of(task: &TaskDocument) -> Self {
        Self {
            points_multiplier_pct: task.points_multiplier_pct,
            recurrence: task.recurrence,
            completion_message: task.completion_message.clone(),
            failure_message: task.failure_message.clone(),
            starts_at: task.starts_at,
            ends_at: task.ends_at,
        }
    }
}

impl TaskRow {
    /// The points one completion awards (the multiplier applied, rounded down).
    pub fn points_per_completion(&self) -> i64 {
        self.points.saturating_mul(self.rules.points_multiplier_pct) / 100
    }
}

impl FromRow<'_, AnyRow> for TaskRow {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        let kind = decode::wire_name(row, "kind", TaskKind::parse)?;
        let config: TaskConfig = decode::json(row, "config")?;
        // Two columns say the type; a row where they disagree is corrupt.
        if config.kind() != kind {
            return Err(decode::corrupt(
                "config",
                format!(
                    "a {} config in a {} task",
                    config.kind().as_str(),
                    kind.as_str()
                ),
            ));
        }
        Ok(Self {
            id: row.try_get("id")?,
            quest_id: row.try_get("quest_id")?,
            key: row.try_get("key")?,
            kind,
            title: row.try_get("title")?,
            description_md: row.try_get("description_md")?,
            points: row.try_get("points")?,
            required: decode::flag(row, "required")?,
            config,
            rules: decode::json(row, "rules")?,
        })
    }
}

/// A campaign's identity and version (see [`Db::campaign_version`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignVersion {
    /// The owning organization's id.
    pub organization_id: String,
    /// The campaign's id.
    pub campaign_id: String,
    /// Its version: every edit raises it.
    pub version: i64,
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

/// What a writer expects of a campaign's version (an HTTP `If-Match`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Precondition {
    /// Nothing: the write applies to whatever is stored when its turn comes.
    #[default]
    Unconditional,
    /// The campaign exists, at any version (`If-Match: *`).
    Exists,
    /// The campaign is at one of these versions (none when no tag named a version).
    OneOf(Vec<i64>),
}

impl Precondition {
    /// Whether a campaign at `version` (`None`: no such campaign) meets it. Any condition
    /// fails on a missing campaign, as `If-Match` does on a missing resource.
    pub fn holds(&self, version: Option<i64>) -> bool {
        match (self, version) {
            (Precondition::Unconditional, _) => true,
            (_, None) => false,
            (Precondition::Exists, Some(_)) => true,
            (Precondition::OneOf(versions), Some(version)) => versions.contains(&version),
        }
    }
}

/// Why a campaign edit could not start or finish.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The organization has no campaign with this slug (and the write set no condition).
    #[error("campaign {0} not found")]
    NotFound(String),
    /// The campaign is not at a version the writer expected (`None`: it does not exist).
    #[error("campaign {slug} is at version {current:?}, not an expected one")]
    PreconditionFailed {
        /// The campaign's slug.
        slug: String,
        /// Its version when the edit had its turn.
        current: Option<i64>,
    },
    /// The storage layer failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A campaign edit under way: a write transaction that has bumped the campaign's version
/// (so it holds the campaign until it ends) and read its tree. [`CampaignEdit::save`]
/// writes and commits; dropping it rolls everything back, the version bump included.
pub struct CampaignEdit {
    db: Db,
    tx: Tx,
    tree: CampaignTree,
}

impl CampaignEdit {
    /// The campaign as stored when this edit began, with the version the save will leave.
    pub fn tree(&self) -> &CampaignTree {
        &self.tree
    }

    /// Checks `expected` against the version the campaign had when this edit began (a failed
    /// check drops the edit: nothing changes, not even the version).
    pub fn check(&self, expected: &Precondition) -> Result<(), EditError> {
        let current = Some(self.tree.campaign.version - 1);
        if expected.holds(current) {
            Ok(())
        } else {
            Err(EditError::PreconditionFailed {
                slug: self.tree.campaign.slug.clone(),
                current,
            })
        }
    }

    /// Writes a validated document over the campaign and commits; answers the new version.
    pub async fn save(mut self, doc: &CampaignDocument) -> Result<i64, sqlx::Error> {
        write_campaign(&mut self.tx, &self.tree.campaign.id, doc).await?;
        self.db.commit_content(self.tx).await?;
        Ok(self.tree.campaign.version)
    }
}

const CAMPAIGN_COLUMNS: &str = "id, organization_id, slug, title, description_md, image_url, \
     starts_at, ends_at, status, points_name, time_zone, allowed_origins, intro, referral_url, \
     ranks, rewards, version";

/// Reads a campaign with all its content on `conn`; the caller's transaction decides the
/// snapshot (one read snapshot, or an edit's locked state).
async fn read_tree(
    conn: &mut AnyConnection,
    organization_id: &str,
    slug: &str,
) -> Result<Option<CampaignTree>, sqlx::Error> {
    let campaign: Option<CampaignRow> = sqlx::query_as(&format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE organization_id = $1 AND slug = $2"
    ))
    .bind(organization_id)
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(campaign) = campaign else {
        return Ok(None);
    };
    let groups = sqlx::query_as(
        "SELECT id, key, title FROM campaign_groups WHERE campaign_id = $1 ORDER BY position",
    )
    .bind(&campaign.id)
    .fetch_all(&mut *conn)
    .await?;
    let quests = sqlx::query_as(
        "SELECT q.id, q.group_id, q.key, q.title, q.description_md, q.image_url,
                q.prerequisites, q.starts_at, q.ends_at
         FROM quests q JOIN campaign_groups g ON g.id = q.group_id
         WHERE q.campaign_id = $1 ORDER BY g.position, q.position",
    )
    .bind(&campaign.id)
    .fetch_all(&mut *conn)
    .await?;
    let tasks = sqlx::query_as(
        "SELECT t.id, t.quest_id, t.key, t.kind, t.title, t.description_md, t.points,
                t.required, t.config, t.rules
         FROM tasks t JOIN quests q ON q.id = t.quest_id
                      JOIN campaign_groups g ON g.id = q.group_id
         WHERE q.campaign_id = $1 ORDER BY g.position, q.position, t.position",
    )
    .bind(&campaign.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(CampaignTree {
        campaign,
        groups,
        quests,
        tasks,
    }))
}

/// Bumps the version of the organization's campaign `slug` as the first write of `tx`, which
/// makes every later editor of it wait for `tx` to end, then checks `expected` against the
/// version before the bump. Answers the campaign's id.
async fn claim_campaign(
    tx: &mut Tx,
    organization_id: &str,
    slug: &str,
    expected: &Precondition,
) -> Result<String, EditError> {
    let claimed: Option<(String, i64)> = sqlx::query_as(
        "UPDATE campaigns SET version = version + 1
         WHERE organization_id = $1 AND slug = $2
         RETURNING id, version",
    )
    .bind(organization_id)
    .bind(slug)
    .fetch_optional(&mut **tx)
    .await?;
    let current = claimed.as_ref().map(|(_, version)| version - 1);
    if !expected.holds(current) {
        return Err(EditError::PreconditionFailed {
            slug: slug.to_owned(),
            current,
        });
    }
    claimed
        .map(|(id, _)| id)
        .ok_or_else(|| EditError::NotFound(slug.to_owned()))
}

/// Ids of existing rows by key, for matching a document against what is stored.
async fn ids_by_key(
    conn: &mut AnyConnection,
    sql: &str,
    parent: &str,
) -> Result<HashMap<String, String>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(sql).bind(parent).fetch_all(conn).await?;
    Ok(rows.into_iter().collect())
}

/// Writes a validated document over the campaign `campaign_id`: its own fields, then its
/// groups, quests and tasks matched by key. A matched row is updated in place (so it keeps
/// its id, and users their completions), a new key is inserted, and rows whose keys left the
/// document are deleted last.
async fn write_campaign(
    conn: &mut AnyConnection,
    campaign_id: &str,
    doc: &CampaignDocument,
) -> Result<(), sqlx::Error> {
    write_campaign_fields(conn, campaign_id, doc).await?;
    let mut groups = ids_by_key(
        conn,
        "SELECT key, id FROM campaign_groups WHERE campaign_id = $1",
        campaign_id,
    )
    .await?;
    let mut quests = ids_by_key(
        conn,
        "SELECT key, id FROM quests WHERE campaign_id = $1",
        campaign_id,
    )
    .await?;
    let mut stale_tasks = Vec::new();
    for (group_position, group) in doc.groups.iter().enumerate() {
        let group_id = write_group(
            conn,
            campaign_id,
            groups.remove(&group.key),
            group_position,
            group,
        )
        .await?;
        for (quest_position, quest) in group.quests.iter().enumerate() {
            let at = QuestPlace {
                campaign_id,
                group_id: &group_id,
                position: quest_position,
            };
            let quest_id = write_quest(conn, &at, quests.remove(&quest.key), quest).await?;
            stale_tasks.extend(write_tasks(conn, &quest_id, quest).await?);
        }
    }
    // Children first: a stale task may sit in a quest that stays.
    delete_stale(conn, "tasks", stale_tasks).await?;
    delete_stale(conn, "quests", quests.into_values()).await?;
    delete_stale(conn, "campaign_groups", groups.into_values()).await
}

/// The campaign row's own fields.
async fn write_campaign_fields(
    conn: &mut AnyConnection,
    campaign_id: &str,
    doc: &CampaignDocument,
) -> Result<(), sqlx::Error> {
    let allowed_origins =
        serde_json::to_string(&doc.allowed_origins).expect("a list of strings serializes");
    let intro = doc
        .intro
        .as_ref()
        .map(|intro| serde_json::to_string(intro).expect("a pop-up serializes"));
    let ranks = serde_json::to_string(&doc.ranks).expect("ranks serialize");
    let rewards = serde_json::to_string(&doc.rewards).expect("rewards serialize");
    sqlx::query(
        "UPDATE campaigns SET title = $1, description_md = $2, image_url = $3, starts_at = $4,
            ends_at = $5, status = $6, points_name = $7, allowed_origins = $8, intro = $9,
            updated_at = $10, time_zone = $12, referral_url = $13, ranks = $14, rewards = $15
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
    .bind(&doc.time_zone)
    .bind(&doc.referral_url)
    .bind(&ranks)
    .bind(&rewards)
    .execute(conn)
    .await?;
    Ok(())
}

/// A query of the `Any` driver, for [`upsert`]'s binder.
type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Updates the row `existing` (an id) or, when `None`, inserts one under a new id; answers
/// the id. Both statements take the same parameters in the same order, `$1` the id and the
/// rest bound by `bind`, so one binder serves both. The update also matches the row's
/// parent and key, so it can never rewrite a row of another campaign or quest.
async fn upsert<'q>(
    conn: &mut AnyConnection,
    existing: Option<String>,
    update: &'q str,
    insert: &'q str,
    bind: impl FnOnce(AnyQuery<'q>) -> AnyQuery<'q>,
) -> Result<String, sqlx::Error> {
    let (sql, id) = match existing {
        Some(id) => (update, id),
        None => (insert, new_id()),
    };
    bind(sqlx::query(sql).bind(id.clone()))
        .execute(conn)
        .await?;
    Ok(id)
}

/// One group: updated when `existing` (its id) is given, inserted otherwise; answers its id.
async fn write_group(
    conn: &mut AnyConnection,
    campaign_id: &str,
    existing: Option<String>,
    position: usize,
    group: &GroupDocument,
) -> Result<String, sqlx::Error> {
    upsert(
        conn,
        existing,
        "UPDATE campaign_groups SET title = $4, position = $5
         WHERE id = $1 AND campaign_id = $2 AND key = $3",
        "INSERT INTO campaign_groups (id, campaign_id, key, title, position)
         VALUES ($1, $2, $3, $4, $5)",
        |query| {
            query
                .bind(campaign_id)
                .bind(&group.key)
                .bind(&group.title)
                .bind(position as i64)
        },
    )
    .await
}

/// Where a quest goes: its campaign, its group and its position in the group.
struct QuestPlace<'a> {
    campaign_id: &'a str,
    group_id: &'a str,
    position: usize,
}

/// One quest (its fields, not its tasks): updated when `existing` (its id) is given, which
/// also moves it to another group, inserted otherwise; answers its id.
async fn write_quest(
    conn: &mut AnyConnection,
    at: &QuestPlace<'_>,
    existing: Option<String>,
    quest: &QuestDocument,
) -> Result<String, sqlx::Error> {
    let points: i64 = quest.tasks.iter().map(|t| t.points_per_completion()).sum();
    let prerequisites = serde_json::to_string(&quest.prerequisites).expect("strings serialize");
    upsert(
        conn,
        existing,
        "UPDATE quests SET group_id = $3, title = $5, description_md = $6, image_url = $7,
            points = $8, position = $9, prerequisites = $10, starts_at = $11, ends_at = $12
         WHERE id = $1 AND campaign_id = $2 AND key = $4",
        "INSERT INTO quests (id, campaign_id, group_id, key, title, description_md,
            image_url, points, position, prerequisites, starts_at, ends_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        |query| {
            query
                .bind(at.campaign_id)
                .bind(at.group_id)
                .bind(&quest.key)
                .bind(&quest.title)
                .bind(&quest.description)
                .bind(&quest.image_url)
                .bind(points)
                .bind(at.position as i64)
                .bind(prerequisites)
                .bind(quest.starts_at)
                .bind(quest.ends_at)
        },
    )
    .await
}

/// A quest's tasks, matched by key within the quest; answers the ids of its stored tasks
/// that the document no longer has.
async fn write_tasks(
    conn: &mut AnyConnection,
    quest_id: &str,
    quest: &QuestDocument,
) -> Result<Vec<String>, sqlx::Error> {
    let mut tasks = ids_by_key(
        conn,
        "SELECT key, id FROM tasks WHERE quest_id = $1",
        quest_id,
    )
    .await?;
    for (position, task) in quest.tasks.iter().enumerate() {
        let config = serde_json::to_string(&task.config).expect("task config serializes");
        let rules = serde_json::to_string(&TaskRules::of(task)).expect("task rules serialize");
        upsert(
            conn,
            tasks.remove(&task.key),
            "UPDATE tasks SET kind = $3, title = $4, description_md = $5, points = $6,
                required = $7, position = $8, config = $9, rules = $11
             WHERE id = $1 AND quest_id = $2 AND key = $10",
            "INSERT INTO tasks (id, quest_id, kind, title, description_md, points, required,
                position, config, key, rules)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            |query| {
                query
                    .bind(quest_id)
                    .bind(task.config.kind().as_str())
                    .bind(&task.title)
                    .bind(&task.description)
                    .bind(task.points)
                    .bind(i64::from(task.required))
                    .bind(position as i64)
                    .bind(config)
                    .bind(&task.key)
                    .bind(rules)
            },
        )
        .await?;
    }
    Ok(tasks.into_values().collect())
}

/// Deletes rows of `table` by id (their children go by `ON DELETE CASCADE`).
async fn delete_stale(
    conn: &mut AnyConnection,
    table: &'static str,
    ids: impl IntoIterator<Item = String>,
) -> Result<(), sqlx::Error> {
    let sql = format!("DELETE FROM {table} WHERE id = $1");
    for id in ids {
        sqlx::query(&sql).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

impl Db {
    /// Stores a new campaign (version 1) from a validated document, atomically. A taken
    /// slug is a unique violation.
    pub async fn insert_campaign(
        &self,
        organization_id: &str,
        doc: &CampaignDocument,
    ) -> Result<i64, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let created = now();
        let campaign_id = new_id();
        sqlx::query(
            "INSERT INTO campaigns (id, organization_id, slug, title, description_md, image_url,
                starts_at, ends_at, status, points_name, allowed_origins, created_at, updated_at,
                version)
             VALUES ($1, $2, $3, '', '', NULL, NULL, NULL, 'draft', '', '[]', $4, $4, 1)",
        )
        .bind(&campaign_id)
        .bind(organization_id)
        .bind(&doc.slug)
        .bind(created)
        .execute(&mut *tx)
        .await?;
        write_campaign(&mut tx, &campaign_id, doc).await?;
        self.commit_content(tx).await?;
        Ok(1)
    }

    /// Begins an edit of the organization's campaign `slug`: a write transaction that first
    /// bumps its version (so concurrent editors, in this process or another, wait for each
    /// other and each starts from the last committed state), checks `expected` against the
    /// version before the bump, and reads the tree.
    pub async fn begin_campaign_edit(
        &self,
        organization_id: &str,
        slug: &str,
        expected: &Precondition,
    ) -> Result<CampaignEdit, EditError> {
        let mut tx = self.begin_write().await?;
        claim_campaign(&mut tx, organization_id, slug, expected).await?;
        let tree = read_tree(&mut tx, organization_id, slug)
            .await?
            .ok_or_else(|| EditError::NotFound(slug.to_owned()))?;
        Ok(CampaignEdit {
            db: self.clone(),
            tx,
            tree,
        })
    }

    /// Stores a validated document as the organization's campaign `doc.slug`: replaces its
    /// content when it exists (matching items by key, so they keep their ids and users their
    /// completions), creates it otherwise (only when `expected` sets no condition). Answers
    /// the stored version.
    pub async fn import_campaign(
        &self,
        organization_id: &str,
        doc: &CampaignDocument,
        expected: &Precondition,
    ) -> Result<i64, EditError> {
        // Twice at most: a concurrent import may create the campaign between our miss and
        // our insert, and then ours becomes an edit of it.
        for _ in 0..2 {
            match self
                .begin_campaign_edit(organization_id, &doc.slug, expected)
                .await
            {
                Ok(edit) => return Ok(edit.save(doc).await?),
                Err(EditError::NotFound(_)) => {}
                Err(other) => return Err(other),
            }
            match self.insert_campaign(organization_id, doc).await {
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
                inserted => return Ok(inserted?),
            }
        }
        Err(EditError::NotFound(doc.slug.clone()))
    }

    /// Deletes a campaign and everything in it, when it meets `expected`.
    pub async fn delete_campaign(
        &self,
        organization_id: &str,
        slug: &str,
        expected: &Precondition,
    ) -> Result<(), EditError> {
        let mut tx = self.begin_write().await?;
        let id = claim_campaign(&mut tx, organization_id, slug, expected).await?;
        sqlx::query("DELETE FROM campaigns WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.commit_content(tx).await?;
        Ok(())
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

    /// Loads a campaign of an organization with all its content, in display order, from one
    /// snapshot (so its levels agree even while an edit commits).
    pub async fn campaign_tree(
        &self,
        organization_id: &str,
        slug: &str,
    ) -> Result<Option<CampaignTree>, sqlx::Error> {
        let mut tx = self.begin_read().await?;
        let tree = read_tree(&mut tx, organization_id, slug).await?;
        tx.commit().await?;
        Ok(tree)
    }

    /// A campaign of an organization, without its content: remembered until the next
    /// content write (see `remembered.rs`).
    pub async fn campaign_row(
        &self,
        organization_id: &str,
        slug: &str,
    ) -> Result<Option<CampaignRow>, sqlx::Error> {
        let remembered = self
            .remembered()
            .map(|remembered| &remembered.campaign_rows);
        let key = (organization_id.to_owned(), slug.to_owned());
        let sql = format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE organization_id = $1 AND slug = $2"
        );
        let read = sqlx::query_as(&sql)
            .bind(organization_id)
            .bind(slug)
            .fetch_optional(self.pool());
        remembered_or_read(remembered, key, read, |_| true).await
    }

    /// Where a campaign stands, by organization and campaign slug, in one light query
    /// shared by the concurrent calls that ask it (see `shared_reads.rs`): its id, its
    /// organization's id and its version (what a cache of it is keyed by).
    pub async fn campaign_version(
        &self,
        organization: &str,
        campaign: &str,
    ) -> Result<Option<CampaignVersion>, SharedReadError> {
        self.shared
            .versions
            .read((organization.to_owned(), campaign.to_owned()), ())
            .await
    }
}

/// The query behind [`Db::campaign_version`].
pub(super) async fn read_campaign_version(
    pool: AnyPool,
    (organization, campaign): (String, String),
) -> Result<Option<CampaignVersion>, sqlx::Error> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT o.id, c.id, c.version FROM campaigns c
         JOIN organizations o ON o.id = c.organization_id
         WHERE o.slug = $1 AND c.slug = $2",
    )
    .bind(organization)
    .bind(campaign)
    .fetch_optional(&pool)
    .await?;
    Ok(
        row.map(|(organization_id, campaign_id, version)| CampaignVersion {
            organization_id,
            campaign_id,
            version,
        }),
    )
}
