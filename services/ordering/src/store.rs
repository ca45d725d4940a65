//! The ordering service's SQL: reading orders whole and writing their
//! history. Nothing else lives here.

use contracts::ordering::{
    DeliveryMethod, OrderLineViewV1, OrderStatus, OrderSummaryV1, OrderV1, PaymentMethod,
    PaymentStatus, TimelineEntryV1, TotalsV1,
};
use platform::sql::{Param, execute, query};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::{Error, reference};

/// Who may see an order: its customer, whoever holds its link, or staff.
#[derive(Clone, Copy, Debug)]
pub enum Access<'a> {
    Customer(&'a str),
    Key(&'a str),
    Staff,
}

/// An order with what only the service needs (who placed it, its key).
pub struct StoredOrder {
    pub order: OrderV1,
    pub customer_id: Option<String>,
    pub basket: Option<String>,
    pub view_key: String,
}

impl StoredOrder {
    pub fn allows(&self, access: Access<'_>) -> bool {
        match access {
            Access::Staff => true,
            Access::Customer(user) => self.customer_id.as_deref() == Some(user),
            Access::Key(key) => constant_time_eq(key.as_bytes(), self.view_key.as_bytes()),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn corrupt(what: &str, value: &str) -> Error {
    Error::Corrupt(format!("{what} {value:?}"))
}

pub async fn load(conn: &mut AnyConnection, id: &str) -> Result<Option<StoredOrder>, Error> {
    let Some(row) = sqlx::query("SELECT * FROM orders WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let text = |name: &str| row.try_get::<String, _>(name);
    let status = text("status")?;
    let payment = text("payment_status")?;
    let method = text("payment_method")?;
    let delivery = text("delivery_method")?;
    let address: Vec<String> = serde_json::from_str(&text("address")?)
        .map_err(|e| Error::Corrupt(format!("address: {e}")))?;
    let lines = query(LINES, &[id.into()]).fetch_all(&mut *conn).await?;
    let lines = lines.iter().map(line).collect::<Result<_, _>>()?;
    let timeline = query(TIMELINE, &[id.into()]).fetch_all(&mut *conn).await?;
    let timeline = timeline.iter().map(step).collect::<Result<_, _>>()?;
    let order = OrderV1 {
        id: id.to_owned(),
        reference: reference(row.try_get("number")?),
        status: OrderStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        payment: match payment.as_str() {
            "paid" => PaymentStatus::Paid,
            "unpaid" => PaymentStatus::Unpaid,
            other => return Err(corrupt("payment status", other)),
        },
        payment_method: PaymentMethod::parse(&method)
            .ok_or_else(|| corrupt("payment method", &method))?,
        delivery_method: DeliveryMethod::parse(&delivery)
            .ok_or_else(|| corrupt("delivery method", &delivery))?,
        email: text("email")?,
        name: text("name")?,
        address,
        lines,
        totals: TotalsV1 {
            subtotal_minor: row.try_get("subtotal_minor")?,
            delivery_minor: row.try_get("delivery_minor")?,
            total_minor: row.try_get("total_minor")?,
            vat_minor: row.try_get("vat_minor")?,
            vat_percent: row.try_get("vat_percent")?,
        },
        cancel_reason: row.try_get("cancel_reason")?,
        carrier: row.try_get("carrier")?,
        tracking: row.try_get("tracking")?,
        placed_at_ms: row.try_get("placed_at_ms")?,
        timeline,
    };
    Ok(Some(StoredOrder {
        order,
        customer_id: row.try_get("customer_id")?,
        basket: row.try_get("basket")?,
        view_key: text("view_key")?,
    }))
}

/// An order's lines, in the order they were placed.
const LINES: &str = "SELECT sku, product_name, colour, size, quantity, unit_price_minor
     FROM order_lines WHERE order_id = $1 ORDER BY position";

/// An order's timeline, oldest first.
const TIMELINE: &str =
    "SELECT at_ms, what FROM order_history WHERE order_id = $1 ORDER BY at_ms, what";

fn step(row: &AnyRow) -> Result<TimelineEntryV1, sqlx::Error> {
    Ok(TimelineEntryV1 {
        at_ms: row.try_get("at_ms")?,
        what: row.try_get("what")?,
    })
}

fn line(row: &AnyRow) -> Result<OrderLineViewV1, sqlx::Error> {
    let text = |column: &str| row.try_get::<String, _>(column);
    Ok(OrderLineViewV1 {
        sku: text("sku")?,
        product_name: text("product_name")?,
        colour: text("colour")?,
        size: text("size")?,
        quantity: row.try_get("quantity")?,
        unit_price_minor: row.try_get("unit_price_minor")?,
    })
}

/// The columns an order list selects: `id, number, status, payment_status,
/// total_minor, placed_at_ms, items` (items: the sum of line quantities).
pub const SUMMARY_COLUMNS: &str =
    "o.id, o.number, o.status, o.payment_status, o.total_minor, o.placed_at_ms,
     CAST((SELECT SUM(quantity) FROM order_lines l WHERE l.order_id = o.id) AS BIGINT) AS items";

/// An order in a list, from a row of [`SUMMARY_COLUMNS`].
pub fn summary(row: &sqlx::any::AnyRow) -> Result<OrderSummaryV1, Error> {
    let status: String = row.try_get("status")?;
    let payment: String = row.try_get("payment_status")?;
    Ok(OrderSummaryV1 {
        id: row.try_get("id")?,
        reference: reference(row.try_get("number")?),
        status: OrderStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        payment: if payment == "paid" {
            PaymentStatus::Paid
        } else {
            PaymentStatus::Unpaid
        },
        total_minor: row.try_get("total_minor")?,
        items: row.try_get::<Option<i64>, _>("items")?.unwrap_or(0),
        placed_at_ms: row.try_get("placed_at_ms")?,
    })
}

/// Moves an order on in one conditional update, so two people acting at
/// once move it once: `set` (with `values` as `$1`…) and the update time,
/// only while the order is as `when` says. `false`: no such order, or not
/// in a state for it.
pub async fn advance(
    conn: &mut AnyConnection,
    order_id: &str,
    set: &str,
    values: &[Param<'_>],
    when: &str,
) -> Result<bool, Error> {
    let n = values.len();
    let sql = format!(
        "UPDATE orders SET {set}, updated_at_ms = ${} WHERE id = ${} AND {when}",
        n + 1,
        n + 2
    );
    let params = [
        values,
        &[platform::outbox::now_ms().into(), order_id.into()],
    ]
    .concat();
    Ok(execute(conn, &sql, &params).await? > 0)
}

/// Adds a step to an order's timeline.
pub async fn record(
    conn: &mut AnyConnection,
    order_id: &str,
    what: &str,
    actor: &str,
) -> Result<(), Error> {
    let sql = "INSERT INTO order_history (order_id, at_ms, what, actor) VALUES ($1, $2, $3, $4)";
    let now = platform::outbox::now_ms();
    execute(
        conn,
        sql,
        &[order_id.into(), now.into(), what.into(), actor.into()],
    )
    .await?;
    Ok(())
}
