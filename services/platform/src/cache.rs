//! An in-process cache with time-to-live, single-flight loading and
//! invalidation. Concurrent misses of one key share a single load; a failed
//! load is not cached, so the next reader tries again.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

struct Entry<V> {
    created: Instant,
    value: Arc<OnceCell<V>>,
}

pub struct Cache<K, V> {
    ttl: Duration,
    /// Keys can come from the outside (a listing's query string), so the
    /// map is bounded: at the limit, stale entries go, then the oldest.
    max_entries: usize,
    entries: Mutex<HashMap<K, Entry<V>>>,
}

impl<K: Eq + Hash + Clone, V: Clone> Cache<K, V> {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            max_entries: usize::MAX,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Keeps at most `max_entries` keys.
    pub fn bounded(mut self, max_entries: usize) -> Self {
        self.max_entries = max_entries.max(1);
        self
    }

    /// The cached value of `key`, or the one `load` produces. Only one
    /// `load` runs per key at a time; the others wait for its result.
    pub async fn get_or_load<E, F, Fut>(&self, key: K, load: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let cell = {
            let mut entries = self.entries.lock().expect("cache lock");
            let fresh = entries
                .get(&key)
                .is_some_and(|entry| entry.created.elapsed() < self.ttl);
            if !fresh {
                if entries.len() >= self.max_entries && !entries.contains_key(&key) {
                    let ttl = self.ttl;
                    entries.retain(|_, entry| entry.created.elapsed() < ttl);
                    if entries.len() >= self.max_entries
                        && let Some(oldest) = entries
                            .iter()
                            .min_by_key(|(_, entry)| entry.created)
                            .map(|(k, _)| k.clone())
                    {
                        entries.remove(&oldest);
                    }
                }
                entries.insert(
                    key.clone(),
                    Entry {
                        created: Instant::now(),
                        value: Arc::new(OnceCell::new()),
                    },
                );
            }
            entries[&key].value.clone()
        };
        cell.get_or_try_init(load).await.cloned()
    }

    pub fn invalidate(&self, key: &K) {
        self.entries.lock().expect("cache lock").remove(key);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test]
    async fn concurrent_misses_share_one_load() {
        let cache = Arc::new(Cache::<&str, u32>::new(Duration::from_secs(60)));
        let loads = Arc::new(AtomicU32::new(0));
        let readers = (0..20).map(|_| {
            let (cache, loads) = (cache.clone(), loads.clone());
            tokio::spawn(async move {
                cache
                    .get_or_load("tree", || async {
                        loads.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok::<_, ()>(7)
                    })
                    .await
            })
        });
        for reader in readers {
            assert_eq!(reader.await.unwrap(), Ok(7));
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_bounded_cache_drops_the_oldest_key_at_its_limit() {
        let cache = Cache::<u32, u32>::new(Duration::from_secs(60)).bounded(3);
        let loads = AtomicU32::new(0);
        let read = |key: u32| {
            let loads = &loads;
            let cache = &cache;
            async move {
                cache
                    .get_or_load(key, || async move {
                        loads.fetch_add(1, Ordering::SeqCst);
                        Ok::<_, ()>(key * 10)
                    })
                    .await
            }
        };
        for key in [1, 2, 3, 4] {
            assert_eq!(read(key).await, Ok(key * 10));
        }
        assert_eq!(cache.entries.lock().unwrap().len(), 3);
        // 2 to 4 are still held; 1 was the oldest and is loaded again.
        for key in [2, 3, 4] {
            read(key).await.unwrap();
        }
        assert_eq!(loads.load(Ordering::SeqCst), 4);
        read(1).await.unwrap();
        assert_eq!(loads.load(Ordering::SeqCst), 5);
    }

    #[tokio::test]
    async fn failures_are_not_cached_and_invalidation_reloads() {
        let cache = Cache::<&str, u32>::new(Duration::from_secs(60));
        assert_eq!(
            cache.get_or_load("k", || async { Err("down") }).await,
            Err("down")
        );
        assert_eq!(
            cache.get_or_load("k", || async { Ok::<_, &str>(1) }).await,
            Ok(1)
        );
        assert_eq!(
            cache.get_or_load("k", || async { Ok::<_, &str>(2) }).await,
            Ok(1)
        );
        cache.invalidate(&"k");
        assert_eq!(
            cache.get_or_load("k", || async { Ok::<_, &str>(3) }).await,
            Ok(3)
        );
    }

    #[tokio::test]
    async fn entries_expire_after_their_ttl() {
        let cache = Cache::<&str, u32>::new(Duration::from_millis(30));
        assert_eq!(
            cache.get_or_load("k", || async { Ok::<_, ()>(1) }).await,
            Ok(1)
        );
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert_eq!(
            cache.get_or_load("k", || async { Ok::<_, ()>(2) }).await,
            Ok(2)
        );
    }
}
