pub mod breadcrumb;
pub mod category_cards;
pub mod error_panel;
pub mod footer;
pub mod header;
pub mod listing;
pub mod picture;
pub mod product_cards;
