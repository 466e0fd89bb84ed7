//! Webhook storage: partners' endpoints, the outbox of events with one delivery per
//! endpoint that wants each, the worker's leases, and each delivery's log (see
//! `webhooks/` for what is sent and when, and migration 0018 for the tables).

use std::collections::HashMap;

use questlet_types::webhooks::{DeliveryState, EventType};

use super::group_commit::batch::{insert_rows, BatchConnection, SqlValue};
use super::group_commit::StoreError;
use super::{new_id, value_rows, Backend, Db};

/// An endpoint as stored (its secrets stay in the storage layer and the worker).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRow {
    /// Its id.
    pub id: String,
    /// Where deliveries go.
    pub url: String,
    /// The event types it receives.
    pub scopes: Vec<EventType>,
    /// The campaign its events are limited to: (id, slug).
    pub campaign: Option<(String, String)>,
    /// The partner's note.
    pub description: Option<String>,
    /// Whether events are delivered.
    pub enabled: bool,
    /// When it was created.
    pub created_at: i64,
    /// Until when the previous secret signs too.
    pub previous_secret_expires_at: Option<i64>,
}

/// What an endpoint is set to (create and update).
#[derive(Debug, Clone)]
pub struct EndpointSettings {
    /// Where deliveries go.
    pub url: String,
    /// The event types it receives.
    pub scopes: Vec<EventType>,
    /// The campaign (id) its events are limited to.
    pub campaign_id: Option<String>,
    /// The partner's note.
    pub description: Option<String>,
    /// Whether events are delivered.
    pub enabled: bool,
}

/// An event to put in the outbox, in the transaction of the change that caused it.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// The organization whose endpoints may receive it.
    pub organization_id: String,
    /// The campaign it happened in (for endpoints limited to one).
    pub campaign_id: Option<String>,
    /// What happened.
    pub event_type: EventType,
    /// The body every delivery sends (`{"type", "timestamp", "data"}`).
    pub body: String,
    /// When it happened, Unix seconds.
    pub at: i64,
    /// Only this endpoint receives it, whatever its scopes (the test event).
    pub only_endpoint: Option<String>,
}

/// A delivery written to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    /// The delivery's id.
    pub delivery_id: String,
    /// Its event's id (the `webhook-id` header).
    pub event_id: String,
}

/// A delivery leased for sending: what the worker needs to send it.
#[derive(Debug, Clone)]
pub struct LeasedDelivery {
    /// The delivery's id.
    pub id: String,
    /// Tries made before this one.
    pub tries: i64,
    /// The event's id (the `webhook-id` header).
    pub event_id: String,
    /// The body to send.
    pub body: String,
    /// Where to send it.
    pub url: String,
    /// The signing secret, and the previous one while it still signs.
    pub secrets: Vec<String>,
}

/// How a try ended, for the delivery's row and its log.
#[derive(Debug, Clone)]
pub struct TryRecord {
    /// When it was sent.
    pub at: i64,
    /// The status the endpoint answered.
    pub status: Option<i64>,
    /// Why there was no answer.
    pub error: Option<String>,
    /// How long it took.
    pub latency_ms: i64,
    /// The start of the answer.
    pub response: Option<String>,
    /// The delivery's state after it.
    pub state: DeliveryState,
    /// When the next try is due (a pending delivery).
    pub next_attempt_at: i64,
}

/// A delivery as its log shows it.
#[derive(Debug, Clone)]
pub struct DeliveryRow {
    /// Its id.
    pub id: String,
    /// The event's id.
    pub event_id: String,
    /// The event's type.
    pub event_type: EventType,
    /// Where it stands.
    pub state: DeliveryState,
    /// When the next try is due.
    pub next_attempt_at: i64,
    /// When the event happened.
    pub created_at: i64,
    /// Its tries, the latest first.
    pub tries: Vec<TryRow>,
}

/// One try in a delivery's log.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TryRow {
    /// The delivery.
    pub delivery_id: String,
    /// When it was sent.
    pub at: i64,
    /// The status answered.
    pub status: Option<i64>,
    /// Why there was no answer.
    pub error: Option<String>,
    /// How long it took.
    pub latency_ms: i64,
    /// The start of the answer.
    pub response: Option<String>,
}

/// The stored form of scopes: event types, space-separated.
fn scopes_text(scopes: &[EventType]) -> String {
    scopes
        .iter()
        .map(|scope| scope.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Scopes as stored (unknown names, from a newer server, are skipped).
fn parse_scopes(text: &str) -> Vec<EventType> {
    text.split(' ').filter_map(EventType::parse).collect()
}

/// An endpoint's row: id, url, scopes, campaign id, campaign slug, description,
/// disabled_at, created_at, previous_secret_expires_at.
type EndpointColumns = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    i64,
    Option<i64>,
);

const ENDPOINT_COLUMNS: &str = "w.id, w.url, w.scopes, w.campaign_id, c.slug, w.description,
    w.disabled_at, w.created_at, w.previous_secret_expires_at
    FROM webhook_endpoints w LEFT JOIN campaigns c ON c.id = w.campaign_id";

fn endpoint_row(columns: EndpointColumns) -> EndpointRow {
    let (id, url, scopes, campaign_id, slug, description, disabled_at, created_at, expires) =
        columns;
    EndpointRow {
        id,
        url,
        scopes: parse_scopes(&scopes),
        campaign: campaign_id.zip(slug),
        description,
        enabled: disabled_at.is_none(),
        created_at,
        previous_secret_expires_at: expires,
    }
}

/// How long a worker holds a leased delivery, seconds: longer than a try takes (the
/// outbound timeout), so a live worker never loses its lease mid-try.
pub const LEASE_SECONDS: i64 = 30;

impl Db {
    /// Creates an endpoint of `organization_id` signing with `secret`.
    pub async fn create_webhook_endpoint(
        &self,
        organization_id: &str,
        settings: &EndpointSettings,
        secret: &str,
        now: i64,
    ) -> Result<EndpointRow, sqlx::Error> {
        let id = new_id();
        sqlx::query(
            "INSERT INTO webhook_endpoints (id, organization_id, url, scopes, campaign_id,
                description, disabled_at, secret, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(organization_id)
        .bind(&settings.url)
        .bind(scopes_text(&settings.scopes))
        .bind(&settings.campaign_id)
        .bind(&settings.description)
        .bind((!settings.enabled).then_some(now))
        .bind(secret)
        .bind(now)
        .execute(self.pool())
        .await?;
        self.webhook_endpoint(organization_id, &id)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }

    /// The organization's endpoints, oldest first.
    pub async fn webhook_endpoints(
        &self,
        organization_id: &str,
    ) -> Result<Vec<EndpointRow>, sqlx::Error> {
        let rows: Vec<EndpointColumns> = sqlx::query_as(&format!(
            "SELECT {ENDPOINT_COLUMNS} WHERE w.organization_id = $1 ORDER BY w.created_at, w.id"
        ))
        .bind(organization_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(endpoint_row).collect())
    }

    /// One endpoint of the organization.
    pub async fn webhook_endpoint(
        &self,
        organization_id: &str,
        id: &str,
    ) -> Result<Option<EndpointRow>, sqlx::Error> {
        let row: Option<EndpointColumns> = sqlx::query_as(&format!(
            "SELECT {ENDPOINT_COLUMNS} WHERE w.organization_id = $1 AND w.id = $2"
        ))
        .bind(organization_id)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(endpoint_row))
    }

    /// Sets an endpoint's settings; false when the organization has no such endpoint. A
    /// disabled endpoint keeps when it was disabled.
    pub async fn update_webhook_endpoint(
        &self,
        organization_id: &str,
        id: &str,
        settings: &EndpointSettings,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let updated = sqlx::query(
            "UPDATE webhook_endpoints SET url = $1, scopes = $2, campaign_id = $3,
                description = $4,
                disabled_at = CASE WHEN $5 = 1 THEN NULL ELSE COALESCE(disabled_at, $6) END
             WHERE organization_id = $7 AND id = $8",
        )
        .bind(&settings.url)
        .bind(scopes_text(&settings.scopes))
        .bind(&settings.campaign_id)
        .bind(&settings.description)
        .bind(i64::from(settings.enabled))
        .bind(now)
        .bind(organization_id)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(updated.rows_affected() > 0)
    }

    /// Deletes an endpoint and its deliveries; false when there is no such endpoint.
    pub async fn delete_webhook_endpoint(
        &self,
        organization_id: &str,
        id: &str,
    ) -> Result<bool, sqlx::Error> {
        let deleted =
            sqlx::query("DELETE FROM webhook_endpoints WHERE organization_id = $1 AND id = $2")
                .bind(organization_id)
                .bind(id)
                .execute(self.pool())
                .await?;
        Ok(deleted.rows_affected() > 0)
    }

    /// Makes `secret` the endpoint's signing secret; the current one keeps signing too
    /// until `previous_expires_at`. False when there is no such endpoint.
    pub async fn rotate_webhook_secret(
        &self,
        organization_id: &str,
        id: &str,
        secret: &str,
        previous_expires_at: i64,
    ) -> Result<bool, sqlx::Error> {
        let rotated = sqlx::query(
            "UPDATE webhook_endpoints SET previous_secret = secret, secret = $1,
                previous_secret_expires_at = $2
             WHERE organization_id = $3 AND id = $4",
        )
        .bind(secret)
        .bind(previous_expires_at)
        .bind(organization_id)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(rotated.rows_affected() > 0)
    }

    /// Puts `event` in the outbox on its own (the test event); answers its deliveries.
    pub async fn enqueue_webhook_event(&self, event: NewEvent) -> Result<Vec<Queued>, StoreError> {
        let mut tx = self.begin_write().await?;
        let queued = enqueue(&mut *tx, &[event]).await?;
        tx.commit().await?;
        self.outbox_committed(queued.len());
        Ok(queued)
    }

    /// Wakes this process's worker after a commit that wrote `deliveries` deliveries.
    pub(crate) fn outbox_committed(&self, deliveries: usize) {
        if deliveries > 0 {
            self.outbox.notify_one();
        }
    }

    /// What wakes this process's worker: a commit that wrote deliveries.
    pub fn outbox_wake(&self) -> std::sync::Arc<tokio::sync::Notify> {
        self.outbox.clone()
    }

    /// Leases up to `limit` deliveries due at `now` to this worker until `leased_until`
    /// (the worker's mark: it records a try only while the lease is still that), and
    /// answers them with what sending needs. On PostgreSQL the candidates are locked with
    /// `SKIP LOCKED`, so workers of several processes lease different deliveries without
    /// waiting on each other; a leased delivery is not due again before its lease ends.
    pub async fn lease_webhook_deliveries(
        &self,
        now: i64,
        leased_until: i64,
        limit: i64,
    ) -> Result<Vec<LeasedDelivery>, sqlx::Error> {
        let lock = match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        };
        let leased: Vec<(String,)> = sqlx::query_as(&format!(
            "UPDATE webhook_deliveries SET leased_until = $1
             WHERE id IN (SELECT id FROM webhook_deliveries
                 WHERE state = 'pending' AND next_attempt_at <= $2 AND leased_until <= $3
                 ORDER BY next_attempt_at LIMIT $4 {lock})
             RETURNING id"
        ))
        .bind(leased_until)
        .bind(now)
        .bind(now)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        if leased.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = leased.into_iter().map(|(id,)| id).collect();
        let sql = format!(
            "SELECT d.id, d.tries, e.id, e.body, w.url, w.secret, w.previous_secret,
                    w.previous_secret_expires_at
             FROM webhook_deliveries d
             JOIN webhook_events e ON e.id = d.event_id
             JOIN webhook_endpoints w ON w.id = d.endpoint_id
             WHERE d.id IN (VALUES {})",
            value_rows(1, ids.len(), 1)
        );
        type Columns = (
            String,
            i64,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<i64>,
        );
        let rows: Vec<Columns> = ids
            .iter()
            .fold(sqlx::query_as(&sql), |query, id| query.bind(id))
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, tries, event_id, body, url, secret, previous, expires)| LeasedDelivery {
                    id,
                    tries,
                    event_id,
                    body,
                    url,
                    secrets: std::iter::once(secret)
                        .chain(previous.filter(|_| expires.is_some_and(|e| e > now)))
                        .collect(),
                },
            )
            .collect())
    }

    /// Records a try of a delivery this worker leased at `leased_until`, and moves the
    /// delivery on; false (and nothing written) when the lease is no longer this worker's.
    pub async fn finish_webhook_try(
        &self,
        delivery: &LeasedDelivery,
        leased_until: i64,
        record: &TryRecord,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let moved = sqlx::query(
            "UPDATE webhook_deliveries SET state = $1, tries = tries + 1, next_attempt_at = $2,
                leased_until = 0
             WHERE id = $3 AND state = 'pending' AND leased_until = $4",
        )
        .bind(record.state.as_str())
        .bind(record.next_attempt_at)
        .bind(&delivery.id)
        .bind(leased_until)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO webhook_attempts (delivery_id, try, at, status, error, latency_ms,
                response)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&delivery.id)
        .bind(delivery.tries + 1)
        .bind(record.at)
        .bind(record.status)
        .bind(&record.error)
        .bind(record.latency_ms)
        .bind(&record.response)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Ends every lease (a SQLite server at start: it is the only worker, so a lease
    /// still held is one its previous run died with).
    pub async fn release_webhook_leases(&self) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE webhook_deliveries SET leased_until = 0 WHERE leased_until > 0")
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The latest `limit` deliveries of an endpoint of the organization (created before
    /// `before`, when given), with their tries.
    pub async fn webhook_deliveries(
        &self,
        organization_id: &str,
        endpoint_id: &str,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>, sqlx::Error> {
        let rows: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(
            "SELECT d.id, d.event_id, e.type, d.state, d.next_attempt_at, d.created_at
             FROM webhook_deliveries d
             JOIN webhook_endpoints w ON w.id = d.endpoint_id
             JOIN webhook_events e ON e.id = d.event_id
             WHERE w.organization_id = $1 AND d.endpoint_id = $2 AND d.created_at < $3
             ORDER BY d.created_at DESC, d.id DESC LIMIT $4",
        )
        .bind(organization_id)
        .bind(endpoint_id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT delivery_id, at, status, error, latency_ms, response FROM webhook_attempts
             WHERE delivery_id IN (VALUES {}) ORDER BY try DESC",
            value_rows(1, rows.len(), 1)
        );
        let tries: Vec<TryRow> = rows
            .iter()
            .fold(sqlx::query_as(&sql), |query, row| query.bind(&row.0))
            .fetch_all(self.pool())
            .await?;
        let mut by_delivery: HashMap<String, Vec<TryRow>> = HashMap::new();
        for row in tries {
            by_delivery
                .entry(row.delivery_id.clone())
                .or_default()
                .push(row);
        }
        Ok(rows
            .into_iter()
            .filter_map(|(id, event_id, event_type, state, next, created_at)| {
                Some(DeliveryRow {
                    tries: by_delivery.remove(&id).unwrap_or_default(),
                    id,
                    event_id,
                    event_type: EventType::parse(&event_type)?,
                    state: DeliveryState::parse(&state)?,
                    next_attempt_at: next,
                    created_at,
                })
            })
            .collect())
    }

    /// Makes a delivery of an endpoint of the organization due now, whatever its state
    /// (one more try: a dead or delivered one again); false when there is no such delivery.
    pub async fn redeliver_webhook(
        &self,
        organization_id: &str,
        endpoint_id: &str,
        delivery_id: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let updated = sqlx::query(
            "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = $1
             WHERE id = $2 AND endpoint_id = $3 AND endpoint_id IN
                 (SELECT id FROM webhook_endpoints WHERE organization_id = $4)",
        )
        .bind(now)
        .bind(delivery_id)
        .bind(endpoint_id)
        .bind(organization_id)
        .execute(self.pool())
        .await?;
        Ok(updated.rows_affected() > 0)
    }
}

/// Puts `events` in the outbox on `conn`, inside the caller's transaction: each event that
/// an enabled endpoint of its organization wants (its scopes name the event's type, and
/// it is not limited to another campaign), with one delivery per such endpoint, due now.
/// An event nobody wants is not stored. Answers the deliveries made.
pub(crate) async fn enqueue(
    conn: &mut impl BatchConnection,
    events: &[NewEvent],
) -> Result<Vec<Queued>, StoreError> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let mut organizations: Vec<&str> = events.iter().map(|e| e.organization_id.as_str()).collect();
    organizations.sort_unstable();
    organizations.dedup();
    let sql = format!(
        "SELECT id, organization_id, scopes, campaign_id FROM webhook_endpoints
         WHERE disabled_at IS NULL AND organization_id IN (VALUES {})",
        value_rows(1, organizations.len(), 1)
    );
    let params = organizations.iter().map(|o| (*o).into()).collect();
    let mut endpoints: HashMap<String, Vec<Subscriber>> = HashMap::new();
    for row in conn.rows(&sql, params).await? {
        let [id, organization, scopes, campaign] = <[SqlValue; 4]>::try_from(row)
            .map_err(|_| StoreError::Writer("an endpoint row has four columns".into()))?;
        endpoints
            .entry(organization.text()?)
            .or_default()
            .push(Subscriber {
                id: id.text()?,
                scopes: parse_scopes(&scopes.text()?),
                campaign_id: campaign.optional_text()?,
            });
    }
    // Due now by the system's clock (the worker's), whatever the event's time says.
    let now = crate::time::now();
    let mut event_rows = Vec::new();
    let mut delivery_rows = Vec::new();
    let mut queued = Vec::new();
    for event in events {
        let wanting: Vec<&Subscriber> = endpoints
            .get(&event.organization_id)
            .into_iter()
            .flatten()
            .filter(|endpoint| endpoint.wants(event))
            .collect();
        if wanting.is_empty() {
            continue;
        }
        let event_id = format!("msg_{}", new_id());
        event_rows.extend([
            event_id.clone().into(),
            (&event.organization_id).into(),
            event.event_type.as_str().into(),
            (&event.body).into(),
            event.at.into(),
        ]);
        for endpoint in wanting {
            let id = new_id();
            delivery_rows.extend([
                id.clone().into(),
                event_id.clone().into(),
                (&endpoint.id).into(),
                DeliveryState::Pending.as_str().into(),
                0_i64.into(),
                now.into(),
                0_i64.into(),
                now.into(),
            ]);
            queued.push(Queued {
                delivery_id: id,
                event_id: event_id.clone(),
            });
        }
    }
    insert_rows(
        conn,
        "INTO webhook_events (id, organization_id, type, body, created_at)",
        "",
        5,
        event_rows,
    )
    .await?;
    insert_rows(
        conn,
        "INTO webhook_deliveries (id, event_id, endpoint_id, state, tries, next_attempt_at,
            leased_until, created_at)",
        "",
        8,
        delivery_rows,
    )
    .await?;
    Ok(queued)
}

/// An enabled endpoint, as the outbox matches events to it.
#[derive(Debug)]
struct Subscriber {
    id: String,
    scopes: Vec<EventType>,
    campaign_id: Option<String>,
}

impl Subscriber {
    /// Whether `event` goes to this endpoint.
    fn wants(&self, event: &NewEvent) -> bool {
        match &event.only_endpoint {
            Some(only) => *only == self.id,
            None => {
                self.scopes.contains(&event.event_type)
                    && self
                        .campaign_id
                        .as_ref()
                        .is_none_or(|campaign| event.campaign_id.as_ref() == Some(campaign))
            }
        }
    }
}
