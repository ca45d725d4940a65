//! The shop's pages: home, categories, collections, search and products.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

use crate::AppError;

pub mod category;
pub mod collection;
pub mod home;
pub mod not_found;
pub mod product;
pub mod search;

/// A listing page's data (a category's, a collection's), loaded by `load`
/// from the slug in the address and the query string (filters, sort,
/// page), again whenever either changes.
fn listing_resource<T, Fut>(
    load: impl Fn(String, String) -> Fut + Send + Sync + 'static,
) -> Resource<Result<T, AppError>>
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    let params = use_params_map();
    let search = use_location().search;
    Resource::new(
        move || (params.read().get("slug").unwrap_or_default(), search.get()),
        move |(slug, query)| load(slug, query),
    )
}
