//! Ordering contracts, version 1: the events the order saga runs on. The
//! ordering service publishes these; the catalog answers with
//! `catalog::events::STOCK_RESERVED_V1` or `STOCK_REJECTED_V1`.

use serde::{Deserialize, Serialize};

pub mod events {
    use super::*;

    /// An order was placed and waits for its stock.
    pub const ORDER_SUBMITTED_V1: &str = "ordering.order.submitted.v1";
    /// An order was cancelled before shipping: what it held goes back.
    pub const ORDER_CANCELLED_V1: &str = "ordering.order.cancelled.v1";
    /// An order left the shop: what it held leaves the shelf.
    pub const ORDER_SHIPPED_V1: &str = "ordering.order.shipped.v1";

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct OrderLineV1 {
        pub sku: String,
        pub quantity: i64,
    }

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct OrderSubmittedV1 {
        pub order_id: String,
        pub lines: Vec<OrderLineV1>,
    }

    /// The payload of `ORDER_CANCELLED_V1` and `ORDER_SHIPPED_V1`; `actor`
    /// is who did it (a staff member, the shopper, or the system).
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct OrderSettledV1 {
        pub order_id: String,
        pub actor: String,
    }
}
