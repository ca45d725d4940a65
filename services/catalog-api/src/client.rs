//! The typed client of the catalog API, in-process or over the network
//! through the same requests (see [`platform::api_client`]). It keeps
//! nothing: callers that cache its answers (the storefront) listen for the
//! changes made through it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use contracts::catalog::{
    BarcodeV1, BrandV1, CategoryDetail, CategoryDetailsV1, CategoryHit, CollectionDetailsV1,
    CollectionListingV1, Department, HomeV1, ImageV1, ListingV1, LowStockV1, NewProductV1,
    NewVariantsV1, PriceV1, ProductCardV1, ProductDetailV1, ProductDetailsV1, ProductSearchV1,
    ShelveV1, StaffCategoryV1, StaffCollectionV1, StaffProductSummaryV1, StaffProductV1,
    StockAdjustment, StockChangeV1, StockLevel, VariantLineV1,
};
use http::{Method, Request, Response};
use platform::api_client::{ApiClient, ClientError, Service, ServiceClient};
use platform::url_encode;
use serde::de::DeserializeOwned;

use crate::{Error, ListingQuery, PREFIX, SearchTerm, Sku, Slug};

/// What this client sends at most: a picture staff upload.
const MAX_REQUEST: usize = 64 * 1024 * 1024;

/// The catalog API, as this client reads it.
const CATALOG: Service<Error> = Service {
    name: "catalog",
    prefix: PREFIX,
    answer: Error::from,
};

#[derive(Clone)]
pub struct CatalogClient {
    api: ServiceClient<Error>,
    /// Told of each change made through this client (see
    /// [`Self::with_listener`]).
    listener: Option<Arc<dyn ChangeListener>>,
}

/// What a change made through the client may have made stale elsewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Products, their stock, prices, pictures or collections.
    Products,
    /// The category tree (and so every page that shows it).
    Tree,
}

/// Most changes staff make show on product pages and listings.
const PRODUCTS: Option<Change> = Some(Change::Products);
/// Changes to the category tree show on every page.
const TREE: Option<Change> = Some(Change::Tree);

/// Told of every change made through a [`CatalogClient`] once the catalog
/// has accepted it: a storefront's caches drop what the change made stale
/// at once, so staff see their own change on the next page, not only when
/// the catalog's event arrives.
pub trait ChangeListener: Send + Sync {
    fn changed(&self, what: Change) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

impl std::fmt::Debug for CatalogClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CatalogClient")
    }
}

/// A request body and its content type.
type Payload = Option<(Vec<u8>, &'static str)>;

impl CatalogClient {
    /// Calls the catalog's router (`catalog::api::router`) directly, in
    /// this process.
    pub fn in_process(router: Router) -> Self {
        Self::over(ServiceClient::in_process(CATALOG, router))
    }

    /// Calls a catalog service at `base_url` (e.g. `http://10.0.0.5:3101`).
    pub fn remote(base_url: &str) -> Self {
        Self::over(ServiceClient::remote(CATALOG, base_url, MAX_REQUEST))
    }

    fn over(api: ServiceClient<Error>) -> Self {
        Self {
            api,
            listener: None,
        }
    }

    /// Sends any request to the catalog API (the gateway forwards with it).
    pub async fn forward(&self, request: Request<Body>) -> Result<Response<Body>, ClientError> {
        self.api.forward(request).await
    }

    /// A read anyone may make.
    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        self.api.send(Method::GET, path, &[], None).await
    }

    /// A staff member's request (`token` is their access token) to `path`
    /// under the staff part of the API.
    async fn as_staff<T: DeserializeOwned>(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Payload,
    ) -> Result<T, Error> {
        let path = format!("/staff{path}");
        let headers = [ApiClient::bearer(token)];
        self.api.send(method, &path, &headers, body).await
    }

    /// A staff member's read.
    async fn staff_read<T: DeserializeOwned>(&self, token: &str, path: &str) -> Result<T, Error> {
        self.as_staff(token, Method::GET, path, None).await
    }

    /// A staff member's change, with a body when given; once the catalog
    /// has taken it, the listener is told what it made `stale`.
    async fn change<T: DeserializeOwned>(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Payload,
        stale: Option<Change>,
    ) -> Result<T, Error> {
        let answer = self.as_staff(token, method, path, body).await?;
        if let (Some(what), Some(listener)) = (stale, &self.listener) {
            listener.changed(what).await;
        }
        Ok(answer)
    }

    /// Tells `listener` of every change made through this client.
    pub fn with_listener(mut self, listener: Arc<dyn ChangeListener>) -> Self {
        self.listener = Some(listener);
        self
    }

    /// The department tree, every category under its department.
    pub async fn departments(&self) -> Result<Vec<Department>, Error> {
        self.get("/departments").await
    }

    /// `None` when no category has that slug.
    pub async fn category(&self, slug: &Slug) -> Result<Option<CategoryDetail>, Error> {
        not_found_as_none(self.get(&format!("/categories/{slug}")).await)
    }

    /// Every published product's slug.
    pub async fn published_slugs(&self) -> Result<Vec<String>, Error> {
        self.get("/products").await
    }

    /// A page of the published products of a category and its
    /// sub-categories, filtered and sorted as `query` says.
    pub async fn listing(&self, category: &Slug, query: &ListingQuery) -> Result<ListingV1, Error> {
        let query = query.to_query();
        self.get(&format!("/categories/{category}/products?{query}"))
            .await
    }

    /// The home page's shelves and new arrivals.
    pub async fn home(&self) -> Result<HomeV1, Error> {
        self.get("/home").await
    }

    /// A collection and a page of its products; `None` when no collection
    /// has that slug.
    pub async fn collection_listing(
        &self,
        collection: &Slug,
        query: &ListingQuery,
    ) -> Result<Option<CollectionListingV1>, Error> {
        let query = query.to_query();
        let path = format!("/collections/{collection}/products?{query}");
        not_found_as_none(self.get(&path).await)
    }

    /// Published products matching `term`, filtered, sorted and paged.
    pub async fn search_products(
        &self,
        term: &SearchTerm,
        query: &ListingQuery,
    ) -> Result<ProductSearchV1, Error> {
        let q = url_encode(term.as_str());
        let query = query.to_query();
        self.get(&format!("/search/products?q={q}&{query}")).await
    }

    /// A published product's page, its related pieces included; `None`
    /// when no published product has that slug.
    pub async fn product(&self, slug: &Slug) -> Result<Option<ProductDetailV1>, Error> {
        not_found_as_none(self.get(&format!("/products/{slug}")).await)
    }

    /// Pieces to show beside a published product (what
    /// [`Self::product`]'s page carries in `related`); `None` when no
    /// published product has that slug.
    pub async fn related(&self, slug: &Slug) -> Result<Option<Vec<ProductCardV1>>, Error> {
        not_found_as_none(self.get(&format!("/products/{slug}/related")).await)
    }

    /// What the basket and checkout show of `skus` now: price and
    /// availability of each published one (unknown SKUs are left out).
    pub async fn variant_lines(&self, skus: &[Sku]) -> Result<Vec<VariantLineV1>, Error> {
        if skus.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<&str> = skus.iter().map(Sku::as_str).collect();
        self.get(&format!("/variants?skus={}", list.join(",")))
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
    ) -> Result<Vec<StaffProductSummaryV1>, Error> {
        let (q, status) = (url_encode(words), url_encode(status));
        self.staff_read(token, &format!("/products?q={q}&status={status}"))
            .await
    }

    /// Variants of products in the shop with 3 or fewer left to sell.
    pub async fn low_stock(&self, token: &str) -> Result<Vec<LowStockV1>, Error> {
        self.staff_read(token, "/low-stock").await
    }

    /// `None` when no product has that slug.
    pub async fn staff_product(
        &self,
        token: &str,
        slug: &Slug,
    ) -> Result<Option<StaffProductV1>, Error> {
        not_found_as_none(self.staff_read(token, &format!("/products/{slug}")).await)
    }

    /// Stock in (positive `delta`) or out, with the reason for the audit
    /// trail. Taking out more than is free is refused (422) and changes
    /// nothing.
    pub async fn adjust_stock(
        &self,
        token: &str,
        sku: &Sku,
        change: &StockChangeV1,
    ) -> Result<StockLevel, Error> {
        let path = format!("/variants/{sku}/stock");
        self.change(token, Method::POST, &path, json(change), PRODUCTS)
            .await
    }

    pub async fn stock_history(
        &self,
        token: &str,
        sku: &Sku,
    ) -> Result<Vec<StockAdjustment>, Error> {
        self.staff_read(token, &format!("/variants/{sku}/stock"))
            .await
    }

    pub async fn set_price(&self, token: &str, sku: &Sku, price: &PriceV1) -> Result<(), Error> {
        let path = format!("/variants/{sku}/price");
        self.change(token, Method::PUT, &path, json(price), PRODUCTS)
            .await
    }

    /// Saves a new product as a draft with its grid of variants (a draft
    /// shows nowhere, so nothing is stale).
    pub async fn create_product(
        &self,
        token: &str,
        product: &NewProductV1,
    ) -> Result<StaffProductV1, Error> {
        self.change(token, Method::POST, "/products", json(product), None)
            .await
    }

    /// Changes a product's details and status.
    pub async fn update_product(
        &self,
        token: &str,
        slug: &Slug,
        details: &ProductDetailsV1,
    ) -> Result<StaffProductV1, Error> {
        let path = format!("/products/{slug}");
        self.change(token, Method::PUT, &path, json(details), PRODUCTS)
            .await
    }

    /// Adds the colour and size combinations a product lacks.
    pub async fn add_variants(
        &self,
        token: &str,
        slug: &Slug,
        grid: &NewVariantsV1,
    ) -> Result<StaffProductV1, Error> {
        let path = format!("/products/{slug}/variants");
        self.change(token, Method::POST, &path, json(grid), PRODUCTS)
            .await
    }

    /// Adds a picture of `colour` to a product; `bytes` as uploaded.
    pub async fn add_image(
        &self,
        token: &str,
        slug: &Slug,
        colour: &str,
        alt: &str,
        bytes: Vec<u8>,
    ) -> Result<ImageV1, Error> {
        let (colour, alt) = (url_encode(colour), url_encode(alt));
        let path = format!("/products/{slug}/images?colour={colour}&alt={alt}");
        let body = Some((bytes, "application/octet-stream"));
        self.change(token, Method::POST, &path, body, PRODUCTS)
            .await
    }

    pub async fn delete_image(&self, token: &str, id: &str) -> Result<(), Error> {
        let path = format!("/images/{}", url_encode(id));
        self.change(token, Method::DELETE, &path, None, PRODUCTS)
            .await
    }

    /// The whole tree as staff edit it.
    pub async fn staff_categories(&self, token: &str) -> Result<Vec<StaffCategoryV1>, Error> {
        self.staff_read(token, "/categories").await
    }

    /// A new category under a department, or a new department.
    pub async fn create_category(
        &self,
        token: &str,
        details: &CategoryDetailsV1,
    ) -> Result<(), Error> {
        // Its answer (the new category's slug) is not needed.
        let details = json(details);
        self.change::<serde_json::Value>(token, Method::POST, "/categories", details, TREE)
            .await?;
        Ok(())
    }

    /// A category's name, description and size chart.
    pub async fn update_category(
        &self,
        token: &str,
        slug: &Slug,
        details: &CategoryDetailsV1,
    ) -> Result<(), Error> {
        let path = format!("/categories/{slug}");
        self.change(token, Method::PUT, &path, json(details), TREE)
            .await
    }

    /// Every brand, for staff picking one.
    pub async fn brands(&self, token: &str) -> Result<Vec<BrandV1>, Error> {
        self.staff_read(token, "/brands").await
    }

    /// A variant's barcode; empty removes it. Shoppers never see barcodes,
    /// so nothing is stale.
    pub async fn set_barcode(
        &self,
        token: &str,
        sku: &Sku,
        barcode: &BarcodeV1,
    ) -> Result<(), Error> {
        let path = format!("/variants/{sku}/barcode");
        self.change(token, Method::PUT, &path, json(barcode), None)
            .await
    }

    pub async fn staff_collections(&self, token: &str) -> Result<Vec<StaffCollectionV1>, Error> {
        self.staff_read(token, "/collections").await
    }

    /// `None` when no collection has that slug.
    pub async fn staff_collection(
        &self,
        token: &str,
        slug: &Slug,
    ) -> Result<Option<StaffCollectionV1>, Error> {
        not_found_as_none(
            self.staff_read(token, &format!("/collections/{slug}"))
                .await,
        )
    }

    /// Makes a collection (empty); its address comes from the name when
    /// left empty.
    pub async fn create_collection(
        &self,
        token: &str,
        details: &CollectionDetailsV1,
    ) -> Result<StaffCollectionV1, Error> {
        self.change(token, Method::POST, "/collections", json(details), PRODUCTS)
            .await
    }

    /// Renames a collection and rewrites its description.
    pub async fn update_collection(
        &self,
        token: &str,
        slug: &Slug,
        details: &CollectionDetailsV1,
    ) -> Result<StaffCollectionV1, Error> {
        let path = format!("/collections/{slug}");
        self.change(token, Method::PUT, &path, json(details), PRODUCTS)
            .await
    }

    /// Puts a product (by its slug) last on a collection.
    pub async fn shelve(
        &self,
        token: &str,
        collection: &Slug,
        product: &str,
    ) -> Result<StaffCollectionV1, Error> {
        let path = format!("/collections/{collection}/products");
        let product = product.to_owned();
        self.change(
            token,
            Method::POST,
            &path,
            json(&ShelveV1 { product }),
            PRODUCTS,
        )
        .await
    }

    pub async fn unshelve(
        &self,
        token: &str,
        collection: &Slug,
        product: &Slug,
    ) -> Result<StaffCollectionV1, Error> {
        let path = format!("/collections/{collection}/products/{product}");
        self.change(token, Method::DELETE, &path, None, PRODUCTS)
            .await
    }

    /// Moves a product one place earlier on a collection.
    pub async fn move_earlier(
        &self,
        token: &str,
        collection: &Slug,
        product: &Slug,
    ) -> Result<StaffCollectionV1, Error> {
        let path = format!("/collections/{collection}/products/{product}/earlier");
        self.change(token, Method::POST, &path, None, PRODUCTS)
            .await
    }

    pub async fn search(&self, term: &SearchTerm) -> Result<Vec<CategoryHit>, Error> {
        let q = url_encode(term.as_str());
        self.get(&format!("/search?q={q}")).await
    }

    pub async fn ready(&self) -> Result<(), Error> {
        self.get::<serde_json::Value>("/ready").await.map(|_| ())
    }
}

/// A 404 read as "no such thing".
fn not_found_as_none<T>(answer: Result<T, Error>) -> Result<Option<T>, Error> {
    match answer {
        Err(err) if err.is_not_found() => Ok(None),
        other => other.map(Some),
    }
}

/// A request body as JSON.
fn json(value: &impl serde::Serialize) -> Payload {
    let bytes = serde_json::to_vec(value).expect("a plain struct serializes");
    Some((bytes, "application/json"))
}
