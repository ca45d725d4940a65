//! The storefront as a browser without JavaScript sees it.

use crate::support;

use support::{TestApp, spawn_app};

/// The body of `path`, which must answer 200 with `content_type`.
async fn body_of_type(app: &TestApp, path: &str, content_type: &str) -> String {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    let got = res.headers()["content-type"].to_str().unwrap();
    assert!(got.starts_with(content_type), "{path} is {got}");
    res.text().await.unwrap()
}

#[tokio::test]
async fn home_page_lists_departments_from_the_catalog_database() {
    let app = spawn_app().await;
    let html = body_of_type(&app, "/", "text/html").await;
    for href in ["/c/women", "/c/men", "/c/kids", "/c/baby"] {
        assert!(html.contains(&format!("href=\"{href}\"")), "missing {href}");
    }
    assert!(html.contains("School uniform") || html.contains("/c/women-dresses"));
}

#[tokio::test]
async fn every_inline_script_carries_the_nonce_of_the_csp_header() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("nonce in CSP")
        .to_owned();
    assert!(nonce.len() >= 16, "nonce too short: {nonce}");
    let html = res.text().await.unwrap();
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty());
    for script in scripts {
        let tag = script.split('>').next().unwrap();
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "script without nonce: {tag}"
        );
    }
    // A second page view gets a fresh nonce.
    let again = app.get("/").await;
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce)
    );
}

#[tokio::test]
async fn security_headers_are_on_pages_and_json_alike() {
    let app = spawn_app().await;
    for path in ["/", "/health/live", "/no-such-page"] {
        let res = app.get(path).await;
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS over http"
        );
    }
}

#[tokio::test]
async fn hsts_is_sent_when_the_shop_is_public_over_https() {
    let app = support::spawn_app_with(&[("SURY_PUBLIC_URL", "https://shop.example")]).await;
    let res = app.get("/").await;
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn unknown_routes_and_categories_are_styled_404s() {
    let app = spawn_app().await;
    for path in [
        "/no-such-page",
        "/c/pets",
        "/c/NOT_A_SLUG",
        "/c/..%2f..%2fetc",
    ] {
        let (status, html) = app.get_page(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Page not found"), "{path}");
        // Inside the site shell, with the stylesheet.
        assert!(html.contains("aria-label=\"Departments\""), "{path}");
        assert!(html.contains("rel=\"stylesheet\""), "{path}");
    }
}

#[tokio::test]
async fn a_category_page_shows_breadcrumb_and_children() {
    let app = spawn_app().await;
    let html = app.get_text("/c/kids").await;
    assert!(html.contains("aria-label=\"Breadcrumb\""));
    assert!(html.contains("href=\"/c/kids-school\""));
    assert!(html.contains("<title>Kids · SURY</title>"));
}

#[tokio::test]
async fn search_input_is_validated_and_escaped() {
    let app = spawn_app().await;
    let long = "a".repeat(101);
    let (status, html) = app.get_page(&format!("/search?q={long}")).await;
    assert_eq!(status, 400);
    assert!(html.contains("at most 100 characters"));

    let (status, html) = app
        .get_page("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    // The page title carries the search too: it must not end early.
    let html = app
        .get_text("/search?q=%3C%2Ftitle%3E%3Cb%3Ehi%3C%2Fb%3E")
        .await;
    assert!(!html.contains("</title><b>"), "the title was broken out of");
    assert!(html.contains("<title>Search: &lt;/title&gt;&lt;b&gt;hi&lt;/b&gt; · SURY</title>"));
}

#[tokio::test]
async fn a_failing_database_gives_a_styled_error_without_internals() {
    let app = support::spawn_app_without_catalog_database().await;
    let (status, html) = app.get_page("/").await;
    assert_eq!(status, 500);
    assert!(html.contains("Something went wrong on our side"));
    for leak in ["sqlx", "pool", "panicked", ".rs:", "Database"] {
        assert!(!html.contains(leak), "page leaks {leak:?}");
    }
}

#[tokio::test]
async fn the_storefront_runs_on_a_postgresql_catalog_too() {
    let url = platform::db::testing::fresh_postgres_url().await;
    let app = support::spawn_app_with(&[("SURY_CATALOG_DATABASE_URL", &url)]).await;
    let html = app.get_text("/c/baby").await;
    assert!(html.contains("href=\"/c/baby-sleepsuits\""));
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.status(), 200);
}

#[tokio::test]
async fn a_renamed_category_shows_at_once_though_the_tree_is_cached() {
    let app = support::spawn_app_with(&[("SURY_CATALOG_TREE_TTL_SECS", "3600")]).await;
    assert!(app.get_text("/").await.contains(">Men</a>"));
    let renamed = app
        .catalog()
        .rename_category(
            &catalog::Slug::parse("men").unwrap(),
            &catalog::CategoryName::parse("Gentlemen").unwrap(),
        )
        .await
        .unwrap();
    assert!(renamed);
    let started = std::time::Instant::now();
    while !app.get_text("/").await.contains(">Gentlemen</a>") {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "cache never invalidated"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn media_files_are_served_from_the_data_folder_and_nothing_else() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_string_lossy().into_owned();
    let store = platform::blob::LocalBlobStore::new(data.path().join("media"), "/media");
    use platform::blob::BlobStore;
    let url = store
        .put("products/x/320.jpg", vec![0xFF, 0xD8, 0xFF], "image/jpeg")
        .await
        .unwrap();
    let app = support::spawn_app_with(&[("SURY_DATA_DIR", &data_dir)]).await;

    let res = app.get(&url).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.unwrap().as_ref(), [0xFF, 0xD8, 0xFF]);

    let missing = app.get("/media/products/x/640.jpg").await;
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get("cache-control").is_none());
    // Sent as written: an HTTP client would collapse `..` and `%2e%2e`
    // before they reached the server.
    for escape in [
        "/media/../catalog.db",
        "/media/..%2fcatalog.db",
        "/media/%2e%2e/catalog.db",
        "/media/%2e%2e%2fcatalog.db",
        "/media/products/../../catalog.db",
    ] {
        let (status, body) = app.raw_get(escape).await;
        assert!(status == 400 || status == 404, "{escape} answered {status}");
        assert!(
            !body.windows(15).any(|w| w == b"SQLite format 3"),
            "{escape} served the database"
        );
    }
}

#[tokio::test]
async fn the_sitemap_lists_categories_and_products_at_the_public_address() {
    let app = spawn_app().await;
    let xml = body_of_type(&app, "/sitemap.xml", "application/xml").await;
    let base = "http://127.0.0.1:3000";
    for path in [
        "/",
        "/c/women",
        "/c/baby-sleepsuits",
        "/collections/sale",
        "/p/women-linen-wrap-dress",
    ] {
        let entry = format!("<loc>{base}{path}</loc>");
        assert!(xml.contains(&entry), "{entry} missing");
    }
    // The demo catalog: every published product, each once.
    let products = xml.matches("/p/").count();
    assert!(products >= 40, "{products} products");
    assert!(xml.trim_end().ends_with("</urlset>"));
}
