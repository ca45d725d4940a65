//! The basket: adding from a product page, the basket page, and the
//! header's mini-basket.

pub mod add;
pub mod api;
pub mod mini;
pub mod page;
