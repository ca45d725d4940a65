//! What staff do with orders: record a payment, ship with a tracking
//! number, mark delivered; and what they look at: the order list and the
//! dashboard. Every command checks the order's state in the same
//! conditional update that changes it, so two staff members clicking at
//! once change it once.

use contracts::ordering::events::{ORDER_SHIPPED_V1, OrderSettledV1};
use contracts::ordering::{DashboardV1, OrderStatus, OrderSummaryV1};
use platform::outbox;
use platform::sql::Param;
use sqlx::Row;

use crate::commands::{Actor, message};
use crate::{Error, Ordering, store};

/// A carrier or tracking number as staff typed it, checked.
fn short_text(raw: &str, what: &'static str, max: usize) -> Result<String, Error> {
    contracts::text::one_line(raw, max)
        .map(str::to_owned)
        .ok_or_else(|| Error::BadField(what.to_owned(), max))
}

/// Filters of the staff order list.
#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    /// Placed at or after (UTC ms).
    pub from_ms: Option<i64>,
    /// Placed before (UTC ms).
    pub to_ms: Option<i64>,
}

/// A step staff take with an order: the columns it sets, the state the
/// order must be in for it, and what the order could not be otherwise.
struct Step {
    set: &'static str,
    when: &'static str,
    refused: &'static str,
}

/// The money arrived (bank transfer) or was handed over (cash on delivery).
const PAYMENT: Step = Step {
    set: "payment_status = 'paid'",
    when: "payment_status = 'unpaid' AND status <> 'cancelled'",
    refused: "marked paid",
};

/// A bank-transfer order ships only once paid.
const SHIPMENT: Step = Step {
    set: "status = 'shipped', carrier = $1, tracking = $2",
    when: "status = 'confirmed' AND (payment_status = 'paid' OR payment_method = 'cash_on_delivery')",
    refused: "shipped",
};

const DELIVERY: Step = Step {
    set: "status = 'delivered'",
    when: "status = 'shipped'",
    refused: "marked delivered",
};

impl Ordering {
    /// Records that the money arrived (bank transfer) or was handed over
    /// (cash on delivery).
    #[tracing::instrument(name = "ordering.record_payment", skip(self))]
    pub async fn record_payment(&self, order_id: &str, staff: &str) -> Result<(), Error> {
        self.take_step(order_id, staff, &PAYMENT, &[], "Payment received", None)
            .await
    }

    /// Ships a confirmed order: the stock leaves the shelf (the catalog
    /// hears by event) and the shopper is emailed the tracking number. A
    /// bank-transfer order ships only once paid.
    #[tracing::instrument(name = "ordering.ship", skip(self))]
    pub async fn ship(
        &self,
        order_id: &str,
        carrier: &str,
        tracking: &str,
        staff: &str,
    ) -> Result<(), Error> {
        let carrier = short_text(carrier, "carrier", 60)?;
        let tracking = short_text(tracking, "tracking number", 60)?;
        let what = format!("Shipped with {carrier}, tracking {tracking}");
        let values: [Param; 2] = [(&carrier).into(), (&tracking).into()];
        let shipped = Some(ORDER_SHIPPED_V1);
        self.take_step(order_id, staff, &SHIPMENT, &values, &what, shipped)
            .await
    }

    #[tracing::instrument(name = "ordering.mark_delivered", skip(self))]
    pub async fn mark_delivered(&self, order_id: &str, staff: &str) -> Result<(), Error> {
        self.take_step(order_id, staff, &DELIVERY, &[], "Delivered", None)
            .await
    }

    /// Takes `step` for `staff` in one transaction: the update (with
    /// `values` for its columns), `what` on the order's timeline and, if
    /// the step `announces` one, its event.
    async fn take_step(
        &self,
        order_id: &str,
        staff: &str,
        step: &Step,
        values: &[Param<'_>],
        what: &str,
        announces: Option<&str>,
    ) -> Result<(), Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        if !store::advance(&mut tx, order_id, step.set, values, step.when).await? {
            return Err(self.why_not(&mut tx, order_id, step.refused).await);
        }
        let actor = Actor::Staff(staff.into()).label();
        store::record(&mut tx, order_id, what, &actor).await?;
        if let Some(topic) = announces {
            let settled = OrderSettledV1 {
                order_id: order_id.to_owned(),
                actor,
            };
            outbox::enqueue(&mut tx, &message(topic, &settled)).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Why a conditional update changed nothing: no such order, or not in
    /// a state for it.
    async fn why_not(
        &self,
        conn: &mut sqlx::AnyConnection,
        order_id: &str,
        what: &'static str,
    ) -> Error {
        match store::load(conn, order_id).await {
            Ok(Some(_)) => Error::WrongState(what.to_owned()),
            Ok(None) => Error::NoSuchOrder,
            Err(err) => err,
        }
    }

    /// Orders for staff, newest first.
    pub async fn list(&self, filter: &OrderFilter) -> Result<Vec<OrderSummaryV1>, Error> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM orders o
             WHERE ($1 = '' OR o.status = $1) AND o.placed_at_ms >= $2 AND o.placed_at_ms < $3
             ORDER BY o.placed_at_ms DESC, o.number DESC LIMIT 200",
            store::SUMMARY_COLUMNS
        ))
        .bind(filter.status.map(|s| s.as_str()).unwrap_or(""))
        .bind(filter.from_ms.unwrap_or(0))
        .bind(filter.to_ms.unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(store::summary).collect()
    }

    /// Sales of the last `days` days up to `now_ms`, and what waits.
    pub async fn dashboard(&self, now_ms: i64, days: i64) -> Result<DashboardV1, Error> {
        const DAY: i64 = 86_400_000;
        let today = now_ms.div_euclid(DAY);
        let first = today - days + 1;
        let mut per_day: Vec<(i64, i64, i64)> = (first..=today).map(|d| (d, 0, 0)).collect();
        let rows = sqlx::query(
            "SELECT placed_at_ms, total_minor FROM orders
             WHERE status <> 'cancelled' AND placed_at_ms >= $1",
        )
        .bind(first * DAY)
        .fetch_all(&self.pool)
        .await?;
        for row in rows {
            let day = row.try_get::<i64, _>("placed_at_ms")?.div_euclid(DAY);
            if let Some(entry) = per_day.iter_mut().find(|(d, _, _)| *d == day) {
                entry.1 += 1;
                entry.2 += row.try_get::<i64, _>("total_minor")?;
            }
        }
        let count = |sql: &'static str| async move {
            sqlx::query(sql)
                .fetch_one(&self.pool)
                .await
                .and_then(|row| row.try_get::<i64, _>("n"))
        };
        let to_pack = count(
            "SELECT COUNT(*) AS n FROM orders WHERE status = 'confirmed'
               AND (payment_status = 'paid' OR payment_method = 'cash_on_delivery')",
        )
        .await?;
        let awaiting_payment = count(
            "SELECT COUNT(*) AS n FROM orders WHERE status = 'confirmed'
               AND payment_status = 'unpaid' AND payment_method = 'bank_transfer'",
        )
        .await?;
        let in_transit = count("SELECT COUNT(*) AS n FROM orders WHERE status = 'shipped'").await?;
        let top_products = sqlx::query(
            "SELECT l.product_name, CAST(SUM(l.quantity) AS BIGINT) AS units
             FROM order_lines l JOIN orders o ON o.id = l.order_id
             WHERE o.status <> 'cancelled' AND o.placed_at_ms >= $1
             GROUP BY l.product_name ORDER BY units DESC, l.product_name LIMIT 5",
        )
        .bind(first * DAY)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|row| Ok((row.try_get("product_name")?, row.try_get("units")?)))
        .collect::<Result<_, sqlx::Error>>()?;
        Ok(DashboardV1 {
            sales_per_day: per_day
                .into_iter()
                .map(|(day, orders, sales)| (contracts::ordering::civil_date(day), orders, sales))
                .collect(),
            to_pack,
            awaiting_payment,
            in_transit,
            top_products,
        })
    }
}
