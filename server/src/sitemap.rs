//! `/sitemap.xml`: every page a search engine should know, with the shop's
//! public address (departments, categories, collections, published
//! products).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use catalog::CatalogClient;

#[derive(Clone)]
pub struct SitemapState {
    pub catalog: CatalogClient,
    pub public_url: String,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

pub async fn sitemap(State(state): State<SitemapState>) -> Response {
    let (departments, products, home) = match tokio::join!(
        state.catalog.departments(),
        state.catalog.published_slugs(),
        state.catalog.home()
    ) {
        (Ok(departments), Ok(products), Ok(home)) => (departments, products, home),
        (Err(err), _, _) | (_, Err(err), _) | (_, _, Err(err)) => {
            tracing::error!(error = %platform::error_chain(&err), "sitemap: the catalog is not answering");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let base = &state.public_url;
    let mut paths = vec![String::from("/")];
    for department in departments {
        paths.push(format!("/c/{}", department.category.slug));
        paths.extend(department.children.iter().map(|c| format!("/c/{}", c.slug)));
    }
    // Collections with something in them (the home page's shelves).
    paths.extend(
        home.shelves
            .iter()
            .map(|shelf| format!("/collections/{}", shelf.collection.slug)),
    );
    paths.extend(products.iter().map(|slug| format!("/p/{slug}")));
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape(&format!("{base}{path}"))
        ));
    }
    xml.push_str("</urlset>\n");
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        xml,
    )
        .into_response()
}
