//! The distributed shape: the catalog as its own process (on PostgreSQL),
//! the storefront and gateway reaching it over HTTP.

mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct CatalogProcess {
    child: Child,
    url: String,
}

impl Drop for CatalogProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_catalog_process() -> CatalogProcess {
    let database_url = platform::db::testing::fresh_postgres_url().await;
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("catalog")
        .env("SURY_CATALOG_ADDR", format!("127.0.0.1:{port}"))
        .env("SURY_CATALOG_DATABASE_URL", &database_url)
        .env("SURY_DATA_DIR", dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let client = reqwest::Client::new();
    loop {
        if let Ok(res) = client.get(format!("{url}/health/ready")).send().await
            && res.status() == 200
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "catalog process did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    CatalogProcess { child, url }
}

#[tokio::test]
async fn the_storefront_and_gateway_use_a_separate_catalog_process() {
    let catalog = start_catalog_process().await;
    let app = support::spawn_app_with(&[("SURY_CATALOG_URL", &catalog.url)]).await;
    assert!(
        app.catalog_handle.is_none(),
        "no catalog inside the storefront"
    );

    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains("href=\"/c/kids\""));
    assert_eq!(app.get("/c/pets").await.status(), 404);
    let ready: serde_json::Value =
        serde_json::from_str(&app.get("/health/ready").await.text().await.unwrap()).unwrap();
    assert_eq!(ready["checks"]["catalog"]["status"], "up");

    // The gateway answers other clients at the service's own paths.
    let res = app.get("/api/v1/catalog/search?q=dresses").await;
    assert_eq!(res.status(), 200);
    let hits: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 3);

    // Bad requests get JSON errors.
    let res = app.get("/api/v1/catalog/search").await;
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    let res = app.get("/api/v1/catalog/no-such-endpoint").await;
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    let res = app
        .client
        .post(app.url("/api/v1/catalog/departments"))
        .body(vec![b'x'; 300 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn a_dead_catalog_process_gives_styled_errors_not_hangs() {
    let mut catalog = start_catalog_process().await;
    let app = support::spawn_app_with(&[("SURY_CATALOG_URL", &catalog.url)]).await;
    assert_eq!(app.get("/").await.status(), 200);

    catalog.child.kill().unwrap();
    catalog.child.wait().unwrap();

    let res = app.get("/").await;
    assert_eq!(res.status(), 500);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Something went wrong on our side")
    );
    assert_eq!(app.get("/health/ready").await.status(), 503);
    let res = app.get("/api/v1/catalog/departments").await;
    assert_eq!(res.status(), 502);
    let body: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "unavailable");
}
