//! Published campaigns as the widget reads them, rendered once per version.
//!
//! Rendering a campaign (its tree read in four queries, Markdown rendered and sanitized for
//! every description) is the widget call's main cost. It only changes when the campaign's
//! `version` does, and every edit raises the version in the database that all server
//! processes share. So each call asks the database for the version (one light query) and
//! reuses this process's rendering when it is current: an edit made through any process is
//! visible to the very next call on every process, with no timer involved.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use questlet_types::WidgetCampaignResponse;

use crate::db::campaigns::CampaignTree;
use crate::db::Db;
use crate::error::AppError;
use crate::etag::strong_etag;
use crate::views;

/// One version of a campaign, ready to answer with.
#[derive(Debug)]
pub struct RenderedCampaign {
    /// Its rows (for the caller's progress and for attempts).
    pub tree: CampaignTree,
    /// What an anonymous visitor gets.
    pub view: WidgetCampaignResponse,
    /// `view` as JSON.
    pub json: Bytes,
    /// The strong ETag of `json`.
    pub etag: String,
}

/// The rendered campaigns of this process, by campaign id (the newest version of each).
#[derive(Debug, Default)]
pub struct CampaignCache {
    entries: Mutex<HashMap<String, Arc<RenderedCampaign>>>,
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
        let Some(current) = db.campaign_version(organization, campaign).await? else {
            return Ok(None);
        };
        if let Some(hit) = self.cached(&current.campaign_id, current.version) {
            return Ok(Some(hit));
        }
        let Some(tree) = db.campaign_tree(&current.organization_id, campaign).await? else {
            return Ok(None);
        };
        let view = views::widget_campaign(organization, &tree)?;
        let json = Bytes::from(
            serde_json::to_vec(&view)
                .map_err(|e| AppError::Internal(format!("serializing a campaign: {e}")))?,
        );
        let rendered = Arc::new(RenderedCampaign {
            etag: strong_etag(&json),
            tree,
            view,
            json,
        });
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // Keep the newest: a slow render of an older version never replaces a newer one.
        let keep_existing = entries.get(&current.campaign_id).is_some_and(|existing| {
            existing.tree.campaign.version > rendered.tree.campaign.version
        });
        if !keep_existing {
            entries.insert(current.campaign_id, rendered.clone());
        }
        Ok(Some(rendered))
    }

    fn cached(&self, campaign_id: &str, version: i64) -> Option<Arc<RenderedCampaign>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(campaign_id)
            .filter(|entry| entry.tree.campaign.version == version)
            .cloned()
    }
}
