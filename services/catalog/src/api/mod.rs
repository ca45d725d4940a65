//! The catalog's versioned HTTP API. The storefront reaches it through
//! [`crate::CatalogClient`], in-process or over the network; other clients
//! reach it through the gateway at the same paths.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
/// What a handler fails with: the catalog API's refusals, which its client
/// reads back as the same variants.
use catalog_api::Error as Failure;
use contracts::catalog::{
    BarcodeV1, CategoryDetailsV1, CollectionDetailsV1, NewProductV1, NewVariantsV1, PriceV1,
    ProductDetailsV1, ShelveV1, StockChangeV1,
};
use platform::auth::TokenVerifier;
use platform::edge::{JsonBody, Staff, TokenCheck};

use crate::{Catalog, ListingQuery, Money, SearchTerm, Sku, Slug, StockReason};

pub use catalog_api::PREFIX;

mod shop;
mod staff;

use shop::*;
use staff::*;

pub fn router(catalog: Catalog) -> Router {
    Router::new()
        .route("/api/v1/catalog/departments", get(departments))
        .route("/api/v1/catalog/categories/{slug}", get(category))
        .route("/api/v1/catalog/search", get(search))
        .route("/api/v1/catalog/search/products", get(search_products))
        .route("/api/v1/catalog/products", get(published_slugs))
        .route("/api/v1/catalog/products/{slug}", get(product))
        .route("/api/v1/catalog/products/{slug}/related", get(related))
        .route("/api/v1/catalog/categories/{slug}/products", get(listing))
        .route("/api/v1/catalog/variants", get(variant_lines))
        .route("/api/v1/catalog/home", get(home))
        .route("/api/v1/catalog/collections", get(collections))
        .route(
            "/api/v1/catalog/collections/{slug}/products",
            get(collection_listing),
        )
        .route("/api/v1/catalog/staff/brands", get(brands))
        .route(
            "/api/v1/catalog/staff/categories",
            get(staff_categories).post(create_category),
        )
        .route(
            "/api/v1/catalog/staff/categories/{slug}",
            put(update_category),
        )
        .route(
            "/api/v1/catalog/staff/collections",
            get(staff_collections).post(create_collection),
        )
        .route(
            "/api/v1/catalog/staff/collections/{slug}",
            get(staff_collection).put(update_collection),
        )
        .route(
            "/api/v1/catalog/staff/collections/{slug}/products",
            post(shelve),
        )
        .route(
            "/api/v1/catalog/staff/collections/{slug}/products/{product}",
            axum::routing::delete(unshelve),
        )
        .route(
            "/api/v1/catalog/staff/collections/{slug}/products/{product}/earlier",
            post(move_earlier),
        )
        .route(
            "/api/v1/catalog/staff/variants/{sku}/barcode",
            put(set_barcode),
        )
        .route(
            "/api/v1/catalog/staff/products",
            get(staff_products).post(create_product),
        )
        .route(
            "/api/v1/catalog/staff/products/{slug}",
            get(staff_product).put(update_product),
        )
        .route(
            "/api/v1/catalog/staff/products/{slug}/variants",
            post(add_variants),
        )
        .route(
            "/api/v1/catalog/staff/products/{slug}/images",
            // Room for the largest allowed upload; the handler says so
            // clearly (413, for the file field) when a body is larger.
            post(add_image).layer(axum::extract::DefaultBodyLimit::max(
                catalog.max_upload_bytes(),
            )),
        )
        .route("/api/v1/catalog/staff/low-stock", get(low_stock))
        .route(
            "/api/v1/catalog/staff/images/{id}",
            axum::routing::delete(delete_image),
        )
        .route(
            "/api/v1/catalog/staff/variants/{sku}/stock",
            post(adjust_stock).get(stock_history),
        )
        .route("/api/v1/catalog/staff/variants/{sku}/price", put(set_price))
        .route("/api/v1/catalog/ready", get(ready))
        .fallback(|| async { Failure::NotFound("No such catalog endpoint.".into()) })
        .layer(axum::middleware::from_fn_with_state(
            catalog.clone(),
            check_token,
        ))
        .with_state(catalog)
}

impl TokenCheck for Catalog {
    fn token_verifier(&self) -> Option<&TokenVerifier> {
        self.verifier.as_ref()
    }
}

/// The answer the API gives for `err`: what a handler returns, and what a
/// stand-in service can answer to check the client's side of the contract.
pub fn error_response(err: Failure) -> Response {
    err.into_response()
}

/// Every request with a token is checked here, whoever forwarded it: the
/// gateway already did, but a catalog reached directly must not trust a
/// forged or expired one. Good claims go into the request for handlers.
async fn check_token(
    State(catalog): State<Catalog>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match platform::auth::caller(request.headers(), catalog.verifier.as_ref()) {
        Ok(claims) => {
            if let Some(claims) = claims {
                request.extensions_mut().insert(claims);
            }
            next.run(request).await
        }
        Err(err) => Failure::Unauthenticated(err.to_string()).into_response(),
    }
}

/// Our failure: logged here with `context`, answered without its cause.
fn internal(context: &'static str) -> impl FnOnce(crate::Error) -> Failure {
    move |err| {
        tracing::error!(error = %platform::error_chain(&err), "{context}");
        Failure::Internal
    }
}

/// A read's answer as JSON; our failure, logged with `context`, otherwise.
fn answer<T>(read: Result<T, crate::Error>, context: &'static str) -> Result<Json<T>, Failure> {
    read.map(Json).map_err(internal(context))
}

/// "No product is called …": the answer for a slug that names nothing.
fn no_such(kind: &str, slug: &str) -> Failure {
    Failure::NotFound(format!("No {kind} is called {slug:?}."))
}

/// The `kind` ("product") that `slug` names, looked up with `find`. A slug
/// that cannot be one names nothing either, and is answered the same way.
async fn named<T>(
    kind: &str,
    slug: &str,
    find: impl AsyncFnOnce(Slug) -> Result<Option<T>, crate::Error>,
    context: &'static str,
) -> Result<Json<T>, Failure> {
    let parsed = Slug::parse(slug).map_err(|_| no_such(kind, slug))?;
    find(parsed)
        .await
        .map_err(internal(context))?
        .map(Json)
        .ok_or_else(|| no_such(kind, slug))
}

/// The query string of a listing request, read by the storefront's own
/// grammar; any value it has to leave out makes the request a 400.
fn listing_query(raw: Option<&str>) -> Result<ListingQuery, Failure> {
    let (query, problems) = ListingQuery::parse(raw.unwrap_or(""));
    match problems.into_iter().next() {
        Some(problem) => Err(Failure::BadRequest(format!(
            "{}: {}",
            problem.field, problem.message
        ))),
        None => Ok(query),
    }
}

/// The most SKUs one request may ask about: more than any basket holds.
pub const MAX_SKUS: usize = 100;
