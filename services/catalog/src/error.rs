use thiserror::Error;

/// Everything that can go wrong inside the catalog. Callers show shoppers a
/// generic message for these; the detail is for the logs.
#[derive(Debug, Error)]
pub enum Error {
    #[error("No variant has the SKU {0}.")]
    UnknownSku(String),
    /// The change would leave less on hand than is reserved (or below
    /// zero); nothing changed.
    #[error("Only {available} left to take out of stock.")]
    InsufficientStock { available: i64 },
    /// An order's lines could not all be reserved; none were.
    #[error("Not enough stock for {} line(s) of the order.", .0.len())]
    NotEnoughStock(Vec<contracts::catalog::Shortfall>),
    #[error("No category is called {0:?}.")]
    UnknownCategory(String),
    /// A product slug or SKU that is already in use.
    #[error("{0} is already in use.")]
    Taken(String),
    /// The barcode is on another variant (named) already.
    #[error("That barcode is on {0} already.")]
    BarcodeTaken(String),
    #[error("the media store failed")]
    Media(#[source] platform::blob::BlobError),
    /// Its own database failed: a query, the connection or a migration.
    #[error("the catalog database failed")]
    Store(#[source] platform::db::StoreError),
}

platform::store_failures_convert!(Error);
