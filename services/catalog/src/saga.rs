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

use std::sync::Arc;
use std::time::Duration;

use contracts::catalog::Shortfall;
use contracts::catalog::events::{
    STOCK_REJECTED_V1, STOCK_RESERVED_V1, StockRejectedV1, StockReservedV1,
};
use contracts::ordering::events::{
    ORDER_CANCELLED_V1, ORDER_SHIPPED_V1, ORDER_SUBMITTED_V1, OrderSettledV1, OrderSubmittedV1,
};
use platform::bus::{HandlerError, Message, RetryPolicy, Subscription};
use platform::{inbox, outbox};

use crate::inventory::db;
use crate::reservations::{Outcome, Settlement, reserve_in, settle_in};
use crate::{Catalog, Error, Quantity, Sku};

const CONSUMER: &str = "catalog.orders";

impl Catalog {
    /// The subscription that holds and releases stock for orders.
    pub fn order_subscription(&self) -> Subscription {
        let catalog = self.clone();
        Subscription {
            queue: CONSUMER.into(),
            topics: vec![
                ORDER_SUBMITTED_V1.into(),
                ORDER_CANCELLED_V1.into(),
                ORDER_SHIPPED_V1.into(),
            ],
            retry: RetryPolicy {
                max_attempts: 8,
                backoff: Duration::from_millis(200),
                max_backoff: Duration::from_secs(10),
            },
            broadcast: false,
            handler: Arc::new(move |message| {
                let catalog = catalog.clone();
                Box::pin(async move { catalog.handle_order_event(&message).await })
            }),
        }
    }

    async fn handle_order_event(&self, message: &Message) -> Result<(), HandlerError> {
        let transient = |err: Error| HandlerError::Transient(platform::error_chain(&err));
        let permanent = |what: &str, err: serde_json::Error| {
            HandlerError::Permanent(format!("not {what}: {err}"))
        };
        let mut tx = platform::db::begin_write(&self.pool)
            .await
            .map_err(|e| transient(db(e)))?;
        if !inbox::first_time(&mut tx, CONSUMER, message.id)
            .await
            .map_err(|e| transient(db(e)))?
        {
            return Ok(());
        }
        match message.topic.as_str() {
            ORDER_SUBMITTED_V1 => {
                let order: OrderSubmittedV1 = serde_json::from_slice(&message.payload)
                    .map_err(|e| permanent("a submitted order", e))?;
                let mut answer = self.hold(&mut tx, &order).await.map_err(transient)?;
                answer.trace_id = message.trace_id.clone();
                outbox::enqueue(&mut tx, &answer)
                    .await
                    .map_err(|e| transient(db(e)))?;
            }
            ORDER_CANCELLED_V1 | ORDER_SHIPPED_V1 => {
                let order: OrderSettledV1 = serde_json::from_slice(&message.payload)
                    .map_err(|e| permanent("an order event", e))?;
                let how = if message.topic == ORDER_SHIPPED_V1 {
                    Settlement::Shipped {
                        actor: &order.actor,
                    }
                } else {
                    Settlement::Released
                };
                settle_in(&mut tx, &order.order_id, how)
                    .await
                    .map_err(transient)?;
            }
            _ => {}
        }
        tx.commit().await.map_err(|e| transient(db(e)))
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
