//! The basket service: guest and member baskets, priced from the catalog.
//!
//! It reads the same way as every SURY service: `commands` change a basket
//! (each one read, change, compare-and-set write), `queries` price it with
//! the catalog's current prices and stock, `store` holds the storage and
//! nothing else, `owner` says whose basket it is. The catalog is reached
//! only through its typed client. Other processes reach the basket
//! through [`api`] and [`BasketClient`].

pub mod api;
mod client;
mod commands;
mod error;
mod events;
mod owner;
mod queries;
mod settings;
mod store;

use std::time::Duration;

use catalog_api::CatalogClient;
use sqlx::AnyPool;

pub use client::{BasketClient, Holder};
pub use commands::Added;
pub use error::Error;
pub use owner::{CookieKey, Owner};
pub use settings::Settings;
use store::Store;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/basket");

/// More different items than a family buys at once.
pub const MAX_LINES: usize = 50;

/// A handle on the basket service. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Baskets {
    store: Store,
    catalog: CatalogClient,
    /// How long an untouched basket is kept.
    ttl: Duration,
    /// Signs and checks guests' tickets. Every replica must share it.
    guests: CookieKey,
    /// Checks members' access tokens. Without one, any request carrying a
    /// token is refused.
    verifier: Option<platform::auth::TokenVerifier>,
}

impl Baskets {
    /// Baskets in a SQL database (`sqlite://…` or `postgres://…`).
    #[tracing::instrument(name = "basket.open", skip_all)]
    pub async fn open_sql(
        database_url: &str,
        catalog: CatalogClient,
        ttl: Duration,
    ) -> Result<Self, Error> {
        let pool: AnyPool = platform::db::connect(database_url, 8).await?;
        MIGRATOR.run(&pool).await.map_err(Error::from)?;
        let baskets = Self {
            store: Store::Sql(pool),
            catalog,
            ttl,
            guests: CookieKey::random(),
            verifier: None,
        };
        let purged = baskets.store.purge_expired().await?;
        if purged > 0 {
            tracing::info!(purged, "forgot expired baskets");
        }
        Ok(baskets)
    }

    /// Baskets in Redis under keys starting with `namespace`, each expiring
    /// `ttl` after its last use. Connects on first use: a Redis that is down
    /// fails basket calls, not the start.
    #[tracing::instrument(name = "basket.open", skip_all)]
    pub async fn open_redis(
        redis_url: &str,
        namespace: &str,
        catalog: CatalogClient,
        ttl: Duration,
    ) -> Result<Self, Error> {
        let client = redis::Client::open(redis_url).map_err(Error::Redis)?;
        Ok(Self {
            store: Store::Redis {
                redis: store::RedisHandle::new(client),
                prefix: namespace.to_owned(),
            },
            catalog,
            ttl,
            guests: CookieKey::random(),
            verifier: None,
        })
    }

    /// Signs guests' tickets with `key` (a random key otherwise, which
    /// only suits one process that is never restarted).
    pub fn with_guest_key(mut self, key: CookieKey) -> Self {
        self.guests = key;
        self
    }

    /// Lets the API accept members' access tokens, checked with
    /// identity's public key.
    pub fn with_token_verifier(mut self, verifier: platform::auth::TokenVerifier) -> Self {
        self.verifier = Some(verifier);
        self
    }

    pub async fn check_ready(&self) -> Result<(), Error> {
        self.store.ping().await
    }

    pub async fn close(&self) {
        if let Store::Sql(pool) = &self.store {
            pool.close().await;
        }
    }
}
