//! The layered cache: this process's memory first, Redis second (shared by
//! every replica), the loader (the database) last. Redis is an optimisation,
//! never a dependency: when it is down or slow, reads go to the loader and
//! pages still render; it is retried at most once a second.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;

use crate::cache::Cache;

/// Longest wait for any Redis call before falling back.
const REDIS_TIMEOUT: Duration = Duration::from_millis(250);
/// How long to leave Redis alone after failing to connect.
const RECONNECT_PAUSE: Duration = Duration::from_secs(1);

#[derive(Debug, thiserror::Error)]
#[error("invalid Redis URL")]
pub struct InvalidRedisUrl(#[source] redis::RedisError);

pub struct Redis {
    client: redis::Client,
    state: Mutex<RedisState>,
}

#[derive(Default)]
struct RedisState {
    manager: Option<ConnectionManager>,
    last_failure: Option<Instant>,
}

impl Redis {
    /// Checks the URL only; the connection is made on first use.
    pub fn open(url: &str) -> Result<Self, InvalidRedisUrl> {
        Ok(Self {
            client: redis::Client::open(url).map_err(InvalidRedisUrl)?,
            state: Mutex::new(RedisState::default()),
        })
    }

    async fn connection(&self) -> Option<ConnectionManager> {
        let mut state = self.state.lock().await;
        if let Some(manager) = &state.manager {
            return Some(manager.clone());
        }
        if state
            .last_failure
            .is_some_and(|at| at.elapsed() < RECONNECT_PAUSE)
        {
            return None;
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT))
            .set_number_of_retries(1);
        match tokio::time::timeout(
            REDIS_TIMEOUT * 2,
            ConnectionManager::new_with_config(self.client.clone(), config),
        )
        .await
        {
            Ok(Ok(manager)) => {
                state.manager = Some(manager.clone());
                Some(manager)
            }
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "redis unreachable, reading through to the database");
                state.last_failure = Some(Instant::now());
                None
            }
            Err(_) => {
                tracing::warn!("redis connect timed out, reading through to the database");
                state.last_failure = Some(Instant::now());
                None
            }
        }
    }

    /// Runs one command with the timeout; `None` on any failure (logged).
    async fn run<T, F, Fut>(&self, what: &str, command: F) -> Option<T>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        let connection = self.connection().await?;
        match tokio::time::timeout(REDIS_TIMEOUT, command(connection)).await {
            Ok(Ok(value)) => Some(value),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "redis {what} failed");
                self.trip().await;
                None
            }
            Err(_) => {
                tracing::warn!("redis {what} timed out");
                self.trip().await;
                None
            }
        }
    }

    /// After a failed command, Redis is left alone for `RECONNECT_PAUSE`:
    /// a page makes several cache calls, and each would otherwise wait out
    /// its own timeout against a Redis that is down.
    async fn trip(&self) {
        let mut state = self.state.lock().await;
        state.manager = None;
        state.last_failure = Some(Instant::now());
    }

    /// Whether Redis answers right now (readiness checks).
    pub async fn ping(&self) -> bool {
        self.run("PING", |mut c| async move {
            redis::cmd("PING").query_async::<String>(&mut c).await
        })
        .await
        .is_some()
    }

    pub async fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.run("GET", |mut c| async move {
            c.get::<_, Option<Vec<u8>>>(key).await
        })
        .await
        .flatten()
    }

    pub async fn set(&self, key: &str, value: &[u8], ttl: Duration) {
        let secs = ttl.as_secs().max(1);
        self.run("SET", |mut c| async move {
            c.set_ex::<_, _, ()>(key, value, secs).await
        })
        .await;
    }

    pub async fn delete(&self, key: &str) {
        self.run("DEL", |mut c| async move { c.del::<_, ()>(key).await })
            .await;
    }
}

/// Memory, then Redis (when configured), then `load`.
pub struct LayeredCache<V> {
    local: Cache<String, V>,
    redis: Option<Arc<Redis>>,
    namespace: String,
    ttl: Duration,
}

impl<V: Clone + Serialize + DeserializeOwned> LayeredCache<V> {
    /// `namespace` prefixes the Redis keys (`sury:catalog:tree`).
    pub fn new(namespace: &str, ttl: Duration, redis: Option<Arc<Redis>>) -> Self {
        Self {
            local: Cache::new(ttl),
            redis,
            namespace: namespace.to_owned(),
            ttl,
        }
    }

    /// Keeps at most `max_entries` keys in this process (Redis has its own
    /// eviction).
    pub fn bounded(mut self, max_entries: usize) -> Self {
        self.local = self.local.bounded(max_entries);
        self
    }

    fn redis_key(&self, key: &str) -> String {
        format!("{}:{key}", self.namespace)
    }

    pub async fn get_or_load<E, F, Fut>(&self, key: &str, load: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let redis_key = self.redis_key(key);
        self.local
            .get_or_load(key.to_owned(), || async {
                if let Some(redis) = &self.redis
                    && let Some(bytes) = redis.get(&redis_key).await
                {
                    match serde_json::from_slice(&bytes) {
                        Ok(value) => return Ok(value),
                        // An entry in an old shape: reload and overwrite.
                        Err(err) => {
                            tracing::warn!(error = %err, key = %redis_key, "unreadable cache entry")
                        }
                    }
                }
                let value = load().await?;
                if let Some(redis) = &self.redis
                    && let Ok(bytes) = serde_json::to_vec(&value)
                {
                    redis.set(&redis_key, &bytes, self.ttl).await;
                }
                Ok(value)
            })
            .await
    }

    /// Drops `key` here and in Redis.
    pub async fn invalidate(&self, key: &str) {
        self.local.invalidate(&key.to_owned());
        if let Some(redis) = &self.redis {
            redis.delete(&self.redis_key(key)).await;
        }
    }
}

/// Stopping and starting this machine's Redis, for tests that take it away
/// (each in a test binary of its own, so no other test sees it go).
#[doc(hidden)]
pub mod testing {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    /// How the project's machines start Redis (`shared/toolchain.md`).
    const START: &[&str] = &[
        "--daemonize",
        "yes",
        "--bind",
        "127.0.0.1",
        "-::1",
        "--port",
        "6379",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        "/var/lib/redis",
        "--logfile",
        "/var/log/redis/ci.log",
    ];

    pub fn answers() -> bool {
        Command::new("redis-cli")
            .args(["-p", "6379", "ping"])
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "PONG")
    }

    fn wait_until(up: bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while answers() != up {
            assert!(
                Instant::now() < deadline,
                "redis did not {}",
                if up { "start" } else { "stop" }
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops Redis and waits until it no longer answers. Keep the returned
    /// guard: it starts Redis again however the test ends.
    #[must_use = "the guard starts Redis again when dropped"]
    pub fn stop() -> Restart {
        // SHUTDOWN closes the connection instead of answering.
        let _ = Command::new("redis-cli")
            .args(["-p", "6379", "shutdown", "nosave"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        wait_until(false);
        Restart
    }

    /// Starts Redis and waits until it answers.
    pub fn start() {
        if !answers() {
            let status = Command::new("redis-server")
                .args(START)
                .stdout(Stdio::null())
                .status()
                .expect("redis-server runs");
            assert!(status.success(), "redis-server started");
        }
        wait_until(true);
    }

    pub struct Restart;

    impl Drop for Restart {
        fn drop(&mut self) {
            if !answers() {
                let _ = Command::new("redis-server")
                    .args(START)
                    .stdout(Stdio::null())
                    .status();
            }
        }
    }
}
