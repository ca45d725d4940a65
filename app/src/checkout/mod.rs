//! Checkout on one page, and the shopper's orders.

pub mod api;
pub mod orders;
pub mod page;
