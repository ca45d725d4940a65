//! The catalog client against the catalog API, in-process and over HTTP:
//! the same calls, the same answers.

use catalog::{Catalog, CatalogClient, ListingQuery, SearchTerm};
use support::fixtures::{add_published, rain_jacket, sku, slug, stock};
use support::serving::both_clients;

use crate::support;

/// One published product with stock (for the product page's call), asked
/// in this process and over HTTP.
async fn clients() -> (Vec<(&'static str, CatalogClient)>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(&platform::db::sqlite_url(&dir.path().join("c.db")))
        .await
        .unwrap();
    let jacket = rain_jacket(&[("JKT-YEL-104", "Yellow", "104")]);
    add_published(&catalog, &jacket).await;
    stock(&catalog, "JKT-YEL-104", 4).await;
    (both_clients(&catalog).await, dir)
}

#[tokio::test]
async fn both_transports_give_the_same_answers() {
    let (clients, _dir) = clients().await;
    let mut answers = Vec::new();
    for (name, client) in &clients {
        let departments = client.departments().await.unwrap();
        assert_eq!(departments.len(), 4, "{name}");
        let kids = client.category(&slug("kids")).await.unwrap();
        assert!(kids.is_some(), "{name}");
        let missing = client.category(&slug("pets")).await.unwrap();
        assert_eq!(missing, None, "{name}");
        // Spaces and non-ASCII survive the query string.
        let hits = client
            .search(&SearchTerm::parse("kids dress").unwrap())
            .await
            .unwrap();
        assert_eq!(hits.len(), 1, "{name}");
        let none = client
            .search(&SearchTerm::parse("été & co").unwrap())
            .await
            .unwrap();
        assert!(none.is_empty(), "{name}");
        client.ready().await.unwrap();
        let jacket = client
            .product(&slug("rain-jacket"))
            .await
            .unwrap()
            .expect("a published product");
        assert_eq!(jacket.variants[0].available, 4, "{name}");
        let no_product = client.product(&slug("no-such-thing")).await.unwrap();
        assert_eq!(no_product, None, "{name}");
        assert_eq!(
            client.published_slugs().await.unwrap(),
            ["rain-jacket"],
            "{name}"
        );
        // A basket asks about its lines: unknown SKUs are left out.
        let lines = client
            .variant_lines(&[sku("jkt-yel-104"), sku("NO-SUCH-SKU")])
            .await
            .unwrap();
        assert_eq!(lines.len(), 1, "{name}");
        assert_eq!(
            (
                lines[0].sku.as_str(),
                lines[0].price_minor,
                lines[0].available
            ),
            ("JKT-YEL-104", 2999, 4),
            "{name}"
        );
        assert_eq!(lines[0].product_name, "Rain jacket", "{name}");
        // Listings and product search carry their filters through.
        let (yellow, _) = ListingQuery::parse("colour=Yellow&size=104&max=30");
        let listing = client.listing(&slug("kids"), &yellow).await.unwrap();
        assert_eq!(listing.total, 1, "{name}");
        let (navy, _) = ListingQuery::parse("colour=Navy");
        let none = client.listing(&slug("kids"), &navy).await.unwrap();
        assert_eq!((none.total, none.facets.colours.len()), (0, 1), "{name}");
        let found = client
            .search_products(&SearchTerm::parse("rain jackets").unwrap(), &yellow)
            .await
            .unwrap();
        assert_eq!(found.listing.cards[0].slug, "rain-jacket", "{name}");
        answers.push((departments, kids, hits, jacket));
    }
    assert_eq!(answers[0], answers[1]);
}

#[tokio::test]
async fn a_bad_listing_filter_is_a_400_naming_it() {
    let (clients, _dir) = clients().await;
    let (_, http) = &clients[1];
    for (path, field) in [
        ("/api/v1/catalog/categories/kids/products?min=cheap", "min"),
        (
            "/api/v1/catalog/categories/kids/products?sort=random",
            "sort",
        ),
        ("/api/v1/catalog/search/products?q=coat&page=-1", "page"),
    ] {
        let request = http::Request::get(path)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = http.forward(request).await.unwrap();
        assert_eq!(response.status(), 400, "{path}");
        let body = axum::body::to_bytes(response.into_body(), 10_000)
            .await
            .unwrap();
        let error: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let message = error["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(field), "{path}: {message}");
    }
}

#[tokio::test]
async fn an_unreachable_service_is_an_error_not_a_hang() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = CatalogClient::remote(&format!("http://127.0.0.1:{port}"));
    let err = client.departments().await.unwrap_err();
    assert!(
        matches!(
            err,
            catalog_api::Error::Service(platform::api_client::ClientError::Unreachable { .. })
        ),
        "{err:?}"
    );
}
