//! Rate limits kept in the database, so every replica sees the same counts.
//! Keys are hashed: the table holds no addresses.

use std::time::Duration;

use sqlx::{AnyConnection, Row};

use crate::secrets;

fn key(kind: &str, subject: &str) -> String {
    secrets::hash(&format!("{kind}:{subject}"))
}

/// Seconds until `subject` may try again, if it has used up `limit`.
pub async fn blocked(
    conn: &mut AnyConnection,
    kind: &str,
    subject: &str,
    limit: i64,
    window: Duration,
    now: i64,
) -> Result<Option<u64>, sqlx::Error> {
    let row = sqlx::query("SELECT hits, window_started_at_ms FROM throttle WHERE key = $1")
        .bind(key(kind, subject))
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let hits: i64 = row.try_get("hits")?;
    let started: i64 = row.try_get("window_started_at_ms")?;
    let ends = started + window.as_millis() as i64;
    if hits >= limit && ends > now {
        Ok(Some(((ends - now) as u64).div_ceil(1000)))
    } else {
        Ok(None)
    }
}

/// Counts one more hit, starting a new window if the last one is over.
pub async fn hit(
    conn: &mut AnyConnection,
    kind: &str,
    subject: &str,
    window: Duration,
    now: i64,
) -> Result<(), sqlx::Error> {
    let window_start_before = now - window.as_millis() as i64;
    sqlx::query(
        "INSERT INTO throttle (key, hits, window_started_at_ms) VALUES ($1, 1, $2)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN throttle.window_started_at_ms <= $3 THEN 1 ELSE throttle.hits + 1 END,
           window_started_at_ms = CASE WHEN throttle.window_started_at_ms <= $3
                                       THEN $2 ELSE throttle.window_started_at_ms END",
    )
    .bind(key(kind, subject))
    .bind(now)
    .bind(window_start_before)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn clear(conn: &mut AnyConnection, kind: &str, subject: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM throttle WHERE key = $1")
        .bind(key(kind, subject))
        .execute(conn)
        .await
        .map(|_| ())
}
