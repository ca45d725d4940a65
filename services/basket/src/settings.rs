//! The basket's configuration, read by the basket service from the
//! process's variables; every error names its variable.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use platform::config::{ConfigError, Vars};
use platform::secret::Secret;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Where `server basket` (the basket as its own process) listens.
    pub addr: SocketAddr,
    /// Baskets' database when Redis is not configured: `sqlite://…`
    /// (default: a file in the data folder) or `postgres://…`.
    pub database_url: Secret<String>,
    /// How long an untouched basket is kept (`SURY_BASKET_TTL_DAYS`).
    pub ttl: Duration,
    /// The key guests' basket tickets are signed with. Unset: one made on
    /// first start in the data folder (one process; set it for replicas).
    pub cookie_key_file: Option<PathBuf>,
}

impl Settings {
    pub fn from_vars(vars: &Vars<'_>, data_dir: &Path) -> Result<Self, ConfigError> {
        Ok(Self {
            addr: vars.socket_addr("SURY_BASKET_ADDR", "127.0.0.1:3102")?,
            database_url: vars.database_url("SURY_BASKET_DATABASE_URL", data_dir, "basket.db")?,
            ttl: vars.days("SURY_BASKET_TTL_DAYS", "30", 1..=365)?,
            cookie_key_file: vars.path("SURY_COOKIE_KEY_FILE"),
        })
    }
}
