//! The transactional outbox: an event is a row written in the same
//! transaction as the state change it announces; the relay publishes rows
//! in order and marks them sent. If the process or the broker dies between
//! commit and publish, the row is still there and goes out later. If it dies
//! between publish and mark, the event goes out twice, which consumers'
//! inboxes absorb.
//!
//! Each service's migrations create the `outbox` table (see
//! `migrations/<service>/`):
//! `id` (UUIDv7), `topic`, `payload` (JSON text), `trace_id`,
//! `created_at_ms`, `published_at_ms` (both UTC milliseconds).

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::{AnyConnection, AnyPool};
use thiserror::Error;
use uuid::Uuid;

use crate::bus::{BusError, EventBus, Message};

#[derive(Debug, Error)]
pub enum RelayError {
    #[error("outbox database error")]
    Database(#[from] sqlx::Error),
    #[error("publishing from the outbox failed")]
    Bus(#[from] BusError),
}

/// Now, in UTC milliseconds since the Unix epoch (how SURY stores times).
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Adds `message` to the outbox inside the caller's transaction. Payloads
/// are JSON, so text; anything else is refused rather than mangled.
pub async fn enqueue(conn: &mut AnyConnection, message: &Message) -> Result<(), sqlx::Error> {
    let payload =
        std::str::from_utf8(&message.payload).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO outbox (id, topic, payload, trace_id, created_at_ms)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(message.id.to_string())
    .bind(&message.topic)
    .bind(payload)
    .bind(&message.trace_id)
    .bind(now_ms())
    .execute(conn)
    .await
    .map(|_| ())
}

/// Events written but not yet confirmed by the bus (the operator view).
pub async fn backlog(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE published_at_ms IS NULL")
        .fetch_one(pool)
        .await
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    topic: String,
    payload: String,
    trace_id: Option<String>,
}

/// Moves events from a service's outbox to the bus.
#[derive(Clone)]
pub struct Relay {
    pool: AnyPool,
    bus: Arc<dyn EventBus>,
    batch: i64,
    /// How often to look for new rows when the outbox is empty.
    pub idle_poll: Duration,
    /// How long to wait after a failure (broker down) before trying again.
    pub retry_delay: Duration,
}

impl Relay {
    pub fn new(pool: AnyPool, bus: Arc<dyn EventBus>) -> Self {
        Self {
            pool,
            bus,
            batch: 100,
            idle_poll: Duration::from_millis(100),
            retry_delay: Duration::from_millis(500),
        }
    }

    /// Publishes pending rows oldest first, marking each once the bus has
    /// confirmed it. Stops at the first failure so order is kept.
    ///
    /// On PostgreSQL the batch is claimed with `FOR UPDATE SKIP LOCKED`, so
    /// replicas of a service relay side by side without publishing the same
    /// row twice. A SQLite file has one process writing it (the embedded
    /// shape), so no claim is needed there.
    pub async fn relay_pending(&self) -> Result<usize, RelayError> {
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let claim = if tx.backend_name() == "PostgreSQL" {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT id, topic, payload, trace_id
             FROM outbox
             WHERE published_at_ms IS NULL
             ORDER BY created_at_ms, id
             LIMIT $1{claim}"
        ))
        .bind(self.batch)
        .fetch_all(&mut *tx)
        .await?;
        let mut sent = 0;
        let mut failure = None;
        for row in rows {
            let message = Message {
                // A row we wrote ourselves; a bad id would be a bug, and the
                // nil id still reaches the consumer's dead-letter queue.
                id: Uuid::parse_str(&row.id).unwrap_or_default(),
                topic: row.topic,
                payload: row.payload.into_bytes(),
                trace_id: row.trace_id,
            };
            if let Err(err) = self.bus.publish(&message).await {
                failure = Some(err);
                break;
            }
            sqlx::query("UPDATE outbox SET published_at_ms = $1 WHERE id = $2")
                .bind(now_ms())
                .bind(&row.id)
                .execute(&mut *tx)
                .await?;
            sent += 1;
        }
        // What was confirmed is marked even when a later publish failed.
        tx.commit().await?;
        match failure {
            Some(err) => Err(err.into()),
            None => Ok(sent),
        }
    }

    /// Relays until `shutdown` resolves, riding out broker outages.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            let wait = match self.relay_pending().await {
                Ok(0) => self.idle_poll,
                Ok(_) => Duration::ZERO,
                Err(err) => {
                    let pending = backlog(&self.pool).await.ok();
                    tracing::warn!(error = %err, backlog = ?pending, "outbox relay failed, will retry");
                    self.retry_delay
                }
            };
            tokio::select! {
                () = &mut shutdown => return,
                () = tokio::time::sleep(wait) => {}
            }
        }
    }
}
