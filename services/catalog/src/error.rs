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
    #[error("No category is called {0:?}.")]
    UnknownCategory(String),
    /// A product slug or SKU that is already in use.
    #[error("{0} is already in use.")]
    Taken(String),
    #[error("catalog database error")]
    Database(#[source] sqlx::Error),
    #[error("could not reach the catalog database")]
    Connect(#[from] platform::db::DbError),
    #[error("catalog migration failed")]
    Migration(#[source] sqlx::migrate::MigrateError),
}
