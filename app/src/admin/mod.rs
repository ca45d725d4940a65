//! The back office's order pages: the dashboard, the order list, one order
//! with its actions, and a printable packing slip. Staff only, checked on
//! the server by every server function.

pub mod api;
pub mod catalog;
#[cfg(feature = "ssr")]
mod catalog_edge;
pub mod categories;
pub mod collections;
pub mod dashboard;
mod layout;
pub mod orders;
pub mod product_form;
pub mod product_save;
pub mod upload;
