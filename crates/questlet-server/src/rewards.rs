//! Rewards: where a user stands on each condition of a campaign's rewards.
//!
//! A reward's conditions all have to hold when the user claims it (checked by the claim
//! call); the rewards list shows each one with whether the caller meets it. Conditions are
//! judged on the user's points and completed quests (their progress) and, for a top-N
//! condition, their place on that period's board.

use std::collections::HashMap;

use questlet_types::leaderboard::LeaderboardPeriod;
use questlet_types::rewards::{ConditionKind, ConditionView, RewardDocument};

use crate::db::campaigns::CampaignTree;
use crate::db::leaderboard::{self, CampaignRef};
use crate::db::progress::UserKey;
use crate::db::Db;
use crate::views::{Progress, QuestPlan};

/// What a user's conditions are judged on.
#[derive(Debug)]
pub struct Standing {
    /// The user's progress in the campaign.
    pub progress: Progress,
    /// Their place on each board a top-N condition of the campaign names (absent: not on
    /// it).
    pub places: HashMap<LeaderboardPeriod, i64>,
}

impl Standing {
    /// `user`'s standing in campaign `tree` at `now`, with `progress`: their places read on
    /// the boards that the campaign's rewards' top-N conditions name (one read each).
    pub async fn read(
        db: &Db,
        tree: &CampaignTree,
        user: &UserKey,
        progress: Progress,
        now: i64,
    ) -> Result<Self, sqlx::Error> {
        let campaign = &tree.campaign;
        let mut places = HashMap::new();
        for period in campaign
            .rewards
            .iter()
            .filter_map(|reward| reward.conditions.top.map(|top| top.period))
        {
            if places.contains_key(&period) {
                continue;
            }
            let board = leaderboard::board_of(period, &campaign.time_zone, now);
            if let Some(place) = db
                .leaderboard_place(CampaignRef::Id(&campaign.id), &board, user, 0)
                .await?
            {
                places.insert(period, place.me.place);
            }
        }
        Ok(Self { progress, places })
    }
}

/// Each condition of `reward` in campaign `tree`, judged for `standing` (`None`: an
/// anonymous visitor, judged on nothing).
pub fn conditions(
    reward: &RewardDocument,
    tree: &CampaignTree,
    plan: &QuestPlan,
    standing: Option<&Standing>,
) -> Vec<ConditionView> {
    let conditions = &reward.conditions;
    let points = standing.map(|s| s.progress.points);
    let mut views = Vec::new();
    if let Some(min_points) = conditions.min_points {
        views.push(ConditionView {
            kind: ConditionKind::Points,
            value: min_points,
            name: String::new(),
            met: points.map(|points| points >= min_points),
        });
    }
    if let Some(key) = &conditions.quest {
        let quest = tree.quests.iter().find(|quest| &quest.key == key);
        views.push(ConditionView {
            kind: ConditionKind::Quest,
            value: 0,
            name: quest.map_or_else(|| key.clone(), |quest| quest.title.clone()),
            met: standing.map(|s| {
                quest.is_some_and(|quest| {
                    plan.quest_completed(&quest.id, &s.progress.completed_task_ids)
                })
            }),
        });
    }
    if let Some(name) = &conditions.rank {
        // Validation makes the rank one of the campaign's; a rank gone missing is never met.
        let rank = tree.campaign.ranks.iter().find(|rank| &rank.name == name);
        let min_points = rank.map_or(i64::MAX, |rank| rank.min_points);
        views.push(ConditionView {
            kind: ConditionKind::Rank,
            value: min_points,
            name: name.clone(),
            met: points.map(|points| points >= min_points),
        });
    }
    if let Some(top) = conditions.top {
        views.push(ConditionView {
            kind: ConditionKind::Top,
            value: top.places,
            name: top.period.as_str().to_owned(),
            met: standing.map(|s| s.places.get(&top.period).is_some_and(|&p| p <= top.places)),
        });
    }
    views
}
