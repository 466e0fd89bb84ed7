-- Contract transaction tasks (see tasks/onchain.rs): the transactions that completed each
-- task. A transaction counts once per task, so a user cannot complete a repeating task
-- twice with one transaction; `tx` is `<chain id>:<hash>`. Claimed in the transaction
-- that stores the completion, like a proof-of-work puzzle.
CREATE TABLE transaction_claims (
    task_id     TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    tx          TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    claimed_at  BIGINT NOT NULL,
    PRIMARY KEY (task_id, tx)
);
