use thiserror::Error;

/// What can go wrong with a basket. The first group are answers for the
/// shopper (shown as they are); the rest are ours, logged, and shown as a
/// generic failure.
#[derive(Debug, Error)]
pub enum Error {
    #[error("That item is not sold here.")]
    UnknownVariant,
    #[error("Sorry, that size has just sold out.")]
    SoldOut,
    #[error("A basket holds up to {max} different items.")]
    BasketFull { max: usize },
    /// The request named no basket, or with a ticket or token that does
    /// not hold (a tampered cookie, an expired session).
    #[error("That basket could not be found; it may have expired.")]
    NoBasket,
    #[error("could not ask the basket service")]
    Service(#[source] platform::api_client::ClientError),
    #[error("could not ask the catalog")]
    Catalog(#[source] catalog_api::Error),
    /// Its own database failed: a query, the connection or a migration.
    #[error("the basket database failed")]
    Store(#[source] platform::db::StoreError),
    #[error("Redis failed")]
    Redis(#[source] redis::RedisError),
    #[error("the stored basket does not parse")]
    Corrupt(#[source] serde_json::Error),
    /// Other writers kept changing the basket between our read and write.
    #[error("the basket kept changing under us")]
    Contended,
    #[error("the basket cookie key file {path} is not usable")]
    CookieKey {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Our failure rather than an answer for the shopper.
    pub fn is_internal(&self) -> bool {
        !matches!(
            self,
            Self::UnknownVariant | Self::SoldOut | Self::BasketFull { .. } | Self::NoBasket
        )
    }
}

platform::store_failures_convert!(Error);
