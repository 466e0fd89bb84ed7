-- Campaign versions for optimistic concurrency, and the partners' keys made unique by the
-- database itself (until now only the validator and the keyed sync kept them apart, and two
-- concurrent edits could each insert the same key).
-- This fails if stored content already holds twin keys: resolve those by hand first, since
-- deleting either twin would delete users' completions with it.

-- Bumped by every edit of the campaign; sent as its ETag and checked against If-Match, so a
-- partner's edit based on a stale read is refused instead of overwriting a newer one.
ALTER TABLE campaigns ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- A group's key names it within its campaign (paths, reorders).
CREATE UNIQUE INDEX campaign_groups_campaign_key ON campaign_groups(campaign_id, key);

-- Quest keys are unique within the whole campaign (prerequisites refer to them across
-- groups), which a constraint can only say with the campaign on the quest row itself.
-- SQLite adds a column with a REFERENCES clause only with a NULL default, and a NOT NULL
-- column only with a non-NULL one; rebuilding the table instead is not safe here (dropping
-- the old quests table with foreign keys on would cascade into tasks and completions).
-- So the column is nullable, backfilled from each quest's group, and the triggers below
-- refuse any quest whose campaign_id is not its group's campaign (NULL included).
ALTER TABLE quests ADD COLUMN campaign_id TEXT REFERENCES campaigns(id) ON DELETE CASCADE;
UPDATE quests
SET campaign_id = (SELECT g.campaign_id FROM campaign_groups g WHERE g.id = quests.group_id);
CREATE UNIQUE INDEX quests_campaign_key ON quests(campaign_id, key);

-- A quest's campaign_id must be its group's campaign: it is what the unique key above
-- and the campaign-wide reads rely on.
CREATE TRIGGER quests_campaign_on_insert BEFORE INSERT ON quests
WHEN NEW.campaign_id IS NOT (SELECT campaign_id FROM campaign_groups WHERE id = NEW.group_id)
BEGIN
    SELECT RAISE(ABORT, 'quests.campaign_id must be the campaign of the quest''s group');
END;
CREATE TRIGGER quests_campaign_on_update BEFORE UPDATE OF campaign_id, group_id ON quests
WHEN NEW.campaign_id IS NOT (SELECT campaign_id FROM campaign_groups WHERE id = NEW.group_id)
BEGIN
    SELECT RAISE(ABORT, 'quests.campaign_id must be the campaign of the quest''s group');
END;

-- A task's key names it within its quest (paths, reorders, the activity feed).
CREATE UNIQUE INDEX tasks_quest_key ON tasks(quest_id, key);
