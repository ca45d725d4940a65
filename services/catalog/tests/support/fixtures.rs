//! The catalogs the tests start from, and the short ways they ask one
//! things: each test then reads as its scenario rather than as its setup,
//! and a change to how a catalog is opened or stocked is made once.

use std::sync::{Arc, Mutex};

use catalog::{Catalog, ListingQuery, Money, NewProduct, NewVariant, Sku, Slug, StockReason};
use contracts::catalog::{ListingV1, ProductCardV1, ProductDetailV1};
use platform::bus::{EventBus, Message, RetryPolicy, Subscription};
use platform::db::Backend;

pub fn slug(raw: &str) -> Slug {
    Slug::parse(raw).unwrap()
}

pub fn sku(raw: &str) -> Sku {
    Sku::parse(raw).unwrap()
}

/// A database of `backend` no other test uses; SQLite's file lives in `dir`.
pub async fn fresh_url(backend: Backend, dir: &tempfile::TempDir) -> String {
    match backend {
        Backend::Sqlite => platform::db::sqlite_url(&dir.path().join("catalog.db")),
        Backend::Postgres => platform::db::testing::fresh_postgres_url().await,
    }
}

/// A new catalog (the seeded category tree, no products) on a fresh
/// database of `backend`; the folder must outlive the test.
pub async fn open(backend: Backend) -> (Catalog, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let catalog = Catalog::open(&fresh_url(backend, &dir).await)
        .await
        .expect("catalog opens");
    (catalog, dir)
}

/// The demo catalog, as a new shop loads it, on a fresh database.
pub async fn demo(backend: Backend) -> (Catalog, tempfile::TempDir) {
    let (catalog, dir) = open(backend).await;
    assert!(catalog.seed_demo().await.unwrap() >= 40);
    (catalog, dir)
}

pub fn variant(code: &str, colour: &str, size: &str, price_minor: i64) -> NewVariant {
    NewVariant {
        sku: sku(code),
        colour: colour.into(),
        size: size.into(),
        price: Money::from_minor(price_minor).unwrap(),
    }
}

pub fn product(slug_: &str, name: &str, category: &str, variants: Vec<NewVariant>) -> NewProduct {
    NewProduct {
        slug: slug(slug_),
        name: name.into(),
        category: slug(category),
        variants,
    }
}

/// The summer dress in red, one variant of `sizes` each (`DRS-RED-<size>`)
/// at £34.99.
pub fn summer_dress(sizes: &[&str]) -> NewProduct {
    let variants = sizes
        .iter()
        .map(|size| variant(&format!("DRS-RED-{size}"), "Red", size, 3499))
        .collect();
    product("summer-dress", "Summer dress", "women-dresses", variants)
}

/// The kids' rain jacket, in `(sku, colour, size)`s at £29.99.
pub fn rain_jacket(variants: &[(&str, &str, &str)]) -> NewProduct {
    let variants = variants
        .iter()
        .map(|(code, colour, size)| variant(code, colour, size, 2999))
        .collect();
    product("rain-jacket", "Rain jacket", "kids-outerwear", variants)
}

/// Adds `product` as a draft (not in the shop yet).
pub async fn add(catalog: &Catalog, product: &NewProduct) {
    catalog.add_product(product).await.unwrap();
}

/// Adds `product` and puts it in the shop.
pub async fn add_published(catalog: &Catalog, product: &NewProduct) {
    add(catalog, product).await;
    assert!(catalog.publish_product(&product.slug).await.unwrap());
}

/// Takes in a delivery of `units` of `code`, as staff would; its SKU.
pub async fn stock(catalog: &Catalog, code: &str, units: i64) -> Sku {
    let code = sku(code);
    let delivery = StockReason::parse("delivery").unwrap();
    catalog
        .adjust_stock(&code, units, &delivery, "staff:ann")
        .await
        .unwrap();
    code
}

/// The shop's page of a product that must be on sale.
pub async fn page(catalog: &Catalog, raw_slug: &str) -> ProductDetailV1 {
    catalog
        .product(&slug(raw_slug))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{raw_slug} is not in the shop"))
}

/// The products `cards` show, in order.
pub fn slugs(cards: &[ProductCardV1]) -> Vec<&str> {
    cards.iter().map(|card| card.slug.as_str()).collect()
}

/// A listing query that must be well formed.
pub fn query(raw: &str) -> ListingQuery {
    let (query, problems) = ListingQuery::parse(raw);
    assert!(problems.is_empty(), "{raw}: {problems:?}");
    query
}

/// The first page of `category` narrowed by the query string `raw`.
pub async fn list(catalog: &Catalog, category: &str, raw: &str) -> ListingV1 {
    catalog.listing(&slug(category), &query(raw)).await.unwrap()
}

/// Subscribes `queue` to `topics` on `bus` and keeps every message it is
/// handed, for a test to read what was announced.
pub async fn listen(
    bus: &Arc<dyn EventBus>,
    queue: &str,
    topics: &[&str],
) -> Arc<Mutex<Vec<Message>>> {
    let heard = Arc::new(Mutex::new(Vec::new()));
    let sink = heard.clone();
    bus.subscribe(Subscription {
        queue: queue.into(),
        topics: topics.iter().map(|t| (*t).to_owned()).collect(),
        retry: RetryPolicy::default(),
        broadcast: false,
        handler: Arc::new(move |message| {
            sink.lock().unwrap().push(message);
            Box::pin(async { Ok(()) })
        }),
    })
    .await
    .unwrap();
    heard
}

/// The payloads of what `listen` kept, read as `T`.
pub fn payloads<T: serde::de::DeserializeOwned>(heard: &Mutex<Vec<Message>>) -> Vec<T> {
    heard
        .lock()
        .unwrap()
        .iter()
        .map(|m| serde_json::from_slice(&m.payload).unwrap())
        .collect()
}
