//! Ordering's part in the order saga: the catalog's answer to a submitted
//! order confirms it (`StockReserved`) or cancels it with the reason
//! (`StockRejected`).
//!
//! Each message is handled in one transaction with its inbox record and
//! the events it causes, so a redelivered message has no second effect. A
//! failure rolls all of it back and the message is retried, then
//! dead-lettered: never acknowledged unhandled.

use contracts::catalog::events::{
    STOCK_REJECTED_V1, STOCK_RESERVED_V1, StockRejectedV1, StockReservedV1,
};
use contracts::ordering::OrderStatus;
use contracts::ordering::events::{ORDER_CANCELLED_V1, OrderLineV1, OrderSettledV1};
use contracts::ordering::saga::{ORDER_CONFIRMED_V1, OrderConfirmedV1};
use platform::bus::{HandlerError, Handlers, Message, RetryPolicy, Subscription};
use platform::inbox;
use platform::outbox;

use crate::commands::{Actor, cancel_in, message};
use crate::{Error, Ordering, store};

const CONSUMER: &str = "ordering.stock";

/// Worth retrying: the database was busy or away.
fn transient(err: Error) -> HandlerError {
    HandlerError::transient(&err)
}

impl Ordering {
    /// The subscription that moves orders on when the catalog answers.
    pub fn stock_subscription(&self) -> Subscription {
        Handlers::new(CONSUMER, self.clone())
            .retry(RetryPolicy::DATABASE)
            .on(
                STOCK_RESERVED_V1,
                |ordering, event: StockReservedV1, message| async move {
                    inbox::once(&ordering.pool, CONSUMER, &message, |mut tx| async {
                        ordering
                            .confirm_in(&mut tx, &event.order_id, &message)
                            .await
                            .map_err(transient)?;
                        Ok(tx)
                    })
                    .await
                },
            )
            .on(
                STOCK_REJECTED_V1,
                |ordering, event: StockRejectedV1, message| async move {
                    inbox::once(&ordering.pool, CONSUMER, &message, |mut tx| async {
                        ordering
                            .reject_in(&mut tx, &event)
                            .await
                            .map_err(transient)?;
                        Ok(tx)
                    })
                    .await
                },
            )
            .subscription()
    }

    async fn confirm_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        order_id: &str,
        cause: &Message,
    ) -> Result<(), Error> {
        let Some(order) = store::load(conn, order_id).await? else {
            tracing::warn!(order = order_id, "stock held for an order we do not know");
            return Ok(());
        };
        match order.order.status {
            OrderStatus::Submitted => {
                let confirmed = "status = 'confirmed'";
                store::advance(conn, order_id, confirmed, &[], "status = 'submitted'").await?;
                store::record(
                    conn,
                    order_id,
                    "Confirmed: your items are set aside",
                    "system",
                )
                .await?;
                let confirmed = OrderConfirmedV1 {
                    order_id: order_id.to_owned(),
                    basket: order.basket.clone(),
                    lines: order
                        .order
                        .lines
                        .iter()
                        .map(|l| OrderLineV1 {
                            sku: l.sku.clone(),
                            quantity: l.quantity,
                        })
                        .collect(),
                };
                let mut event = message(ORDER_CONFIRMED_V1, &confirmed);
                event.trace_id = cause.trace_id.clone();
                outbox::enqueue(conn, &event).await?;
            }
            // Cancelled while the stock was being held: the hold must go
            // back, whichever of the two the catalog saw first.
            OrderStatus::Cancelled => {
                let settled = OrderSettledV1 {
                    order_id: order_id.to_owned(),
                    actor: Actor::System.label(),
                };
                outbox::enqueue(conn, &message(ORDER_CANCELLED_V1, &settled)).await?;
            }
            _ => {}
        }
        Ok(())
    }

    async fn reject_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        event: &StockRejectedV1,
    ) -> Result<(), Error> {
        let Some(order) = store::load(conn, &event.order_id).await? else {
            return Ok(());
        };
        let names: Vec<String> = event
            .shortfalls
            .iter()
            .map(|s| {
                order
                    .order
                    .lines
                    .iter()
                    .find(|l| l.sku.eq_ignore_ascii_case(&s.sku))
                    .map(|l| format!("{} ({}, {})", l.product_name, l.colour, l.size))
                    .unwrap_or_else(|| s.sku.clone())
            })
            .collect();
        let reason = format!(
            "sold out before we could set it aside: {}",
            names.join(", ")
        );
        cancel_in(conn, &event.order_id, &Actor::System, &reason).await?;
        Ok(())
    }
}
