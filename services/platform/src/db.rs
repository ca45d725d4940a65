//! Database connections. One code path for both shapes: the URL's scheme
//! picks SQLite (embedded) or PostgreSQL (distributed), and every query is
//! written in the SQL both accept (`$1`… placeholders in ascending order,
//! TEXT ids, BIGINT times and money).

use std::path::Path;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use thiserror::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Error)]
pub enum DbError {
    #[error("unsupported database URL (expected sqlite:// or postgres://)")]
    UnsupportedUrl,
    #[error("could not connect to the database")]
    Connect(#[source] sqlx::Error),
}

/// A service's own database failing: a query, the connection or a
/// migration. Every service's error holds it as its `Store` variant (see
/// [`crate::store_failures_convert`]), logged and answered as a failure of
/// ours.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("a database query failed")]
    Query(#[from] sqlx::Error),
    #[error(transparent)]
    Connect(#[from] DbError),
    #[error("a database migration failed")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

/// Lets `?` turn a query, connection or migration failure into `$error`'s
/// `Store` variant, as each service's commands and store need.
#[macro_export]
macro_rules! store_failures_convert {
    ($error:ty) => {
        impl From<sqlx::Error> for $error {
            fn from(err: sqlx::Error) -> Self {
                Self::Store(err.into())
            }
        }

        impl From<$crate::db::DbError> for $error {
            fn from(err: $crate::db::DbError) -> Self {
                Self::Store(err.into())
            }
        }

        impl From<sqlx::migrate::MigrateError> for $error {
            fn from(err: sqlx::migrate::MigrateError) -> Self {
                Self::Store(err.into())
            }
        }
    };
}

impl Backend {
    pub fn of(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(DbError::UnsupportedUrl)
        }
    }
}

/// The URL of a SQLite file, created if missing.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

pub async fn connect(url: &str, max_connections: u32) -> Result<AnyPool, DbError> {
    let backend = Backend::of(url)?;
    sqlx::any::install_default_drivers();
    let mut options = AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5));
    if backend == Backend::Sqlite {
        options = options.after_connect(|conn, _meta| {
            Box::pin(async move {
                // WAL lets readers go on while a writer commits; the busy
                // timeout makes concurrent writers wait instead of failing.
                conn.execute(sqlx::raw_sql(
                    "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
                ))
                .await?;
                Ok(())
            })
        });
    }
    options.connect(url).await.map_err(DbError::Connect)
}

/// Whether the database answers (readiness checks).
pub async fn ping(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(pool).await.map(|_| ())
}

/// Begins a transaction that is going to write. On SQLite it takes the
/// write lock up front (`BEGIN IMMEDIATE`): a transaction that reads first
/// and writes later fails with "database is locked" if another writer
/// commits in between, and no busy timeout waits that out.
pub async fn begin_write(
    pool: &AnyPool,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    if pool.connect_options().database_url.scheme() == "sqlite" {
        pool.begin_with("BEGIN IMMEDIATE").await
    } else {
        pool.begin().await
    }
}

/// Throw-away PostgreSQL databases for tests.
#[doc(hidden)]
pub mod testing {
    use std::time::{SystemTime, UNIX_EPOCH};

    use uuid::Uuid;

    pub fn admin_url() -> String {
        std::env::var("SURY_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
    }

    /// Creates an empty database and returns its URL. Databases that earlier
    /// runs left behind (older than an hour, by the UUIDv7 in their name)
    /// are dropped on the way.
    pub async fn fresh_postgres_url() -> String {
        let admin = admin_url();
        let pool = super::connect(&admin, 1).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL at {admin} is unreachable ({e}). Start it with \
                 `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`."
            )
        });
        let stale: Vec<String> =
            sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'sury_test_%'")
                .fetch_all(&pool)
                .await
                .unwrap_or_default();
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        for name in stale {
            let created_ms = name
                .strip_prefix("sury_test_")
                .and_then(|hex| u128::from_str_radix(hex.get(..12)?, 16).ok());
            if created_ms.is_some_and(|ms| now_ms.saturating_sub(ms) > 3_600_000) {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&pool)
                    .await;
            }
        }
        let name = format!("sury_test_{}", Uuid::now_v7().simple());
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&pool)
            .await
            .expect("create test database");
        pool.close().await;
        let base = admin
            .rsplit_once('/')
            .map(|(base, _)| base)
            .unwrap_or(&admin);
        format!("{base}/{name}")
    }
}

/// Runs each scenario (an `async fn(Backend)`) as two tests, one on SQLite
/// and one on PostgreSQL, on a multi-threaded runtime so concurrency in a
/// scenario is real: `platform::on_both_backends!(scenario_a, scenario_b);`
#[macro_export]
macro_rules! on_both_backends {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $scenario() {
                    super::$scenario($crate::db::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $scenario() {
                    super::$scenario($crate::db::Backend::Postgres).await
                }
            )*
        }
    };
}
