//! What changed between two versions of a campaign, in words: what the console shows when
//! a save is refused because someone else saved first.

use std::collections::BTreeMap;

use questlet_types::campaign_document::QuestDocument;
use questlet_types::CampaignDocument;

use crate::texts::{self, QuestChange};

/// The differences from `before` to `after`, one line each (empty when none shows).
pub fn between(before: &CampaignDocument, after: &CampaignDocument) -> Vec<String> {
    let mut lines = Vec::new();
    if before.title != after.title {
        lines.push(texts::changed_title(&before.title, &after.title));
    }
    if before.status != after.status {
        lines.push(texts::changed_status(
            before.status.as_str(),
            after.status.as_str(),
        ));
    }
    if before.description != after.description {
        lines.push(texts::CHANGED_DESCRIPTION.to_owned());
    }
    if before.allowed_origins != after.allowed_origins {
        lines.push(texts::changed_origins(
            &list(&before.allowed_origins),
            &list(&after.allowed_origins),
        ));
    }
    let (old, new) = (quests(before), quests(after));
    for (key, quest) in &new {
        match old.get(key) {
            None => lines.push(texts::changed_quest(QuestChange::Added, &quest.title)),
            Some(was) if was != quest => {
                lines.push(texts::changed_quest(QuestChange::Edited, &quest.title))
            }
            Some(_) => {}
        }
    }
    for (key, quest) in &old {
        if !new.contains_key(key) {
            lines.push(texts::changed_quest(QuestChange::Removed, &quest.title));
        }
    }
    lines
}

fn quests(campaign: &CampaignDocument) -> BTreeMap<&str, &QuestDocument> {
    campaign
        .groups
        .iter()
        .flat_map(|group| &group.quests)
        .map(|quest| (quest.key.as_str(), quest))
        .collect()
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        texts::NO_ORIGINS.to_owned()
    } else {
        items.join(", ")
    }
}
