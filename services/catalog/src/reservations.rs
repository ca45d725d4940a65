//! Stock held for orders: the catalog's half of the order saga. An order
//! reserves every line or none; a cancelled order releases what it held, a
//! shipped one takes it off the shelf. The order id is the idempotency key,
//! so a redelivered event never reserves, releases or ships twice.

use std::collections::BTreeMap;

use contracts::catalog::{Shortfall, StockLevel};
use platform::outbox::now_ms;
use sqlx::{AnyConnection, Row};

use crate::inventory::{announce, audit, stock_level};
use crate::{Catalog, Error, Quantity, Sku};

/// What trying to hold an order's lines came to. Anything but `Reserved`
/// leaves the transaction as it was before the attempt.
pub(crate) enum Outcome {
    Reserved,
    /// Held before: the order id was seen already.
    AlreadyReserved,
    Short(Vec<Shortfall>),
    UnknownSku(String),
}

/// Holds every line or none, inside the caller's transaction (a savepoint
/// undoes the lines that fitted when one does not).
pub(crate) async fn reserve_in(
    conn: &mut AnyConnection,
    order_id: &str,
    lines: &[(Sku, Quantity)],
) -> Result<Outcome, Error> {
    // One update per SKU, in SKU order: two orders for the same items
    // lock their rows in the same order and never deadlock.
    let mut wanted: BTreeMap<&str, i64> = BTreeMap::new();
    for (sku, quantity) in lines {
        *wanted.entry(sku.as_str()).or_default() += quantity.get();
    }
    let known: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM stock_reservations WHERE order_id = $1")
            .bind(order_id)
            .fetch_one(&mut *conn)
            .await?;
    if known > 0 {
        return Ok(Outcome::AlreadyReserved);
    }
    sqlx::query("SAVEPOINT reserve").execute(&mut *conn).await?;
    let mut held = Vec::new();
    let mut short = Vec::new();
    for (sku, requested) in &wanted {
        let row = sqlx::query(
            "UPDATE variants SET reserved = reserved + $1
             WHERE sku = $2 AND on_hand - reserved >= $1
             RETURNING on_hand, reserved",
        )
        .bind(requested)
        .bind(sku)
        .fetch_optional(&mut *conn)
        .await?;
        match row {
            Some(row) => held.push(level(sku, &row)?),
            None => {
                let sku = Sku::parse(sku).expect("came from a Sku");
                let Some(level) = stock_level(&mut *conn, &sku).await? else {
                    undo(conn).await?;
                    return Ok(Outcome::UnknownSku(sku.as_str().to_owned()));
                };
                short.push(Shortfall {
                    sku: level.sku,
                    requested: *requested,
                    available: level.on_hand - level.reserved,
                });
            }
        }
    }
    if !short.is_empty() {
        undo(conn).await?;
        return Ok(Outcome::Short(short));
    }
    sqlx::query("RELEASE SAVEPOINT reserve")
        .execute(&mut *conn)
        .await?;
    let now = now_ms();
    for (sku, quantity) in &wanted {
        sqlx::query(
            "INSERT INTO stock_reservations (order_id, sku, quantity, created_at_ms)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(order_id)
        .bind(sku)
        .bind(quantity)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    for level in &held {
        announce(&mut *conn, level).await?;
    }
    Ok(Outcome::Reserved)
}

async fn undo(conn: &mut AnyConnection) -> Result<(), Error> {
    sqlx::query("ROLLBACK TO SAVEPOINT reserve")
        .execute(&mut *conn)
        .await?;
    sqlx::query("RELEASE SAVEPOINT reserve")
        .execute(&mut *conn)
        .await
        .map_err(Error::from)
        .map(|_| ())
}

impl Catalog {
    /// Holds stock for all of an order's lines, or for none of them, in
    /// which case every line that fell short is named. Reserving an order
    /// already reserved (a replayed event) changes nothing.
    #[tracing::instrument(name = "catalog.reserve_stock", skip(self, lines))]
    pub async fn reserve_stock(
        &self,
        order_id: &str,
        lines: &[(Sku, Quantity)],
    ) -> Result<(), Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        match reserve_in(&mut tx, order_id, lines).await? {
            Outcome::Reserved => tx.commit().await.map_err(Error::from),
            Outcome::AlreadyReserved => Ok(()),
            Outcome::Short(short) => Err(Error::NotEnoughStock(short)),
            Outcome::UnknownSku(sku) => Err(Error::UnknownSku(sku)),
        }
    }

    /// Gives back what a cancelled order held. Returns how many lines were
    /// released (0 when already settled, or never reserved).
    #[tracing::instrument(name = "catalog.release_stock", skip(self))]
    pub async fn release_stock(&self, order_id: &str) -> Result<usize, Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let lines = settle_in(&mut tx, order_id, Settlement::Released).await?;
        tx.commit().await?;
        Ok(lines)
    }

    /// Takes a shipped order's stock off the shelf: on hand and reserved
    /// both go down, with an audit row per line. Returns how many lines.
    #[tracing::instrument(name = "catalog.ship_stock", skip(self))]
    pub async fn ship_stock(&self, order_id: &str, actor: &str) -> Result<usize, Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let lines = settle_in(&mut tx, order_id, Settlement::Shipped { actor }).await?;
        tx.commit().await?;
        Ok(lines)
    }
}

/// Settles each open line of an order once, inside the caller's
/// transaction.
pub(crate) async fn settle_in(
    conn: &mut AnyConnection,
    order_id: &str,
    how: Settlement<'_>,
) -> Result<usize, Error> {
    let open = open_lines(&mut *conn, order_id).await?;
    for (sku, quantity) in &open {
        let on_hand_change = match how {
            Settlement::Released => 0,
            Settlement::Shipped { .. } => *quantity,
        };
        let row = sqlx::query(
            "UPDATE variants SET reserved = reserved - $1, on_hand = on_hand - $2
             WHERE sku = $3
             RETURNING on_hand, reserved",
        )
        .bind(quantity)
        .bind(on_hand_change)
        .bind(sku)
        .fetch_one(&mut *conn)
        .await?;
        let level = level(sku, &row)?;
        if let Settlement::Shipped { actor } = how {
            let reason = format!("order {order_id} shipped");
            audit(&mut *conn, &level, -quantity, &reason, actor).await?;
        }
        sqlx::query(
            "UPDATE stock_reservations SET settled_at_ms = $1, settlement = $2
             WHERE order_id = $3 AND sku = $4",
        )
        .bind(now_ms())
        .bind(how.name())
        .bind(order_id)
        .bind(sku)
        .execute(&mut *conn)
        .await?;
        announce(&mut *conn, &level).await?;
    }
    Ok(open.len())
}

#[derive(Clone, Copy)]
pub(crate) enum Settlement<'a> {
    Released,
    Shipped { actor: &'a str },
}

impl Settlement<'_> {
    fn name(self) -> &'static str {
        match self {
            Self::Released => "released",
            Self::Shipped { .. } => "shipped",
        }
    }
}

async fn open_lines(conn: &mut AnyConnection, order_id: &str) -> Result<Vec<(String, i64)>, Error> {
    let rows = sqlx::query(
        "SELECT sku, quantity FROM stock_reservations
         WHERE order_id = $1 AND settled_at_ms IS NULL ORDER BY sku",
    )
    .bind(order_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|row| Ok((row.try_get("sku")?, row.try_get("quantity")?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Error::from)
}

fn level(sku: &str, row: &sqlx::any::AnyRow) -> Result<StockLevel, Error> {
    Ok(StockLevel {
        sku: sku.to_owned(),
        on_hand: row.try_get("on_hand")?,
        reserved: row.try_get("reserved")?,
    })
}
