//! The distributed shape: the catalog as its own process (on PostgreSQL),
//! the storefront and gateway reaching it over HTTP.

use crate::support;

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub(crate) struct CatalogProcess {
    child: Child,
    pub(crate) url: String,
    database_url: String,
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

    // The department tree was cached, so the home page still works...
    assert_eq!(app.get("/").await.status(), 200);
    // ...but pages that need the catalog now say sorry, quickly.
    let res = app.get("/c/kids").await;
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

pub(crate) const AMQP: &str = "amqp://guest:guest@127.0.0.1:5672/%2f";

/// Exchanges, queues and Redis keys no other test (or earlier run) uses:
/// tests run at once, and a shared queue would hand one test's events to
/// another's processes. Deleted when the test ends.
pub(crate) fn unique_namespace() -> support::distributed_shop::Namespace {
    support::distributed_shop::Namespace::new()
}

/// A staff change in the catalog process reaches the storefront process as
/// an event over RabbitMQ, which drops the storefront's cached tree in
/// memory and in Redis: with a one-hour TTL, nothing else could make the new
/// name show.
#[tokio::test]
async fn a_catalog_change_crosses_to_the_storefront_over_rabbitmq() {
    let namespace_guard = unique_namespace();
    let namespace = namespace_guard.0.clone();
    let catalog =
        start_catalog_process_with(&[("SURY_AMQP_URL", AMQP), ("SURY_NAMESPACE", &namespace)])
            .await;
    let app = support::spawn_app_with(&[
        ("SURY_CATALOG_URL", &catalog.url),
        ("SURY_AMQP_URL", AMQP),
        ("SURY_REDIS_URL", "redis://127.0.0.1:6379"),
        ("SURY_NAMESPACE", &namespace),
        ("SURY_CATALOG_TREE_TTL_SECS", "3600"),
    ])
    .await;
    let ready: serde_json::Value =
        serde_json::from_str(&app.get("/health/ready").await.text().await.unwrap()).unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["checks"]["broker"]["status"], "up");
    assert_eq!(ready["checks"]["redis"]["status"], "up");
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains(">Women</a>"), "cached tree has Women");

    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["rename-category", "women", "Ladies"])
        .env("SURY_CATALOG_DATABASE_URL", &catalog.database_url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let started = Instant::now();
    loop {
        let home = app.get("/").await.text().await.unwrap();
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

    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("outbox-backlog")
        .env("SURY_CATALOG_DATABASE_URL", &catalog.database_url)
        .output()
        .unwrap();
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
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("href=\"/c/kids\""));
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
    let created = app
        .identity
        .as_ref()
        .unwrap()
        .grant_role(
            &identity::Email::parse("clerk@example.com").unwrap(),
            &identity::PersonName::parse("Clerk").unwrap(),
            &identity::NewPassword::parse("violet meadow 42", None).unwrap(),
            contracts::identity::Role::Staff,
        )
        .await
        .unwrap();
    assert!(created, "a new staff account");
    let signed_in = app
        .identity
        .as_ref()
        .unwrap()
        .sign_in("clerk@example.com", "violet meadow 42", "192.0.2.9")
        .await
        .unwrap();
    let direct = |token: &str| {
        reqwest::Client::new()
            .get(format!("{}/api/v1/catalog/departments", catalog.url))
            .header("authorization", format!("Bearer {token}"))
            .send()
    };
    assert_eq!(direct(&signed_in.access_token).await.unwrap().status(), 200);
    // A tampered signature: refused by the catalog itself.
    let mut tampered = signed_in.access_token.clone();
    tampered.push('x');
    let res = direct(&tampered).await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(
        res.headers()["www-authenticate"],
        "Bearer error=\"invalid_token\""
    );
    assert_eq!(direct("not-a-jwt").await.unwrap().status(), 401);

    // Without the public key, a catalog refuses every token (fails closed)
    // but still serves anonymous reads.
    let keyless = start_catalog_process().await;
    let res = reqwest::Client::new()
        .get(format!("{}/api/v1/catalog/departments", keyless.url))
        .header(
            "authorization",
            format!("Bearer {}", signed_in.access_token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = reqwest::get(format!("{}/api/v1/catalog/departments", keyless.url))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn the_catalog_process_holds_stock_for_orders_over_rabbitmq() {
    use contracts::catalog::events::{STOCK_REJECTED_V1, STOCK_RESERVED_V1};
    use contracts::ordering::events::{ORDER_SUBMITTED_V1, OrderLineV1, OrderSubmittedV1};
    use platform::bus::{EventBus, Message, RabbitBus, RabbitConfig, RetryPolicy, Subscription};

    let namespace_guard = unique_namespace();
    let namespace = namespace_guard.0.clone();
    let catalog =
        start_catalog_process_with(&[("SURY_AMQP_URL", AMQP), ("SURY_NAMESPACE", &namespace)])
            .await;
    // Staff's side, straight on the catalog's database: one dress, 3 in stock.
    let staff = catalog::Catalog::open(&catalog.database_url).await.unwrap();
    let sku = catalog::Sku::parse(&format!("DRS-{}", std::process::id())).unwrap();
    staff
        .add_product(&catalog::NewProduct {
            slug: catalog::Slug::parse("summer-dress").unwrap(),
            name: "Summer dress".into(),
            category: catalog::Slug::parse("women-dresses").unwrap(),
            variants: vec![catalog::NewVariant {
                sku: sku.clone(),
                colour: "Red".into(),
                size: "M".into(),
                price: catalog::Money::from_minor(3499).unwrap(),
            }],
        })
        .await
        .unwrap();
    let reason = catalog::StockReason::parse("delivery").unwrap();
    staff
        .adjust_stock(&sku, 3, &reason, "staff:ann")
        .await
        .unwrap();

    let bus = RabbitBus::connect(RabbitConfig::new(AMQP.to_owned()).with_namespace(&namespace))
        .await
        .unwrap();
    let answers = Arc::new(Mutex::new(Vec::<Message>::new()));
    let sink = answers.clone();
    bus.subscribe(Subscription {
        queue: format!("test.saga.{}", uuid::Uuid::now_v7().simple()),
        topics: vec![STOCK_RESERVED_V1.into(), STOCK_REJECTED_V1.into()],
        retry: RetryPolicy::default(),
        broadcast: true,
        handler: Arc::new(move |message| {
            sink.lock().unwrap().push(message);
            Box::pin(async { Ok(()) })
        }),
    })
    .await
    .unwrap();
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
