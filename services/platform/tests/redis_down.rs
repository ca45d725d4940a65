//! Redis stops in the middle: reads fall through to the loader at once, and
//! the cache uses Redis again when it is back. Its own test binary, because
//! stopping Redis would disturb tests running beside it.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use platform::shared_cache::{LayeredCache, Redis, testing};
use support::eventually;

#[tokio::test]
async fn reads_survive_redis_going_away_and_use_it_again_when_back() {
    let ns = format!("sury-test:{}", uuid::Uuid::now_v7().simple());
    let redis = Arc::new(Redis::open("redis://127.0.0.1:6379").unwrap());
    // A replica's cache whose local entries last `ttl`, over the one Redis.
    let replica = |ttl| LayeredCache::<String>::new(&ns, ttl, Some(redis.clone()));
    let cache = replica(Duration::from_millis(200));
    assert_eq!(
        cache
            .get_or_load("k", || async { Ok::<_, ()>("v1".into()) })
            .await,
        Ok("v1".into())
    );

    let _restart = testing::stop();

    // The local entry expires; the next read must come from the loader,
    // promptly, although Redis is gone.
    tokio::time::sleep(Duration::from_millis(250)).await;
    let started = Instant::now();
    assert_eq!(
        cache
            .get_or_load("k", || async { Ok::<_, ()>("v2".into()) })
            .await,
        Ok("v2".into())
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "fell back in {:?}",
        started.elapsed()
    );

    testing::start();

    // Back in use: what one replica loads, another finds in Redis.
    eventually("redis used again", Duration::from_secs(10), || async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let writer = replica(Duration::from_secs(60));
        writer
            .get_or_load("again", || async { Ok::<_, ()>("v3".into()) })
            .await
            .unwrap();
        let reader = replica(Duration::from_secs(60));
        let got = reader
            .get_or_load("again", || async { Ok::<_, ()>("from the loader".into()) })
            .await;
        let shared = got == Ok("v3".into());
        if !shared {
            writer.invalidate("again").await;
        }
        shared
    })
    .await;
}
