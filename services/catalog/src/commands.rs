//! The catalog's write side. Each command is one transaction: the change
//! and the events announcing it (written to the outbox) commit together.

use contracts::catalog::events::{CATEGORY_CHANGED_V1, CategoryChangedV1};
use platform::bus::Message;
use platform::outbox;

use crate::{Catalog, CategoryName, Error, Slug};

impl Catalog {
    /// Renames a category. `false` if no category has that slug (nothing
    /// changes then, and nothing is announced).
    #[tracing::instrument(name = "catalog.rename_category", skip(self))]
    pub async fn rename_category(&self, slug: &Slug, name: &CategoryName) -> Result<bool, Error> {
        let mut tx = platform::db::begin_write(&self.pool)
            .await
            .map_err(Error::Database)?;
        let changed = sqlx::query("UPDATE categories SET name = $1 WHERE slug = $2")
            .bind(name.as_str())
            .bind(slug.as_str())
            .execute(&mut *tx)
            .await
            .map_err(Error::Database)?
            .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        let event = CategoryChangedV1 {
            slug: slug.as_str().to_owned(),
        };
        let payload = serde_json::to_vec(&event).expect("a struct of strings serializes");
        outbox::enqueue(&mut tx, &Message::new(CATEGORY_CHANGED_V1, payload))
            .await
            .map_err(Error::Database)?;
        tx.commit().await.map_err(Error::Database)?;
        Ok(true)
    }

    /// The relay that publishes this catalog's outbox to `bus`.
    pub fn outbox_relay(&self, bus: std::sync::Arc<dyn platform::bus::EventBus>) -> outbox::Relay {
        outbox::Relay::new(self.pool.clone(), bus)
    }
}
