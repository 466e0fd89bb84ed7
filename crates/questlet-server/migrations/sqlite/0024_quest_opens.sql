-- Who opened which quest in the widget, once per user (when they first did): the first step
-- of a quest's funnel on the results page (opened → started → completed). Only signed-in
-- users' opens are kept: an anonymous visitor has no id to be counted once by.
CREATE TABLE quest_opens (
    quest_id   TEXT NOT NULL REFERENCES quests(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    opened_at  BIGINT NOT NULL,
    PRIMARY KEY (quest_id, user_id)
);
