//! The identity service: accounts, sign-in sessions, access tokens, email
//! verification, password recovery and staff roles.
//!
//! It reads like every SURY service: `commands` change state (one
//! transaction each, events through the outbox), `queries` read, `store`
//! holds the SQL and nothing else, `notifications` consumes identity's own
//! events to send its emails. Values from outside (`Email`, `Password`,
//! `PersonName`) are parsed once, at the edge.
//!
//! Secrets never rest in clear: passwords are argon2id hashes, refresh and
//! emailed tokens are SHA-256 hashes of 256 random bits, and an emailed
//! token is made by the consumer that sends the email, so it appears in no
//! event, no outbox row and no log.

mod address;
pub mod api;
mod client;
mod commands;
mod config;
mod error;
mod input;
mod letters;
mod notifications;
pub mod password;
mod queries;
mod secrets;
mod settings;
mod store;
mod throttle;
mod tokens;

use std::sync::Arc;

use sqlx::AnyPool;

pub use address::{Address, FieldErrors};
pub use client::IdentityClient;
pub use commands::{Refreshed, SignedIn};
pub use config::{Config, Limits};
pub use error::Error;
pub use input::{Email, InputError, NewPassword, PersonName, Phone};
pub use password::PasswordHasher;
pub use settings::Settings;
pub use tokens::{KeyError, SigningKey, TokenVerifier};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/identity");

/// A handle on the identity service. Cheap to clone.
#[derive(Clone)]
pub struct Identity {
    pool: AnyPool,
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    issuer: tokens::TokenIssuer,
    hasher: PasswordHasher,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Identity")
    }
}

impl Identity {
    /// Connects to identity's database (`sqlite://…` or `postgres://…`) and
    /// brings its schema up to date.
    #[tracing::instrument(name = "identity.open", skip_all)]
    pub async fn open(database_url: &str, config: Config) -> Result<Self, Error> {
        let pool = platform::db::connect(database_url, 8).await?;
        MIGRATOR.run(&pool).await.map_err(Error::from)?;
        let issuer = tokens::TokenIssuer::new(&config);
        let hasher = PasswordHasher::new(config.limits.hashing_concurrency);
        Ok(Self {
            pool,
            inner: Arc::new(Inner {
                config,
                issuer,
                hasher,
            }),
        })
    }

    /// Checks access tokens the way any other service would: with the
    /// public key only.
    pub fn verifier(&self) -> TokenVerifier {
        self.inner.issuer.verifier().clone()
    }

    pub async fn check_ready(&self) -> Result<(), Error> {
        platform::db::ping(&self.pool).await.map_err(Error::from)
    }

    /// The relay that publishes identity's outbox to `bus`.
    pub fn outbox_relay(&self, bus: Arc<dyn platform::bus::EventBus>) -> platform::outbox::Relay {
        platform::outbox::Relay::new(self.pool.clone(), bus)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
