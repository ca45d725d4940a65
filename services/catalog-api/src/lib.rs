//! The catalog's API surface: what a caller needs without linking the
//! catalog itself (its database, image codecs, S3 and demo data).
//!
//! - the values a caller hands in, parsed once (`Sku`, `Quantity`, `Slug`,
//!   `Money`, ...): holding one means holding a valid one;
//! - [`ListingQuery`], the listing grammar shared by storefront URLs and
//!   the API;
//! - [`Error`]: every refusal the catalog API answers, the same variant
//!   on both sides of the wire;
//! - [`CatalogClient`] (feature `client`, on by default), in-process or
//!   over HTTP, with the [`ChangeListener`] hook that lets a caller's
//!   caches follow the changes made through it.
//!
//! The request and answer bodies are `contracts::catalog`'s.

#[cfg(feature = "client")]
mod client;
mod error;
mod listing_query;
mod values;

#[cfg(feature = "client")]
pub use client::{CatalogClient, Change, ChangeListener};
pub use error::{Error, FieldErrors};
pub use listing_query::{ListingQuery, Problem};
pub use values::{
    Barcode, CategoryName, InputError, Money, Quantity, SearchTerm, Sku, Slug, StockReason,
};

/// Where the catalog's API lives, on its own process and behind the
/// gateway alike.
pub const PREFIX: &str = "/api/v1/catalog";
