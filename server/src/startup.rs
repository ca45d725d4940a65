//! Builds the application: opens the services, wires the routes, binds.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use app::session::server::CookiePolicy;
use app::{App, shell};
use axum::extract::FromRef;
use axum::routing::get;
use axum::{Router, middleware};
use catalog::{Catalog, CatalogClient};
use identity::{Identity, IdentityClient, SigningKey};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use platform::bus::{EventBus, InProcessBus, RabbitBus, RabbitConfig};
use platform::mail::{FileMailer, Mailer, SmtpMailer};
use platform::shared_cache::{InvalidRedisUrl, Redis};
use storefront::StorefrontCatalog;
use thiserror::Error;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::settings::Settings;
use crate::{headers, health, server_fns, static_files, telemetry};

/// Server functions and API calls take small bodies; anything larger is
/// refused before it is read.
const MAX_REQUEST_BODY: usize = 256 * 1024;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub catalog: CatalogClient,
    /// The catalog as pages read it, through the storefront's caches.
    pub storefront: StorefrontCatalog,
    pub identity: IdentityClient,
    pub baskets: basket::BasketClient,
    pub ordering: ordering::OrderingClient,
    pub cookies: CookiePolicy,
    pub health: health::Dependencies,
}

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
    /// The catalog when it runs inside this process.
    catalog: Option<Catalog>,
    identity: Option<Identity>,
    baskets: Option<basket::Baskets>,
    ordering: Option<ordering::Ordering>,
    addr: SocketAddr,
    /// Outbox relays: safe to stop at any point, the outbox keeps the rest.
    background: Vec<tokio::task::JoinHandle<()>>,
    /// Held for the life of the application: dropping a bus ends its
    /// subscriptions.
    _bus: Arc<dyn EventBus>,
}

/// RabbitMQ when configured, else the in-process bus.
pub async fn event_bus(settings: &Settings) -> Result<Arc<dyn EventBus>, StartupError> {
    Ok(match &settings.amqp_url {
        Some(url) => {
            let config =
                RabbitConfig::new(url.expose().clone()).with_namespace(&settings.namespace);
            Arc::new(RabbitBus::connect(config).await?)
        }
        None => Arc::new(InProcessBus::new()),
    })
}

fn start_relay(relay: platform::outbox::Relay) -> tokio::task::JoinHandle<()> {
    tokio::spawn(relay.run(std::future::pending()))
}

/// SMTP when configured, else `.eml` files in the data folder.
fn mailer(settings: &Settings) -> Result<Arc<dyn Mailer>, StartupError> {
    Ok(match &settings.smtp {
        Some(smtp) => Arc::new(SmtpMailer::new(smtp)?),
        None => Arc::new(FileMailer::new(
            settings.data_dir.join("mail"),
            &settings.mail_from,
        )?),
    })
}

/// Identity's signing key: the configured file, or one made in the data
/// folder on first start.
pub fn signing_key(settings: &Settings) -> Result<SigningKey, identity::KeyError> {
    match &settings.signing_key_file {
        Some(path) => {
            let pem = std::fs::read_to_string(path).map_err(identity::KeyError::Io)?;
            SigningKey::from_pem(&pem)
        }
        None => SigningKey::load_or_create(&settings.data_dir.join("identity-signing-key.pem")),
    }
}

/// Baskets in Redis when it is configured (the distributed shape), else
/// in their own SQL database; guests' tickets signed with the configured
/// key, members' tokens checked with `verifier`.
async fn open_baskets(
    settings: &Settings,
    catalog: CatalogClient,
    verifier: Option<platform::auth::TokenVerifier>,
) -> Result<basket::Baskets, StartupError> {
    let key_file =
        (settings.cookie_key_file.clone()).unwrap_or_else(|| settings.data_dir.join("cookie-key"));
    let key = basket::CookieKey::load_or_create(&key_file)?;
    let baskets = match &settings.redis_url {
        Some(url) => {
            basket::Baskets::open_redis(
                url.expose(),
                &settings.namespace,
                catalog,
                settings.basket_ttl,
            )
            .await?
        }
        None => {
            basket::Baskets::open_sql(
                settings.basket_database_url.expose(),
                catalog,
                settings.basket_ttl,
            )
            .await?
        }
    }
    .with_guest_key(key);
    Ok(match verifier {
        Some(verifier) => baskets.with_token_verifier(verifier),
        None => {
            tracing::warn!(
                "SURY_IDENTITY_PUBLIC_KEY_FILE is not set: members' basket requests will be refused"
            );
            baskets
        }
    })
}

/// Identity's public key from `SURY_IDENTITY_PUBLIC_KEY_FILE`, for a
/// service running apart from identity; `None` when it is not set.
fn public_key_verifier(
    settings: &Settings,
) -> Result<Option<platform::auth::TokenVerifier>, StartupError> {
    let Some(path) = &settings.public_key_file else {
        return Ok(None);
    };
    let pem = std::fs::read_to_string(path).map_err(|source| StartupError::PublicKey {
        path: path.display().to_string(),
        source: Some(source),
    })?;
    platform::auth::TokenVerifier::new(&pem, identity::Config::ISSUER, identity::Config::AUDIENCE)
        .map(Some)
        .map_err(|_| StartupError::PublicKey {
            path: path.display().to_string(),
            source: None,
        })
}

/// Opens ordering, pricing through `catalog` and taking callers' tokens
/// when there is a `verifier`.
async fn open_ordering(
    settings: &Settings,
    catalog: CatalogClient,
    verifier: Option<platform::auth::TokenVerifier>,
) -> Result<ordering::Ordering, StartupError> {
    let ordering = ordering::Ordering::open(
        settings.ordering_database_url.expose(),
        catalog,
        settings.terms.clone(),
        &settings.public_url,
    )
    .await?;
    Ok(match verifier {
        Some(verifier) => ordering.with_token_verifier(verifier),
        None => ordering,
    })
}

/// What ordering does besides answering: relay its outbox, follow the
/// catalog's answers about stock, email shoppers, cancel unpaid transfers.
async fn start_ordering_work(
    ordering: &ordering::Ordering,
    bus: &Arc<dyn EventBus>,
    mailer: Arc<dyn Mailer>,
    background: &mut Vec<tokio::task::JoinHandle<()>>,
) -> Result<(), StartupError> {
    background.push(start_relay(ordering.outbox_relay(bus.clone())));
    background.push(tokio::spawn(ordering.clone().run_transfer_deadlines(
        std::time::Duration::from_secs(3600),
        std::future::pending(),
    )));
    bus.subscribe(ordering.stock_subscription()).await?;
    bus.subscribe(ordering.mail_subscription(mailer)).await?;
    Ok(())
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

/// A service process's routes: its API, liveness, and readiness over
/// `deps`, behind every process's outer layers.
fn service_router(api: Router, deps: health::Dependencies, settings: &Settings) -> Router {
    let router = Router::new()
        .route("/health/live", get(health::live))
        .route("/health/ready", get(health::ready).with_state(deps))
        .merge(api);
    outer_layers(router, settings)
}

/// What identity does besides answering: relay its outbox, send its
/// emails.
async fn start_identity_work(
    identity: &Identity,
    bus: &Arc<dyn EventBus>,
    mailer: Arc<dyn Mailer>,
    background: &mut Vec<tokio::task::JoinHandle<()>>,
) -> Result<(), StartupError> {
    background.push(start_relay(identity.outbox_relay(bus.clone())));
    bus.subscribe(identity.mail_subscription(mailer)).await?;
    Ok(())
}

/// Opens identity with its signing key.
pub async fn open_identity(settings: &Settings) -> Result<Identity, StartupError> {
    let key = signing_key(settings)?;
    let mut config = identity::Config::new(key, &settings.public_url);
    config.access_ttl = settings.access_token_ttl;
    config.session_ttl = settings.session_ttl;
    Ok(Identity::open(settings.identity_database_url.expose(), config).await?)
}

async fn bind(addr: SocketAddr) -> Result<(TcpListener, SocketAddr), StartupError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| StartupError::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| StartupError::Bind { addr, source })?;
    Ok((listener, local))
}

fn create_data_dir(settings: &Settings) -> Result<(), StartupError> {
    std::fs::create_dir_all(&settings.data_dir).map_err(|source| StartupError::DataDir {
        path: settings.data_dir.display().to_string(),
        source,
    })
}

impl Application {
    /// The storefront and gateway, with every service it is not told the
    /// address of running inside it.
    #[tracing::instrument(name = "startup", skip_all)]
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        create_data_dir(&settings)?;
        let bus = event_bus(&settings).await?;
        let mut background = Vec::new();
        let mailer = mailer(&settings)?;
        // Identity inside holds the signing key; apart, this process only
        // checks tokens, with the public key, for the services it hosts.
        let (identity, identity_client, verifier) = match &settings.identity_url {
            Some(url) => (
                None,
                IdentityClient::remote(url),
                public_key_verifier(&settings)?,
            ),
            None => {
                let identity = open_identity(&settings).await?;
                start_identity_work(&identity, &bus, mailer.clone(), &mut background).await?;
                let verifier = identity.verifier();
                (
                    Some(identity.clone()),
                    IdentityClient::in_process(identity),
                    Some(verifier),
                )
            }
        };
        let (catalog, client) = match &settings.catalog_url {
            Some(url) => (None, CatalogClient::remote(url)),
            None => {
                let mut catalog = Catalog::open(settings.catalog_database_url.expose())
                    .await?
                    .with_media(media(&settings).await);
                if let Some(verifier) = &verifier {
                    catalog = catalog.with_token_verifier(verifier.clone());
                }
                // The embedded shape is what a newcomer runs: it shows a
                // stocked shop from the first start. Elsewhere staff (or
                // `server seed-demo`) fill the catalog.
                if settings
                    .catalog_database_url
                    .expose()
                    .starts_with("sqlite:")
                {
                    let made = catalog.seed_demo().await?;
                    if made > 0 {
                        tracing::info!(products = made, "loaded the demo catalog");
                    }
                }
                background.push(start_relay(catalog.outbox_relay(bus.clone())));
                bus.subscribe(catalog.order_subscription()).await?;
                (Some(catalog.clone()), catalog.client())
            }
        };
        let redis = match &settings.redis_url {
            Some(url) => Some(Arc::new(Redis::open(url.expose())?)),
            None => None,
        };
        let mut storefront = StorefrontCatalog::new(client).with_tree_cache(
            settings.catalog_tree_ttl,
            redis.clone(),
            &settings.namespace,
        );
        if !settings.product_cache_ttl.is_zero() {
            storefront = storefront.with_product_cache(
                settings.product_cache_ttl,
                settings.product_cache_entries,
                redis.clone(),
                &settings.namespace,
            );
        }
        storefront.follow_changes(bus.as_ref()).await?;
        // Changes made through it (staff's, through the gateway or the
        // back office) drop what they made stale in the storefront's caches.
        let client = storefront.client().clone();
        let (baskets, basket_client) = match &settings.basket_url {
            Some(url) => (None, basket::BasketClient::remote(url)),
            None => {
                let baskets = open_baskets(&settings, client.clone(), verifier.clone()).await?;
                bus.subscribe(baskets.order_subscription()).await?;
                (
                    Some(baskets.clone()),
                    basket::BasketClient::in_process(baskets),
                )
            }
        };
        let (ordering, ordering_client) = match &settings.ordering_url {
            Some(url) => (None, ordering::OrderingClient::remote(url)),
            None => {
                let ordering = open_ordering(&settings, client.clone(), verifier.clone()).await?;
                start_ordering_work(&ordering, &bus, mailer.clone(), &mut background).await?;
                (
                    Some(ordering.clone()),
                    ordering::OrderingClient::in_process(ordering),
                )
            }
        };
        let (listener, addr) = bind(settings.addr).await?;

        let hashed = static_files::hashed_build();
        let leptos = LeptosOptions::builder()
            .output_name("sury")
            .site_root(settings.site_root.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .hash_files(hashed)
            .build();
        let health = health::Dependencies {
            catalog: Some(client.clone()),
            basket: Some(basket_client.clone()),
            ordering: Some(ordering_client.clone()),
            identity: Some(identity_client.clone()),
            broker: settings.amqp_url.is_some().then(|| bus.clone()),
            redis,
        };
        let state = AppState {
            leptos,
            catalog: client,
            storefront,
            identity: identity_client,
            baskets: basket_client,
            ordering: ordering_client,
            cookies: CookiePolicy {
                secure: settings.cookies_secure(),
            },
            health,
        };
        let router = storefront_router(state, &settings, hashed);
        tracing::info!(
            %addr,
            remote_catalog = settings.catalog_url.is_some(),
            remote_basket = settings.basket_url.is_some(),
            remote_ordering = settings.ordering_url.is_some(),
            remote_identity = settings.identity_url.is_some(),
            "sury is listening"
        );
        Ok(Self {
            listener,
            router,
            catalog,
            identity,
            baskets,
            ordering,
            addr,
            background,
            _bus: bus,
        })
    }

    /// The catalog service alone (`server catalog`): its API and health.
    #[tracing::instrument(name = "startup", skip_all)]
    pub async fn build_catalog_service(settings: Settings) -> Result<Self, StartupError> {
        create_data_dir(&settings)?;
        let mut catalog = Catalog::open(settings.catalog_database_url.expose())
            .await?
            .with_media(media(&settings).await);
        match public_key_verifier(&settings)? {
            Some(verifier) => catalog = catalog.with_token_verifier(verifier),
            None => tracing::warn!(
                "SURY_IDENTITY_PUBLIC_KEY_FILE is not set: API requests carrying an access token will be refused"
            ),
        }
        let bus = event_bus(&settings).await?;
        let background = vec![start_relay(catalog.outbox_relay(bus.clone()))];
        bus.subscribe(catalog.order_subscription()).await?;
        let (listener, addr) = bind(settings.catalog_addr).await?;
        let deps = health::Dependencies::of_service(
            Some(catalog.client()),
            settings.amqp_url.is_some().then(|| bus.clone()),
        );
        let router = service_router(catalog::api::router(catalog.clone()), deps, &settings);
        tracing::info!(%addr, "catalog service is listening");
        Ok(Self {
            listener,
            router,
            catalog: Some(catalog),
            identity: None,
            baskets: None,
            ordering: None,
            addr,
            background,
            _bus: bus,
        })
    }

    /// The basket service alone (`server basket`): its API and health,
    /// and its part in the order saga. It prices baskets through the
    /// catalog service at `SURY_CATALOG_URL`.
    #[tracing::instrument(name = "startup", skip_all)]
    pub async fn build_basket_service(settings: Settings) -> Result<Self, StartupError> {
        create_data_dir(&settings)?;
        let catalog = remote_catalog(
            &settings,
            "the basket service prices baskets through the catalog service",
        )?;
        let baskets =
            open_baskets(&settings, catalog.clone(), public_key_verifier(&settings)?).await?;
        let bus = event_bus(&settings).await?;
        bus.subscribe(baskets.order_subscription()).await?;
        let (listener, addr) = bind(settings.basket_addr).await?;
        let deps = health::Dependencies {
            basket: Some(basket::BasketClient::in_process(baskets.clone())),
            ..health::Dependencies::of_service(
                Some(catalog),
                settings.amqp_url.is_some().then(|| bus.clone()),
            )
        };
        let router = service_router(basket::api::router(baskets.clone()), deps, &settings);
        tracing::info!(%addr, "basket service is listening");
        Ok(Self {
            listener,
            router,
            catalog: None,
            identity: None,
            baskets: Some(baskets),
            ordering: None,
            addr,
            background: Vec::new(),
            _bus: bus,
        })
    }

    /// The ordering service alone (`server ordering`): its API and health,
    /// its outbox relay, its part in the order saga, its emails and the
    /// unpaid-transfer deadlines. It prices orders through the catalog
    /// service at `SURY_CATALOG_URL`.
    #[tracing::instrument(name = "startup", skip_all)]
    pub async fn build_ordering_service(settings: Settings) -> Result<Self, StartupError> {
        create_data_dir(&settings)?;
        let catalog = remote_catalog(
            &settings,
            "the ordering service prices orders through the catalog service",
        )?;
        let verifier = public_key_verifier(&settings)?;
        if verifier.is_none() {
            tracing::warn!(
                "SURY_IDENTITY_PUBLIC_KEY_FILE is not set: members' and staff's order requests will be refused"
            );
        }
        let ordering = open_ordering(&settings, catalog.clone(), verifier).await?;
        let bus = event_bus(&settings).await?;
        let mut background = Vec::new();
        start_ordering_work(&ordering, &bus, mailer(&settings)?, &mut background).await?;
        let (listener, addr) = bind(settings.ordering_addr).await?;
        let deps = health::Dependencies {
            ordering: Some(ordering::OrderingClient::in_process(ordering.clone())),
            ..health::Dependencies::of_service(
                Some(catalog),
                settings.amqp_url.is_some().then(|| bus.clone()),
            )
        };
        let router = service_router(ordering::api::router(ordering.clone()), deps, &settings);
        tracing::info!(%addr, "ordering service is listening");
        Ok(Self {
            listener,
            router,
            catalog: None,
            identity: None,
            baskets: None,
            ordering: Some(ordering),
            addr,
            background,
            _bus: bus,
        })
    }

    /// The identity service alone (`server identity`): its API and health,
    /// its outbox relay and its emails. It signs access tokens; give the
    /// other processes its public key (`server identity-public-key`).
    #[tracing::instrument(name = "startup", skip_all)]
    pub async fn build_identity_service(settings: Settings) -> Result<Self, StartupError> {
        create_data_dir(&settings)?;
        let identity = open_identity(&settings).await?;
        let bus = event_bus(&settings).await?;
        let mut background = Vec::new();
        start_identity_work(&identity, &bus, mailer(&settings)?, &mut background).await?;
        let (listener, addr) = bind(settings.identity_addr).await?;
        let deps = health::Dependencies {
            identity: Some(IdentityClient::in_process(identity.clone())),
            ..health::Dependencies::of_service(
                None,
                settings.amqp_url.is_some().then(|| bus.clone()),
            )
        };
        let router = service_router(identity::api::router(identity.clone()), deps, &settings);
        tracing::info!(%addr, "identity service is listening");
        Ok(Self {
            listener,
            router,
            catalog: None,
            identity: Some(identity),
            baskets: None,
            ordering: None,
            addr,
            background,
            _bus: bus,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The catalog, when it runs in this process (tests use it to break
    /// the database on purpose).
    pub fn catalog(&self) -> Option<&Catalog> {
        self.catalog.as_ref()
    }

    /// Ordering, when it runs in this process (tests check orders with it).
    pub fn ordering(&self) -> Option<&ordering::Ordering> {
        self.ordering.as_ref()
    }

    /// Identity, when it runs in this process (tests grant roles with it).
    pub fn identity(&self) -> Option<&Identity> {
        self.identity.as_ref()
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
        if let Some(catalog) = &self.catalog {
            catalog.close().await;
        }
        if let Some(identity) = &self.identity {
            identity.close().await;
        }
        if let Some(baskets) = &self.baskets {
            baskets.close().await;
        }
        if let Some(ordering) = &self.ordering {
            ordering.close().await;
        }
        tracing::info!("stopped");
        served
    }
}

fn storefront_router(state: AppState, settings: &Settings, hashed: bool) -> Router {
    // What server functions and pages find in their context. leptos_routes
    // also mounts every server function (under /sf/) with it.
    let context = {
        let catalog = state.storefront.clone();
        let identity = state.identity.clone();
        let baskets = state.baskets.clone();
        let ordering = state.ordering.clone();
        let cookies = state.cookies;
        let site_url = app::SiteUrl(settings.public_url.clone());
        let media_origin = app::MediaOrigin(settings.media.origin());
        move || {
            provide_context(site_url.clone());
            provide_context(media_origin.clone());
            provide_context(catalog.clone());
            provide_context(identity.clone());
            provide_context(baskets.clone());
            provide_context(ordering.clone());
            provide_context(cookies);
        }
    };
    let session = crate::session::SessionState {
        identity: state.identity.clone(),
        cookies: state.cookies,
    };
    let origin = crate::session::PublicOrigin(settings.public_url.clone());
    let routes = generate_route_list(App);

    let router = Router::new()
        .route("/health/live", get(health::live))
        .route("/health/ready", get(health::ready))
        .route(
            "/sitemap.xml",
            get(crate::sitemap::sitemap).with_state(crate::sitemap::SitemapState {
                catalog: state.catalog.clone(),
                public_url: settings.public_url.clone(),
            }),
        )
        .merge(crate::gateway::routes(&state, &settings.cors_origins))
        .route(
            "/admin/products/{slug}/images",
            axum::routing::post(crate::uploads::add_image)
                .with_state(crate::uploads::UploadState {
                    catalog: state.catalog.clone(),
                    cookies: state.cookies,
                    max_upload_bytes: settings.max_upload_bytes,
                })
                // axum's own 2 MB default for multipart would cut a photo
                // off; `limit_body` holds this path to its ceiling.
                .layer(axum::extract::DefaultBodyLimit::max(body_limit(
                    "/admin/products/x/images",
                    settings.max_upload_bytes,
                ))),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos.clone();
            move || shell(options.clone())
        })
        .merge(static_files::pkg_routes(&settings.site_root, hashed))
        .merge(static_files::media_routes(&settings.data_dir.join("media")))
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(middleware::from_fn(server_fns::error_status))
        .layer(middleware::from_fn_with_state(
            session,
            crate::session::resolve,
        ))
        .layer(middleware::from_fn_with_state(
            origin,
            crate::session::same_origin_posts,
        ))
        // Outermost: no request sees the reactive owner another left behind.
        .layer(middleware::from_fn(crate::owner_isolation::isolate))
        .with_state(state);
    outer_layers(router, settings)
}

/// How much the storefront's upload form may send at most: well over the
/// picture limit, so a staff member whose photo is too large is told so
/// beside the field instead of getting a bare refusal.
const UPLOAD_FORM_CEILING: usize = 64 * 1024 * 1024;

/// The body limit of a path: the storefront's picture form, the catalog
/// API's picture upload (through the gateway or to `server catalog`), or
/// everything else.
fn body_limit(path: &str, max_upload: usize) -> usize {
    if !path.ends_with("/images") {
        MAX_REQUEST_BODY
    } else if path.starts_with("/admin/products/") {
        UPLOAD_FORM_CEILING.max(max_upload)
    } else if path.starts_with("/api/v1/catalog/staff/products/") {
        max_upload + 64 * 1024
    } else {
        MAX_REQUEST_BODY
    }
}

/// Small bodies everywhere but on uploads, which may carry a picture (and
/// a form's worth of multipart framing). A declared length over the limit
/// is refused before anything is read; a longer body than declared, or a
/// chunked one, stops at the limit when it is read.
async fn limit_body(
    axum::extract::State(max_upload): axum::extract::State<usize>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;

    let limit = body_limit(request.uri().path(), max_upload);
    let declared = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return (
            http::StatusCode::PAYLOAD_TOO_LARGE,
            axum::Json(contracts::api::ApiError::new(
                "payload_too_large",
                format!("The request is larger than {} KB.", limit / 1024),
            )),
        )
            .into_response();
    }
    let request =
        request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}

/// Where product pictures are kept, as configured: a bucket (created if it
/// is missing, where the credentials allow) or the data directory's
/// `media` folder.
pub async fn media(settings: &Settings) -> catalog::Media {
    let store: Arc<dyn platform::blob::BlobStore> = match &settings.media {
        crate::settings::MediaSettings::S3(config) => {
            let store = platform::blob::S3BlobStore::new(config);
            if let Err(err) = store.ensure_bucket().await {
                tracing::warn!(error = %err, bucket = %config.bucket, "could not check or create the media bucket; uploads will fail until it exists");
            }
            Arc::new(store)
        }
        crate::settings::MediaSettings::Local { public_base } => Arc::new(
            platform::blob::LocalBlobStore::new(settings.data_dir.join("media"), public_base),
        ),
    };
    catalog::Media {
        store,
        max_upload_bytes: settings.max_upload_bytes,
    }
}

/// What every process's responses go through: body limit, compression,
/// security headers, request ids and the request log.
fn outer_layers(router: Router, settings: &Settings) -> Router {
    let router = router
        .layer(middleware::from_fn_with_state(
            settings.max_upload_bytes,
            limit_body,
        ))
        .layer(CompressionLayer::new());
    // Outermost last: the id is set before the span that logs it is made,
    // and copied onto the response for the shopper to quote.
    headers::apply(router, settings.serves_https())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(telemetry::request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}
