//! The inbox: a consumer records each message id in the same transaction
//! as the message's effect. A redelivered or duplicated message finds its id
//! already there and is acknowledged without a second effect.
//!
//! Each service's migrations create the `inbox` table
//! (`consumer`, `message_id`, `processed_at_ms`; primary key on the first two).

use std::future::Future;

use sqlx::{Any, AnyConnection, AnyPool, Transaction};
use uuid::Uuid;

use crate::bus::{HandlerError, Message};
use crate::outbox::now_ms;

/// A write transaction, handed to an effect and back.
pub type Tx = Transaction<'static, Any>;

/// Runs `effect` once per message for `consumer`: in one write transaction
/// with the inbox record, so a redelivered or duplicated message has no
/// second effect, and a failed effect (or commit) rolls back the record
/// too and the message is retried. The effect writes what it causes to
/// the outbox in the same transaction and hands the transaction back.
pub async fn once<F, Fut>(
    pool: &AnyPool,
    consumer: &str,
    message: &Message,
    effect: F,
) -> Result<(), HandlerError>
where
    F: FnOnce(Tx) -> Fut,
    Fut: Future<Output = Result<Tx, HandlerError>>,
{
    let transient = |err: sqlx::Error| HandlerError::transient(&err);
    let mut tx = crate::db::begin_write(pool).await.map_err(transient)?;
    if !first_time(&mut tx, consumer, message.id)
        .await
        .map_err(transient)?
    {
        return Ok(());
    }
    effect(tx).await?.commit().await.map_err(transient)
}

/// Records `message_id` for `consumer` inside the caller's transaction.
/// `true`: first time, apply the effect. `false`: seen before, do nothing.
pub async fn first_time(
    conn: &mut AnyConnection,
    consumer: &str,
    message_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO inbox (consumer, message_id, processed_at_ms)
         VALUES ($1, $2, $3)
         ON CONFLICT (consumer, message_id) DO NOTHING",
    )
    .bind(consumer)
    .bind(message_id.to_string())
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Whether `consumer` already recorded `message_id`: for a consumer whose
/// effect is outside the database (an email), checked before the effect and
/// recorded with [`first_time`] after it.
pub async fn seen(
    conn: &mut AnyConnection,
    consumer: &str,
    message_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT 1 FROM inbox WHERE consumer = $1 AND message_id = $2")
        .bind(consumer)
        .bind(message_id.to_string())
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}
