//! Each service as this process hosts it: opened, its background work
//! started (outbox relays, deadlines), its subscriptions made. The
//! embedded shape hosts them all behind the storefront; `server <service>`
//! hosts one alone behind its API ([`Application::build_service`]).

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use catalog::{Catalog, CatalogClient};
use identity::{Identity, IdentityClient};
use platform::auth::TokenVerifier;
use platform::bus::EventBus;
use platform::mail::Mailer;
use tokio::task::JoinHandle;

use super::infra::{
    bind, create_data_dir, event_bus, mailer, media, public_key_verifier, signing_key, start_relay,
};
use super::layers::outer_layers;
use super::{Application, Hosted, StartupError};
use crate::health;
use crate::settings::Settings;

/// The services `server <name>` runs alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Identity,
    Catalog,
    Basket,
    Ordering,
}

impl Role {
    /// The role `server <name>` runs.
    pub fn named(name: &str) -> Option<Self> {
        Some(match name {
            "identity" => Self::Identity,
            "catalog" => Self::Catalog,
            "basket" => Self::Basket,
            "ordering" => Self::Ordering,
            _ => return None,
        })
    }
}

/// Opens identity with its signing key.
pub async fn open_identity(settings: &Settings) -> Result<Identity, StartupError> {
    let key = signing_key(settings)?;
    let mut config = identity::Config::new(key, &settings.public_url);
    config.access_ttl = settings.identity.access_token_ttl;
    config.session_ttl = settings.identity.session_ttl;
    Ok(Identity::open(settings.identity.database_url.expose(), config).await?)
}

/// Identity in this process: its outbox relayed and its emails sent.
pub(super) async fn host_identity(
    settings: &Settings,
    bus: &Arc<dyn EventBus>,
    mailer: Arc<dyn Mailer>,
    background: &mut Vec<JoinHandle<()>>,
) -> Result<Identity, StartupError> {
    let identity = open_identity(settings).await?;
    background.push(start_relay(identity.outbox_relay(bus.clone())));
    bus.subscribe(identity.mail_subscription(mailer)).await?;
    Ok(identity)
}

/// The catalog in this process, taking callers' tokens when there is a
/// `verifier`: its outbox relayed, its part in the order saga.
pub(super) async fn host_catalog(
    settings: &Settings,
    bus: &Arc<dyn EventBus>,
    verifier: Option<TokenVerifier>,
    background: &mut Vec<JoinHandle<()>>,
) -> Result<Catalog, StartupError> {
    let mut catalog = Catalog::open(settings.catalog.database_url.expose())
        .await?
        .with_media(media(settings).await);
    if let Some(verifier) = verifier {
        catalog = catalog.with_token_verifier(verifier);
    }
    background.push(start_relay(catalog.outbox_relay(bus.clone())));
    bus.subscribe(catalog.order_subscription()).await?;
    Ok(catalog)
}

/// The basket service in this process, its part in the order saga taken.
/// Baskets in Redis when it is configured (the distributed shape), else
/// in their own SQL database; guests' tickets signed with the configured
/// key, members' tokens checked with `verifier`.
pub(super) async fn host_baskets(
    settings: &Settings,
    catalog: CatalogClient,
    verifier: Option<TokenVerifier>,
    bus: &Arc<dyn EventBus>,
) -> Result<basket::Baskets, StartupError> {
    let key_file = (settings.basket.cookie_key_file.clone())
        .unwrap_or_else(|| settings.data_dir.join("cookie-key"));
    let key = basket::CookieKey::load_or_create(&key_file)?;
    let baskets = match &settings.redis_url {
        Some(url) => {
            basket::Baskets::open_redis(
                url.expose(),
                &settings.namespace,
                catalog,
                settings.basket.ttl,
            )
            .await?
        }
        None => {
            basket::Baskets::open_sql(
                settings.basket.database_url.expose(),
                catalog,
                settings.basket.ttl,
            )
            .await?
        }
    }
    .with_guest_key(key);
    let baskets = match verifier {
        Some(verifier) => baskets.with_token_verifier(verifier),
        None => {
            tracing::warn!(
                "SURY_IDENTITY_PUBLIC_KEY_FILE is not set: members' basket requests will be refused"
            );
            baskets
        }
    };
    bus.subscribe(baskets.order_subscription()).await?;
    Ok(baskets)
}

/// Ordering in this process, pricing through `catalog` and taking
/// callers' tokens when there is a `verifier`; with what it does besides
/// answering: relay its outbox, follow the catalog's answers about stock,
/// email shoppers, cancel unpaid transfers.
pub(super) async fn host_ordering(
    settings: &Settings,
    catalog: CatalogClient,
    verifier: Option<TokenVerifier>,
    bus: &Arc<dyn EventBus>,
    mailer: Arc<dyn Mailer>,
    background: &mut Vec<JoinHandle<()>>,
) -> Result<ordering::Ordering, StartupError> {
    let ordering = ordering::Ordering::open(
        settings.ordering.database_url.expose(),
        catalog,
        settings.ordering.terms.clone(),
        &settings.public_url,
    )
    .await?;
    let ordering = match verifier {
        Some(verifier) => ordering.with_token_verifier(verifier),
        None => ordering,
    };
    background.push(start_relay(ordering.outbox_relay(bus.clone())));
    background.push(tokio::spawn(ordering.clone().run_transfer_deadlines(
        std::time::Duration::from_secs(3600),
        std::future::pending(),
    )));
    bus.subscribe(ordering.stock_subscription()).await?;
    bus.subscribe(ordering.mail_subscription(mailer)).await?;
    Ok(ordering)
}

/// The catalog service a service process prices through, which it must be
/// told the address of.
fn remote_catalog(settings: &Settings, why: &'static str) -> Result<CatalogClient, StartupError> {
    settings
        .catalog_url
        .as_deref()
        .map(CatalogClient::remote)
        .ok_or(StartupError::Missing {
            variable: "SURY_CATALOG_URL",
            why,
        })
}

impl Application {
    /// One service alone (`server identity`, `server catalog`, ...): its
    /// API, liveness and readiness, and its background work. Services that
    /// price through the catalog reach it at `SURY_CATALOG_URL`; all but
    /// identity check tokens with `SURY_IDENTITY_PUBLIC_KEY_FILE`.
    #[tracing::instrument(name = "startup", skip_all, fields(service = ?role))]
    pub async fn build_service(role: Role, settings: Settings) -> Result<Self, StartupError> {
        create_data_dir(&settings)?;
        let bus = event_bus(&settings).await?;
        let broker = settings.amqp_url.is_some().then(|| bus.clone());
        let mut background = Vec::new();
        let verifier = match role {
            Role::Identity => None,
            _ => public_key_verifier(&settings)?,
        };
        if verifier.is_none() && matches!(role, Role::Catalog | Role::Ordering) {
            tracing::warn!(
                "SURY_IDENTITY_PUBLIC_KEY_FILE is not set: requests carrying an access token will be refused"
            );
        }
        let (addr, api, deps, hosted) = match role {
            Role::Identity => {
                let mailer = mailer(&settings)?;
                let identity = host_identity(&settings, &bus, mailer, &mut background).await?;
                let deps = health::Dependencies {
                    identity: Some(IdentityClient::in_process(identity.clone())),
                    ..health::Dependencies::of_service(None, broker)
                };
                let api = identity::api::router(identity.clone());
                let hosted = Hosted {
                    identity: Some(identity),
                    ..Hosted::default()
                };
                (settings.identity.addr, api, deps, hosted)
            }
            Role::Catalog => {
                let catalog = host_catalog(&settings, &bus, verifier, &mut background).await?;
                let deps = health::Dependencies::of_service(Some(catalog.client()), broker);
                let api = catalog::api::router(catalog.clone());
                let hosted = Hosted {
                    catalog: Some(catalog),
                    ..Hosted::default()
                };
                (settings.catalog.addr, api, deps, hosted)
            }
            Role::Basket => {
                let catalog = remote_catalog(
                    &settings,
                    "the basket service prices baskets through the catalog service",
                )?;
                let baskets = host_baskets(&settings, catalog.clone(), verifier, &bus).await?;
                let deps = health::Dependencies {
                    basket: Some(basket::BasketClient::in_process(baskets.clone())),
                    ..health::Dependencies::of_service(Some(catalog), broker)
                };
                let api = basket::api::router(baskets.clone());
                let hosted = Hosted {
                    baskets: Some(baskets),
                    ..Hosted::default()
                };
                (settings.basket.addr, api, deps, hosted)
            }
            Role::Ordering => {
                let catalog = remote_catalog(
                    &settings,
                    "the ordering service prices orders through the catalog service",
                )?;
                let mailer = mailer(&settings)?;
                let ordering = host_ordering(
                    &settings,
                    catalog.clone(),
                    verifier,
                    &bus,
                    mailer,
                    &mut background,
                )
                .await?;
                let deps = health::Dependencies {
                    ordering: Some(ordering::OrderingClient::in_process(ordering.clone())),
                    ..health::Dependencies::of_service(Some(catalog), broker)
                };
                let api = ordering::api::router(ordering.clone());
                let hosted = Hosted {
                    ordering: Some(ordering),
                    ..Hosted::default()
                };
                (settings.ordering.addr, api, deps, hosted)
            }
        };
        let (listener, addr) = bind(addr).await?;
        let router = service_router(api, deps, &settings);
        tracing::info!(%addr, service = ?role, "service is listening");
        Ok(Self {
            listener,
            router,
            hosted,
            addr,
            background,
            _bus: bus,
        })
    }
}

/// A service process's routes: its API, liveness, and readiness over
/// `deps`, behind every process's outer layers.
fn service_router(api: Router, deps: health::Dependencies, settings: &Settings) -> Router {
    let router = Router::new()
        .route("/health/live", get(health::live))
        .route("/health/ready", get(health::ready).with_state(deps))
        .merge(api);
    outer_layers(router, settings)
}
