//! What each service contributes to the process hosting it: one
//! [`Service`] each.

use std::net::SocketAddr;

use axum::Router;
use basket::{BasketClient, Baskets};
use catalog::{Catalog, CatalogClient};
use identity::{Identity, IdentityClient};
use ordering::{Ordering, OrderingClient};

use super::StartupError;
use super::hosting::{Host, Service};
use super::infra::{media, signing_key};
use crate::health::Probe;
use crate::settings::Settings;

/// Opens identity with its signing key.
pub async fn open_identity(settings: &Settings) -> Result<Identity, StartupError> {
    let key = signing_key(settings)?;
    let mut config = identity::Config::new(key, &settings.public_url);
    config.access_ttl = settings.identity.access_token_ttl;
    config.session_ttl = settings.identity.session_ttl;
    Ok(Identity::open(settings.identity.database_url.expose(), config).await?)
}

/// Accounts and sessions: holds the signing key the others check tokens
/// with, and sends the account emails.
impl Service for Identity {
    const NAME: &'static str = "identity";
    type Client = IdentityClient;

    async fn open(host: &mut Host<'_>) -> Result<Self, StartupError> {
        let identity = open_identity(host.settings).await?;
        host.set_verifier(identity.verifier());
        host.relay(identity.outbox_relay(host.bus.clone()));
        let mailer = host.mailer()?;
        host.bus
            .subscribe(identity.mail_subscription(mailer))
            .await?;
        Ok(identity)
    }

    fn api(&self) -> Router {
        identity::api::router(self.clone())
    }

    fn client(&self) -> IdentityClient {
        IdentityClient::in_process(self.clone())
    }

    fn remote(url: &str) -> IdentityClient {
        IdentityClient::remote(url)
    }

    fn addr(settings: &Settings) -> SocketAddr {
        settings.identity.addr
    }

    fn url(settings: &Settings) -> Option<&str> {
        settings.identity_url.as_deref()
    }

    fn probe(client: &IdentityClient) -> Probe {
        let client = client.clone();
        Probe::service(Self::NAME, move || {
            let client = client.clone();
            async move { client.check_ready().await }
        })
    }

    async fn close(&self) {
        Identity::close(self).await
    }
}

/// What SURY sells: its part in the order saga is reserving stock.
impl Service for Catalog {
    const NAME: &'static str = "catalog";
    type Client = CatalogClient;

    async fn open(host: &mut Host<'_>) -> Result<Self, StartupError> {
        let verifier = host.verifier()?;
        let mut catalog = Catalog::open(host.settings.catalog.database_url.expose())
            .await?
            .with_media(media(host.settings).await);
        match verifier {
            Some(verifier) => catalog = catalog.with_token_verifier(verifier),
            None => warn_tokens_refused(),
        }
        host.relay(catalog.outbox_relay(host.bus.clone()));
        host.bus.subscribe(catalog.order_subscription()).await?;
        // The embedded shape is what a newcomer runs: it shows a stocked
        // shop from the first start. Elsewhere staff (or `server
        // seed-demo`) fill the catalog.
        let url = host.settings.catalog.database_url.expose();
        if host.embedded && url.starts_with("sqlite:") {
            let made = catalog.seed_demo().await?;
            if made > 0 {
                tracing::info!(products = made, "loaded the demo catalog");
            }
        }
        Ok(catalog)
    }

    fn api(&self) -> Router {
        catalog::api::router(self.clone())
    }

    fn client(&self) -> CatalogClient {
        Catalog::client(self)
    }

    fn remote(url: &str) -> CatalogClient {
        CatalogClient::remote(url)
    }

    fn addr(settings: &Settings) -> SocketAddr {
        settings.catalog.addr
    }

    fn url(settings: &Settings) -> Option<&str> {
        settings.catalog_url.as_deref()
    }

    fn probe(client: &CatalogClient) -> Probe {
        let client = client.clone();
        Probe::service(Self::NAME, move || {
            let client = client.clone();
            async move { client.ready().await }
        })
    }

    async fn close(&self) {
        Catalog::close(self).await
    }
}

/// Baskets, in Redis when it is configured (the distributed shape), else in
/// their own SQL database; guests' tickets signed with the configured key.
/// Its part in the order saga is emptying the basket an order came from.
impl Service for Baskets {
    const NAME: &'static str = "basket";
    type Client = BasketClient;

    async fn open(host: &mut Host<'_>) -> Result<Self, StartupError> {
        let catalog =
            host.catalog("the basket service prices baskets through the catalog service")?;
        let verifier = host.verifier()?;
        let settings = host.settings;
        let key_file = (settings.basket.cookie_key_file.clone())
            .unwrap_or_else(|| settings.data_dir.join("cookie-key"));
        let key = basket::CookieKey::load_or_create(&key_file)?;
        let ttl = settings.basket.ttl;
        let baskets = match &settings.redis_url {
            Some(url) => {
                Baskets::open_redis(url.expose(), &settings.namespace, catalog, ttl).await?
            }
            None => Baskets::open_sql(settings.basket.database_url.expose(), catalog, ttl).await?,
        }
        .with_guest_key(key);
        let baskets = match verifier {
            Some(verifier) => baskets.with_token_verifier(verifier),
            None => {
                warn_tokens_refused();
                baskets
            }
        };
        host.bus.subscribe(baskets.order_subscription()).await?;
        Ok(baskets)
    }

    fn api(&self) -> Router {
        basket::api::router(self.clone())
    }

    fn client(&self) -> BasketClient {
        BasketClient::in_process(self.clone())
    }

    fn remote(url: &str) -> BasketClient {
        BasketClient::remote(url)
    }

    fn addr(settings: &Settings) -> SocketAddr {
        settings.basket.addr
    }

    fn url(settings: &Settings) -> Option<&str> {
        settings.basket_url.as_deref()
    }

    fn probe(client: &BasketClient) -> Probe {
        let client = client.clone();
        Probe::service(Self::NAME, move || {
            let client = client.clone();
            async move { client.check_ready().await }
        })
    }

    async fn close(&self) {
        Baskets::close(self).await
    }
}

/// Orders, priced through the catalog; besides answering it follows the
/// catalog's answers about stock, emails shoppers and cancels unpaid
/// transfers.
impl Service for Ordering {
    const NAME: &'static str = "ordering";
    type Client = OrderingClient;

    async fn open(host: &mut Host<'_>) -> Result<Self, StartupError> {
        let catalog =
            host.catalog("the ordering service prices orders through the catalog service")?;
        let verifier = host.verifier()?;
        let settings = host.settings;
        let ordering = Ordering::open(
            settings.ordering.database_url.expose(),
            catalog,
            settings.ordering.terms.clone(),
            &settings.public_url,
        )
        .await?;
        let ordering = match verifier {
            Some(verifier) => ordering.with_token_verifier(verifier),
            None => {
                warn_tokens_refused();
                ordering
            }
        };
        host.relay(ordering.outbox_relay(host.bus.clone()));
        host.spawn(
            ordering.clone().run_transfer_deadlines(
                std::time::Duration::from_secs(3600),
                std::future::pending(),
            ),
        );
        host.bus.subscribe(ordering.stock_subscription()).await?;
        let mailer = host.mailer()?;
        host.bus
            .subscribe(ordering.mail_subscription(mailer))
            .await?;
        Ok(ordering)
    }

    fn api(&self) -> Router {
        ordering::api::router(self.clone())
    }

    fn client(&self) -> OrderingClient {
        OrderingClient::in_process(self.clone())
    }

    fn remote(url: &str) -> OrderingClient {
        OrderingClient::remote(url)
    }

    fn addr(settings: &Settings) -> SocketAddr {
        settings.ordering.addr
    }

    fn url(settings: &Settings) -> Option<&str> {
        settings.ordering_url.as_deref()
    }

    fn probe(client: &OrderingClient) -> Probe {
        let client = client.clone();
        Probe::service(Self::NAME, move || {
            let client = client.clone();
            async move { client.check_ready().await }
        })
    }

    async fn close(&self) {
        Ordering::close(self).await
    }
}

fn warn_tokens_refused() {
    tracing::warn!(
        "SURY_IDENTITY_PUBLIC_KEY_FILE is not set: requests carrying an access token will be refused"
    );
}
