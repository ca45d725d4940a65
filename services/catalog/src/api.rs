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

async fn published_slugs(State(catalog): State<Catalog>) -> Result<impl IntoResponse, Failure> {
    let slugs = catalog
        .published_slugs()
        .await
        .map_err(internal("listing product slugs"))?;
    Ok(Json(slugs))
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

async fn listing(
    State(catalog): State<Catalog>,
    Path(slug): Path<String>,
    uri: axum::http::Uri,
) -> Result<impl IntoResponse, Failure> {
    let not_found = || Failure::NotFound(format!("No category is called {slug:?}."));
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let query = listing_query(uri.query())?;
    let listing = catalog
        .listing(&parsed, &query)
        .await
        .map_err(internal("listing products"))?;
    Ok(Json(listing))
}

async fn search_products(
    State(catalog): State<Catalog>,
    uri: axum::http::Uri,
) -> Result<impl IntoResponse, Failure> {
    let raw = uri.query().unwrap_or("");
    let q = form_urlencoded::parse(raw.as_bytes())
        .find(|(key, _)| key == "q")
        .map(|(_, value)| value.into_owned())
        .ok_or_else(|| Failure::BadRequest("The q parameter is required.".into()))?;
    let term = SearchTerm::parse(&q).map_err(|e| Failure::BadRequest(e.to_string()))?;
    let query = listing_query(Some(raw))?;
    let found = catalog
        .search_products(&term, &query)
        .await
        .map_err(internal("searching products"))?;
    Ok(Json(found))
}

async fn product(
    State(catalog): State<Catalog>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    let not_found = || Failure::NotFound(format!("No product is called {slug:?}."));
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let detail = catalog
        .product(&parsed)
        .await
        .map_err(internal("loading a product"))?
        .ok_or_else(not_found)?;
    Ok(Json(detail))
}

async fn related(
    State(catalog): State<Catalog>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    let not_found = || Failure::NotFound(format!("No product is called {slug:?}."));
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let cards = catalog
        .related_to(&parsed)
        .await
        .map_err(internal("loading related products"))?
        .ok_or_else(not_found)?;
    Ok(Json(cards))
}

async fn departments(State(catalog): State<Catalog>) -> Result<impl IntoResponse, Failure> {
    let departments = catalog
        .departments()
        .await
        .map_err(internal("listing departments"))?;
    Ok(Json(departments))
}

async fn category(
    State(catalog): State<Catalog>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    let not_found = || Failure::NotFound(format!("No category is called {slug:?}."));
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let detail = catalog
        .category(&parsed)
        .await
        .map_err(internal("loading a category"))?
        .ok_or_else(not_found)?;
    Ok(Json(detail))
}

async fn search(
    State(catalog): State<Catalog>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<impl IntoResponse, Failure> {
    let Query(params) = query.map_err(|e| Failure::BadRequest(e.body_text()))?;
    let raw = params
        .get("q")
        .ok_or_else(|| Failure::BadRequest("The q parameter is required.".into()))?;
    let term = SearchTerm::parse(raw).map_err(|e| Failure::BadRequest(e.to_string()))?;
    let hits = catalog
        .search_categories(&term)
        .await
        .map_err(internal("searching categories"))?;
    Ok(Json(hits))
}

/// The most SKUs one request may ask about: more than any basket holds.
pub const MAX_SKUS: usize = 100;

/// `?skus=A,B,C`: the published variants among them.
async fn variant_lines(
    State(catalog): State<Catalog>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<impl IntoResponse, Failure> {
    let Query(params) = query.map_err(|e| Failure::BadRequest(e.body_text()))?;
    let raw = params.get("skus").map(String::as_str).unwrap_or_default();
    let skus = raw
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| Sku::parse(s).map_err(|e| Failure::BadRequest(format!("{s:?}: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    if skus.len() > MAX_SKUS {
        return Err(Failure::BadRequest(format!(
            "At most {MAX_SKUS} SKUs can be asked about at once."
        )));
    }
    let lines = catalog
        .variant_lines(&skus)
        .await
        .map_err(internal("loading variants"))?;
    Ok(Json(lines))
}

fn sku_of(raw: &str) -> Result<Sku, Failure> {
    Sku::parse(raw).map_err(|_| Failure::NotFound(format!("No variant has the SKU {raw:?}.")))
}

/// `?q=` words of the name or address, `?status=` draft, active or
/// archived (both optional).
async fn staff_products(
    State(catalog): State<Catalog>,
    _staff: Staff,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<impl IntoResponse, Failure> {
    let Query(params) = query.map_err(|e| Failure::BadRequest(e.body_text()))?;
    let words = params.get("q").map(String::as_str).unwrap_or_default();
    if words.chars().count() > 100 {
        return Err(Failure::BadRequest(
            "Search with at most 100 characters.".into(),
        ));
    }
    let status = match params.get("status").map(String::as_str).unwrap_or_default() {
        "" => None,
        raw => Some(crate::Status::parse(raw).ok_or_else(|| {
            Failure::BadRequest("status: choose draft, active or archived.".into())
        })?),
    };
    let list = catalog
        .staff_products(words, status)
        .await
        .map_err(internal("listing products for staff"))?;
    Ok(Json(list))
}

/// Variants with 3 or fewer left to sell.
async fn low_stock(
    State(catalog): State<Catalog>,
    _staff: Staff,
) -> Result<impl IntoResponse, Failure> {
    let low = catalog
        .low_stock(3)
        .await
        .map_err(internal("listing low stock"))?;
    Ok(Json(low))
}

async fn staff_product(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    let not_found = || Failure::NotFound(format!("No product is called {slug:?}."));
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let product = catalog
        .staff_product(&parsed)
        .await
        .map_err(internal("loading a product for staff"))?
        .ok_or_else(not_found)?;
    Ok(Json(product))
}

async fn adjust_stock(
    State(catalog): State<Catalog>,
    staff: Staff,
    Path(sku): Path<String>,
    JsonBody(change): JsonBody<StockChangeV1>,
) -> Result<impl IntoResponse, Failure> {
    let actor = staff.actor();
    let sku = sku_of(&sku)?;
    let reason =
        StockReason::parse(&change.reason).map_err(|e| Failure::BadRequest(e.to_string()))?;
    if change.delta == 0 || change.delta.abs() > 100_000 {
        return Err(Failure::BadRequest(
            "Give a change of stock from -100000 to 100000, not 0.".into(),
        ));
    }
    match catalog
        .adjust_stock(&sku, change.delta, &reason, &actor)
        .await
    {
        Ok(level) => Ok(Json(level)),
        Err(err @ crate::Error::InsufficientStock { .. }) => Err(Failure::Refused(err.to_string())),
        Err(err @ crate::Error::UnknownSku(_)) => Err(Failure::NotFound(err.to_string())),
        Err(err) => Err(internal("adjusting stock")(err)),
    }
}

async fn stock_history(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(sku): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    let sku = sku_of(&sku)?;
    let history = catalog
        .stock_history(&sku)
        .await
        .map_err(internal("reading stock history"))?;
    Ok(Json(history))
}

async fn set_price(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(sku): Path<String>,
    JsonBody(price): JsonBody<PriceV1>,
) -> Result<impl IntoResponse, Failure> {
    let sku = sku_of(&sku)?;
    let mut fields = crate::FieldErrors::new();
    let money = Money::from_minor(price.price_minor)
        .map_err(|e| fields.insert("price".into(), e.to_string()))
        .ok();
    let was = match price.compare_at_minor.map(Money::from_minor) {
        None => None,
        Some(Ok(was)) if money.is_none_or(|m| was > m) => Some(was),
        Some(Ok(_)) => {
            fields.insert(
                "compare_at".into(),
                "The price before the sale must be above the price; leave it empty when not on sale.".into(),
            );
            None
        }
        Some(Err(e)) => {
            fields.insert("compare_at".into(), e.to_string());
            None
        }
    };
    let Some(money) = money.filter(|_| fields.is_empty()) else {
        return Err(Failure::Fields(fields));
    };
    let found = catalog
        .set_sale_price(&sku, money, was)
        .await
        .map_err(internal("setting a price"))?;
    if !found {
        return Err(Failure::NotFound(format!(
            "No variant has the SKU {}.",
            sku.as_str()
        )));
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn set_barcode(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(sku): Path<String>,
    JsonBody(raw): JsonBody<BarcodeV1>,
) -> Result<impl IntoResponse, Failure> {
    let sku = sku_of(&sku)?;
    let field = |message: String| {
        Failure::Fields(crate::FieldErrors::from([("barcode".to_owned(), message)]))
    };
    let barcode = match raw.barcode.trim() {
        "" => None,
        typed => Some(crate::Barcode::parse(typed).map_err(|e| field(e.to_string()))?),
    };
    match catalog.set_barcode(&sku, barcode.as_ref()).await {
        Ok(true) => Ok(StatusCode::NO_CONTENT),
        Ok(false) => Err(Failure::NotFound(format!(
            "No variant has the SKU {}.",
            sku.as_str()
        ))),
        Err(err @ crate::Error::BarcodeTaken(_)) => Err(field(err.to_string())),
        Err(err) => Err(internal("setting a barcode")(err)),
    }
}

async fn home(State(catalog): State<Catalog>) -> Result<impl IntoResponse, Failure> {
    let home = catalog
        .home()
        .await
        .map_err(internal("loading the home page"))?;
    Ok(Json(home))
}

async fn collections(State(catalog): State<Catalog>) -> Result<impl IntoResponse, Failure> {
    let all = catalog
        .collections()
        .await
        .map_err(internal("listing collections"))?;
    Ok(Json(all))
}

async fn collection_listing(
    State(catalog): State<Catalog>,
    Path(slug): Path<String>,
    uri: axum::http::Uri,
) -> Result<impl IntoResponse, Failure> {
    let not_found = || Failure::NotFound(format!("No collection is called {slug:?}."));
    let parsed = Slug::parse(&slug).map_err(|_| not_found())?;
    let query = listing_query(uri.query())?;
    let found = catalog
        .collection_listing(&parsed, &query)
        .await
        .map_err(internal("listing a collection"))?
        .ok_or_else(not_found)?;
    Ok(Json(found))
}

async fn brands(
    State(catalog): State<Catalog>,
    _staff: Staff,
) -> Result<impl IntoResponse, Failure> {
    let all = catalog.brands().await.map_err(internal("listing brands"))?;
    Ok(Json(all))
}

async fn staff_categories(
    State(catalog): State<Catalog>,
    _staff: Staff,
) -> Result<impl IntoResponse, Failure> {
    let all = catalog
        .staff_categories()
        .await
        .map_err(internal("listing categories for staff"))?;
    Ok(Json(all))
}

async fn create_category(
    State(catalog): State<Catalog>,
    _staff: Staff,
    JsonBody(raw): JsonBody<CategoryDetailsV1>,
) -> Result<impl IntoResponse, Failure> {
    let details = crate::CategoryDetails::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .create_category(&details)
        .await
        .map_err(edit_failure("creating a category"))?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "slug": details.slug().as_str() })),
    ))
}

async fn update_category(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
    JsonBody(mut raw): JsonBody<CategoryDetailsV1>,
) -> Result<impl IntoResponse, Failure> {
    let slug = Slug::parse(&slug).map_err(|_| Failure::NotFound("No such category.".into()))?;
    // The address and place stay: links and products keep pointing at it.
    raw.slug = slug.as_str().to_owned();
    raw.parent.clear();
    let details = crate::CategoryDetails::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .update_category(&slug, &details)
        .await
        .map_err(edit_failure("updating a category"))?;
    Ok(StatusCode::NO_CONTENT)
}

async fn staff_collections(
    State(catalog): State<Catalog>,
    _staff: Staff,
) -> Result<impl IntoResponse, Failure> {
    let all = catalog
        .staff_collections()
        .await
        .map_err(internal("listing collections for staff"))?;
    Ok(Json(all))
}

fn collection_slug(raw: &str) -> Result<Slug, Failure> {
    Slug::parse(raw).map_err(|_| Failure::NotFound("No such collection.".into()))
}

/// The collection as staff now see it.
async fn collection_view(
    catalog: &Catalog,
    slug: &Slug,
) -> Result<Json<contracts::catalog::StaffCollectionV1>, Failure> {
    catalog
        .staff_collection(slug)
        .await
        .map_err(internal("loading a collection for staff"))?
        .map(Json)
        .ok_or_else(|| Failure::NotFound("No such collection.".into()))
}

async fn staff_collection(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    collection_view(&catalog, &collection_slug(&slug)?).await
}

async fn create_collection(
    State(catalog): State<Catalog>,
    _staff: Staff,
    JsonBody(raw): JsonBody<CollectionDetailsV1>,
) -> Result<impl IntoResponse, Failure> {
    let details = crate::CollectionDetails::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .create_collection(&details)
        .await
        .map_err(edit_failure("creating a collection"))?;
    Ok((
        StatusCode::CREATED,
        collection_view(&catalog, details.slug()).await?,
    ))
}

async fn update_collection(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
    JsonBody(mut raw): JsonBody<CollectionDetailsV1>,
) -> Result<impl IntoResponse, Failure> {
    let slug = collection_slug(&slug)?;
    // The address stays: links to the collection keep working.
    raw.slug = slug.as_str().to_owned();
    let details = crate::CollectionDetails::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .update_collection(&slug, &details)
        .await
        .map_err(edit_failure("updating a collection"))?;
    collection_view(&catalog, &slug).await
}

async fn shelve(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
    JsonBody(raw): JsonBody<ShelveV1>,
) -> Result<impl IntoResponse, Failure> {
    let slug = collection_slug(&slug)?;
    catalog
        .shelve(&slug, &raw.product)
        .await
        .map_err(edit_failure("adding to a collection"))?;
    collection_view(&catalog, &slug).await
}

async fn unshelve(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path((slug, product)): Path<(String, String)>,
) -> Result<impl IntoResponse, Failure> {
    let slug = collection_slug(&slug)?;
    let not_on_it = || Failure::NotFound("That product is not in this collection.".into());
    let product = Slug::parse(&product).map_err(|_| not_on_it())?;
    let removed = catalog
        .unshelve(&slug, &product)
        .await
        .map_err(internal("removing from a collection"))?;
    if !removed {
        return Err(not_on_it());
    }
    collection_view(&catalog, &slug).await
}

async fn move_earlier(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path((slug, product)): Path<(String, String)>,
) -> Result<impl IntoResponse, Failure> {
    let slug = collection_slug(&slug)?;
    let product = Slug::parse(&product)
        .map_err(|_| Failure::NotFound("That product is not in this collection.".into()))?;
    // Already first (or gone): nothing to move, and nothing wrong.
    catalog
        .move_earlier(&slug, &product)
        .await
        .map_err(internal("reordering a collection"))?;
    collection_view(&catalog, &slug).await
}

fn edit_failure(context: &'static str) -> impl FnOnce(crate::EditError) -> Failure {
    move |err| match err {
        crate::EditError::Fields(fields) => Failure::Fields(fields),
        crate::EditError::NoSuchProduct => Failure::NotFound("No such product.".into()),
        crate::EditError::Refused(message) => Failure::Refused(message),
        crate::EditError::Failed(err) => internal(context)(err),
    }
}

/// The product as staff now see it, after a change to it.
async fn staff_view(
    catalog: &Catalog,
    slug: &Slug,
) -> Result<Json<contracts::catalog::StaffProductV1>, Failure> {
    catalog
        .staff_product(slug)
        .await
        .map_err(internal("loading a product for staff"))?
        .map(Json)
        .ok_or_else(|| Failure::NotFound("No such product.".into()))
}

async fn create_product(
    State(catalog): State<Catalog>,
    _staff: Staff,
    JsonBody(raw): JsonBody<NewProductV1>,
) -> Result<impl IntoResponse, Failure> {
    let draft = crate::ProductDraft::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .create_product(&draft)
        .await
        .map_err(edit_failure("creating a product"))?;
    Ok((
        StatusCode::CREATED,
        staff_view(&catalog, draft.slug()).await?,
    ))
}

async fn update_product(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
    JsonBody(raw): JsonBody<ProductDetailsV1>,
) -> Result<impl IntoResponse, Failure> {
    let slug = Slug::parse(&slug).map_err(|_| Failure::NotFound("No such product.".into()))?;
    let details = crate::ProductDetails::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .update_product(&slug, &details)
        .await
        .map_err(edit_failure("updating a product"))?;
    staff_view(&catalog, &slug).await
}

async fn add_variants(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
    JsonBody(raw): JsonBody<NewVariantsV1>,
) -> Result<impl IntoResponse, Failure> {
    let slug = Slug::parse(&slug).map_err(|_| Failure::NotFound("No such product.".into()))?;
    let grid = crate::VariantGrid::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .add_variants(&slug, &grid)
        .await
        .map_err(edit_failure("adding variants"))?;
    staff_view(&catalog, &slug).await
}

/// `?colour=…&alt=…`, the picture as the body (any declared type: what
/// it is is read from its bytes).
async fn add_image(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<impl IntoResponse, Failure> {
    let slug = Slug::parse(&slug).map_err(|_| Failure::NotFound("No such product.".into()))?;
    let Query(params) = query.map_err(|e| Failure::BadRequest(e.body_text()))?;
    let limit = catalog.max_upload_bytes();
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Failure::TooLarge(crate::FieldErrors::from([(
                "file".to_owned(),
                format!("Pictures can be at most {}.", crate::megabytes(limit)),
            )]))
        } else {
            Failure::BadRequest(e.body_text())
        }
    })?;
    let text = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
    let upload = crate::ImageUpload::parse(text("colour"), text("alt"), bytes.to_vec(), limit)
        .map_err(Failure::Fields)?;
    let image = catalog
        .add_image(&slug, upload)
        .await
        .map_err(edit_failure("adding a picture"))?;
    Ok((StatusCode::CREATED, Json(image)))
}

async fn delete_image(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    let found = catalog
        .delete_image(&id)
        .await
        .map_err(internal("deleting a picture"))?;
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::NotFound("No such picture.".into()))
    }
}

async fn ready(State(catalog): State<Catalog>) -> Result<impl IntoResponse, Failure> {
    catalog.check_ready().await.map_err(|err| {
        tracing::warn!(error = %err, "catalog database not ready");
        Failure::Unavailable("The catalog's database is not answering.".into())
    })?;
    Ok(Json(serde_json::json!({ "status": "ready" })))
}
