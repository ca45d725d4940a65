//! Infrastructure shared by SURY's services.
//!
//! - [`api_client`]: the typed service clients' common part, in-process or
//!   over HTTP.
//! - [`auth`]: checking identity's access tokens with its public key.
//! - [`config`]: reading each service's variables, every error naming its
//!   variable.
//! - [`db`]: SQLite or PostgreSQL, chosen by the URL.
//! - [`edge`]: what every service's HTTP API shares: its error answer,
//!   its JSON body policy, its caller and staff extractors.
//! - [`cache`], [`shared_cache`]: memory, then Redis, then the database.
//! - [`blob`]: media in a folder or an S3 bucket.
//! - [`mail`]: SMTP, or .eml files in the embedded shape.
//! - [`bus`]: one event-bus interface, two implementations: in-process
//!   (embedded shape) and RabbitMQ (distributed shape).
//! - [`outbox`]: events written in the same transaction as the state change,
//!   relayed to the bus afterwards, so a crash between commit and publish
//!   loses nothing.
//! - [`secret`]: values (URLs with passwords, keys) that logs never show.
//! - [`sql`]: statements with their parameters as a list of values.
//! - [`inbox`]: a consumer records each message id in the same transaction
//!   as its effect, so a redelivered message has no second effect.

pub mod api_client;
pub mod auth;
pub mod blob;
pub mod bus;
pub mod cache;
pub mod config;
pub mod db;
pub mod edge;
pub mod inbox;
pub mod mail;
pub mod outbox;
pub mod secret;
pub mod shared_cache;
pub mod sql;

/// An error and its causes on one line (`outer: inner: root`), for logs.
pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Percent-encodes a query value; the browser build encodes with the
/// same function.
pub use contracts::url_encode;
