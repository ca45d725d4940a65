//! Where baskets live: SQL (the embedded shape's SQLite, or PostgreSQL) or
//! Redis. Reads and compare-and-set writes of one small document per
//! owner, nothing else.

use std::time::Duration;

use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};

use crate::Error;

/// A basket as stored. `version` counts writes; a write names the version
/// it read and fails if another write came first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    pub version: i64,
    pub lines: Vec<StoredLine>,
    /// Orders already taken out of this basket (the newest few), so a
    /// redelivered confirmation takes nothing out twice.
    #[serde(default)]
    pub settled_orders: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredLine {
    pub sku: String,
    pub quantity: i64,
    /// The unit price the shopper last saw, to tell them when it changes.
    pub seen_price_minor: i64,
}

#[derive(Clone)]
pub enum Store {
    Sql(AnyPool),
    Redis { redis: RedisHandle, prefix: String },
}

/// A Redis connection made on first use (and again after a failed try),
/// so the shop starts, and serves pages, while Redis is down.
#[derive(Clone)]
pub struct RedisHandle {
    client: redis::Client,
    connection: std::sync::Arc<tokio::sync::Mutex<Option<ConnectionManager>>>,
}

impl RedisHandle {
    pub fn new(client: redis::Client) -> Self {
        Self {
            client,
            connection: Default::default(),
        }
    }

    async fn get(&self) -> Result<ConnectionManager, Error> {
        let mut slot = self.connection.lock().await;
        if let Some(connection) = slot.as_ref() {
            return Ok(connection.clone());
        }
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)));
        let connection = self
            .client
            .get_connection_manager_with_config(config)
            .await
            .map_err(Error::Redis)?;
        *slot = Some(connection.clone());
        Ok(connection)
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Sql(_) => "Store::Sql",
            Self::Redis { .. } => "Store::Redis",
        })
    }
}

/// Compare-and-set in one step on the server: the basket is written only
/// if its stored version is still the one read (a missing key is 0).
const REDIS_CAS: &str = r"
local current = redis.call('GET', KEYS[1])
local version = 0
if current then version = cjson.decode(current)['version'] end
if version ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
";

fn now_ms() -> i64 {
    platform::outbox::now_ms()
}

fn ms(ttl: Duration) -> i64 {
    i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX / 2)
}

impl Store {
    fn redis_key(prefix: &str, key: &str) -> String {
        format!("{prefix}:basket:{key}")
    }

    /// The basket of `key`; an expired or missing one is empty (with the
    /// version a write must name).
    pub async fn load(&self, key: &str) -> Result<Stored, Error> {
        match self {
            Self::Sql(pool) => {
                let row = sqlx::query(
                    "SELECT version, body, expires_at_ms FROM baskets WHERE owner = $1",
                )
                .bind(key)
                .fetch_optional(pool)
                .await
                .map_err(Error::from)?;
                let Some(row) = row else {
                    return Ok(Stored::default());
                };
                let version: i64 = row.try_get("version").map_err(Error::from)?;
                let expires: i64 = row.try_get("expires_at_ms").map_err(Error::from)?;
                if expires <= now_ms() {
                    return Ok(Stored {
                        version,
                        ..Stored::default()
                    });
                }
                let body: String = row.try_get("body").map_err(Error::from)?;
                let mut stored: Stored = serde_json::from_str(&body).map_err(Error::Corrupt)?;
                stored.version = version;
                Ok(stored)
            }
            Self::Redis { redis, prefix } => {
                let mut connection = redis.get().await?;
                let body: Option<String> = redis::cmd("GET")
                    .arg(Self::redis_key(prefix, key))
                    .query_async(&mut connection)
                    .await
                    .map_err(Error::Redis)?;
                match body {
                    Some(body) => serde_json::from_str(&body).map_err(Error::Corrupt),
                    None => Ok(Stored::default()),
                }
            }
        }
    }

    /// Writes `basket` (whose `version` is the one read) as the next
    /// version, living `ttl` from now. `false`: someone wrote first; read
    /// again.
    pub async fn save(&self, key: &str, basket: &Stored, ttl: Duration) -> Result<bool, Error> {
        let next = Stored {
            version: basket.version + 1,
            ..basket.clone()
        };
        let body = serde_json::to_string(&next).expect("a basket serializes");
        let expires = now_ms().saturating_add(ms(ttl));
        match self {
            Self::Sql(pool) => {
                let done = if basket.version == 0 {
                    sqlx::query(
                        "INSERT INTO baskets (owner, version, body, expires_at_ms)
                         VALUES ($1, $2, $3, $4) ON CONFLICT (owner) DO NOTHING",
                    )
                    .bind(key)
                    .bind(next.version)
                    .bind(&body)
                    .bind(expires)
                    .execute(pool)
                    .await
                } else {
                    sqlx::query(
                        "UPDATE baskets SET version = $1, body = $2, expires_at_ms = $3
                         WHERE owner = $4 AND version = $5",
                    )
                    .bind(next.version)
                    .bind(&body)
                    .bind(expires)
                    .bind(key)
                    .bind(basket.version)
                    .execute(pool)
                    .await
                }
                .map_err(Error::from)?;
                Ok(done.rows_affected() == 1)
            }
            Self::Redis { redis, prefix } => {
                let mut connection = redis.get().await?;
                let written: i64 = redis::Script::new(REDIS_CAS)
                    .key(Self::redis_key(prefix, key))
                    .arg(basket.version)
                    .arg(&body)
                    .arg(ms(ttl))
                    .invoke_async(&mut connection)
                    .await
                    .map_err(Error::Redis)?;
                Ok(written == 1)
            }
        }
    }

    /// Keeps a basket in use alive for another `ttl` without rewriting it.
    /// SQL only writes when a day of the time has been used up, so a page
    /// view is not a write each time.
    pub async fn touch(&self, key: &str, ttl: Duration) -> Result<(), Error> {
        let expires = now_ms().saturating_add(ms(ttl));
        match self {
            Self::Sql(pool) => {
                sqlx::query(
                    "UPDATE baskets SET expires_at_ms = $1
                     WHERE owner = $2 AND expires_at_ms > $3 AND expires_at_ms < $4",
                )
                .bind(expires)
                .bind(key)
                .bind(now_ms())
                .bind(expires - 86_400_000)
                .execute(pool)
                .await
                .map_err(Error::from)?;
            }
            Self::Redis { redis, prefix } => {
                let mut connection = redis.get().await?;
                redis::cmd("PEXPIRE")
                    .arg(Self::redis_key(prefix, key))
                    .arg(ms(ttl))
                    .query_async::<i64>(&mut connection)
                    .await
                    .map_err(Error::Redis)?;
            }
        }
        Ok(())
    }

    /// Forgets baskets past their time (Redis does this by itself).
    pub async fn purge_expired(&self) -> Result<u64, Error> {
        match self {
            Self::Sql(pool) => Ok(sqlx::query("DELETE FROM baskets WHERE expires_at_ms <= $1")
                .bind(now_ms())
                .execute(pool)
                .await
                .map_err(Error::from)?
                .rows_affected()),
            Self::Redis { .. } => Ok(0),
        }
    }

    pub async fn ping(&self) -> Result<(), Error> {
        match self {
            Self::Sql(pool) => platform::db::ping(pool).await.map_err(Error::from),
            Self::Redis { redis, .. } => {
                let mut connection = redis.get().await?;
                redis::cmd("PING")
                    .query_async::<String>(&mut connection)
                    .await
                    .map(|_| ())
                    .map_err(Error::Redis)
            }
        }
    }
}
