//! What anyone may read: the published shop.

use super::*;

pub(super) async fn published_slugs(
    State(catalog): State<Catalog>,
) -> Result<impl IntoResponse, Failure> {
    let slugs = catalog
        .published_slugs()
        .await
        .map_err(internal("listing product slugs"))?;
    Ok(Json(slugs))
}

pub(super) async fn listing(
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
    let found = catalog
        .search_products(&term, &query)
        .await
        .map_err(internal("searching products"))?;
    Ok(Json(found))
}

pub(super) async fn product(
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

pub(super) async fn related(
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

pub(super) async fn departments(
    State(catalog): State<Catalog>,
) -> Result<impl IntoResponse, Failure> {
    let departments = catalog
        .departments()
        .await
        .map_err(internal("listing departments"))?;
    Ok(Json(departments))
}

pub(super) async fn category(
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

pub(super) async fn search(
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
    let lines = catalog
        .variant_lines(&skus)
        .await
        .map_err(internal("loading variants"))?;
    Ok(Json(lines))
}

pub(super) async fn home(State(catalog): State<Catalog>) -> Result<impl IntoResponse, Failure> {
    let home = catalog
        .home()
        .await
        .map_err(internal("loading the home page"))?;
    Ok(Json(home))
}

pub(super) async fn collections(
    State(catalog): State<Catalog>,
) -> Result<impl IntoResponse, Failure> {
    let all = catalog
        .collections()
        .await
        .map_err(internal("listing collections"))?;
    Ok(Json(all))
}

pub(super) async fn collection_listing(
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

pub(super) async fn ready(State(catalog): State<Catalog>) -> Result<impl IntoResponse, Failure> {
    catalog.check_ready().await.map_err(|err| {
        tracing::warn!(error = %err, "catalog database not ready");
        Failure::Unavailable("The catalog's database is not answering.".into())
    })?;
    Ok(Json(serde_json::json!({ "status": "ready" })))
}
