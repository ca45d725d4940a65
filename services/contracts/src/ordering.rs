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

/// More events of the order saga.
pub mod saga {
    use super::events::OrderLineV1;
    use serde::{Deserialize, Serialize};

    /// The order's stock is held: it is confirmed. The basket it came from
    /// gives up the ordered lines; the shopper is emailed.
    pub const ORDER_CONFIRMED_V1: &str = "ordering.order.confirmed.v1";

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct OrderConfirmedV1 {
        pub order_id: String,
        /// The basket the order was made from (`member:…`, or `guest:…`
        /// signed by the basket service, which checks it).
        pub basket: Option<String>,
        pub lines: Vec<OrderLineV1>,
    }
}

/// Where an order is in its life. Payment is kept apart (see
/// [`PaymentStatus`]): a cash-on-delivery order ships unpaid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Placed; its stock is being held.
    Submitted,
    /// Stock held: waiting for payment, or ready to pack.
    Confirmed,
    Shipped,
    Delivered,
    Cancelled,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Confirmed => "confirmed",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Submitted,
            Self::Confirmed,
            Self::Shipped,
            Self::Delivered,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }

    /// Cancelling is possible until the parcel leaves.
    pub fn can_cancel(self) -> bool {
        matches!(self, Self::Submitted | Self::Confirmed)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Unpaid,
    Paid,
}

/// The offline ways a family shop is paid; staff record the payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    CashOnDelivery,
    BankTransfer,
}

impl PaymentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CashOnDelivery => "cash_on_delivery",
            Self::BankTransfer => "bank_transfer",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::CashOnDelivery, Self::BankTransfer]
            .into_iter()
            .find(|m| m.as_str() == raw)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMethod {
    /// A flat rate, free over a threshold.
    Standard,
    /// Collected from the shop.
    Pickup,
}

impl DeliveryMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Pickup => "pickup",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Standard, Self::Pickup]
            .into_iter()
            .find(|m| m.as_str() == raw)
    }
}

/// What an order costs, as checkout and the order page show it. Prices
/// include VAT; `vat_minor` is the VAT within `total_minor`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotalsV1 {
    pub subtotal_minor: i64,
    pub delivery_minor: i64,
    pub total_minor: i64,
    pub vat_minor: i64,
    pub vat_percent: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineViewV1 {
    pub sku: String,
    pub product_name: String,
    pub colour: String,
    pub size: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
}

/// One step of an order's history, for its timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntryV1 {
    pub at_ms: i64,
    pub what: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderV1 {
    pub id: String,
    /// What the shopper quotes (and puts on a bank transfer): `SURY-000042`.
    pub reference: String,
    pub status: OrderStatus,
    pub payment: PaymentStatus,
    pub payment_method: PaymentMethod,
    pub delivery_method: DeliveryMethod,
    pub email: String,
    pub name: String,
    /// The delivery address, one line per element; empty for pick-up.
    pub address: Vec<String>,
    pub lines: Vec<OrderLineViewV1>,
    pub totals: TotalsV1,
    /// Why it was cancelled, in words for the shopper.
    pub cancel_reason: Option<String>,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    pub placed_at_ms: i64,
    pub timeline: Vec<TimelineEntryV1>,
}

/// An order in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummaryV1 {
    pub id: String,
    pub reference: String,
    pub status: OrderStatus,
    pub payment: PaymentStatus,
    pub total_minor: i64,
    pub items: i64,
    pub placed_at_ms: i64,
}

/// The back office's front page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardV1 {
    /// (day as `YYYY-MM-DD` in UTC, orders, sales in minor units), oldest
    /// first, one entry per day of the period, cancelled orders left out.
    pub sales_per_day: Vec<(String, i64, i64)>,
    /// Confirmed orders that can be packed (paid, or cash on delivery).
    pub to_pack: i64,
    /// Confirmed bank-transfer orders waiting for their money.
    pub awaiting_payment: i64,
    /// Shipped, not yet marked delivered.
    pub in_transit: i64,
    /// (product, units) over the period, best first.
    pub top_products: Vec<(String, i64)>,
}

/// `GET /api/v1/ordering/terms`: what delivery costs, the VAT rate and
/// how bank transfers are paid, as the shop is configured.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsV1 {
    pub delivery_minor: i64,
    pub free_delivery_from_minor: i64,
    pub vat_percent: i64,
    pub bank_details: String,
    pub transfer_days: i64,
}

/// `POST /api/v1/ordering/orders`: a checkout. Whose order it is comes from
/// the access token sent with it (none: a guest's), never from the body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutV1 {
    /// Made when the checkout page was shown; the same key places one order.
    pub idempotency_key: String,
    /// The basket the lines came from (`guest:…` / `member:…`).
    #[serde(default)]
    pub basket: Option<String>,
    pub email: String,
    pub name: String,
    #[serde(default)]
    pub address: Vec<String>,
    pub payment_method: PaymentMethod,
    pub delivery_method: DeliveryMethod,
    pub lines: Vec<events::OrderLineV1>,
    /// The total the shopper was shown: the order is placed only at it.
    pub expected_total_minor: i64,
}

/// The answer to a checkout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedV1 {
    pub order_id: String,
    pub reference: String,
    /// Opens the order's page without an account.
    pub view_key: String,
    /// `true` when this checkout key had already placed the order.
    pub repeated: bool,
}

/// `POST /api/v1/ordering/orders/{id}/cancel`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelV1 {
    /// The order's link key, for a guest.
    #[serde(default)]
    pub key: String,
    /// Staff say why; a shopper's own cancellation says so itself.
    #[serde(default)]
    pub reason: String,
}

/// `POST /api/v1/ordering/staff/orders/{id}/shipment`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentV1 {
    pub carrier: String,
    pub tracking: String,
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (UTC), by Howard
/// Hinnant's civil-from-days: orders' dates without a date library.
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year}-{month:02}-{day:02}")
}

/// `YYYY-MM-DD HH:MM UTC` of a time in UTC milliseconds.
pub fn date_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let rem = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02} UTC",
        civil_date(secs.div_euclid(86_400)),
        rem / 3600,
        (rem % 3600) / 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_date(0), "1970-01-01");
        assert_eq!(super::civil_date(20_517), "2026-03-05");
        assert_eq!(super::civil_date(11_016), "2000-02-29");
        assert_eq!(super::date_time(90_061_000), "1970-01-02 01:01 UTC");
    }
}
