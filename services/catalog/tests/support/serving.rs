//! A catalog as `server catalog` runs it: on a SQLite file, accepting
//! identity's tokens, served over HTTP on a free port.

use catalog::{Catalog, CatalogClient};

/// Serves `router` on a free port, as `server catalog` would; its URL.
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, router).into_future());
    url
}

/// A catalog on a SQLite file in `dir` that accepts `keys`' tokens.
pub async fn open_with(dir: &std::path::Path, keys: &super::auth::Keys) -> Catalog {
    Catalog::open(&platform::db::sqlite_url(&dir.join("c.db")))
        .await
        .unwrap()
        .with_token_verifier(keys.verifier())
}

/// The catalog's client in this process and over HTTP to `catalog` served
/// on a free port, each named for the assertion messages.
pub async fn both_clients(catalog: &Catalog) -> Vec<(&'static str, CatalogClient)> {
    platform::api_client::testing::both_transports(
        catalog::api::router(catalog.clone()),
        CatalogClient::in_process,
        CatalogClient::remote,
    )
    .await
}
