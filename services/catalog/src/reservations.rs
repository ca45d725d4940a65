//! Stock held for orders: the catalog's half of the order saga. An order
//! reserves every line or none; a cancelled order releases what it held, a
//! shipped one takes it off the shelf. The order id is the idempotency key,
//! so a redelivered event never reserves, releases or ships twice.

use std::collections::BTreeMap;

use contracts::catalog::{Shortfall, StockLevel};
use platform::outbox::now_ms;
use sqlx::{AnyConnection, Row};

use crate::inventory::{announce, audit, db, stock_level};
use crate::{Catalog, Error, Quantity, Sku};

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
        // One update per SKU, in SKU order: two orders for the same items
        // lock their rows in the same order and never deadlock.
        let mut wanted: BTreeMap<&str, i64> = BTreeMap::new();
        for (sku, quantity) in lines {
            *wanted.entry(sku.as_str()).or_default() += quantity.get();
        }
        let mut tx = platform::db::begin_write(&self.pool).await.map_err(db)?;
        let known: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM stock_reservations WHERE order_id = $1")
                .bind(order_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
        if known > 0 {
            return Ok(());
        }
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
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
            match row {
                Some(row) => held.push(level(sku, &row)?),
                None => {
                    let sku = Sku::parse(sku).expect("came from a Sku");
                    let level = stock_level(&mut tx, &sku)
                        .await?
                        .ok_or_else(|| Error::UnknownSku(sku.as_str().to_owned()))?;
                    short.push(Shortfall {
                        sku: level.sku,
                        requested: *requested,
                        available: level.on_hand - level.reserved,
                    });
                }
            }
        }
        if !short.is_empty() {
            // Dropping the transaction undoes the lines that did fit.
            return Err(Error::NotEnoughStock(short));
        }
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
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        for level in &held {
            announce(&mut tx, level).await?;
        }
        tx.commit().await.map_err(db)
    }

    /// Gives back what a cancelled order held. Returns how many lines were
    /// released (0 when already settled, or never reserved).
    #[tracing::instrument(name = "catalog.release_stock", skip(self))]
    pub async fn release_stock(&self, order_id: &str) -> Result<usize, Error> {
        self.settle(order_id, Settlement::Released).await
    }

    /// Takes a shipped order's stock off the shelf: on hand and reserved
    /// both go down, with an audit row per line. Returns how many lines.
    #[tracing::instrument(name = "catalog.ship_stock", skip(self))]
    pub async fn ship_stock(&self, order_id: &str, actor: &str) -> Result<usize, Error> {
        self.settle(order_id, Settlement::Shipped { actor }).await
    }

    async fn settle(&self, order_id: &str, how: Settlement<'_>) -> Result<usize, Error> {
        let mut tx = platform::db::begin_write(&self.pool).await.map_err(db)?;
        let open = open_lines(&mut tx, order_id).await?;
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
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
            let level = level(sku, &row)?;
            if let Settlement::Shipped { actor } = how {
                let reason = format!("order {order_id} shipped");
                audit(&mut tx, &level, -quantity, &reason, actor).await?;
            }
            sqlx::query(
                "UPDATE stock_reservations SET settled_at_ms = $1, settlement = $2
                 WHERE order_id = $3 AND sku = $4",
            )
            .bind(now_ms())
            .bind(how.name())
            .bind(order_id)
            .bind(sku)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            announce(&mut tx, &level).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(open.len())
    }
}

#[derive(Clone, Copy)]
enum Settlement<'a> {
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
    .await
    .map_err(db)?;
    rows.into_iter()
        .map(|row| Ok((row.try_get("sku")?, row.try_get("quantity")?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db)
}

fn level(sku: &str, row: &sqlx::any::AnyRow) -> Result<StockLevel, Error> {
    Ok(StockLevel {
        sku: sku.to_owned(),
        on_hand: row.try_get("on_hand").map_err(db)?,
        reserved: row.try_get("reserved").map_err(db)?,
    })
}
