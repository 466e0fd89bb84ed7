//! Published campaigns as the widget reads them, rendered once per version.
//!
//! Rendering a campaign (its tree read in four queries, Markdown rendered and sanitized for
//! every description) is the widget call's main cost. It only changes when the campaign's
//! `version` does, and every edit raises the version in the database that all server
//! processes share. So a call reuses this process's rendering while it is current:
//!
//! - where this process sees every content write (SQLite, see `db/changes.rs`), an entry
//!   checked at the current content generation is current: no query at all;
//! - otherwise (PostgreSQL, or after a write) the call asks the database for the version
//!   (one light query) and re-renders only when it moved.
//!
//! Either way an edit made through any process is visible to the very next call on every
//! process, with no timer involved.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;

use crate::db::campaigns::CampaignTree;
use crate::db::Db;
use crate::encoding::{Encoded, GzipPrefix};
use crate::error::AppError;
use crate::views::{self, Progress};

/// One version of a campaign, ready to answer with.
#[derive(Debug)]
pub struct RenderedCampaign {
    /// Its rows (for the caller's progress and for attempts).
    pub tree: CampaignTree,
    /// What an anonymous visitor gets, as JSON, compressed once here rather than per
    /// request.
    pub body: Encoded,
    /// What decides each quest's status, for users' progress.
    pub plan: views::QuestPlan,
    /// The part of `body` that a user's answer shares: everything before the value of
    /// `user`, its last field ([`RenderedCampaign::user_tail`] completes it).
    pub user_answers: GzipPrefix,
}

impl RenderedCampaign {
    /// What follows [`user_answers`](Self::user_answers) in the answer for a user with
    /// `progress` at `now`: their part and the answer's closing brace.
    pub fn user_tail(&self, progress: &Progress, now: i64) -> Result<Vec<u8>, AppError> {
        let mut tail = serde_json::to_vec(&progress.view(&self.plan, now))
            .map_err(|e| AppError::Internal(format!("serializing a user's progress: {e}")))?;
        tail.push(b'}');
        Ok(tail)
    }
}

/// The rendered campaigns of this process, by organization slug and campaign slug (the
/// newest version of each).
#[derive(Debug, Default)]
pub struct CampaignCache {
    entries: RwLock<HashMap<String, HashMap<String, Entry>>>,
}

#[derive(Debug, Clone)]
struct Entry {
    /// The content generation at which it was last known current (`None`: where there is
    /// no local generation).
    checked_at: Option<u64>,
    rendered: Arc<RenderedCampaign>,
}

impl CampaignCache {
    /// The campaign `campaign` of organization `organization` (slugs) at its current
    /// version, rendered; `None` when there is no such campaign.
    pub async fn get(
        &self,
        db: &Db,
        organization: &str,
        campaign: &str,
    ) -> Result<Option<Arc<RenderedCampaign>>, AppError> {
        // Read before anything else: a write that commits after this point raises it, so
        // what is stored below at this generation is re-checked on the next call.
        let generation = db.content_generation();
        let cached = self.entry(organization, campaign);
        if let (Some(entry), Some(now)) = (&cached, generation) {
            if entry.checked_at == Some(now) {
                return Ok(Some(entry.rendered.clone()));
            }
        }
        let Some(current) = db.campaign_version(organization, campaign).await? else {
            return Ok(None);
        };
        let rendered = match cached {
            Some(entry)
                if entry.rendered.tree.campaign.id == current.campaign_id
                    && entry.rendered.tree.campaign.version == current.version =>
            {
                entry.rendered
            }
            _ => match db.campaign_tree(&current.organization_id, campaign).await? {
                Some(tree) => Arc::new(render(organization, tree)?),
                None => return Ok(None),
            },
        };
        self.store(organization, campaign, generation, rendered.clone());
        Ok(Some(rendered))
    }

    /// The ids (organization, campaign) of the last rendering this process holds of a
    /// campaign, without asking the database: a guess that lets a caller start a read that
    /// needs them while [`CampaignCache::get`] checks the version. The caller must compare
    /// it with what `get` answers.
    pub fn last_known_ids(&self, organization: &str, campaign: &str) -> Option<(String, String)> {
        let entry = self.entry(organization, campaign)?;
        let row = &entry.rendered.tree.campaign;
        Some((row.organization_id.clone(), row.id.clone()))
    }

    fn entry(&self, organization: &str, campaign: &str) -> Option<Entry> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries.get(organization)?.get(campaign).cloned()
    }

    fn store(
        &self,
        organization: &str,
        campaign: &str,
        checked_at: Option<u64>,
        rendered: Arc<RenderedCampaign>,
    ) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        let slot = entries
            .entry(organization.to_owned())
            .or_default()
            .entry(campaign.to_owned());
        let new = Entry {
            checked_at,
            rendered,
        };
        match slot {
            std::collections::hash_map::Entry::Vacant(vacant) => {
                vacant.insert(new);
            }
            std::collections::hash_map::Entry::Occupied(mut occupied) => {
                // Keep the newest: a slow render of an older version never replaces a newer
                // one (a new campaign under a reused slug is always newer).
                let old = &occupied.get().rendered.tree.campaign;
                let new_campaign = &new.rendered.tree.campaign;
                if old.id != new_campaign.id || old.version <= new_campaign.version {
                    occupied.insert(new);
                }
            }
        }
    }
}

/// Renders one version of a campaign for the widget.
fn render(organization: &str, tree: CampaignTree) -> Result<RenderedCampaign, AppError> {
    let view = views::widget_campaign(organization, &tree)?;
    let json = Bytes::from(
        serde_json::to_vec(&view)
            .map_err(|e| AppError::Internal(format!("serializing a campaign: {e}")))?,
    );
    // `user` is the answer's last field, `null` for an anonymous visitor.
    let shared = json
        .strip_suffix(b"null}")
        .filter(|_| view.user.is_none())
        .ok_or_else(|| AppError::Internal("a campaign's answer must end with its user".into()))?
        .len();
    Ok(RenderedCampaign {
        user_answers: GzipPrefix::new(json.slice(..shared)),
        body: Encoded::compress(json),
        plan: views::QuestPlan::new(&view, &tree),
        tree,
    })
}
