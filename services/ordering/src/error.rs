use thiserror::Error;

/// What can go wrong with an order. The first group are answers for the
/// shopper or staff member (shown as they are); the rest are ours, logged
/// and shown as a generic failure.
#[derive(Debug, Error)]
pub enum Error {
    #[error("Your basket is empty.")]
    NothingToOrder,
    /// Stock fell short while the shopper was at checkout.
    #[error("Not enough left of: {}.", .0.join(", "))]
    NotEnoughStock(Vec<String>),
    #[error("Something in your basket is no longer sold.")]
    NoLongerSold,
    /// The total at placing is not the one the shopper saw.
    #[error("Prices changed while you were at checkout. Please check the new total.")]
    PricesChanged,
    #[error("Please give a {0} (at most {1} characters).")]
    BadField(String, usize),
    #[error("No such order.")]
    NoSuchOrder,
    #[error("This order can no longer be {0}.")]
    WrongState(String),
    /// A refusal in words for the person; also how the client brings back
    /// the service's refusals.
    #[error("{0}")]
    Refused(String),
    #[error("could not ask the ordering service")]
    Service(#[source] platform::api_client::ClientError),
    #[error("could not ask the catalog")]
    Catalog(#[source] catalog_api::Error),
    /// Its own database failed: a query, the connection or a migration.
    #[error("the ordering database failed")]
    Store(#[source] platform::db::StoreError),
    #[error("a stored order does not parse: {0}")]
    Corrupt(String),
}

impl Error {
    /// Our failure rather than an answer for the person.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            Self::Catalog(_) | Self::Service(_) | Self::Store(_) | Self::Corrupt(_)
        )
    }
}

platform::store_failures_convert!(Error);
