//! The ordering service: checkout, the order saga and order history.
//!
//! It reads the same way as every SURY service: `commands` change orders
//! (each one transaction with its events in the outbox), `queries` read
//! them, `store` holds the SQL, `saga` answers the catalog's stock events,
//! `notifications` emails the shopper, `pricing` holds the shop's terms.
//! The catalog is reached only through its typed client and events. Other
//! processes reach ordering through [`api`] and [`OrderingClient`].

pub mod api;
mod client;
mod commands;
mod error;
mod notifications;
mod pricing;
mod queries;
mod saga;
mod settings;
mod staff;
mod store;

use catalog_api::CatalogClient;
use sqlx::AnyPool;

pub use client::{Asker, OrderingClient};
pub use commands::{Actor, Checkout, Placed};
pub use error::Error;
pub use pricing::Terms;
pub use settings::Settings;
pub use staff::OrderFilter;
pub use store::Access;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/ordering");

/// A handle on the ordering service. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Ordering {
    pool: AnyPool,
    catalog: CatalogClient,
    terms: std::sync::Arc<Terms>,
    /// Where emailed links point (`https://shop.example`).
    public_url: String,
    /// Checks the access tokens callers of the API send. Without one, any
    /// request carrying a token is refused.
    verifier: Option<platform::auth::TokenVerifier>,
}

impl Ordering {
    #[tracing::instrument(name = "ordering.open", skip_all)]
    pub async fn open(
        database_url: &str,
        catalog: CatalogClient,
        terms: Terms,
        public_url: &str,
    ) -> Result<Self, Error> {
        let pool = platform::db::connect(database_url, 8).await?;
        MIGRATOR.run(&pool).await.map_err(Error::from)?;
        Ok(Self {
            pool,
            catalog,
            terms: std::sync::Arc::new(terms),
            public_url: public_url.trim_end_matches('/').to_owned(),
            verifier: None,
        })
    }

    /// Lets the API accept callers' access tokens, checked with identity's
    /// public key.
    pub fn with_token_verifier(mut self, verifier: platform::auth::TokenVerifier) -> Self {
        self.verifier = Some(verifier);
        self
    }

    pub fn terms(&self) -> &Terms {
        &self.terms
    }

    /// The relay that publishes this service's outbox to `bus`.
    pub fn outbox_relay(
        &self,
        bus: std::sync::Arc<dyn platform::bus::EventBus>,
    ) -> platform::outbox::Relay {
        platform::outbox::Relay::new(self.pool.clone(), bus)
    }

    /// Events published but not yet relayed (tests wait for zero).
    pub async fn outbox_backlog(&self) -> Result<i64, Error> {
        Ok(platform::outbox::backlog(&self.pool).await?)
    }

    pub async fn check_ready(&self) -> Result<(), Error> {
        Ok(platform::db::ping(&self.pool).await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// What shoppers see as the order number.
pub fn reference(number: i64) -> String {
    format!("SURY-{number:06}")
}
