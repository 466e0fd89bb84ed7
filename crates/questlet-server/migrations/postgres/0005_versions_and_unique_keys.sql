-- Campaign versions for optimistic concurrency, and the partners' keys made unique by the
-- database itself (PostgreSQL twin of migrations/sqlite/0005_versions_and_unique_keys.sql;
-- keep them in step). Until now only the validator and the keyed sync kept keys apart, and
-- two concurrent edits could each insert the same key.
-- This fails if stored content already holds twin keys: resolve those by hand first, since
-- deleting either twin would delete users' completions with it.

-- Bumped by every edit of the campaign; sent as its ETag and checked against If-Match, so a
-- partner's edit based on a stale read is refused instead of overwriting a newer one.
ALTER TABLE campaigns ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- A group's key names it within its campaign (paths, reorders).
ALTER TABLE campaign_groups
    ADD CONSTRAINT campaign_groups_campaign_key UNIQUE (campaign_id, key);
-- Lets quests reference (group, campaign) pairs below.
ALTER TABLE campaign_groups
    ADD CONSTRAINT campaign_groups_id_campaign UNIQUE (id, campaign_id);

-- Quest keys are unique within the whole campaign (prerequisites refer to them across
-- groups), which a constraint can only say with the campaign on the quest row itself.
-- Backfilled from each quest's group, then required.
ALTER TABLE quests ADD COLUMN campaign_id TEXT;
UPDATE quests
SET campaign_id = (SELECT g.campaign_id FROM campaign_groups g WHERE g.id = quests.group_id);
ALTER TABLE quests ALTER COLUMN campaign_id SET NOT NULL;
-- A quest's campaign_id must be its group's campaign (the SQLite twin says the same with
-- triggers); deleting the group or campaign still cascades.
ALTER TABLE quests ADD CONSTRAINT quests_group_campaign
    FOREIGN KEY (group_id, campaign_id) REFERENCES campaign_groups (id, campaign_id)
    ON DELETE CASCADE;
ALTER TABLE quests ADD CONSTRAINT quests_campaign_key UNIQUE (campaign_id, key);

-- A task's key names it within its quest (paths, reorders, the activity feed).
ALTER TABLE tasks ADD CONSTRAINT tasks_quest_key UNIQUE (quest_id, key);
