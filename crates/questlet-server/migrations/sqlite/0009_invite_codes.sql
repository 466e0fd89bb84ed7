-- Invite codes: the single-use codes a partner uploads for an `invite_code` task, and who
-- claimed which. A claim is one row keyed by (task, user), with the code unique per task, so
-- a code is accepted once and a user claims one code per task however many attempts race
-- (the insert that claims it runs in the transaction that stores the completion).
CREATE TABLE invite_codes (
    task_id     TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (task_id, code)
);
CREATE TABLE invite_claims (
    task_id     TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    claimed_at  BIGINT NOT NULL,
    PRIMARY KEY (task_id, user_id),
    UNIQUE (task_id, code)
);
