//! The basket's part in the order saga: a confirmed order's lines leave
//! the basket it was made from. Settling is idempotent per order (the
//! basket remembers the orders it gave up), so redelivery is harmless.

use std::sync::Arc;
use std::time::Duration;

use contracts::ordering::saga::{ORDER_CONFIRMED_V1, OrderConfirmedV1};
use platform::bus::{HandlerError, RetryPolicy, Subscription};

use crate::Baskets;

impl Baskets {
    pub fn order_subscription(&self) -> Subscription {
        let baskets = self.clone();
        Subscription {
            queue: "basket.orders".into(),
            topics: vec![ORDER_CONFIRMED_V1.into()],
            retry: RetryPolicy {
                max_attempts: 8,
                backoff: Duration::from_millis(200),
                max_backoff: Duration::from_secs(10),
            },
            broadcast: false,
            handler: Arc::new(move |message| {
                let baskets = baskets.clone();
                Box::pin(async move {
                    let confirmed: OrderConfirmedV1 = serde_json::from_slice(&message.payload)
                        .map_err(|e| HandlerError::Permanent(format!("malformed: {e}")))?;
                    let Some(key) = confirmed.basket.as_deref() else {
                        return Ok(());
                    };
                    // A guest basket named without its signature (or with
                    // a forged one) stays as it is: nothing to retry.
                    let Some(owner) = baskets.guests.order_owner(key) else {
                        tracing::warn!(
                            order = %confirmed.order_id,
                            "an order names a basket that cannot be proven; left alone"
                        );
                        return Ok(());
                    };
                    let lines: Vec<(String, i64)> = confirmed
                        .lines
                        .iter()
                        .map(|l| (l.sku.clone(), l.quantity))
                        .collect();
                    baskets
                        .settle_order(&owner, &confirmed.order_id, &lines)
                        .await
                        .map_err(|e| HandlerError::Transient(platform::error_chain(&e)))
                })
            }),
        }
    }
}
