//! Identity's configuration, read by identity from the process's
//! variables; every error names its variable.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use platform::config::{ConfigError, Vars};
use platform::secret::Secret;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Where `server identity` (identity as its own process) listens.
    pub addr: SocketAddr,
    /// `sqlite://…` (default: a file in the data folder) or `postgres://…`.
    pub database_url: Secret<String>,
    /// The Ed25519 key identity signs access tokens with (PKCS#8 PEM, as
    /// `openssl genpkey -algorithm ed25519` writes). Unset: a key made on
    /// first start in the data folder (one process; set it for replicas).
    pub signing_key_file: Option<PathBuf>,
    /// How long an access token lives (`SURY_ACCESS_TOKEN_TTL_SECS`).
    pub access_token_ttl: Duration,
    /// How long a session lives without use (`SURY_SESSION_TTL_DAYS`).
    pub session_ttl: Duration,
}

impl Settings {
    pub fn from_vars(vars: &Vars<'_>, data_dir: &Path) -> Result<Self, ConfigError> {
        Ok(Self {
            addr: vars.socket_addr("SURY_IDENTITY_ADDR", "127.0.0.1:3104")?,
            database_url: vars.database_url(
                "SURY_IDENTITY_DATABASE_URL",
                data_dir,
                "identity.db",
            )?,
            signing_key_file: vars.path("SURY_IDENTITY_SIGNING_KEY_FILE"),
            access_token_ttl: vars.seconds("SURY_ACCESS_TOKEN_TTL_SECS", "900", 60..=3600)?,
            session_ttl: vars.days("SURY_SESSION_TTL_DAYS", "30", 1..=365)?,
        })
    }
}
