//! What the identity service is told at start-up.

use std::time::Duration;

use crate::SigningKey;

/// `Debug` is safe to log: the key shows only as `SigningKey(…)`.
#[derive(Clone, Debug)]
pub struct Config {
    /// Signs access tokens. A secret: never logged.
    pub signing_key: SigningKey,
    /// `iss` and `aud` of every access token; checked on every use.
    pub issuer: String,
    pub audience: String,
    /// How long an access token works. Short: it cannot be recalled except
    /// by the checks `authenticate` makes against the database.
    pub access_ttl: Duration,
    /// How long a sign-in lasts without signing in again.
    pub session_ttl: Duration,
    /// The address shoppers use; emailed links start with it.
    pub public_url: String,
    pub shop_name: String,
    pub limits: Limits,
}

impl Config {
    /// Who signs access tokens, and for whom: what every verifier checks.
    pub const ISSUER: &'static str = "sury-identity";
    pub const AUDIENCE: &'static str = "sury";

    /// Sensible defaults around a key: 15-minute access tokens, 30-day
    /// sessions, the limits below.
    pub fn new(signing_key: SigningKey, public_url: &str) -> Self {
        Self {
            signing_key,
            issuer: Self::ISSUER.into(),
            audience: Self::AUDIENCE.into(),
            access_ttl: Duration::from_secs(15 * 60),
            session_ttl: Duration::from_secs(30 * 24 * 3600),
            public_url: public_url.trim_end_matches('/').to_owned(),
            shop_name: "SURY".into(),
            limits: Limits::default(),
        }
    }
}

/// Rates and windows. Defaults follow OWASP's guidance; tests shrink them.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Failed sign-ins for one account within `window` before it is paused.
    pub failures_per_account: i64,
    /// Failed sign-ins from one client address within `window` (higher:
    /// a family or an office shares one address).
    pub failures_per_client: i64,
    pub window: Duration,
    /// Verification or reset emails per account per `mail_window`.
    pub mails_per_account: i64,
    pub mail_window: Duration,
    /// A reset link works this long (at most an hour).
    pub reset_ttl: Duration,
    /// A verification link works this long (at most a day).
    pub verify_ttl: Duration,
    /// Passwords hashed at once; each takes 19 MiB and a core.
    pub hashing_concurrency: usize,
    /// A refresh token used again within this long of its first use is
    /// taken for two requests of one browser racing, not for theft.
    pub refresh_reuse_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            failures_per_account: 5,
            failures_per_client: 50,
            window: Duration::from_secs(15 * 60),
            mails_per_account: 3,
            mail_window: Duration::from_secs(3600),
            reset_ttl: Duration::from_secs(3600),
            verify_ttl: Duration::from_secs(24 * 3600),
            hashing_concurrency: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            refresh_reuse_grace: Duration::from_secs(10),
        }
    }
}
