//! The service clients the server hands every server function (identity,
//! ordering, baskets, the catalog), found in the request's context.

use crate::AppError;

/// The client `T` of the service `name`, or the generic failure, logged:
/// a missing client is the server's wiring mistake, never the shopper's.
pub fn client<T: Clone + Send + Sync + 'static>(name: &str) -> Result<T, AppError> {
    leptos::prelude::use_context::<T>().ok_or_else(|| {
        tracing::error!("{name} service missing from the server function context");
        AppError::Internal
    })
}
