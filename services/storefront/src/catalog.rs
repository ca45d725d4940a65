//! The catalog as the storefront reads it: [`CatalogClient`] with caches in
//! front of the reads every page makes.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use catalog_api::{CatalogClient, Change, ChangeListener, Error, ListingQuery, Slug};
use contracts::catalog::events::{self, ProductChangedV1};
use contracts::catalog::{
    CollectionListingV1, Department, HomeV1, ListingV1, ProductCardV1, ProductDetailV1,
};
use platform::bus::{BusError, EventBus, Handlers};
use platform::shared_cache::{LayeredCache, Redis};
use serde::de::IgnoredAny;

/// The catalog client and the caches in front of it. Cheap to clone:
/// clones share the caches.
#[derive(Clone)]
pub struct StorefrontCatalog {
    /// Tells the caches of every change made through it.
    client: CatalogClient,
    /// The department tree, read on every page: kept for a while, dropped
    /// when the catalog announces a change (see [`Self::follow_changes`]).
    tree: Option<Arc<LayeredCache<Vec<Department>>>>,
    /// Product pages and listings (see [`Self::with_product_cache`]).
    products: Option<Arc<ProductCache>>,
}

impl std::fmt::Debug for StorefrontCatalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StorefrontCatalog")
            .field("tree_cache", &self.tree.is_some())
            .field("product_cache", &self.products.is_some())
            .finish()
    }
}

/// Product pages and listings kept between changes. Listing keys carry a
/// tag per category and one for the whole shop; a change retires a
/// category's listings at once by dropping its tag (a new one is drawn on
/// the next read), in this process and, through Redis, in every replica,
/// with no need to find the keys of every filtered variant. Retired
/// entries age out with their TTL.
struct ProductCache {
    pages: LayeredCache<Option<ProductDetailV1>>,
    listings: LayeredCache<ListingV1>,
    home: LayeredCache<HomeV1>,
    related: LayeredCache<Option<Vec<ProductCardV1>>>,
    collections: LayeredCache<Option<CollectionListingV1>>,
    tags: LayeredCache<String>,
}

/// The tag of the home page and the collections' pages: any product's
/// change may show on a shelf, and so may a collection's.
const SHELVES: &str = "shelves";

/// The tag of every product page and listing: dropped by a change made
/// through this storefront, so staff see what they just did.
const ALL: &str = "*";

impl ProductCache {
    async fn tag(&self, scope: &str) -> String {
        let loaded: Result<String, Infallible> = self
            .tags
            .get_or_load(scope, || async {
                Ok(uuid::Uuid::now_v7().simple().to_string())
            })
            .await;
        match loaded {
            Ok(tag) => tag,
            Err(never) => match never {},
        }
    }

    /// A page's key carries a tag of its own too: a load that read the
    /// database just before a change and lands in Redis just after its
    /// event is stored under a retired key, never over the fresh one.
    async fn page_key(&self, slug: &str) -> String {
        let product = format!("p/{slug}");
        format!(
            "{}:{}:{slug}",
            self.tag(ALL).await,
            self.tag(&product).await
        )
    }

    /// What one product's change makes stale: its page and the listings
    /// of its categories.
    async fn forget(&self, change: &ProductChangedV1) {
        self.tags.invalidate(&format!("p/{}", change.slug)).await;
        for category in &change.categories {
            self.tags.invalidate(category).await;
        }
        self.tags.invalidate(SHELVES).await;
    }

    async fn shelves_key(&self, rest: &str) -> String {
        format!("{}:{}:{rest}", self.tag(ALL).await, self.tag(SHELVES).await)
    }
}

/// Drops what a change made through the client made stale.
struct ForgetOnChange {
    tree: Option<Arc<LayeredCache<Vec<Department>>>>,
    products: Option<Arc<ProductCache>>,
}

impl ChangeListener for ForgetOnChange {
    fn changed(&self, what: Change) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            if let (Change::Tree, Some(tree)) = (what, &self.tree) {
                tree.invalidate("tree").await;
            }
            // A tree change shows on every page too (names in breadcrumbs
            // and listings).
            if let Some(products) = &self.products {
                products.tags.invalidate(ALL).await;
            }
        })
    }
}

impl StorefrontCatalog {
    /// `client` with nothing cached yet (see [`Self::with_tree_cache`],
    /// [`Self::with_product_cache`]).
    pub fn new(client: CatalogClient) -> Self {
        Self {
            client,
            tree: None,
            products: None,
        }
    }

    /// The client, for everything not cached here. Changes made through it
    /// drop what they make stale in this storefront's caches.
    pub fn client(&self) -> &CatalogClient {
        &self.client
    }

    /// Keeps the department tree for up to `ttl` between changes, in
    /// memory and, when given, in Redis for the other replicas, under keys
    /// starting with `namespace`.
    pub fn with_tree_cache(
        mut self,
        ttl: Duration,
        redis: Option<Arc<Redis>>,
        namespace: &str,
    ) -> Self {
        let namespace = format!("{namespace}:catalog");
        self.tree = Some(Arc::new(LayeredCache::new(&namespace, ttl, redis)));
        self.listen()
    }

    /// Keeps product pages and listings for up to `ttl`, at most
    /// `max_entries` of each in this process, and in Redis when given. A
    /// `ProductChangedV1` drops exactly the product's page and its
    /// categories' listings (see [`Self::follow_changes`]); a change made
    /// through [`Self::client`] drops everything here at once, so staff see
    /// their own change on the next page.
    pub fn with_product_cache(
        mut self,
        ttl: Duration,
        max_entries: usize,
        redis: Option<Arc<Redis>>,
        namespace: &str,
    ) -> Self {
        let layer = |name: &str| format!("{namespace}:catalog:{name}");
        self.products = Some(Arc::new(ProductCache {
            pages: LayeredCache::new(&layer("page"), ttl, redis.clone()).bounded(max_entries),
            listings: LayeredCache::new(&layer("listing"), ttl, redis.clone()).bounded(max_entries),
            home: LayeredCache::new(&layer("home"), ttl, redis.clone()).bounded(max_entries),
            related: LayeredCache::new(&layer("related"), ttl, redis.clone()).bounded(max_entries),
            collections: LayeredCache::new(&layer("collection"), ttl, redis.clone())
                .bounded(max_entries),
            tags: LayeredCache::new(&layer("tag"), ttl, redis).bounded(max_entries),
        }));
        self.listen()
    }

    /// Has the client tell the caches as they now are of its changes.
    fn listen(mut self) -> Self {
        let listener = ForgetOnChange {
            tree: self.tree.clone(),
            products: self.products.clone(),
        };
        self.client = self.client.with_listener(Arc::new(listener));
        self
    }

    /// Drops cached answers whenever the catalog announces a change. Every
    /// process gets its own copy of each event (broadcast subscriptions);
    /// one missed while disconnected is covered by the caches' TTL.
    pub async fn follow_changes(&self, bus: &dyn EventBus) -> Result<(), BusError> {
        if let Some(cache) = self.tree.clone() {
            let tree = Handlers::new("storefront.catalog-tree", cache)
                .broadcast()
                .on(events::CATEGORY_CHANGED_V1, |cache, _: IgnoredAny, message| async move {
                    tracing::debug!(id = %message.id, "catalog changed, dropping the cached tree");
                    cache.invalidate("tree").await;
                    Ok(())
                });
            bus.subscribe(tree.subscription()).await?;
        }
        if let Some(cache) = self.products.clone() {
            let products = Handlers::new("storefront.catalog-products", cache)
                .broadcast()
                .on(events::PRODUCT_CHANGED_V1, |cache, change: ProductChangedV1, _| async move {
                    tracing::debug!(slug = %change.slug, "product changed, dropping its cached pages");
                    cache.forget(&change).await;
                    Ok(())
                })
                .on(events::COLLECTION_CHANGED_V1, |cache, _: IgnoredAny, message| async move {
                    tracing::debug!(id = %message.id, "a collection changed, dropping the cached shelves");
                    cache.tags.invalidate(SHELVES).await;
                    Ok(())
                })
                .on(events::CATEGORY_CHANGED_V1, |cache, _: IgnoredAny, message| async move {
                    // Names show in breadcrumbs and listings everywhere;
                    // categories change rarely.
                    tracing::debug!(id = %message.id, "a category changed, dropping every cached page");
                    cache.tags.invalidate(ALL).await;
                    Ok(())
                });
            bus.subscribe(products.subscription()).await?;
        }
        Ok(())
    }

    /// Every department with its categories.
    pub async fn departments(&self) -> Result<Vec<Department>, Error> {
        match &self.tree {
            Some(cache) => {
                cache
                    .get_or_load("tree", || self.client.departments())
                    .await
            }
            None => self.client.departments().await,
        }
    }

    /// A page of the published products of a category and its
    /// sub-categories, filtered and sorted as `query` says.
    pub async fn listing(&self, category: &Slug, query: &ListingQuery) -> Result<ListingV1, Error> {
        let Some(cache) = &self.products else {
            return self.client.listing(category, query).await;
        };
        let key = format!(
            "{}:{}:{category}?{}",
            cache.tag(ALL).await,
            cache.tag(category.as_str()).await,
            query.to_query()
        );
        cache
            .listings
            .get_or_load(&key, || self.client.listing(category, query))
            .await
    }

    /// The home page's shelves and new arrivals.
    pub async fn home(&self) -> Result<HomeV1, Error> {
        let Some(cache) = &self.products else {
            return self.client.home().await;
        };
        let key = cache.shelves_key("home").await;
        cache.home.get_or_load(&key, || self.client.home()).await
    }

    /// A collection and a page of its products; `None` when no collection
    /// has that slug.
    pub async fn collection_listing(
        &self,
        collection: &Slug,
        query: &ListingQuery,
    ) -> Result<Option<CollectionListingV1>, Error> {
        let Some(cache) = &self.products else {
            return self.client.collection_listing(collection, query).await;
        };
        let key = cache
            .shelves_key(&format!("{collection}?{}", query.to_query()))
            .await;
        cache
            .collections
            .get_or_load(&key, || self.client.collection_listing(collection, query))
            .await
    }

    /// `None` when no published product has that slug.
    pub async fn product(&self, slug: &Slug) -> Result<Option<ProductDetailV1>, Error> {
        let Some(cache) = &self.products else {
            return self.client.product(slug).await;
        };
        let key = cache.page_key(slug.as_str()).await;
        let page = cache
            .pages
            .get_or_load(&key, || self.client.product(slug))
            .await?;
        let Some(mut page) = page else {
            return Ok(None);
        };
        // Related pieces change with their own products, not with this
        // one: they are kept under the tags of the categories they come
        // from (this one's and its department's).
        let mut key = cache.tag(ALL).await;
        for scope in &page.breadcrumb {
            key.push(':');
            key.push_str(&cache.tag(&scope.slug).await);
        }
        key.push_str(&format!(":{slug}"));
        let related = cache
            .related
            .get_or_load(&key, || self.client.related(slug))
            .await?;
        // `None`: withdrawn between the two reads; the page as kept.
        if let Some(cards) = related {
            page.related = cards;
        }
        Ok(Some(page))
    }
}
