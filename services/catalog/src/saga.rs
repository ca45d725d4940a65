//! The catalog's part in the order saga, as a consumer of ordering's
//! events: a submitted order gets its stock held (answered with
//! `StockReserved`) or refused as a whole (`StockRejected`); a cancelled
//! one gives it back; a shipped one takes it off the shelf.
//!
//! Each message is handled in one transaction with its inbox record and
//! its answer in the outbox, so a redelivered message has no second effect
//! and a rejected order is never reserved later by a replay. A failure
//! rolls all of it back and the message is retried, then dead-lettered:
//! never acknowledged unhandled.

use std::time::Duration;

use contracts::catalog::Shortfall;
use contracts::catalog::events::{
    STOCK_REJECTED_V1, STOCK_RESERVED_V1, StockRejectedV1, StockReservedV1,
};
use contracts::ordering::events::{
    ORDER_CANCELLED_V1, ORDER_SHIPPED_V1, ORDER_SUBMITTED_V1, OrderSettledV1, OrderSubmittedV1,
};
use platform::bus::{HandlerError, Handlers, Message, RetryPolicy, Subscription};
use platform::{inbox, outbox};

use crate::reservations::{Outcome, Settlement, reserve_in, settle_in};
use crate::{Catalog, Error, Quantity, Sku};

const CONSUMER: &str = "catalog.orders";

/// Worth retrying: the database was busy or away.
fn transient(err: Error) -> HandlerError {
    HandlerError::Transient(platform::error_chain(&err))
}

impl Catalog {
    /// The subscription that holds and releases stock for orders.
    pub fn order_subscription(&self) -> Subscription {
        Handlers::new(CONSUMER, self.clone())
            .retry(RetryPolicy {
                max_attempts: 8,
                backoff: Duration::from_millis(200),
                max_backoff: Duration::from_secs(10),
            })
            .on(ORDER_SUBMITTED_V1, |catalog, order, message| async move {
                catalog.order_submitted(&order, &message).await
            })
            .on(ORDER_CANCELLED_V1, |catalog, order, message| async move {
                catalog
                    .order_settled(&order, &message, Settlement::Released)
                    .await
            })
            .on(
                ORDER_SHIPPED_V1,
                |catalog, order: OrderSettledV1, message| async move {
                    let how = Settlement::Shipped {
                        actor: &order.actor,
                    };
                    catalog.order_settled(&order, &message, how).await
                },
            )
            .subscription()
    }

    /// Holds the order's stock, answering whether it could.
    async fn order_submitted(
        &self,
        order: &OrderSubmittedV1,
        message: &Message,
    ) -> Result<(), HandlerError> {
        inbox::once(&self.pool, CONSUMER, message, |mut tx| async move {
            let mut answer = self.hold(&mut tx, order).await.map_err(transient)?;
            answer.trace_id = message.trace_id.clone();
            outbox::enqueue(&mut tx, &answer)
                .await
                .map_err(|e| transient(Error::from(e)))?;
            Ok(tx)
        })
        .await
    }

    /// Gives a cancelled order's stock back, or takes a shipped one's off
    /// the shelf.
    async fn order_settled(
        &self,
        order: &OrderSettledV1,
        message: &Message,
        how: Settlement<'_>,
    ) -> Result<(), HandlerError> {
        inbox::once(&self.pool, CONSUMER, message, |mut tx| async move {
            settle_in(&mut tx, &order.order_id, how)
                .await
                .map_err(transient)?;
            Ok(tx)
        })
        .await
    }

    /// Holds the order's lines and says how it went. Lines that make no
    /// sense (a malformed SKU, a quantity out of range) refuse the order,
    /// like a sold-out line: the shopper is told, nothing is dead-lettered.
    async fn hold(
        &self,
        conn: &mut sqlx::AnyConnection,
        order: &OrderSubmittedV1,
    ) -> Result<Message, Error> {
        let mut lines = Vec::new();
        let mut refused = Vec::new();
        for line in &order.lines {
            match (Sku::parse(&line.sku), Quantity::new(line.quantity)) {
                (Ok(sku), Ok(quantity)) => lines.push((sku, quantity)),
                _ => refused.push(Shortfall {
                    sku: line.sku.clone(),
                    requested: line.quantity,
                    available: 0,
                }),
            }
        }
        let outcome = if refused.is_empty() && !lines.is_empty() {
            reserve_in(conn, &order.order_id, &lines).await?
        } else {
            Outcome::Short(refused)
        };
        let order_id = order.order_id.clone();
        Ok(match outcome {
            Outcome::Reserved | Outcome::AlreadyReserved => {
                message(STOCK_RESERVED_V1, &StockReservedV1 { order_id })
            }
            Outcome::Short(shortfalls) => message(
                STOCK_REJECTED_V1,
                &StockRejectedV1 {
                    order_id,
                    shortfalls,
                },
            ),
            Outcome::UnknownSku(sku) => {
                let requested = order
                    .lines
                    .iter()
                    .filter(|l| l.sku.eq_ignore_ascii_case(&sku))
                    .map(|l| l.quantity)
                    .sum();
                message(
                    STOCK_REJECTED_V1,
                    &StockRejectedV1 {
                        order_id,
                        shortfalls: vec![Shortfall {
                            sku,
                            requested,
                            available: 0,
                        }],
                    },
                )
            }
        })
    }
}

fn message(topic: &str, payload: &impl serde::Serialize) -> Message {
    Message::new(
        topic,
        serde_json::to_vec(payload).expect("a plain struct serializes"),
    )
}
