//! What the scenarios check with: the shop's readiness and baskets over
//! HTTP as a browser sees them, and the orders, stock and outboxes a
//! scenario must leave consistent.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use platform::bus::{EventBus, RabbitBus, RabbitConfig};

use crate::support::distributed_shop::{AMQP, PLENTY, SERVICE_QUEUES, Shop, backlog};

/// The storefront's readiness: its status and report.
pub(crate) async fn readiness(base: &str) -> (u16, serde_json::Value) {
    let response = reqwest::get(format!("{base}/health/ready")).await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// The JSON at `url`, whatever its status.
pub(crate) async fn json_at(url: &str) -> serde_json::Value {
    reqwest::get(url).await.unwrap().json().await.unwrap()
}

/// With `service`'s process killed: `probe`, a request that needs it,
/// answers at once; the storefront's readiness says the service is down;
/// and the shop still shows its pages. Returns what `probe` answered.
pub(crate) async fn answered_while_down<T>(
    base: &str,
    service: &str,
    probe: impl std::future::Future<Output = T>,
) -> T {
    let asked = Instant::now();
    let answer = probe.await;
    assert!(asked.elapsed() < Duration::from_secs(5), "no hang");
    let (status, report) = readiness(base).await;
    assert_eq!(status, 503, "{service} is down");
    assert_eq!(report["checks"][service]["status"], "down");
    let home = reqwest::get(format!("{base}/")).await.unwrap();
    assert_eq!(home.status(), 200, "the shop still shows its pages");
    answer
}

/// What `/sf/basket/count` says for the basket `cookie` names, or the
/// status it failed with.
pub(crate) async fn basket_count(base: &str, cookie: &str) -> Result<i64, u16> {
    let response = reqwest::Client::new()
        .get(format!("{base}/sf/basket/count"))
        .header("cookie", cookie)
        .timeout(Duration::from_secs(15))
        .send()
        .await
        .map_err(|_| 0u16)?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(status);
    }
    response.json::<i64>().await.map_err(|_| status)
}

/// Adds `quantity` of `sku` as the product page's island does (a plain
/// post asking for HTML would be redirected instead).
pub(crate) async fn add_to_basket(base: &str, cookie: &str, sku: &str, quantity: i64) {
    let added = reqwest::Client::new()
        .post(format!("{base}/sf/basket/add-now"))
        .header("origin", base)
        .header("cookie", cookie)
        .form(&[("sku", sku), ("quantity", &quantity.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 200, "adding {quantity} of {sku}");
}

/// Set-cookie pairs (`name=value`) of a response, for the next request.
pub(crate) fn cookies_of(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Waits until no order is still waiting for its stock, then reads every
/// order's status.
pub(crate) async fn settled_orders(shop: &Shop) -> HashMap<String, (String, Option<String>)> {
    let pool = platform::db::connect(&shop.ordering_db, 2).await.unwrap();
    let started = Instant::now();
    loop {
        let rows: Vec<(String, String, Option<String>)> =
            sqlx::query_as("SELECT id, status, cancel_reason FROM orders")
                .fetch_all(&pool)
                .await
                .unwrap();
        if rows.iter().all(|(_, status, _)| status != "submitted") {
            let ids: HashSet<&String> = rows.iter().map(|(id, _, _)| id).collect();
            assert_eq!(ids.len(), rows.len(), "an order is there twice");
            pool.close().await;
            return rows.into_iter().map(|(id, s, r)| (id, (s, r))).collect();
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "orders still waiting for stock: {:?}",
            rows.iter().filter(|(_, s, _)| s == "submitted").count()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Everything a scenario must leave true: each accepted order once and
/// confirmed (the scarce SKU's may be cancelled for stock, with the reason),
/// reservations equal to what confirmed orders hold, outboxes drained, no
/// dead letters.
pub(crate) async fn assert_consistent(shop: &Shop, accepted: &[String]) {
    let orders = settled_orders(shop).await;
    for id in accepted {
        let (status, reason) = orders
            .get(id)
            .unwrap_or_else(|| panic!("accepted order {id} is missing"));
        match status.as_str() {
            "confirmed" => {}
            "cancelled" => assert!(
                reason.as_deref().is_some_and(|r| r.contains("sold out")),
                "{id} cancelled for {reason:?}"
            ),
            other => panic!("{id} ended {other}"),
        }
    }
    // Each order here holds one unit of one SKU.
    let pool = platform::db::connect(&shop.ordering_db, 1).await.unwrap();
    let held: Vec<(String, i64)> = sqlx::query_as(
        "SELECT l.sku, CAST(SUM(l.quantity) AS BIGINT) FROM order_lines l
         JOIN orders o ON o.id = l.order_id WHERE o.status = 'confirmed' GROUP BY l.sku",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    let catalog = catalog::Catalog::open(&shop.catalog_db).await.unwrap();
    for (sku, on_hand) in [(&shop.plenty, PLENTY), (&shop.scarce, shop.scarce_units)] {
        let level = catalog
            .stock(&catalog::Sku::parse(sku).unwrap())
            .await
            .unwrap()
            .unwrap();
        let confirmed = held.iter().find(|(s, _)| s == sku).map_or(0, |(_, n)| *n);
        assert_eq!(
            level.on_hand, on_hand,
            "{sku}: nothing shipped, nothing lost"
        );
        assert_eq!(
            level.reserved, confirmed,
            "{sku}: held = what confirmed orders hold"
        );
    }
    catalog.close().await;
    let started = Instant::now();
    while backlog(&shop.ordering_db).await + backlog(&shop.catalog_db).await > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "outboxes not drained"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let bus =
        RabbitBus::connect(RabbitConfig::new(AMQP.to_owned()).with_namespace(&shop.namespace.0))
            .await
            .unwrap();
    for queue in SERVICE_QUEUES {
        let dead = bus.dead_letters(queue).await.unwrap();
        assert!(dead.is_empty(), "{queue} dead-lettered {dead:?}");
    }
}
