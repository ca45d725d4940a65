//! A catalog served over HTTP the way `server catalog` serves it, with a
//! log of the requests that reach it, and storefront replicas that cache
//! what they read from it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use catalog::{Catalog, ListingQuery, Money, NewProduct, NewVariant, Sku, Slug, StockReason};
use platform::bus::{EventBus, InProcessBus};
use platform::shared_cache::Redis;
use storefront::StorefrontCatalog;

use catalog::CatalogClient;

pub const REDIS_URL: &str = "redis://127.0.0.1:6379";

type Log = Arc<Mutex<Vec<String>>>;

pub struct Shop {
    pub catalog: Catalog,
    bus: Arc<dyn EventBus>,
    relay: platform::outbox::Relay,
    log: Log,
    url: String,
    _dir: tempfile::TempDir,
}

async fn record(State(log): State<Log>, request: Request, next: Next) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or_else(String::new, |p| p.as_str().to_owned());
    log.lock().unwrap().push(target);
    next.run(request).await
}

/// Serves `router` on a free port, as `server catalog` would; its URL.
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, router).into_future());
    url
}

pub fn slug(raw: &str) -> Slug {
    Slug::parse(raw).unwrap()
}

/// A summer dress (women's dresses) and a rain jacket (kids' outerwear),
/// published and in stock.
pub async fn shop() -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(&platform::db::sqlite_url(&dir.path().join("catalog.db")))
        .await
        .unwrap();
    for (product, name, category, sku, colour, size, minor) in [
        (
            "summer-dress",
            "Summer dress",
            "women-dresses",
            "DRS-RED-M",
            "Red",
            "M",
            3499,
        ),
        (
            "rain-jacket",
            "Rain jacket",
            "kids-outerwear",
            "JKT-YEL-104",
            "Yellow",
            "104",
            2999,
        ),
    ] {
        catalog
            .add_product(&NewProduct {
                slug: slug(product),
                name: name.into(),
                category: slug(category),
                variants: vec![NewVariant {
                    sku: Sku::parse(sku).unwrap(),
                    colour: colour.into(),
                    size: size.into(),
                    price: Money::from_minor(minor).unwrap(),
                }],
            })
            .await
            .unwrap();
        catalog.publish_product(&slug(product)).await.unwrap();
        let reason = StockReason::parse("delivery").unwrap();
        catalog
            .adjust_stock(&Sku::parse(sku).unwrap(), 5, &reason, "staff:ann")
            .await
            .unwrap();
    }
    let bus: Arc<dyn EventBus> = Arc::new(InProcessBus::new());
    let relay = catalog.outbox_relay(bus.clone());
    // What setting the shop up announced is old news to every replica.
    relay.relay_pending().await.unwrap();
    let log = Log::default();
    let app = catalog::api::router(catalog.clone())
        .layer(axum::middleware::from_fn_with_state(log.clone(), record));
    let url = serve(app).await;
    Shop {
        catalog,
        bus,
        relay,
        log,
        url,
        _dir: dir,
    }
}

impl Shop {
    /// A storefront process: its own memory, Redis when given, and its own
    /// copy of every catalog change.
    pub async fn replica(&self, redis: Option<Arc<Redis>>, namespace: &str) -> StorefrontCatalog {
        let client = StorefrontCatalog::new(CatalogClient::remote(&self.url)).with_product_cache(
            Duration::from_secs(60),
            100,
            redis,
            namespace,
        );
        client.follow_changes(self.bus.as_ref()).await.unwrap();
        client
    }

    /// How many requests have reached the catalog so far.
    pub fn requests(&self) -> usize {
        self.log.lock().unwrap().len()
    }

    pub fn requests_since(&self, mark: usize) -> Vec<String> {
        self.log.lock().unwrap()[mark..].to_vec()
    }

    /// A price changed by someone else (staff on another replica, or the
    /// catalog process's own API): only its event tells this replica.
    pub async fn reprice_elsewhere(&self, sku: &str, minor: i64) {
        let changed = self
            .catalog
            .set_price(&Sku::parse(sku).unwrap(), Money::from_minor(minor).unwrap())
            .await
            .unwrap();
        assert!(changed);
    }

    /// Publishes what the catalog has written to its outbox.
    pub async fn publish_events(&self) {
        self.relay.relay_pending().await.unwrap();
    }

    /// Fails (saying `why` it should have held) unless the catalog was
    /// asked nothing since `mark`: the caches answered on their own.
    pub fn assert_asked_nothing_since(&self, mark: usize, why: &str) {
        assert_eq!(self.requests_since(mark), Vec::<String>::new(), "{why}");
    }
}

/// The price `client` shows on the product's page.
pub async fn page_price(client: &StorefrontCatalog, product: &str) -> i64 {
    let page = client.product(&slug(product)).await.unwrap().unwrap();
    page.variants[0].price_minor
}

/// The "from" price of `product`'s card in `category`'s listing.
pub async fn card_price(client: &StorefrontCatalog, category: &str, product: &str) -> i64 {
    let listing = client
        .listing(&slug(category), &ListingQuery::default())
        .await
        .unwrap();
    listing
        .cards
        .iter()
        .find(|card| card.slug == product)
        .unwrap_or_else(|| panic!("{product} is listed in {category}"))
        .price_from_minor
}

/// What `client` shows `product` at: on its page, and on its card in
/// `category`'s listing.
pub async fn prices(client: &StorefrontCatalog, category: &str, product: &str) -> (i64, i64) {
    (
        page_price(client, product).await,
        card_price(client, category, product).await,
    )
}

/// Waits (at most 5 s) until `client`'s page of `product` shows `minor`.
pub async fn until_page_price(client: &StorefrontCatalog, product: &str, minor: i64) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while page_price(client, product).await != minor {
        assert!(
            Instant::now() < deadline,
            "{product} never showed {minor} (still {})",
            page_price(client, product).await
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
