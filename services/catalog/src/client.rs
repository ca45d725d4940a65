//! The typed client of the catalog API, in-process or over the network
//! through the same requests (see [`platform::api_client`]), with the
//! storefront's caches of what it reads most.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use contracts::catalog::events::ProductChangedV1;
use contracts::catalog::{
    BarcodeV1, BrandV1, CategoryDetail, CategoryDetailsV1, CategoryHit, CollectionDetailsV1,
    CollectionListingV1, Department, HomeV1, ImageV1, ListingV1, LowStockV1, NewProductV1,
    NewVariantsV1, PriceV1, ProductCardV1, ProductDetailV1, ProductDetailsV1, ProductSearchV1,
    ShelveV1, StaffCategoryV1, StaffCollectionV1, StaffProductSummaryV1, StaffProductV1,
    StockAdjustment, StockChangeV1, StockLevel, VariantLineV1, events,
};
use http::{Request, Response, StatusCode};
use platform::api_client::ApiClient;
use platform::bus::{BusError, EventBus, HandlerError, RetryPolicy, Subscription};
use platform::shared_cache::{LayeredCache, Redis};
use serde::de::DeserializeOwned;

use crate::{Catalog, ListingQuery, SearchTerm, Sku, Slug, api};

/// What this client sends at most: a picture staff upload.
const MAX_REQUEST: usize = 64 * 1024 * 1024;

pub use platform::api_client::ClientError;

#[derive(Clone)]
pub struct CatalogClient {
    api: ApiClient,
    /// The department tree, read on every page: kept for a while, dropped
    /// when the catalog announces a change (see [`Self::follow_changes`]).
    tree: Option<Arc<LayeredCache<Vec<Department>>>>,
    /// Product pages and listings (see [`Self::with_product_cache`]).
    products: Option<Arc<ProductCache>>,
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
    related: LayeredCache<Vec<ProductCardV1>>,
    collections: LayeredCache<Option<CollectionListingV1>>,
    tags: LayeredCache<String>,
}

/// The tag of the home page and the collections' pages: any product's
/// change may show on a shelf, and so may a collection's.
const SHELVES: &str = "shelves";

/// The tag of every product page and listing: dropped by a change made
/// through this client, so staff see what they just did.
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

impl std::fmt::Debug for CatalogClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CatalogClient")
    }
}

impl CatalogClient {
    /// Calls the catalog's router directly, in this process.
    pub fn in_process(catalog: Catalog) -> Self {
        Self::over(ApiClient::in_process("catalog", api::router(catalog)))
    }

    /// Calls a catalog service at `base_url` (e.g. `http://10.0.0.5:3101`).
    pub fn remote(base_url: &str) -> Self {
        Self::over(ApiClient::remote("catalog", base_url, MAX_REQUEST))
    }

    fn over(api: ApiClient) -> Self {
        Self {
            api,
            tree: None,
            products: None,
        }
    }

    /// Sends any request to the catalog API (the gateway forwards with it).
    pub async fn forward(&self, request: Request<Body>) -> Result<Response<Body>, ClientError> {
        self.api.forward(request).await
    }

    async fn get<T: DeserializeOwned>(&self, path_and_query: &str) -> Result<T, ClientError> {
        self.call(http::Method::GET, path_and_query, None, None)
            .await
    }

    /// Sends a request (with a staff member's access token and a JSON body
    /// when given) and reads the JSON answer; `204` reads as `null`.
    async fn call<T: DeserializeOwned>(
        &self,
        method: http::Method,
        path_and_query: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Result<T, ClientError> {
        let body = body.map(|bytes| (bytes, "application/json"));
        self.send(method, path_and_query, token, body).await
    }

    /// [`Self::call`] with a body of any type.
    async fn send<T: DeserializeOwned>(
        &self,
        method: http::Method,
        path_and_query: &str,
        token: Option<&str>,
        body: Option<(Vec<u8>, &'static str)>,
    ) -> Result<T, ClientError> {
        let headers: Vec<_> = token.map(ApiClient::bearer).into_iter().collect();
        self.api.send(method, path_and_query, &headers, body).await
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
        self
    }

    /// Keeps product pages and listings for up to `ttl`, at most
    /// `max_entries` of each in this process, and in Redis when given. A
    /// `ProductChangedV1` drops exactly the product's page and its
    /// categories' listings (see [`Self::follow_changes`]); a change made
    /// through this client drops everything here at once, so staff see
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
        self
    }

    /// After a change made through this client.
    async fn forget_all(&self) {
        if let Some(cache) = &self.products {
            cache.tags.invalidate(ALL).await;
        }
    }

    pub async fn departments(&self) -> Result<Vec<Department>, ClientError> {
        let path = format!("{}/departments", api::PREFIX);
        match &self.tree {
            Some(cache) => cache.get_or_load("tree", || self.get(&path)).await,
            None => self.get(&path).await,
        }
    }

    /// Drops cached answers whenever the catalog announces a change. Every
    /// process gets its own copy of each event (broadcast subscriptions);
    /// one missed while disconnected is covered by the caches' TTL.
    pub async fn follow_changes(&self, bus: &dyn EventBus) -> Result<(), BusError> {
        if let Some(cache) = self.tree.clone() {
            bus.subscribe(Subscription {
                queue: "storefront.catalog-tree".into(),
                topics: vec![events::CATEGORY_CHANGED_V1.into()],
                retry: RetryPolicy::default(),
                broadcast: true,
                handler: Arc::new(move |message| {
                    let cache = cache.clone();
                    Box::pin(async move {
                        tracing::debug!(id = %message.id, "catalog changed, dropping the cached tree");
                        cache.invalidate("tree").await;
                        Ok(())
                    })
                }),
            })
            .await?;
        }
        if let Some(cache) = self.products.clone() {
            bus.subscribe(Subscription {
                queue: "storefront.catalog-products".into(),
                topics: vec![
                    events::PRODUCT_CHANGED_V1.into(),
                    events::COLLECTION_CHANGED_V1.into(),
                    events::CATEGORY_CHANGED_V1.into(),
                ],
                retry: RetryPolicy::default(),
                broadcast: true,
                handler: Arc::new(move |message| {
                    let cache = cache.clone();
                    Box::pin(async move {
                        if message.topic == events::CATEGORY_CHANGED_V1 {
                            // Names show in breadcrumbs and listings
                            // everywhere; categories change rarely.
                            tracing::debug!(id = %message.id, "a category changed, dropping every cached page");
                            cache.tags.invalidate(ALL).await;
                            return Ok(());
                        }
                        if message.topic == events::COLLECTION_CHANGED_V1 {
                            tracing::debug!(id = %message.id, "a collection changed, dropping the cached shelves");
                            cache.tags.invalidate(SHELVES).await;
                            return Ok(());
                        }
                        let change: events::ProductChangedV1 =
                            serde_json::from_slice(&message.payload)
                                .map_err(|e| HandlerError::Permanent(e.to_string()))?;
                        tracing::debug!(slug = %change.slug, "product changed, dropping its cached pages");
                        cache.forget(&change).await;
                        Ok(())
                    })
                }),
            })
            .await?;
        }
        Ok(())
    }

    /// `None` when no category has that slug.
    pub async fn category(&self, slug: &Slug) -> Result<Option<CategoryDetail>, ClientError> {
        match self
            .get(&format!("{}/categories/{slug}", api::PREFIX))
            .await
        {
            Err(ClientError::Failed {
                status: StatusCode::NOT_FOUND,
                ..
            }) => Ok(None),
            other => other.map(Some),
        }
    }

    /// Every published product's slug.
    pub async fn published_slugs(&self) -> Result<Vec<String>, ClientError> {
        self.get(&format!("{}/products", api::PREFIX)).await
    }

    /// A page of the published products of a category and its
    /// sub-categories, filtered and sorted as `query` says.
    pub async fn listing(
        &self,
        category: &Slug,
        query: &ListingQuery,
    ) -> Result<ListingV1, ClientError> {
        let path = format!(
            "{}/categories/{category}/products?{}",
            api::PREFIX,
            query.to_query()
        );
        match &self.products {
            Some(cache) => {
                let key = format!(
                    "{}:{}:{category}?{}",
                    cache.tag(ALL).await,
                    cache.tag(category.as_str()).await,
                    query.to_query()
                );
                cache.listings.get_or_load(&key, || self.get(&path)).await
            }
            None => self.get(&path).await,
        }
    }

    /// The home page's shelves and new arrivals.
    pub async fn home(&self) -> Result<HomeV1, ClientError> {
        let path = format!("{}/home", api::PREFIX);
        match &self.products {
            Some(cache) => {
                let key = cache.shelves_key("home").await;
                cache.home.get_or_load(&key, || self.get(&path)).await
            }
            None => self.get(&path).await,
        }
    }

    /// A collection and a page of its products; `None` when no collection
    /// has that slug.
    pub async fn collection_listing(
        &self,
        collection: &Slug,
        query: &ListingQuery,
    ) -> Result<Option<CollectionListingV1>, ClientError> {
        let path = format!(
            "{}/collections/{collection}/products?{}",
            api::PREFIX,
            query.to_query()
        );
        let load = || async {
            match self.get(&path).await {
                Err(ClientError::Failed {
                    status: StatusCode::NOT_FOUND,
                    ..
                }) => Ok(None),
                other => other.map(Some),
            }
        };
        match &self.products {
            Some(cache) => {
                let key = cache
                    .shelves_key(&format!("{collection}?{}", query.to_query()))
                    .await;
                cache.collections.get_or_load(&key, load).await
            }
            None => load().await,
        }
    }

    /// Published products matching `term`, filtered, sorted and paged.
    pub async fn search_products(
        &self,
        term: &SearchTerm,
        query: &ListingQuery,
    ) -> Result<ProductSearchV1, ClientError> {
        let q = platform::url_encode(term.as_str());
        self.get(&format!(
            "{}/search/products?q={q}&{}",
            api::PREFIX,
            query.to_query()
        ))
        .await
    }

    /// `None` when no published product has that slug.
    pub async fn product(&self, slug: &Slug) -> Result<Option<ProductDetailV1>, ClientError> {
        match &self.products {
            Some(cache) => {
                let key = cache.page_key(slug.as_str()).await;
                let page = cache
                    .pages
                    .get_or_load(&key, || self.fetch_product(slug))
                    .await?;
                let Some(mut page) = page else {
                    return Ok(None);
                };
                // Related pieces change with their own products, not with
                // this one: they are kept under the tags of the categories
                // they come from (this one's and its department's).
                let mut key = cache.tag(ALL).await;
                for scope in &page.breadcrumb {
                    key.push(':');
                    key.push_str(&cache.tag(&scope.slug).await);
                }
                key.push_str(&format!(":{slug}"));
                let path = format!("{}/products/{slug}/related", api::PREFIX);
                match cache.related.get_or_load(&key, || self.get(&path)).await {
                    Ok(cards) => page.related = cards,
                    // Withdrawn between the two reads: the page as kept.
                    Err(ClientError::Failed {
                        status: StatusCode::NOT_FOUND,
                        ..
                    }) => {}
                    Err(err) => return Err(err),
                }
                Ok(Some(page))
            }
            None => self.fetch_product(slug).await,
        }
    }

    async fn fetch_product(&self, slug: &Slug) -> Result<Option<ProductDetailV1>, ClientError> {
        match self.get(&format!("{}/products/{slug}", api::PREFIX)).await {
            Err(ClientError::Failed {
                status: StatusCode::NOT_FOUND,
                ..
            }) => Ok(None),
            other => other.map(Some),
        }
    }

    /// What the basket and checkout show of `skus` now: price and
    /// availability of each published one (unknown SKUs are left out).
    pub async fn variant_lines(&self, skus: &[Sku]) -> Result<Vec<VariantLineV1>, ClientError> {
        if skus.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<&str> = skus.iter().map(Sku::as_str).collect();
        self.get(&format!("{}/variants?skus={}", api::PREFIX, list.join(",")))
            .await
    }

    /// Products, drafts included, whose name or address holds `words`,
    /// in `status` when not empty (staff only: `token` is the staff
    /// member's access token).
    pub async fn staff_products(
        &self,
        token: &str,
        words: &str,
        status: &str,
    ) -> Result<Vec<StaffProductSummaryV1>, ClientError> {
        let path = format!(
            "{}/staff/products?q={}&status={}",
            api::PREFIX,
            platform::url_encode(words),
            platform::url_encode(status)
        );
        self.call(http::Method::GET, &path, Some(token), None).await
    }

    /// Variants of products in the shop with 3 or fewer left to sell.
    pub async fn low_stock(&self, token: &str) -> Result<Vec<LowStockV1>, ClientError> {
        let path = format!("{}/staff/low-stock", api::PREFIX);
        self.call(http::Method::GET, &path, Some(token), None).await
    }

    /// `None` when no product has that slug.
    pub async fn staff_product(
        &self,
        token: &str,
        slug: &Slug,
    ) -> Result<Option<StaffProductV1>, ClientError> {
        let path = format!("{}/staff/products/{slug}", api::PREFIX);
        match self.call(http::Method::GET, &path, Some(token), None).await {
            Err(ClientError::Failed {
                status: StatusCode::NOT_FOUND,
                ..
            }) => Ok(None),
            other => other.map(Some),
        }
    }

    /// Stock in (positive `delta`) or out, with the reason for the audit
    /// trail. Taking out more than is free is refused (422) and changes
    /// nothing.
    pub async fn adjust_stock(
        &self,
        token: &str,
        sku: &Sku,
        change: &StockChangeV1,
    ) -> Result<StockLevel, ClientError> {
        let path = format!("{}/staff/variants/{sku}/stock", api::PREFIX);
        let body = serde_json::to_vec(change).expect("a plain struct serializes");
        let level = self
            .call(http::Method::POST, &path, Some(token), Some(body))
            .await?;
        self.forget_all().await;
        Ok(level)
    }

    pub async fn stock_history(
        &self,
        token: &str,
        sku: &Sku,
    ) -> Result<Vec<StockAdjustment>, ClientError> {
        let path = format!("{}/staff/variants/{sku}/stock", api::PREFIX);
        self.call(http::Method::GET, &path, Some(token), None).await
    }

    pub async fn set_price(
        &self,
        token: &str,
        sku: &Sku,
        price: &PriceV1,
    ) -> Result<(), ClientError> {
        let path = format!("{}/staff/variants/{sku}/price", api::PREFIX);
        let body = serde_json::to_vec(price).expect("a plain struct serializes");
        self.call::<()>(http::Method::PUT, &path, Some(token), Some(body))
            .await?;
        self.forget_all().await;
        Ok(())
    }

    /// Saves a new product as a draft with its grid of variants.
    pub async fn create_product(
        &self,
        token: &str,
        product: &NewProductV1,
    ) -> Result<StaffProductV1, ClientError> {
        let path = format!("{}/staff/products", api::PREFIX);
        let body = serde_json::to_vec(product).expect("a plain struct serializes");
        self.call(http::Method::POST, &path, Some(token), Some(body))
            .await
    }

    /// Changes a product's details and status.
    pub async fn update_product(
        &self,
        token: &str,
        slug: &Slug,
        details: &ProductDetailsV1,
    ) -> Result<StaffProductV1, ClientError> {
        let path = format!("{}/staff/products/{slug}", api::PREFIX);
        let body = serde_json::to_vec(details).expect("a plain struct serializes");
        let product = self
            .call(http::Method::PUT, &path, Some(token), Some(body))
            .await?;
        self.forget_all().await;
        Ok(product)
    }

    /// Adds the colour and size combinations a product lacks.
    pub async fn add_variants(
        &self,
        token: &str,
        slug: &Slug,
        grid: &NewVariantsV1,
    ) -> Result<StaffProductV1, ClientError> {
        let path = format!("{}/staff/products/{slug}/variants", api::PREFIX);
        let body = serde_json::to_vec(grid).expect("a plain struct serializes");
        let product = self
            .call(http::Method::POST, &path, Some(token), Some(body))
            .await?;
        self.forget_all().await;
        Ok(product)
    }

    /// Adds a picture of `colour` to a product; `bytes` as uploaded.
    pub async fn add_image(
        &self,
        token: &str,
        slug: &Slug,
        colour: &str,
        alt: &str,
        bytes: Vec<u8>,
    ) -> Result<ImageV1, ClientError> {
        let path = format!(
            "{}/staff/products/{slug}/images?colour={}&alt={}",
            api::PREFIX,
            platform::url_encode(colour),
            platform::url_encode(alt)
        );
        let body = Some((bytes, "application/octet-stream"));
        let image = self
            .send(http::Method::POST, &path, Some(token), body)
            .await?;
        self.forget_all().await;
        Ok(image)
    }

    pub async fn delete_image(&self, token: &str, id: &str) -> Result<(), ClientError> {
        let path = format!("{}/staff/images/{}", api::PREFIX, platform::url_encode(id));
        self.call::<()>(http::Method::DELETE, &path, Some(token), None)
            .await?;
        self.forget_all().await;
        Ok(())
    }

    /// The whole tree as staff edit it.
    pub async fn staff_categories(&self, token: &str) -> Result<Vec<StaffCategoryV1>, ClientError> {
        let path = format!("{}/staff/categories", api::PREFIX);
        self.call(http::Method::GET, &path, Some(token), None).await
    }

    /// A new category under a department, or a new department.
    pub async fn create_category(
        &self,
        token: &str,
        details: &CategoryDetailsV1,
    ) -> Result<(), ClientError> {
        let path = format!("{}/staff/categories", api::PREFIX);
        let body = serde_json::to_vec(details).expect("a plain struct serializes");
        self.call::<serde_json::Value>(http::Method::POST, &path, Some(token), Some(body))
            .await?;
        self.forget_changed_tree().await;
        Ok(())
    }

    /// A category's name, description and size chart.
    pub async fn update_category(
        &self,
        token: &str,
        slug: &Slug,
        details: &CategoryDetailsV1,
    ) -> Result<(), ClientError> {
        let path = format!("{}/staff/categories/{slug}", api::PREFIX);
        let body = serde_json::to_vec(details).expect("a plain struct serializes");
        self.call::<()>(http::Method::PUT, &path, Some(token), Some(body))
            .await?;
        self.forget_changed_tree().await;
        Ok(())
    }

    /// After a tree change made through this client: the tree and every
    /// page showing it.
    async fn forget_changed_tree(&self) {
        if let Some(tree) = &self.tree {
            tree.invalidate("tree").await;
        }
        self.forget_all().await;
    }

    /// Every brand, for staff picking one.
    pub async fn brands(&self, token: &str) -> Result<Vec<BrandV1>, ClientError> {
        let path = format!("{}/staff/brands", api::PREFIX);
        self.call(http::Method::GET, &path, Some(token), None).await
    }

    /// A variant's barcode; empty removes it.
    pub async fn set_barcode(
        &self,
        token: &str,
        sku: &Sku,
        barcode: &BarcodeV1,
    ) -> Result<(), ClientError> {
        let path = format!("{}/staff/variants/{sku}/barcode", api::PREFIX);
        let body = serde_json::to_vec(barcode).expect("a plain struct serializes");
        self.call(http::Method::PUT, &path, Some(token), Some(body))
            .await
    }

    pub async fn staff_collections(
        &self,
        token: &str,
    ) -> Result<Vec<StaffCollectionV1>, ClientError> {
        let path = format!("{}/staff/collections", api::PREFIX);
        self.call(http::Method::GET, &path, Some(token), None).await
    }

    /// `None` when no collection has that slug.
    pub async fn staff_collection(
        &self,
        token: &str,
        slug: &Slug,
    ) -> Result<Option<StaffCollectionV1>, ClientError> {
        let path = format!("{}/staff/collections/{slug}", api::PREFIX);
        match self.call(http::Method::GET, &path, Some(token), None).await {
            Err(ClientError::Failed {
                status: StatusCode::NOT_FOUND,
                ..
            }) => Ok(None),
            other => other.map(Some),
        }
    }

    /// Makes a collection (empty); its address comes from the name when
    /// left empty.
    pub async fn create_collection(
        &self,
        token: &str,
        details: &CollectionDetailsV1,
    ) -> Result<StaffCollectionV1, ClientError> {
        let path = format!("{}/staff/collections", api::PREFIX);
        let body = serde_json::to_vec(details).expect("a plain struct serializes");
        let made = self
            .call(http::Method::POST, &path, Some(token), Some(body))
            .await?;
        self.forget_all().await;
        Ok(made)
    }

    /// Renames a collection and rewrites its description.
    pub async fn update_collection(
        &self,
        token: &str,
        slug: &Slug,
        details: &CollectionDetailsV1,
    ) -> Result<StaffCollectionV1, ClientError> {
        let path = format!("{}/staff/collections/{slug}", api::PREFIX);
        let body = serde_json::to_vec(details).expect("a plain struct serializes");
        let changed = self
            .call(http::Method::PUT, &path, Some(token), Some(body))
            .await?;
        self.forget_all().await;
        Ok(changed)
    }

    /// Puts a product (by its slug) last on a collection.
    pub async fn shelve(
        &self,
        token: &str,
        collection: &Slug,
        product: &str,
    ) -> Result<StaffCollectionV1, ClientError> {
        let path = format!("{}/staff/collections/{collection}/products", api::PREFIX);
        let body = serde_json::to_vec(&ShelveV1 {
            product: product.to_owned(),
        })
        .expect("a plain struct serializes");
        let changed = self
            .call(http::Method::POST, &path, Some(token), Some(body))
            .await?;
        self.forget_all().await;
        Ok(changed)
    }

    pub async fn unshelve(
        &self,
        token: &str,
        collection: &Slug,
        product: &Slug,
    ) -> Result<StaffCollectionV1, ClientError> {
        let path = format!(
            "{}/staff/collections/{collection}/products/{product}",
            api::PREFIX
        );
        let changed = self
            .call(http::Method::DELETE, &path, Some(token), None)
            .await?;
        self.forget_all().await;
        Ok(changed)
    }

    /// Moves a product one place earlier on a collection.
    pub async fn move_earlier(
        &self,
        token: &str,
        collection: &Slug,
        product: &Slug,
    ) -> Result<StaffCollectionV1, ClientError> {
        let path = format!(
            "{}/staff/collections/{collection}/products/{product}/earlier",
            api::PREFIX
        );
        let changed = self
            .call(http::Method::POST, &path, Some(token), None)
            .await?;
        self.forget_all().await;
        Ok(changed)
    }

    pub async fn search(&self, term: &SearchTerm) -> Result<Vec<CategoryHit>, ClientError> {
        let q = platform::url_encode(term.as_str());
        self.get(&format!("{}/search?q={q}", api::PREFIX)).await
    }

    pub async fn ready(&self) -> Result<(), ClientError> {
        self.get::<serde_json::Value>(&format!("{}/ready", api::PREFIX))
            .await
            .map(|_| ())
    }
}
