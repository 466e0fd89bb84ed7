-- Partner completions (api tasks): the partner's own id for each completion it reports,
-- claimed once per organization in the transaction that stores the completion, with the
-- result written there too, so a repeat (a retry after a timeout, a duplicate delivery)
-- answers the first result and changes nothing. Not tied to the task's row: the record of
-- an id outlives an edit that removes the task.
CREATE TABLE partner_completions (
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    completion_id    TEXT NOT NULL,
    task_id          TEXT NOT NULL,
    platform         TEXT NOT NULL,
    account          TEXT NOT NULL,
    outcome          TEXT NOT NULL,
    points_awarded   BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    PRIMARY KEY (organization_id, completion_id)
);
