//! The storefront's side of the other services: what it keeps of their
//! answers between changes. Services' clients keep nothing; caching is a
//! choice of the process that renders pages, so it lives here.
//!
//! - [`StorefrontCatalog`]: the category tree, product pages, listings,
//!   the home page and collections, kept in memory and (when given) in
//!   Redis for the other replicas, dropped when the catalog announces a
//!   change or a change is made through this storefront.

mod catalog;
mod settings;

pub use catalog::StorefrontCatalog;
pub use settings::Settings;
