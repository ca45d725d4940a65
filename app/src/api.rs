//! Server functions: the storefront's calls into the services. Each one is
//! thin: parse the input at the edge, call the service, map its errors.

use contracts::catalog::{
    CategoryDetail, CategoryHit, CollectionV1, Department, HomeV1, ListingV1, ProductDetailV1,
    ProductSearchV1,
};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::AppError;

/// The departments, loaded once per page and shared by the header
/// navigation, the home page and search.
pub type DepartmentsResource = Resource<Result<Vec<Department>, AppError>>;

#[cfg(feature = "ssr")]
fn catalog() -> Result<storefront::StorefrontCatalog, AppError> {
    crate::services::client("catalog")
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
    let slug = catalog_api::Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    catalog()?
        .client()
        .category(&slug)
        .await
        .map_err(|e| AppError::internal("loading a category", &e))?
        .ok_or(AppError::NotFound)
}

/// A page of a listing with whatever in its query string had to be left
/// out, for the page to say so beside the filter it concerns.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Browse {
    pub listing: ListingV1,
    /// (field, message) for each value left out.
    pub problems: Vec<(String, String)>,
}

#[cfg(feature = "ssr")]
fn listing_query(query: &str) -> (catalog_api::ListingQuery, Vec<(String, String)>) {
    let (parsed, problems) = catalog_api::ListingQuery::parse(query);
    let problems = problems
        .into_iter()
        .map(|p| (p.field.to_owned(), p.message))
        .collect();
    (parsed, problems)
}

/// The products listed on a category page, as its query string (filters,
/// sort, page) asks.
#[server(prefix = "/sf", endpoint = "listing", input = GetUrl)]
pub async fn listing(slug: String, query: String) -> Result<Browse, AppError> {
    let list = async |catalog: storefront::StorefrontCatalog, slug, query| {
        catalog.listing(&slug, &query).await
    };
    let (listing, problems) = browse(&slug, &query, "listing products", list).await?;
    Ok(Browse { listing, problems })
}

/// Runs `list` for the listing of `slug` as the query string asks: a
/// malformed slug is as missing as an unknown one, and what of the query
/// had to be left out comes back with the answer.
#[cfg(feature = "ssr")]
async fn browse<T, E: std::error::Error + 'static>(
    slug: &str,
    query: &str,
    context: &str,
    list: impl AsyncFnOnce(
        storefront::StorefrontCatalog,
        catalog_api::Slug,
        catalog_api::ListingQuery,
    ) -> Result<T, E>,
) -> Result<(T, Vec<(String, String)>), AppError> {
    let slug = catalog_api::Slug::parse(slug).map_err(|_| AppError::NotFound)?;
    let (parsed, problems) = listing_query(query);
    let found = list(catalog()?, slug, parsed)
        .await
        .map_err(|e| AppError::internal(context, &e))?;
    Ok((found, problems))
}

/// What a search finds: matching categories, then products.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Found {
    pub categories: Vec<CategoryHit>,
    pub products: ProductSearchV1,
    pub problems: Vec<(String, String)>,
}

/// Categories and products matching what the shopper typed, the products
/// filtered and sorted as the query string asks.
#[server(prefix = "/sf", endpoint = "search", input = GetUrl)]
pub async fn search(q: String, query: String) -> Result<Found, AppError> {
    let term = catalog_api::SearchTerm::parse(&q).map_err(|e| AppError::BadInput(e.to_string()))?;
    let (parsed, problems) = listing_query(&query);
    let storefront = catalog()?;
    let catalog = storefront.client();
    let categories = catalog
        .search(&term)
        .await
        .map_err(|e| AppError::internal("searching categories", &e))?;
    let products = catalog
        .search_products(&term, &parsed)
        .await
        .map_err(|e| AppError::internal("searching products", &e))?;
    Ok(Found {
        categories,
        products,
        problems,
    })
}

/// One product page.
#[server(prefix = "/sf", endpoint = "product", input = GetUrl)]
pub async fn product(slug: String) -> Result<ProductDetailV1, AppError> {
    let slug = catalog_api::Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    catalog()?
        .product(&slug)
        .await
        .map_err(|e| AppError::internal("loading a product", &e))?
        .ok_or(AppError::NotFound)
}

/// The home page's collections and new arrivals.
#[server(prefix = "/sf", endpoint = "home", input = GetUrl)]
pub async fn home() -> Result<HomeV1, AppError> {
    catalog()?
        .home()
        .await
        .map_err(|e| AppError::internal("loading the home page", &e))
}

/// A collection's page: the collection, a page of its products and what
/// of the query string had to be left out.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shelf {
    pub collection: CollectionV1,
    pub browse: Browse,
}

#[server(prefix = "/sf", endpoint = "collection", input = GetUrl)]
pub async fn collection(slug: String, query: String) -> Result<Shelf, AppError> {
    let list = async |catalog: storefront::StorefrontCatalog, slug, query| {
        catalog.collection_listing(&slug, &query).await
    };
    let (found, problems) = browse(&slug, &query, "listing a collection", list).await?;
    let found = found.ok_or(AppError::NotFound)?;
    Ok(Shelf {
        collection: found.collection,
        browse: Browse {
            listing: found.listing,
            problems,
        },
    })
}
