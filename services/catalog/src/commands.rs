//! The catalog's write side. Each command is one transaction: the change
//! and the events announcing it (written to the outbox) commit together.

use platform::bus::Message;
use platform::outbox;
use serde::Serialize;
use sqlx::AnyConnection;

use crate::{Catalog, CategoryName, Error, Slug};

impl Catalog {
    /// Renames a category. `false` if no category has that slug (nothing
    /// changes then, and nothing is announced).
    #[tracing::instrument(name = "catalog.rename_category", skip(self))]
    pub async fn rename_category(&self, slug: &Slug, name: &CategoryName) -> Result<bool, Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let changed = sqlx::query("UPDATE categories SET name = $1 WHERE slug = $2")
            .bind(name.as_str())
            .bind(slug.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        crate::categories::announce(&mut tx, slug.as_str()).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The relay that publishes this catalog's outbox to `bus`.
    pub fn outbox_relay(&self, bus: std::sync::Arc<dyn platform::bus::EventBus>) -> outbox::Relay {
        outbox::Relay::new(self.pool.clone(), bus)
    }
}

/// Writes `event` to the outbox under `topic` on `conn`, the connection of
/// the change it announces: both commit together or neither does.
pub(crate) async fn announce(
    conn: &mut AnyConnection,
    topic: &str,
    event: &impl Serialize,
) -> Result<(), sqlx::Error> {
    let payload = serde_json::to_vec(event).expect("an event of plain fields serializes");
    outbox::enqueue(conn, &Message::new(topic, payload)).await
}
