//! The basket's part in the order saga: a confirmed order's lines leave
//! the basket it was made from. Settling is idempotent per order (the
//! basket remembers the orders it gave up), so redelivery is harmless.

use contracts::ordering::saga::{ORDER_CONFIRMED_V1, OrderConfirmedV1};
use platform::bus::{HandlerError, Handlers, RetryPolicy, Subscription};

use crate::Baskets;

impl Baskets {
    pub fn order_subscription(&self) -> Subscription {
        Handlers::new("basket.orders", self.clone())
            .retry(RetryPolicy::DATABASE)
            .on(ORDER_CONFIRMED_V1, |baskets, confirmed, _| async move {
                baskets.order_confirmed(confirmed).await
            })
            .subscription()
    }

    async fn order_confirmed(&self, confirmed: OrderConfirmedV1) -> Result<(), HandlerError> {
        let Some(key) = confirmed.basket.as_deref() else {
            return Ok(());
        };
        // A guest basket named without its signature (or with a forged
        // one) stays as it is: nothing to retry.
        let Some(owner) = self.guests.order_owner(key) else {
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
        self.settle_order(&owner, &confirmed.order_id, &lines)
            .await
            .map_err(|e| HandlerError::transient(&e))
    }
}
