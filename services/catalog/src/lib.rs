//! The catalog service: what SURY sells and how it is arranged.
//!
//! The crate reads the same way as every SURY service: `queries` is the read
//! side, `store` holds the SQL and nothing else, `seed` loads the base data,
//! and the types a caller hands in (`Slug`, `SearchTerm`) are parsed once, at
//! the edge, so nothing below has to re-check them.

pub mod api;
mod categories;
mod commands;
mod demo;
mod editing;
mod error;
mod inventory;
mod labels;
mod listing;
mod media;
mod queries;
mod reservations;
mod saga;
mod search;
mod seed;
mod settings;
mod shelves;
mod staff;
mod store;
mod text;

use sqlx::AnyPool;

pub use catalog_api::{
    Barcode, CatalogClient, CategoryName, InputError, ListingQuery, Money, Problem, Quantity,
    SearchTerm, Sku, Slug, StockReason,
};
pub use categories::CategoryDetails;
pub use editing::{EditError, FieldErrors, ProductDetails, ProductDraft, Status, VariantGrid};
pub use error::Error;
pub use inventory::{NewProduct, NewVariant};
pub use media::{ImageUpload, Media, WIDTHS as IMAGE_WIDTHS, megabytes};
pub use settings::Settings;
pub use shelves::CollectionDetails;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/catalog");

/// A handle on the catalog service. Cheap to clone: clones share one pool.
#[derive(Clone, Debug)]
pub struct Catalog {
    pool: AnyPool,
    /// Checks the access tokens callers of the API send. Without one, any
    /// request carrying a token is refused (anonymous ones are served).
    verifier: Option<platform::auth::TokenVerifier>,
    /// Where product pictures are kept. Without one, products show none
    /// and uploads are refused.
    media: Option<Media>,
}

impl Catalog {
    /// Connects to the catalog's database (`sqlite://…` or `postgres://…`),
    /// brings its schema up to date and loads the base category tree.
    #[tracing::instrument(name = "catalog.open", skip_all)]
    pub async fn open(database_url: &str) -> Result<Self, Error> {
        let pool = platform::db::connect(database_url, 8).await?;
        MIGRATOR.run(&pool).await.map_err(Error::from)?;
        seed::ensure_category_tree(&pool).await?;
        seed::ensure_shelves_and_charts(&pool).await?;
        Ok(Self {
            pool,
            verifier: None,
            media: None,
        })
    }

    /// Lets the API accept callers' access tokens, checked with identity's
    /// public key.
    pub fn with_token_verifier(mut self, verifier: platform::auth::TokenVerifier) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// Keeps product pictures in `media`.
    pub fn with_media(mut self, media: Media) -> Self {
        self.media = Some(media);
        self
    }

    /// The largest picture staff may upload (0 without a media store).
    pub fn max_upload_bytes(&self) -> usize {
        self.media.as_ref().map_or(0, |m| m.max_upload_bytes)
    }

    /// Answers whether the catalog can serve reads right now.
    pub async fn check_ready(&self) -> Result<(), Error> {
        platform::db::ping(&self.pool).await.map_err(Error::from)
    }

    /// A client calling this catalog's API in this process.
    pub fn client(&self) -> CatalogClient {
        CatalogClient::in_process(api::router(self.clone()))
    }

    /// Closes the pool: waits for queries in flight, refuses new ones.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
