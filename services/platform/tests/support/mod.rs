//! Shared harness for the bus contract tests: the same scenarios run against
//! the in-process bus and a real RabbitMQ.
// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use lapin::options::QueueDeleteOptions;
use lapin::{Connection, ConnectionProperties};
use platform::bus::{
    EventBus, HandlerError, Handlers, InProcessBus, Message, RabbitBus, RabbitConfig, RetryPolicy,
    Subscription,
};
use platform::inbox;
use sqlx::AnyPool;

pub fn amqp_url() -> String {
    std::env::var("SURY_TEST_AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".into())
}

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    InProcess,
    Rabbit,
}

pub async fn bus(backend: Backend) -> Arc<dyn EventBus> {
    match backend {
        Backend::InProcess => Arc::new(InProcessBus::new()),
        Backend::Rabbit => {
            static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
            SWEPT
                .get_or_init(|| async {
                    platform::bus::testing::sweep_stale_queues(&amqp_url()).await
                })
                .await;
            let mut config = RabbitConfig::new(amqp_url());
            config.reconnect_delay = Duration::from_millis(200);
            match RabbitBus::connect(config).await {
                Ok(bus) => Arc::new(bus),
                Err(err) => panic!(
                    "RabbitMQ at {} is unreachable ({err}). Start it with `rabbitmq-server -detached`.",
                    amqp_url()
                ),
            }
        }
    }
}

/// A queue name no other test (or earlier run) uses.
pub fn unique_queue(name: &str) -> String {
    format!("test.{name}.{}", uuid::Uuid::now_v7().simple())
}

/// Deletes a test queue and its dead-letter queue from the broker.
pub async fn delete_queues(backend: Backend, queue: &str) {
    if let Backend::Rabbit = backend {
        let Ok(conn) = Connection::connect(&amqp_url(), ConnectionProperties::default()).await
        else {
            return;
        };
        if let Ok(channel) = conn.create_channel().await {
            for q in [queue.to_string(), format!("{queue}.dead")] {
                let _ = channel
                    .queue_delete(q.as_str().into(), QueueDeleteOptions::default())
                    .await;
            }
        }
        let _ = conn.close(200, "test done".into()).await;
    }
}

/// A service database with the catalog's schema (outbox and inbox included)
/// and a table where test handlers record their effects. Each shape uses its
/// own: SQLite beside the in-process bus, PostgreSQL beside RabbitMQ.
pub struct Db {
    pub pool: AnyPool,
    _dir: Option<tempfile::TempDir>,
}

pub async fn database(backend: Backend) -> Db {
    let (url, dir) = match backend {
        Backend::InProcess => {
            let dir = tempfile::tempdir().expect("temp dir");
            (
                platform::db::sqlite_url(&dir.path().join("service.db")),
                Some(dir),
            )
        }
        Backend::Rabbit => (platform::db::testing::fresh_postgres_url().await, None),
    };
    let pool = platform::db::connect(&url, 5).await.expect("database");
    sqlx::migrate!("../../migrations/catalog")
        .run(&pool)
        .await
        .expect("migrations");
    sqlx::query("CREATE TABLE effects (message_id TEXT NOT NULL)")
        .execute(&pool)
        .await
        .unwrap();
    Db { pool, _dir: dir }
}

pub async fn effects(pool: &AnyPool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM effects")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A consumer that applies its effect and records the message in the inbox
/// in one transaction, as every SURY consumer does (through the shared
/// typed handlers and `inbox::once`). Counts its calls.
pub fn idempotent_consumer(
    queue: &str,
    topics: &[&str],
    pool: AnyPool,
    calls: Arc<AtomicU32>,
) -> Subscription {
    let consumer: Arc<str> = queue.into();
    let mut handlers = Handlers::new(queue, (pool, calls, consumer)).retry(quick_retries(5));
    for topic in topics {
        handlers = handlers.on(
            topic,
            |(pool, calls, consumer): (AnyPool, Arc<AtomicU32>, Arc<str>),
             _: serde::de::IgnoredAny,
             message: Message| async move {
                calls.fetch_add(1, Ordering::SeqCst);
                inbox::once(&pool, &consumer, &message, |mut tx| async {
                    sqlx::query("INSERT INTO effects (message_id) VALUES ($1)")
                        .bind(message.id.to_string())
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| HandlerError::Transient(e.to_string()))?;
                    Ok(tx)
                })
                .await
            },
        );
    }
    handlers.subscription()
}

pub fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
    }
}

/// Polls `check` until it holds, failing the test after `limit`.
pub async fn eventually<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < limit, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Runs `rabbitmqctl` and fails loudly if it does.
pub fn rabbitmqctl(args: &[&str]) {
    let status = std::process::Command::new("rabbitmqctl")
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("rabbitmqctl runs");
    assert!(status.success(), "rabbitmqctl {args:?} failed");
}

/// Starts the broker's application again when dropped, so a failing test
/// never leaves RabbitMQ stopped for everything after it.
pub struct BrokerGuard;

impl Drop for BrokerGuard {
    fn drop(&mut self) {
        let _ = std::process::Command::new("rabbitmqctl")
            .args(["start_app"])
            .stdout(std::process::Stdio::null())
            .status();
    }
}

/// The setup most scenarios share: a producer's and a consumer's database,
/// a bus, and an idempotent consumer subscribed on a fresh queue.
pub struct Pipeline {
    pub bus: Arc<dyn EventBus>,
    pub queue: String,
    pub topic: String,
    pub producer_db: AnyPool,
    pub consumer_db: AnyPool,
    pub calls: Arc<AtomicU32>,
    _stores: (Db, Db),
}

pub async fn pipeline(backend: Backend, name: &str) -> Pipeline {
    let producer = database(backend).await;
    let consumer = database(backend).await;
    let bus = bus(backend).await;
    let queue = unique_queue(name);
    let topic = format!("{queue}.happened.v1");
    let calls = Arc::new(AtomicU32::new(0));
    bus.subscribe(idempotent_consumer(
        &queue,
        &[&topic],
        consumer.pool.clone(),
        calls.clone(),
    ))
    .await
    .unwrap();
    Pipeline {
        bus,
        queue,
        topic,
        producer_db: producer.pool.clone(),
        consumer_db: consumer.pool.clone(),
        calls,
        _stores: (producer, consumer),
    }
}
