-- Webhooks (see webhooks/ and db/webhooks.rs): partners' endpoints, the outbox of events,
-- one delivery per (event, endpoint), and the log of each delivery's tries.

-- An organization's endpoints. The signing secret is kept as given out, not hashed: the
-- server signs every delivery with it (an HMAC key, like the JWT signing keys it keeps),
-- and no API returns it after creation. After a rotation the previous secret signs too,
-- until `previous_secret_expires_at`. `scopes` are event types, space-separated.
CREATE TABLE webhook_endpoints (
    id                          TEXT PRIMARY KEY,
    organization_id             TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url                         TEXT NOT NULL,
    scopes                      TEXT NOT NULL,
    campaign_id                 TEXT REFERENCES campaigns(id) ON DELETE CASCADE,
    description                 TEXT,
    disabled_at                 BIGINT,
    secret                      TEXT NOT NULL,
    previous_secret             TEXT,
    previous_secret_expires_at  BIGINT,
    created_at                  BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_organization ON webhook_endpoints (organization_id);

-- The outbox: each event once, written in the transaction of the change that caused it
-- (so an event exists exactly when its change committed), with the body every delivery
-- of it sends. `id` is the `webhook-id` header.
CREATE TABLE webhook_events (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    type             TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);

-- One delivery per (event, endpoint that wanted it), fanned out in the same transaction.
-- A worker leases a due delivery (`leased_until`) before it sends, so two workers (two
-- server processes on PostgreSQL) never send it at once, and a worker that died holding
-- a lease only delays it until the lease ends.
CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    event_id         TEXT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    state            TEXT NOT NULL,
    tries            BIGINT NOT NULL,
    next_attempt_at  BIGINT NOT NULL,
    leased_until     BIGINT NOT NULL,
    created_at       BIGINT NOT NULL
);
-- The worker's queue: only pending deliveries, by when they are due.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE state = 'pending';
-- An endpoint's delivery log, newest first.
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);

-- Each try of a delivery: what the partner's endpoint answered, or why it did not.
CREATE TABLE webhook_attempts (
    delivery_id  TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    try          BIGINT NOT NULL,
    at           BIGINT NOT NULL,
    status       BIGINT,
    error        TEXT,
    latency_ms   BIGINT NOT NULL,
    response     TEXT,
    PRIMARY KEY (delivery_id, try)
);
