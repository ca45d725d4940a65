//! The ordering service's read side.

use contracts::ordering::{OrderSummaryV1, OrderV1};

use crate::store::{self, Access};
use crate::{Error, Ordering};

/// The most orders one list shows.
const LIST_LIMIT: i64 = 100;

impl Ordering {
    /// An order, if it exists and `access` may see it (else `None`, the
    /// same as a missing one: nobody learns which orders exist).
    pub async fn order(
        &self,
        order_id: &str,
        access: Access<'_>,
    ) -> Result<Option<OrderV1>, Error> {
        let mut conn = self.pool.acquire().await?;
        Ok(store::load(&mut conn, order_id)
            .await?
            .filter(|o| o.allows(access))
            .map(|o| o.order))
    }

    /// A customer's orders, newest first.
    pub async fn orders_of(&self, customer_id: &str) -> Result<Vec<OrderSummaryV1>, Error> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM orders o WHERE o.customer_id = $1
             ORDER BY o.placed_at_ms DESC, o.number DESC LIMIT $2",
            store::SUMMARY_COLUMNS
        ))
        .bind(customer_id)
        .bind(LIST_LIMIT)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(store::summary).collect()
    }
}
