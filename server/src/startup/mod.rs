//! Builds a process: the storefront with the services it hosts
//! ([`Application::build`], in `storefront`), or one service alone
//! ([`Application::build_service`], in `hosting`); then serves it until
//! told to stop.
//!
//! - `infra`: the data folder, event bus, mailer, media, keys, socket;
//! - `hosting`: how a process hosts a service, and the list of them;
//! - `services`: what each service contributes to the process hosting it;
//! - `storefront`: the storefront's state and routes;
//! - `layers`: what every process's responses go through.

mod hosting;
mod infra;
mod layers;
mod services;
mod storefront;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use catalog::Catalog;
use identity::Identity;
use platform::bus::EventBus;
use platform::shared_cache::InvalidRedisUrl;
use thiserror::Error;
use tokio::net::TcpListener;

pub use hosting::Role;
pub use infra::{event_bus, media, signing_key};
pub use services::open_identity;
pub use storefront::AppState;

#[derive(Debug, Error)]
pub enum StartupError {
    #[error("could not create the data directory {path}")]
    DataDir {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("could not open the catalog")]
    Catalog(#[from] catalog::Error),
    #[error("could not reach the message broker")]
    Bus(#[from] platform::bus::BusError),
    #[error("the Redis URL is not valid")]
    Redis(#[from] InvalidRedisUrl),
    #[error("could not open the basket service")]
    Basket(#[from] basket::Error),
    #[error("could not open the ordering service")]
    Ordering(#[from] ordering::Error),
    #[error("could not open the identity service")]
    Identity(#[from] identity::Error),
    #[error("the token signing key is not usable")]
    SigningKey(#[from] identity::KeyError),
    #[error(
        "SURY_IDENTITY_PUBLIC_KEY_FILE: {path} is not a readable Ed25519 public key (SPKI PEM)"
    )]
    PublicKey {
        path: String,
        #[source]
        source: Option<io::Error>,
    },
    #[error("{variable} must be set: {why}")]
    Missing {
        variable: &'static str,
        why: &'static str,
    },
    #[error("the mail settings are not usable")]
    Mail(#[from] platform::mail::MailError),
    #[error("could not listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    hosted: hosting::Hosted,
    addr: SocketAddr,
    /// Outbox relays and deadlines: safe to stop at any point, the outbox
    /// keeps the rest.
    background: Vec<tokio::task::JoinHandle<()>>,
    /// Held for the life of the application: dropping a bus ends its
    /// subscriptions.
    _bus: Arc<dyn EventBus>,
}

impl Application {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The catalog, when it runs in this process (tests use it to break
    /// the database on purpose).
    pub fn catalog(&self) -> Option<&Catalog> {
        self.hosted.get()
    }

    /// Ordering, when it runs in this process (tests check orders with it).
    pub fn ordering(&self) -> Option<&ordering::Ordering> {
        self.hosted.get()
    }

    /// Identity, when it runs in this process (tests grant roles with it).
    pub fn identity(&self) -> Option<&Identity> {
        self.hosted.get()
    }

    /// Serves until `shutdown` resolves, then lets requests in flight finish
    /// and closes the databases.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        // The peer address feeds per-client sign-in throttling.
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await;
        for task in &self.background {
            task.abort();
        }
        self.hosted.close().await;
        tracing::info!("stopped");
        served
    }
}
