//! The distributed shape: the catalog as its own process (on PostgreSQL),
//! the storefront and gateway reaching it over HTTP.

use crate::support;

use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::distributed_shop::{Namespace, StockedProduct, collect_messages};

pub(crate) struct CatalogProcess {
    child: Child,
    pub(crate) url: String,
    database_url: String,
}

impl CatalogProcess {
    /// An operator command of the `server` binary, run against this
    /// catalog's database.
    fn operator(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("SURY_CATALOG_DATABASE_URL", &self.database_url)
            .output()
            .unwrap()
    }
}

impl Drop for CatalogProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) async fn start_catalog_process() -> CatalogProcess {
    start_catalog_process_with(&[]).await
}

pub(crate) async fn start_catalog_process_with(vars: &[(&str, &str)]) -> CatalogProcess {
    let database_url = platform::db::testing::fresh_postgres_url().await;
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let mut all_vars = vec![("SURY_CATALOG_DATABASE_URL", database_url.as_str())];
    all_vars.extend_from_slice(vars);
    let child = support::spawn_binary(&["catalog"], port, dir.path(), &all_vars, Stdio::null());
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
    CatalogProcess {
        child,
        url,
        database_url,
    }
}

#[tokio::test]
async fn the_storefront_and_gateway_use_a_separate_catalog_process() {
    let catalog = start_catalog_process().await;
    let app = support::spawn_app_with(&[("SURY_CATALOG_URL", &catalog.url)]).await;
    assert!(
        app.catalog_handle.is_none(),
        "no catalog inside the storefront"
    );

    let html = app.get_text("/").await;
    assert!(html.contains("href=\"/c/kids\""));
    assert_eq!(app.get("/c/pets").await.status(), 404);
    let (_, ready) = app.get_json("/health/ready").await;
    assert_eq!(ready["checks"]["catalog"]["status"], "up");

    // The gateway answers other clients at the service's own paths.
    let (status, hits) = app.get_json("/api/v1/catalog/search?q=dresses").await;
    assert_eq!(status, 200);
    assert_eq!(hits.as_array().unwrap().len(), 3);

    // Bad requests get JSON errors.
    for (path, status, code) in [
        ("/api/v1/catalog/search", 400, "bad_request"),
        ("/api/v1/catalog/no-such-endpoint", 404, "not_found"),
    ] {
        let (got, body) = app.get_json(path).await;
        assert_eq!(got, status, "{path}");
        assert_eq!(body["error"]["code"], code, "{path}");
    }
    let oversized = vec![b'x'; 300 * 1024];
    let res = app
        .post_raw("/api/v1/catalog/departments", None, oversized)
        .await;
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn a_dead_catalog_process_gives_styled_errors_not_hangs() {
    let mut catalog = start_catalog_process().await;
    let app = support::spawn_app_with(&[("SURY_CATALOG_URL", &catalog.url)]).await;
    assert_eq!(app.get("/").await.status(), 200);

    catalog.child.kill().unwrap();
    catalog.child.wait().unwrap();

    // The department tree was cached, so the home page still works...
    assert_eq!(app.get("/").await.status(), 200);
    // ...but pages that need the catalog now say sorry, quickly.
    let (status, html) = app.get_page("/c/kids").await;
    assert_eq!(status, 500);
    assert!(html.contains("Something went wrong on our side"), "{html}");
    assert_eq!(app.get("/health/ready").await.status(), 503);
    let (status, body) = app.get_json("/api/v1/catalog/departments").await;
    assert_eq!(status, 502);
    assert_eq!(body["error"]["code"], "unavailable");
}

pub(crate) const AMQP: &str = "amqp://guest:guest@127.0.0.1:5672/%2f";

/// Exchanges, queues and Redis keys no other test (or earlier run) uses:
/// tests run at once, and a shared queue would hand one test's events to
/// another's processes. Deleted when the test ends.
pub(crate) fn unique_namespace() -> Namespace {
    Namespace::new()
}

/// A catalog process that publishes its events to RabbitMQ under a
/// namespace of its own. The namespace comes first, so a test that binds
/// both stops the process before the namespace is deleted.
async fn catalog_process_on_rabbitmq() -> (Namespace, CatalogProcess) {
    let namespace = unique_namespace();
    let vars = [("SURY_AMQP_URL", AMQP), ("SURY_NAMESPACE", &namespace.0)];
    let catalog = start_catalog_process_with(&vars).await;
    (namespace, catalog)
}

/// A staff change in the catalog process reaches the storefront process as
/// an event over RabbitMQ, which drops the storefront's cached tree in
/// memory and in Redis: with a one-hour TTL, nothing else could make the new
/// name show.
#[tokio::test]
async fn a_catalog_change_crosses_to_the_storefront_over_rabbitmq() {
    let (namespace, catalog) = catalog_process_on_rabbitmq().await;
    let app = support::spawn_app_with(&[
        ("SURY_CATALOG_URL", &catalog.url),
        ("SURY_AMQP_URL", AMQP),
        ("SURY_REDIS_URL", "redis://127.0.0.1:6379"),
        ("SURY_NAMESPACE", &namespace.0),
        ("SURY_CATALOG_TREE_TTL_SECS", "3600"),
    ])
    .await;
    let (_, ready) = app.get_json("/health/ready").await;
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["checks"]["broker"]["status"], "up");
    assert_eq!(ready["checks"]["redis"]["status"], "up");
    let home = app.get_text("/").await;
    assert!(home.contains(">Women</a>"), "cached tree has Women");

    let out = catalog.operator(&["rename-category", "women", "Ladies"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let started = Instant::now();
    loop {
        let home = app.get_text("/").await;
        if home.contains(">Ladies</a>") {
            assert!(!home.contains(">Women</a>"));
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the storefront never heard of the change"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let out = catalog.operator(&["outbox-backlog"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 event(s)"));
}

#[test]
fn operator_commands_refuse_bad_input_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("SURY_DATA_DIR", dir.path())
            .output()
            .unwrap()
    };
    let out = run(&["rename-category", "Not A Slug", "X"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("doesn't name a category"));
    let out = run(&["rename-category", "women", "   "]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("category name"));
    let out = run(&["rename-category", "pets", "Pets"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no category is called pets"));
    let out = run(&["outbox-backlog"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0 event(s)"),
        "nothing was written"
    );
    let out = run(&["dead-letters", "ordering.stock"]);
    assert!(!out.status.success(), "no broker configured");
}

#[tokio::test]
async fn pages_render_when_redis_is_unreachable() {
    let dead_redis = format!("redis://127.0.0.1:{}", support::free_port());
    let app = support::spawn_app_with(&[("SURY_REDIS_URL", &dead_redis)]).await;
    let started = Instant::now();
    let (status, html) = app.get_page("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("href=\"/c/kids\""));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
}

/// Identity in the distributed shape: its data on PostgreSQL, its events
/// through RabbitMQ, its emails through a real SMTP server.
#[tokio::test]
async fn a_catalog_reached_directly_checks_tokens_itself() {
    let keys = tempfile::tempdir().unwrap();
    let private = keys.path().join("signing.pem");
    let key = identity::SigningKey::load_or_create(&private).unwrap();
    let public = keys.path().join("public.pem");
    std::fs::write(&public, key.public_pem()).unwrap();
    let catalog =
        start_catalog_process_with(&[("SURY_IDENTITY_PUBLIC_KEY_FILE", public.to_str().unwrap())])
            .await;
    let app = support::spawn_app_with(&[
        ("SURY_CATALOG_URL", &catalog.url),
        ("SURY_IDENTITY_SIGNING_KEY_FILE", private.to_str().unwrap()),
    ])
    .await;
    let token = app.staff_token("clerk@example.com", "Clerk").await;
    // The departments straight from a catalog process, with `token` as the
    // bearer when given.
    let departments = |catalog: &CatalogProcess, token: Option<&str>| {
        let mut request =
            reqwest::Client::new().get(format!("{}/api/v1/catalog/departments", catalog.url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let direct = |token: &str| departments(&catalog, Some(token));
    assert_eq!(direct(&token).await.unwrap().status(), 200);
    // A tampered signature: refused by the catalog itself.
    let tampered = format!("{token}x");
    support::assert_invalid_token(&direct(&tampered).await.unwrap());
    assert_eq!(direct("not-a-jwt").await.unwrap().status(), 401);

    // Without the public key, a catalog refuses every token (fails closed)
    // but still serves anonymous reads.
    let keyless = start_catalog_process().await;
    let res = departments(&keyless, Some(&token)).await.unwrap();
    assert_eq!(res.status(), 401);
    let res = departments(&keyless, None).await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn the_catalog_process_holds_stock_for_orders_over_rabbitmq() {
    use contracts::catalog::events::{STOCK_REJECTED_V1, STOCK_RESERVED_V1};
    use contracts::ordering::events::{ORDER_SUBMITTED_V1, OrderLineV1, OrderSubmittedV1};
    use platform::bus::{EventBus, Message, RabbitBus, RabbitConfig};

    let (namespace, catalog) = catalog_process_on_rabbitmq().await;
    // Staff's side, straight on the catalog's database: one dress, 3 in stock.
    let staff = catalog::Catalog::open(&catalog.database_url).await.unwrap();
    let sku = catalog::Sku::parse(&format!("DRS-{}", std::process::id())).unwrap();
    let dress = StockedProduct {
        slug: "summer-dress",
        name: "Summer dress",
        category: "women-dresses",
        colour: "Red",
        price_minor: 3499,
    };
    dress.add(&staff, &[(sku.as_str(), "M", 3)]).await;

    let bus = RabbitBus::connect(RabbitConfig::new(AMQP.to_owned()).with_namespace(&namespace.0))
        .await
        .unwrap();
    let answers = collect_messages(
        &bus,
        format!("test.saga.{}", uuid::Uuid::now_v7().simple()),
        &[STOCK_RESERVED_V1, STOCK_REJECTED_V1],
    )
    .await;
    let run = uuid::Uuid::now_v7().simple().to_string();
    for (order, quantity) in [("a", 2), ("b", 2)] {
        let order = OrderSubmittedV1 {
            order_id: format!("{run}-{order}"),
            lines: vec![OrderLineV1 {
                sku: sku.as_str().to_owned(),
                quantity,
            }],
        };
        let message = Message::new(ORDER_SUBMITTED_V1, serde_json::to_vec(&order).unwrap());
        bus.publish(&message).await.unwrap();
        // Wait for each answer so the outcome does not depend on order.
        let started = Instant::now();
        let want = if order.order_id.ends_with("-a") { 1 } else { 2 };
        while answers.lock().unwrap().len() < want {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no answer from the catalog process"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let topics: Vec<String> = answers
        .lock()
        .unwrap()
        .iter()
        .map(|m| m.topic.clone())
        .collect();
    assert_eq!(topics, [STOCK_RESERVED_V1, STOCK_REJECTED_V1]);
    let level = staff.stock(&sku).await.unwrap().unwrap();
    assert_eq!((level.on_hand, level.reserved), (3, 2));
}
