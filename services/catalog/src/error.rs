use thiserror::Error;

/// Everything that can go wrong inside the catalog. Callers show shoppers a
/// generic message for these; the detail is for the logs.
#[derive(Debug, Error)]
pub enum Error {
    #[error("catalog database error")]
    Database(#[source] sqlx::Error),
    #[error("could not reach the catalog database")]
    Connect(#[from] platform::db::DbError),
    #[error("catalog migration failed")]
    Migration(#[source] sqlx::migrate::MigrateError),
}
