//! How a process hosts services. Each service says once, as a [`Service`]
//! (in `services`), what it contributes: how it opens with its background
//! work and subscriptions, its API, its client, its readiness probe, its
//! address. The storefront hosts every service it is not told the address
//! of ([`embed`]); `server <name>` hosts one alone behind its API
//! ([`Application::build_service`]).

use std::any::Any;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use catalog::CatalogClient;
use platform::auth::TokenVerifier;
use platform::bus::EventBus;
use platform::mail::Mailer;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::infra::{bind, create_data_dir, event_bus, mailer, public_key_verifier};
use super::layers::outer_layers;
use super::{Application, StartupError};
use crate::health::{self, Probe};
use crate::settings::Settings;

/// A service as a process hosts it.
pub(super) trait Service: Clone + Send + Sync + 'static {
    /// `server <NAME>` runs it alone.
    const NAME: &'static str;
    /// How others call it: in this process, or over HTTP.
    type Client: Clone + Send + Sync + 'static;

    /// Opens it with its background work started (outbox relay,
    /// deadlines) and its subscriptions made.
    fn open(host: &mut Host<'_>) -> impl Future<Output = Result<Self, StartupError>> + Send;
    fn api(&self) -> Router;
    fn client(&self) -> Self::Client;
    fn remote(url: &str) -> Self::Client;
    /// Where it listens when it runs alone.
    fn addr(settings: &Settings) -> SocketAddr;
    /// Where it runs when it runs apart from the storefront.
    fn url(settings: &Settings) -> Option<&str>;
    /// Whether it answers, for the readiness of a process calling it.
    fn probe(client: &Self::Client) -> Probe;
    /// Waits for queries in flight, refuses new ones.
    fn close(&self) -> impl Future<Output = ()> + Send;
}

/// What a process offers the services it hosts, gathered as they open.
pub(super) struct Host<'a> {
    pub settings: &'a Settings,
    pub bus: Arc<dyn EventBus>,
    /// Readiness: every service hosted or called, the broker, Redis.
    pub probes: Vec<Probe>,
    /// The whole shop in one process (`server`), not one service alone.
    pub embedded: bool,
    hosted: Hosted,
    background: Vec<JoinHandle<()>>,
    /// Identity's own when it runs here; else read from the public key
    /// file on first use (`None` inside: not configured).
    verifier: Option<Option<TokenVerifier>>,
    /// The catalog services price through: set by the storefront, else
    /// reached at `SURY_CATALOG_URL` on first use.
    catalog: Option<CatalogClient>,
    mailer: Option<Arc<dyn Mailer>>,
}

impl<'a> Host<'a> {
    pub async fn new(settings: &'a Settings, embedded: bool) -> Result<Self, StartupError> {
        create_data_dir(settings)?;
        let bus = event_bus(settings).await?;
        let probes = match settings.amqp_url {
            Some(_) => vec![Probe::broker(bus.clone())],
            None => Vec::new(),
        };
        Ok(Self {
            settings,
            bus,
            probes,
            embedded,
            hosted: Hosted::default(),
            background: Vec::new(),
            verifier: None,
            catalog: None,
            mailer: None,
        })
    }

    /// Checks callers' access tokens: identity's key when it runs here,
    /// else its public key from `SURY_IDENTITY_PUBLIC_KEY_FILE`; `None`
    /// when neither is there.
    pub fn verifier(&mut self) -> Result<Option<TokenVerifier>, StartupError> {
        if self.verifier.is_none() {
            self.verifier = Some(public_key_verifier(self.settings)?);
        }
        Ok(self.verifier.clone().flatten())
    }

    pub fn set_verifier(&mut self, verifier: TokenVerifier) {
        self.verifier = Some(Some(verifier));
    }

    /// The catalog to price through; `why` names the need when its address
    /// is missing.
    pub fn catalog(&mut self, why: &'static str) -> Result<CatalogClient, StartupError> {
        if let Some(catalog) = &self.catalog {
            return Ok(catalog.clone());
        }
        let url = (self.settings.catalog_url.as_deref()).ok_or(StartupError::Missing {
            variable: "SURY_CATALOG_URL",
            why,
        })?;
        let catalog = CatalogClient::remote(url);
        self.probes
            .push(<catalog::Catalog as Service>::probe(&catalog));
        self.catalog = Some(catalog.clone());
        Ok(catalog)
    }

    pub fn set_catalog(&mut self, catalog: CatalogClient) {
        self.catalog = Some(catalog);
    }

    /// SMTP when configured, else `.eml` files in the data folder.
    pub fn mailer(&mut self) -> Result<Arc<dyn Mailer>, StartupError> {
        if self.mailer.is_none() {
            self.mailer = Some(mailer(self.settings)?);
        }
        Ok(self.mailer.clone().expect("just set"))
    }

    /// Work that runs as long as the process: stopped with it.
    pub fn spawn(&mut self, work: impl Future<Output = ()> + Send + 'static) {
        self.background.push(tokio::spawn(work));
    }

    /// Publishes what a service's outbox holds, for as long as the process
    /// runs.
    pub fn relay(&mut self, relay: platform::outbox::Relay) {
        self.spawn(relay.run(std::future::pending()));
    }

    /// The process, serving `router` on `listener`.
    pub fn finish(self, listener: TcpListener, addr: SocketAddr, router: Router) -> Application {
        Application {
            listener,
            router,
            hosted: self.hosted,
            addr,
            background: self.background,
            _bus: self.bus,
        }
    }
}

/// `S` for the storefront: reached at its address when it runs apart,
/// else opened in this process.
pub(super) async fn embed<S: Service>(host: &mut Host<'_>) -> Result<S::Client, StartupError> {
    let client = match S::url(host.settings) {
        Some(url) => S::remote(url),
        None => {
            let service = S::open(host).await?;
            let client = service.client();
            host.hosted.0.push(Arc::new(service));
            client
        }
    };
    host.probes.push(S::probe(&client));
    Ok(client)
}

/// `server <S::NAME>`: `S` alone behind its API, liveness and readiness.
async fn alone<S: Service>(settings: Settings) -> Result<Application, StartupError> {
    let mut host = Host::new(&settings, false).await?;
    let service = S::open(&mut host).await?;
    host.probes.push(S::probe(&service.client()));
    let router = Router::new()
        .route("/health/live", get(health::live))
        .route(
            "/health/ready",
            get(health::ready).with_state(Arc::new(std::mem::take(&mut host.probes))),
        )
        .merge(service.api());
    host.hosted.0.push(Arc::new(service));
    let (listener, addr) = bind(S::addr(&settings)).await?;
    tracing::info!(%addr, service = S::NAME, "service is listening");
    Ok(host.finish(listener, addr, outer_layers(router, &settings)))
}

type Launch =
    fn(Settings) -> Pin<Box<dyn Future<Output = Result<Application, StartupError>> + Send>>;

fn launch<S: Service>(
    settings: Settings,
) -> Pin<Box<dyn Future<Output = Result<Application, StartupError>> + Send>> {
    Box::pin(alone::<S>(settings))
}

/// One of the services `server <name>` runs alone (the distributed shape).
#[derive(Clone, Copy, Debug)]
pub struct Role {
    name: &'static str,
    launch: Launch,
}

const fn role<S: Service>() -> Role {
    Role {
        name: S::NAME,
        launch: launch::<S>,
    }
}

/// Every service a process can run alone: adding a service is a line here
/// (and an `embed` in the storefront when its pages call it).
const ROLES: [Role; 4] = [
    role::<identity::Identity>(),
    role::<catalog::Catalog>(),
    role::<basket::Baskets>(),
    role::<ordering::Ordering>(),
];

impl Role {
    /// The role `server <name>` runs.
    pub fn named(name: &str) -> Option<Self> {
        ROLES.into_iter().find(|role| role.name == name)
    }

    pub fn name(self) -> &'static str {
        self.name
    }
}

impl Application {
    /// One service alone (`server identity`, `server catalog`, ...): its
    /// API, liveness and readiness, and its background work. Services that
    /// price through the catalog reach it at `SURY_CATALOG_URL`; all but
    /// identity check tokens with `SURY_IDENTITY_PUBLIC_KEY_FILE`.
    #[tracing::instrument(name = "startup", skip_all, fields(service = role.name))]
    pub async fn build_service(role: Role, settings: Settings) -> Result<Self, StartupError> {
        (role.launch)(settings).await
    }
}

/// The services this process hosts, for tests to reach and for closing
/// their databases on the way out.
#[derive(Default)]
pub(super) struct Hosted(Vec<Arc<dyn Running>>);

impl Hosted {
    pub fn get<S: Service>(&self) -> Option<&S> {
        self.0
            .iter()
            .find_map(|service| service.as_any().downcast_ref())
    }

    /// Waits for queries in flight, refuses new ones.
    pub async fn close(&self) {
        for service in &self.0 {
            service.close_boxed().await;
        }
    }
}

/// A hosted service of any kind.
trait Running: Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn close_boxed(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

impl<S: Service> Running for S {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn close_boxed(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(self.close())
    }
}
