//! The ordering service's read side.

use contracts::ordering::{OrderStatus, OrderSummaryV1, OrderV1, PaymentStatus};
use sqlx::Row;

use crate::store::{self, Access};
use crate::{Error, Ordering, reference};

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
        let rows = sqlx::query(
            "SELECT o.id, o.number, o.status, o.payment_status, o.total_minor, o.placed_at_ms,
                    CAST((SELECT SUM(quantity) FROM order_lines l WHERE l.order_id = o.id) AS BIGINT) AS items
             FROM orders o WHERE o.customer_id = $1
             ORDER BY o.placed_at_ms DESC, o.number DESC LIMIT $2",
        )
        .bind(customer_id)
        .bind(LIST_LIMIT)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                let status: String = row.try_get("status")?;
                let payment: String = row.try_get("payment_status")?;
                Ok(OrderSummaryV1 {
                    id: row.try_get("id")?,
                    reference: reference(row.try_get("number")?),
                    status: OrderStatus::parse(&status)
                        .ok_or_else(|| Error::Corrupt(format!("status {status:?}")))?,
                    payment: if payment == "paid" {
                        PaymentStatus::Paid
                    } else {
                        PaymentStatus::Unpaid
                    },
                    total_minor: row.try_get("total_minor")?,
                    items: row.try_get::<Option<i64>, _>("items")?.unwrap_or(0),
                    placed_at_ms: row.try_get("placed_at_ms")?,
                })
            })
            .collect()
    }
}
