-- Solved proof-of-work puzzles: a puzzle (signed by the server, see
-- `tasks/proof_of_work.rs`) counts once, so its id is claimed here in the attempt writer's
-- transaction that stores the completion; a replay meets the key and is refused.
CREATE TABLE pow_solutions (
    puzzle_id  TEXT PRIMARY KEY,
    task_id    TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    solved_at  BIGINT NOT NULL
);
