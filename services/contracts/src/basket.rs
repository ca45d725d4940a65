//! Basket read models, version 1: a basket as the basket page, the
//! header and checkout show it, priced with the catalog's current prices.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasketV1 {
    /// Which basket this is (`member:…`, or `guest:…` with the ticket's
    /// signature): what an order names so that its lines leave this
    /// basket once it is confirmed. Pass it on as it is.
    #[serde(default)]
    pub key: String,
    pub lines: Vec<BasketLineV1>,
    /// Units across the lines that can be bought.
    pub count: i64,
    /// The lines that can be bought, at today's prices (minor units, VAT
    /// included).
    pub subtotal_minor: i64,
}

impl BasketV1 {
    /// Whether checkout can go ahead: something to buy, and every line
    /// as the shopper last saw it (no sold-out line, no silent change).
    pub fn ready_for_checkout(&self) -> bool {
        !self.lines.is_empty() && self.lines.iter().all(|l| l.state == LineState::Ok)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasketLineV1 {
    pub sku: String,
    /// Empty when the product is no longer sold.
    pub product_slug: String,
    pub product_name: String,
    pub colour: String,
    pub size: String,
    pub quantity: i64,
    /// Today's price of one unit.
    pub unit_price_minor: i64,
    pub line_total_minor: i64,
    pub state: LineState,
}

/// What the shopper must be told about a line before paying for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LineState {
    Ok,
    /// The price is not the one shown when the line was added; seeing the
    /// basket page acknowledges it.
    PriceChanged {
        was_minor: i64,
    },
    /// Fewer are left than the line asks for.
    OnlyLeft {
        available: i64,
    },
    SoldOut,
    /// The product was withdrawn from sale.
    Unavailable,
}

/// `POST /api/v1/basket/guests`: a new guest's ticket. Later calls send it
/// in the `x-sury-basket` header; only the basket service can make one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestTicketV1 {
    pub ticket: String,
}

/// `POST /api/v1/basket/lines`: add `quantity` more of `sku`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddLineV1 {
    pub sku: String,
    pub quantity: i64,
}

/// `PUT /api/v1/basket/lines/{sku}`: the line's new quantity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetQuantityV1 {
    pub quantity: i64,
}

/// A line after an add or a change: its quantity, and whether stock held
/// it below what was asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSetV1 {
    pub quantity: i64,
    pub capped: bool,
}

/// `GET /api/v1/basket/count`: units in the basket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountV1 {
    pub count: i64,
}
