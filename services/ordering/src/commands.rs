//! The ordering service's write side. Each command is one transaction: the
//! order's change, its timeline and the events announcing it (in the
//! outbox) commit together or not at all.

use catalog_api::{Quantity, Sku};
use contracts::catalog::VariantLineV1;
use contracts::ordering::events::{
    ORDER_CANCELLED_V1, ORDER_SUBMITTED_V1, OrderLineV1, OrderSettledV1, OrderSubmittedV1,
};
use contracts::ordering::{DeliveryMethod, PaymentMethod};
use platform::bus::Message;
use platform::outbox::{self, now_ms};
use sqlx::Row;
use uuid::Uuid;

use crate::store::{self, Access};
use crate::{Error, Ordering, reference};

/// Everything checkout hands over, already parsed at the edge.
#[derive(Clone, Debug)]
pub struct Checkout {
    /// Made when the checkout page was shown: posting it twice (a double
    /// click, a retried request) places one order.
    pub idempotency_key: Uuid,
    pub customer_id: Option<String>,
    /// The basket the lines came from (`guest:…` / `member:…`), emptied of
    /// them once the order is confirmed.
    pub basket: Option<String>,
    pub email: String,
    pub name: String,
    /// Delivery address lines; empty for pick-up.
    pub address: Vec<String>,
    pub payment_method: PaymentMethod,
    pub delivery_method: DeliveryMethod,
    pub lines: Vec<(Sku, Quantity)>,
    /// The total the shopper was shown: the order is placed only at it.
    pub expected_total_minor: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub order_id: String,
    pub reference: String,
    /// Opens the order's page without an account.
    pub view_key: String,
    /// `true` when this checkout had already placed the order.
    pub repeated: bool,
}

/// Who did something to an order, for its history and events.
#[derive(Clone, Debug)]
pub enum Actor {
    Customer(String),
    Guest,
    Staff(String),
    System,
}

impl Actor {
    pub fn label(&self) -> String {
        match self {
            Self::Customer(id) => format!("customer:{id}"),
            Self::Guest => "guest".into(),
            Self::Staff(id) => format!("staff:{id}"),
            Self::System => "system".into(),
        }
    }
}

fn random_key() -> String {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).expect("the operating system supplies randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn message(topic: &str, payload: &impl serde::Serialize) -> Message {
    Message::new(
        topic,
        serde_json::to_vec(payload).expect("a plain struct serializes"),
    )
}

impl Ordering {
    /// The order this checkout key placed already. A member's order is
    /// told only to that member: the key must not open someone's order.
    async fn already_placed(
        &self,
        key: &Uuid,
        customer_id: Option<&str>,
    ) -> Result<Option<Placed>, Error> {
        let row = sqlx::query(
            "SELECT id, number, view_key, customer_id FROM orders WHERE idempotency_key = $1",
        )
        .bind(key.to_string())
        .fetch_optional(&self.pool)
        .await?;
        if let Some(row) = &row {
            let owner: Option<String> = row.try_get("customer_id")?;
            if owner.is_some() && owner.as_deref() != customer_id {
                return Err(Error::Refused(
                    "This checkout was completed from another account.".into(),
                ));
            }
        }
        row.map(|row| {
            Ok(Placed {
                order_id: row.try_get("id")?,
                reference: reference(row.try_get("number")?),
                view_key: row.try_get("view_key")?,
                repeated: true,
            })
        })
        .transpose()
    }

    /// Places an order as Submitted at the catalog's prices of now, and
    /// asks the catalog (by event) to hold its stock. Stock and prices are
    /// checked first, so most sell-outs are told on the page.
    #[tracing::instrument(name = "ordering.place_order", skip_all, fields(key = %checkout.idempotency_key))]
    pub async fn place_order(&self, checkout: &Checkout) -> Result<Placed, Error> {
        if let Some(placed) = self
            .already_placed(&checkout.idempotency_key, checkout.customer_id.as_deref())
            .await?
        {
            return Ok(placed);
        }
        // One line per SKU, whatever the basket held.
        let mut wanted: Vec<(Sku, i64)> = Vec::new();
        for (sku, quantity) in &checkout.lines {
            match wanted.iter_mut().find(|(s, _)| s == sku) {
                Some((_, n)) => *n += quantity.get(),
                None => wanted.push((sku.clone(), quantity.get())),
            }
        }
        if wanted.is_empty() {
            return Err(Error::NothingToOrder);
        }
        let skus: Vec<Sku> = wanted.iter().map(|(s, _)| s.clone()).collect();
        let now = self.catalog.variant_lines(&skus).await;
        let now = VariantLineV1::by_sku(now.map_err(Error::Catalog)?);
        let mut short = Vec::new();
        let mut lines = Vec::new();
        for (sku, quantity) in &wanted {
            let variant = now.get(sku.as_str()).ok_or(Error::NoLongerSold)?;
            if variant.available < *quantity {
                short.push(format!(
                    "{} ({}, {})",
                    variant.product_name, variant.colour, variant.size
                ));
            }
            lines.push((variant, *quantity));
        }
        if !short.is_empty() {
            return Err(Error::NotEnoughStock(short));
        }
        let subtotal: i64 = lines.iter().map(|(v, q)| v.price_minor * q).sum();
        let totals = self.terms.totals(subtotal, checkout.delivery_method);
        if totals.total_minor != checkout.expected_total_minor {
            return Err(Error::PricesChanged);
        }

        let order_id = Uuid::now_v7().to_string();
        let view_key = random_key();
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let number: i64 =
            sqlx::query("UPDATE order_numbers SET last = last + 1 WHERE id = 1 RETURNING last")
                .fetch_one(&mut *tx)
                .await?
                .try_get("last")?;
        let at = now_ms();
        let inserted = sqlx::query(
            "INSERT INTO orders (id, number, idempotency_key, customer_id, view_key, basket, email,
                 name, address, status, payment_status, payment_method, delivery_method,
                 subtotal_minor, delivery_minor, total_minor, vat_minor, vat_percent,
                 placed_at_ms, updated_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'submitted', 'unpaid', $10, $11,
                 $12, $13, $14, $15, $16, $17, $17)",
        )
        .bind(&order_id)
        .bind(number)
        .bind(checkout.idempotency_key.to_string())
        .bind(checkout.customer_id.as_deref())
        .bind(&view_key)
        .bind(checkout.basket.as_deref())
        .bind(&checkout.email)
        .bind(&checkout.name)
        .bind(serde_json::to_string(&checkout.address).expect("strings serialize"))
        .bind(checkout.payment_method.as_str())
        .bind(checkout.delivery_method.as_str())
        .bind(totals.subtotal_minor)
        .bind(totals.delivery_minor)
        .bind(totals.total_minor)
        .bind(totals.vat_minor)
        .bind(totals.vat_percent)
        .bind(at)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            // The same checkout, posted twice at once, lost the race: the
            // other post placed the order.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                drop(tx);
                return self
                    .already_placed(&checkout.idempotency_key, checkout.customer_id.as_deref())
                    .await?
                    .ok_or(Error::from(sqlx::Error::Database(e)));
            }
            Err(e) => return Err(e.into()),
        }
        for (position, (variant, quantity)) in lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO order_lines (order_id, position, sku, product_name, colour, size,
                     quantity, unit_price_minor)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&order_id)
            .bind(position as i64)
            .bind(&variant.sku)
            .bind(&variant.product_name)
            .bind(&variant.colour)
            .bind(&variant.size)
            .bind(quantity)
            .bind(variant.price_minor)
            .execute(&mut *tx)
            .await?;
        }
        let actor = match &checkout.customer_id {
            Some(id) => Actor::Customer(id.clone()),
            None => Actor::Guest,
        };
        store::record(&mut tx, &order_id, "Order placed", &actor.label()).await?;
        let submitted = OrderSubmittedV1 {
            order_id: order_id.clone(),
            lines: lines
                .iter()
                .map(|(v, q)| OrderLineV1 {
                    sku: v.sku.clone(),
                    quantity: *q,
                })
                .collect(),
        };
        outbox::enqueue(&mut tx, &message(ORDER_SUBMITTED_V1, &submitted)).await?;
        tx.commit().await?;
        tracing::info!(order = %order_id, number, "order placed");
        Ok(Placed {
            order_id,
            reference: reference(number),
            view_key,
            repeated: false,
        })
    }

    /// Cancels an order that has not shipped; what it held goes back to
    /// stock (the catalog hears of it by event).
    #[tracing::instrument(name = "ordering.cancel_order", skip(self, access))]
    pub async fn cancel_order(
        &self,
        order_id: &str,
        access: Access<'_>,
        actor: &Actor,
        reason: &str,
    ) -> Result<(), Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let order = store::load(&mut tx, order_id)
            .await?
            .filter(|o| o.allows(access))
            .ok_or(Error::NoSuchOrder)?;
        if !order.order.status.can_cancel() {
            return Err(Error::WrongState("cancelled".into()));
        }
        cancel_in(&mut tx, order_id, actor, reason).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Marks a cancellable order cancelled, with its history and event, in
/// the caller's transaction. `false` if it was not cancellable.
pub(crate) async fn cancel_in(
    conn: &mut sqlx::AnyConnection,
    order_id: &str,
    actor: &Actor,
    reason: &str,
) -> Result<bool, Error> {
    let set = "status = 'cancelled', cancel_reason = $1";
    let cancellable = "status IN ('submitted', 'confirmed')";
    if !store::advance(conn, order_id, set, &[reason.into()], cancellable).await? {
        return Ok(false);
    }
    store::record(
        conn,
        order_id,
        &format!("Cancelled: {reason}"),
        &actor.label(),
    )
    .await?;
    let settled = OrderSettledV1 {
        order_id: order_id.to_owned(),
        actor: actor.label(),
    };
    outbox::enqueue(conn, &message(ORDER_CANCELLED_V1, &settled)).await?;
    Ok(true)
}

impl Ordering {
    /// Cancels bank-transfer orders still unpaid `transfer_days` after they
    /// were placed (as of `now_ms`), giving their stock back. Returns how
    /// many. Safe to run from every replica at once: each cancellation is a
    /// conditional update.
    #[tracing::instrument(name = "ordering.cancel_unpaid_transfers", skip(self))]
    pub async fn cancel_unpaid_transfers(&self, now_ms: i64) -> Result<usize, Error> {
        let deadline = now_ms - self.terms.transfer_days * 86_400_000;
        let due: Vec<String> = sqlx::query(
            "SELECT id FROM orders
             WHERE payment_method = 'bank_transfer' AND payment_status = 'unpaid'
               AND status IN ('submitted', 'confirmed') AND placed_at_ms <= $1",
        )
        .bind(deadline)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|row| row.try_get("id"))
        .collect::<Result<_, _>>()?;
        let reason = format!(
            "no bank transfer arrived within {} days",
            self.terms.transfer_days
        );
        let mut cancelled = 0;
        for id in due {
            let mut tx = platform::db::begin_write(&self.pool).await?;
            if cancel_in(&mut tx, &id, &Actor::System, &reason).await? {
                cancelled += 1;
            }
            tx.commit().await?;
        }
        if cancelled > 0 {
            tracing::info!(cancelled, "cancelled unpaid bank-transfer orders");
        }
        Ok(cancelled)
    }

    /// Runs [`Self::cancel_unpaid_transfers`] every `every` until
    /// `shutdown` resolves; a failed round is logged and tried next time.
    pub async fn run_transfer_deadlines(
        self,
        every: std::time::Duration,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(shutdown);
        loop {
            if let Err(err) = self.cancel_unpaid_transfers(now_ms()).await {
                tracing::warn!(error = %platform::error_chain(&err), "could not cancel unpaid transfers");
            }
            tokio::select! {
                () = &mut shutdown => return,
                () = tokio::time::sleep(every) => {}
            }
        }
    }
}
