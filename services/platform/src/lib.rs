//! Infrastructure shared by SURY's services.
//!
//! - [`db`]: SQLite or PostgreSQL, chosen by the URL.
//! - [`cache`], [`shared_cache`]: memory, then Redis, then the database.
//! - [`blob`]: media in a folder or an S3 bucket.
//! - [`mail`]: SMTP, or .eml files in the embedded shape.
//! - [`bus`]: one event-bus interface, two implementations: in-process
//!   (embedded shape) and RabbitMQ (distributed shape).
//! - [`outbox`]: events written in the same transaction as the state change,
//!   relayed to the bus afterwards, so a crash between commit and publish
//!   loses nothing.
//! - [`inbox`]: a consumer records each message id in the same transaction
//!   as its effect, so a redelivered message has no second effect.

pub mod blob;
pub mod bus;
pub mod cache;
pub mod db;
pub mod inbox;
pub mod mail;
pub mod outbox;
pub mod shared_cache;
