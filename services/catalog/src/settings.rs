//! The catalog's configuration, read by the catalog from the process's
//! variables; every error names its variable.

use std::net::SocketAddr;
use std::path::Path;

use platform::config::{ConfigError, Vars};
use platform::secret::Secret;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Where `server catalog` (the catalog as its own process) listens.
    pub addr: SocketAddr,
    /// `sqlite://…` (default: a file in the data folder) or `postgres://…`.
    pub database_url: Secret<String>,
}

impl Settings {
    pub fn from_vars(vars: &Vars<'_>, data_dir: &Path) -> Result<Self, ConfigError> {
        Ok(Self {
            addr: vars.socket_addr("SURY_CATALOG_ADDR", "127.0.0.1:3101")?,
            database_url: vars.database_url("SURY_CATALOG_DATABASE_URL", data_dir, "catalog.db")?,
        })
    }
}
