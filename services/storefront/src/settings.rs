//! The storefront's caches, configured from the process's variables;
//! every error names its variable.

use std::time::Duration;

use platform::config::{ConfigError, Vars};

#[derive(Clone, Debug)]
pub struct Settings {
    /// How long the department tree is kept between changes.
    pub catalog_tree_ttl: Duration,
    /// How long a product page or listing is kept when no change event
    /// comes (a missed event is forgotten after this). Zero turns the
    /// cache off (every page reads the catalog).
    pub product_cache_ttl: Duration,
    /// How many product pages, and separately listings, one process keeps.
    pub product_cache_entries: usize,
}

impl Settings {
    pub fn from_vars(vars: &Vars<'_>) -> Result<Self, ConfigError> {
        Ok(Self {
            catalog_tree_ttl: vars.seconds("SURY_CATALOG_TREE_TTL_SECS", "60", 1..=86_400)?,
            product_cache_ttl: vars.seconds("SURY_PRODUCT_CACHE_TTL_SECS", "300", 0..=86_400)?,
            product_cache_entries: vars.bounded(
                "SURY_PRODUCT_CACHE_ENTRIES",
                "5000",
                10..=1_000_000,
            )? as usize,
        })
    }
}
