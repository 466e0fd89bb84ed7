//! What completing tasks completes: a quest, when every task that decides it is completed
//! (its required tasks, or all of them when none is required; a quest without tasks never
//! is), and the campaign, when every quest with tasks is. One definition, read by the
//! widget's quest statuses (`views::QuestPlan`) and by the attempt writer, which tells
//! the partner's webhooks when an attempt completed a quest or the campaign.

use std::collections::HashMap;

use crate::db::campaigns::CampaignTree;

/// A campaign's quests and the tasks that decide each, numbered in display order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Milestones {
    /// Per quest: its id.
    ids: Vec<String>,
    /// Per quest: the tasks that decide its completion.
    deciding: Vec<Vec<String>>,
    /// Task id -> its quest's number.
    quest_of_task: HashMap<String, usize>,
}

impl Milestones {
    /// The milestones of campaign `tree` (its quests in display order, as the widget's).
    pub fn of(tree: &CampaignTree) -> Self {
        let mut milestones = Self::default();
        for (number, quest) in tree.quests.iter().enumerate() {
            let tasks: Vec<_> = tree
                .tasks
                .iter()
                .filter(|t| t.quest_id == quest.id)
                .collect();
            let required = tasks.iter().any(|t| t.required);
            for task in &tasks {
                milestones.quest_of_task.insert(task.id.clone(), number);
            }
            milestones.ids.push(quest.id.clone());
            milestones.deciding.push(
                tasks
                    .iter()
                    .filter(|t| t.required || !required)
                    .map(|t| t.id.clone())
                    .collect(),
            );
        }
        milestones
    }

    /// The quests' ids, by number.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The ids of the tasks that decide quest number `quest` (none past the last quest).
    pub fn deciding(&self, quest: usize) -> &[String] {
        self.deciding.get(quest).map_or(&[], Vec::as_slice)
    }

    /// The number of task `id`'s quest.
    pub fn quest_of(&self, task_id: &str) -> Option<usize> {
        self.quest_of_task.get(task_id).copied()
    }

    /// Whether quest `quest` is completed by a user for whom `done` says which tasks they
    /// completed.
    pub fn completed(&self, quest: usize, done: &dyn Fn(&str) -> bool) -> bool {
        let deciding = &self.deciding[quest];
        !deciding.is_empty() && deciding.iter().all(|task| done(task))
    }

    /// Whether the campaign is completed: every quest with tasks is (and there is one).
    pub fn campaign_completed(&self, done: &dyn Fn(&str) -> bool) -> bool {
        let mut with_tasks = (0..self.ids.len()).filter(|&q| !self.deciding[q].is_empty());
        let mut any = false;
        with_tasks.all(|quest| {
            any = true;
            self.completed(quest, done)
        }) && any
    }

    /// What completing task `task_id` completed, for a user whose completed tasks were
    /// `before` and are `after`: its quest (by id) when that is completed now and was not,
    /// and whether the campaign likewise.
    pub fn reached(
        &self,
        task_id: &str,
        before: &dyn Fn(&str) -> bool,
        after: &dyn Fn(&str) -> bool,
    ) -> (Option<&str>, bool) {
        let quest = self
            .quest_of(task_id)
            .filter(|&q| self.completed(q, after) && !self.completed(q, before))
            .map(|q| self.ids[q].as_str());
        let campaign = self.campaign_completed(after) && !self.campaign_completed(before);
        (quest, campaign)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two quests: q1 with a required t1 and an optional t2, q2 with t3 alone; and an
    /// empty quest q3, which never counts.
    fn milestones() -> Milestones {
        Milestones {
            ids: vec!["q1".into(), "q2".into(), "q3".into()],
            deciding: vec![vec!["t1".into()], vec!["t3".into()], vec![]],
            quest_of_task: HashMap::from([("t1".into(), 0), ("t2".into(), 0), ("t3".into(), 1)]),
        }
    }

    #[test]
    fn a_quest_and_the_campaign_are_reached_once() {
        let m = milestones();
        let none = |_: &str| false;
        let t1 = |t: &str| t == "t1";
        let all = |t: &str| t == "t1" || t == "t3";
        assert_eq!(m.reached("t1", &none, &t1), (Some("q1"), false));
        assert_eq!(m.reached("t3", &t1, &all), (Some("q2"), true));
        // The optional task completes nothing; a quest completed before is not again.
        assert_eq!(m.reached("t2", &t1, &t1), (None, false));
        assert_eq!(m.reached("t1", &all, &all), (None, false));
        assert!(!Milestones::default().campaign_completed(&all));
    }
}
