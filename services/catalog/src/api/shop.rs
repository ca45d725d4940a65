//! What anyone may read: the published shop.

use super::*;

pub(super) async fn published_slugs(
    State(catalog): State<Catalog>,
) -> Result<impl IntoResponse, Failure> {
    answer(catalog.published_slugs().await, "listing product slugs")
}

pub(super) async fn listing(
    State(catalog): State<Catalog>,
    Path(slug): Path<String>,
    uri: axum::http::Uri,
) -> Result<impl IntoResponse, Failure> {
    let parsed = Slug::parse(&slug).map_err(|_| no_such("category", &slug))?;
    let query = listing_query(uri.query())?;
    answer(catalog.listing(&parsed, &query).await, "listing products")
}

pub(super) async fn search_products(
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
    answer(
        catalog.search_products(&term, &query).await,
        "searching products",
    )
}

pub(super) async fn product(
    State(catalog): State<Catalog>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    let find = async |slug: Slug| catalog.product(&slug).await;
    named("product", &slug, find, "loading a product").await
}

pub(super) async fn related(
    State(catalog): State<Catalog>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    let find = async |slug: Slug| catalog.related_to(&slug).await;
    named("product", &slug, find, "loading related products").await
}

pub(super) async fn departments(
    State(catalog): State<Catalog>,
) -> Result<impl IntoResponse, Failure> {
    answer(catalog.departments().await, "listing departments")
}

pub(super) async fn category(
    State(catalog): State<Catalog>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    let find = async |slug: Slug| catalog.category(&slug).await;
    named("category", &slug, find, "loading a category").await
}

pub(super) async fn search(
    State(catalog): State<Catalog>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<impl IntoResponse, Failure> {
    let Query(params) = query.map_err(|e| Failure::BadRequest(e.body_text()))?;
    let raw = params
        .get("q")
        .ok_or_else(|| Failure::BadRequest("The q parameter is required.".into()))?;
    let term = SearchTerm::parse(raw).map_err(|e| Failure::BadRequest(e.to_string()))?;
    answer(
        catalog.search_categories(&term).await,
        "searching categories",
    )
}

/// `?skus=A,B,C`: the published variants among them.
pub(super) async fn variant_lines(
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
    answer(catalog.variant_lines(&skus).await, "loading variants")
}

pub(super) async fn home(State(catalog): State<Catalog>) -> Result<impl IntoResponse, Failure> {
    answer(catalog.home().await, "loading the home page")
}

pub(super) async fn collections(
    State(catalog): State<Catalog>,
) -> Result<impl IntoResponse, Failure> {
    answer(catalog.collections().await, "listing collections")
}

pub(super) async fn collection_listing(
    State(catalog): State<Catalog>,
    Path(slug): Path<String>,
    uri: axum::http::Uri,
) -> Result<impl IntoResponse, Failure> {
    // An unknown collection is a 404 whatever the query says.
    let parsed = Slug::parse(&slug).map_err(|_| no_such("collection", &slug))?;
    let query = listing_query(uri.query())?;
    let find = async |slug: Slug| catalog.collection_listing(&slug, &query).await;
    named("collection", parsed.as_str(), find, "listing a collection").await
}

pub(super) async fn ready(State(catalog): State<Catalog>) -> Result<impl IntoResponse, Failure> {
    catalog.check_ready().await.map_err(|err| {
        tracing::warn!(error = %err, "catalog database not ready");
        Failure::Unavailable("The catalog's database is not answering.".into())
    })?;
    Ok(Json(serde_json::json!({ "status": "ready" })))
}
