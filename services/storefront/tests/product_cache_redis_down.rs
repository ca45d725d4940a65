//! Redis stops while the shop runs: product pages and listings come from
//! the catalog, promptly and current, and changes still show. Its own test
//! binary, because stopping Redis would disturb tests running beside it.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use platform::shared_cache::{Redis, testing};
use support::shop::{REDIS_URL, page_price, prices, shop, until_page_price};

#[tokio::test]
async fn pages_render_from_the_catalog_while_redis_is_down() {
    let redis = Arc::new(Redis::open(REDIS_URL).unwrap());
    assert!(
        redis.ping().await,
        "Redis must run on 127.0.0.1:6379 for this test"
    );
    let namespace = format!("sury-test:{}", uuid::Uuid::now_v7().simple());
    let shop = shop().await;
    let storefront = shop.replica(Some(redis.clone()), &namespace).await;
    assert_eq!(page_price(&storefront, "summer-dress").await, 3499);

    let _restart = testing::stop();

    shop.reprice_elsewhere("DRS-RED-M", 1999).await;
    shop.publish_events().await;
    until_page_price(&storefront, "summer-dress", 1999).await;

    // A replica started while Redis is away reads everything from the
    // catalog without waiting on Redis each time.
    let newcomer = shop.replica(Some(redis.clone()), &namespace).await;
    let started = Instant::now();
    let dress = prices(&newcomer, "women-dresses", "summer-dress").await;
    assert_eq!(dress, (1999, 1999));
    assert_eq!(page_price(&newcomer, "rain-jacket").await, 2999);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "three reads took {:?}",
        started.elapsed()
    );

    testing::start();
    // Back: a fresh replica shares through Redis again.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let writer = shop.replica(Some(redis.clone()), &namespace).await;
        page_price(&writer, "rain-jacket").await;
        let mark = shop.requests();
        let reader = shop.replica(Some(redis.clone()), &namespace).await;
        assert_eq!(page_price(&reader, "rain-jacket").await, 2999);
        if shop.requests_since(mark).is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "redis never used again");
    }
}
