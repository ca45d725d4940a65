//! Server functions: the storefront's calls into the services. Each one is
//! thin: parse the input at the edge, call the service, map its errors.

use contracts::catalog::{CategoryDetail, CategoryHit, Department, ProductCardV1, ProductDetailV1};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::AppError;

#[cfg(feature = "ssr")]
fn catalog() -> Result<catalog::CatalogClient, AppError> {
    use_context::<catalog::CatalogClient>().ok_or_else(|| {
        tracing::error!("catalog service missing from the server function context");
        AppError::Internal
    })
}

/// Every department with its categories, for the navigation and home page.
#[server(prefix = "/sf", endpoint = "departments", input = GetUrl)]
pub async fn departments() -> Result<Vec<Department>, AppError> {
    catalog()?
        .departments()
        .await
        .map_err(|e| AppError::internal("loading departments", &e))
}

/// One category page. A malformed slug is as missing as an unknown one.
#[server(prefix = "/sf", endpoint = "category", input = GetUrl)]
pub async fn category(slug: String) -> Result<CategoryDetail, AppError> {
    let slug = catalog::Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    catalog()?
        .category(&slug)
        .await
        .map_err(|e| AppError::internal("loading a category", &e))?
        .ok_or(AppError::NotFound)
}

/// The products listed on a category page.
#[server(prefix = "/sf", endpoint = "products-in", input = GetUrl)]
pub async fn products_in(slug: String) -> Result<Vec<ProductCardV1>, AppError> {
    let slug = catalog::Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    catalog()?
        .products_in(&slug)
        .await
        .map_err(|e| AppError::internal("listing products", &e))
}

/// One product page.
#[server(prefix = "/sf", endpoint = "product", input = GetUrl)]
pub async fn product(slug: String) -> Result<ProductDetailV1, AppError> {
    let slug = catalog::Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    catalog()?
        .product(&slug)
        .await
        .map_err(|e| AppError::internal("loading a product", &e))?
        .ok_or(AppError::NotFound)
}

/// Categories matching what the shopper typed.
#[server(prefix = "/sf", endpoint = "search", input = GetUrl)]
pub async fn search(q: String) -> Result<Vec<CategoryHit>, AppError> {
    let term = catalog::SearchTerm::parse(&q).map_err(|e| AppError::BadInput(e.to_string()))?;
    catalog()?
        .search(&term)
        .await
        .map_err(|e| AppError::internal("searching categories", &e))
}
