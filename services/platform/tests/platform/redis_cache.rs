//! The layered cache against the local Redis (127.0.0.1:6379).

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use platform::shared_cache::{LayeredCache, Redis};

fn redis_url() -> String {
    std::env::var("SURY_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

fn redis() -> Arc<Redis> {
    Arc::new(Redis::open(&redis_url()).expect("valid redis URL"))
}

fn namespace() -> String {
    format!("sury-test:{}", uuid::Uuid::now_v7().simple())
}

async fn load_counted(loads: &AtomicU32, value: &str) -> Result<String, ()> {
    loads.fetch_add(1, Ordering::SeqCst);
    Ok(value.to_owned())
}

/// One replica's cache in namespace `ns`, sharing Redis with the others.
fn replica(ns: &str) -> LayeredCache<String> {
    LayeredCache::new(ns, Duration::from_secs(60), Some(redis()))
}

/// What `cache` answers for the tree: what it holds, or else `fresh`,
/// loaded (and counted in `loads`).
async fn tree(cache: &LayeredCache<String>, loads: &AtomicU32, fresh: &str) -> String {
    let answer = cache.get_or_load("tree", || load_counted(loads, fresh));
    answer.await.expect("the load never fails")
}

#[tokio::test]
async fn a_second_replica_reads_what_the_first_cached() {
    let ns = namespace();
    let loads = AtomicU32::new(0);
    let (first, second) = (replica(&ns), replica(&ns));
    assert_eq!(tree(&first, &loads, "v1").await, "v1");
    assert_eq!(tree(&second, &loads, "v2").await, "v1");
    assert_eq!(
        loads.load(Ordering::SeqCst),
        1,
        "the second replica found it in Redis"
    );
    // Redis holds it with an expiry, never forever.
    let ttl: i64 = redis::cmd("TTL")
        .arg(format!("{ns}:tree"))
        .query_async(
            &mut redis::Client::open(redis_url())
                .unwrap()
                .get_multiplexed_async_connection()
                .await
                .unwrap(),
        )
        .await
        .unwrap();
    assert!((1..=60).contains(&ttl), "ttl {ttl}");
}

#[tokio::test]
async fn invalidation_clears_memory_and_redis() {
    let ns = namespace();
    let loads = AtomicU32::new(0);
    let first = replica(&ns);
    tree(&first, &loads, "v1").await;
    first.invalidate("tree").await;
    assert_eq!(tree(&first, &loads, "v2").await, "v2");
    let other = replica(&ns);
    assert_eq!(tree(&other, &loads, "v3").await, "v2");
    assert_eq!(loads.load(Ordering::SeqCst), 2);
}
