//! Collections: hand-picked shelves of products ("New in", "Sale", "Back
//! to school") that staff fill and order, shown on the home page and on a
//! page each; and the home page's new arrivals.

use contracts::catalog::events::{COLLECTION_CHANGED_V1, CollectionChangedV1};
use contracts::catalog::{
    CollectionDetailsV1, CollectionListingV1, CollectionV1, HomeV1, ShelfV1, StaffCollectionV1,
};
use sqlx::{AnyConnection, Row};

use crate::editing::{Check, EditError, FieldErrors, slug_taken};
use crate::listing::Scope;
use crate::{Catalog, Error, ListingQuery, Slug};

/// Products per shelf on the home page, and new arrivals shown there.
const SHELF_CARDS: i64 = 4;
const NEW_ARRIVALS: i64 = 8;
const MAX_COLLECTION_NAME: usize = 60;
const MAX_COLLECTION_DESCRIPTION: usize = 300;

/// A collection's name, address and description, checked.
#[derive(Clone, Debug)]
pub struct CollectionDetails {
    name: String,
    slug: Slug,
    description: String,
}

impl CollectionDetails {
    /// An empty slug is made from the name.
    pub fn parse(raw: &CollectionDetailsV1) -> Result<Self, FieldErrors> {
        let mut check = Check::default();
        let name = raw.name.trim().to_owned();
        if !(2..=MAX_COLLECTION_NAME).contains(&name.chars().count())
            || name.chars().any(char::is_control)
        {
            check.fail(
                "name",
                format!("Give the collection a name of 2 to {MAX_COLLECTION_NAME} characters."),
            );
        }
        let slug = check.address(&raw.slug, &name, "summer-holiday");
        let description = check.text(
            "description",
            &raw.description,
            MAX_COLLECTION_DESCRIPTION,
            "description",
        );
        check.done(|| Self {
            name,
            slug: slug.expect("checked"),
            description,
        })
    }

    pub fn slug(&self) -> &Slug {
        &self.slug
    }
}

fn collection(row: &sqlx::any::AnyRow) -> Result<CollectionV1, sqlx::Error> {
    Ok(CollectionV1 {
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
    })
}

/// Tells every storefront's cache, in the caller's transaction.
/// Tells storefronts the collection `slug` changed.
async fn announce(conn: &mut AnyConnection, slug: &str) -> Result<(), sqlx::Error> {
    let event = CollectionChangedV1 {
        slug: slug.to_owned(),
    };
    crate::commands::announce(conn, COLLECTION_CHANGED_V1, &event).await
}

impl Catalog {
    /// Every collection, in display order.
    pub async fn collections(&self) -> Result<Vec<CollectionV1>, Error> {
        sqlx::query("SELECT slug, name, description FROM collections ORDER BY position, slug")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(collection)
            .collect::<Result<_, _>>()
            .map_err(Error::from)
    }

    async fn find_collection(&self, slug: &Slug) -> Result<Option<CollectionV1>, Error> {
        sqlx::query("SELECT slug, name, description FROM collections WHERE slug = $1")
            .bind(slug.as_str())
            .fetch_optional(&self.pool)
            .await?
            .map(|row| collection(&row).map_err(Error::from))
            .transpose()
    }

    /// A collection with a page of its published products, filtered and
    /// sorted like a category's; `None` if no collection has that slug.
    #[tracing::instrument(name = "catalog.collection_listing", skip(self))]
    pub async fn collection_listing(
        &self,
        slug: &Slug,
        query: &ListingQuery,
    ) -> Result<Option<CollectionListingV1>, Error> {
        let Some(found) = self.find_collection(slug).await? else {
            return Ok(None);
        };
        Ok(Some(CollectionListingV1 {
            collection: found,
            listing: self.list(Scope::Collection(slug), query).await?,
        }))
    }

    /// The home page: each collection with published products, its first
    /// few in staff's order, then the newest arrivals.
    #[tracing::instrument(name = "catalog.home", skip(self))]
    pub async fn home(&self) -> Result<HomeV1, Error> {
        let mut shelves = Vec::new();
        for collection in self.collections().await? {
            let ids: Vec<String> = sqlx::query_scalar(
                "SELECT p.id FROM collection_products cp
                 JOIN collections k ON k.id = cp.collection_id
                 JOIN products p ON p.id = cp.product_id
                 WHERE k.slug = $1 AND p.status = 'active'
                 ORDER BY cp.position, p.id LIMIT $2",
            )
            .bind(&collection.slug)
            .bind(SHELF_CARDS)
            .fetch_all(&self.pool)
            .await?;
            let cards = self.cards(&ids).await?;
            if !cards.is_empty() {
                shelves.push(ShelfV1 { collection, cards });
            }
        }
        let newest: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM products WHERE status = 'active'
             ORDER BY created_at_ms DESC, id DESC LIMIT $1",
        )
        .bind(NEW_ARRIVALS)
        .fetch_all(&self.pool)
        .await?;
        Ok(HomeV1 {
            shelves,
            new_arrivals: self.cards(&newest).await?,
        })
    }

    /// Collections with every product on them, drafts included, in
    /// staff's order.
    pub async fn staff_collections(&self) -> Result<Vec<StaffCollectionV1>, Error> {
        let mut all = Vec::new();
        for collection in self.collections().await? {
            let products = self.shelved(&collection.slug).await?;
            all.push(StaffCollectionV1 {
                slug: collection.slug,
                name: collection.name,
                description: collection.description,
                products,
            });
        }
        Ok(all)
    }

    pub async fn staff_collection(&self, slug: &Slug) -> Result<Option<StaffCollectionV1>, Error> {
        let Some(found) = self.find_collection(slug).await? else {
            return Ok(None);
        };
        Ok(Some(StaffCollectionV1 {
            products: self.shelved(&found.slug).await?,
            slug: found.slug,
            name: found.name,
            description: found.description,
        }))
    }

    async fn shelved(
        &self,
        collection: &str,
    ) -> Result<Vec<contracts::catalog::StaffProductSummaryV1>, Error> {
        let rows: Vec<crate::staff::SummaryRow> = sqlx::query_as(
            "SELECT p.slug, p.name, p.status,
                    CAST(COUNT(v.sku) AS BIGINT) AS variants,
                    CAST(COALESCE(SUM(v.on_hand), 0) AS BIGINT) AS on_hand
             FROM collection_products cp
             JOIN collections k ON k.id = cp.collection_id
             JOIN products p ON p.id = cp.product_id
             LEFT JOIN variants v ON v.product_id = p.id
             WHERE k.slug = $1
             GROUP BY p.id, p.slug, p.name, p.status, cp.position
             ORDER BY cp.position, p.slug",
        )
        .bind(collection)
        .fetch_all(&self.pool)
        .await?;
        Ok(crate::staff::summaries(rows))
    }

    /// A new, empty collection, shown after the others.
    #[tracing::instrument(name = "catalog.create_collection", skip_all, fields(slug = %details.slug.as_str()))]
    pub async fn create_collection(&self, details: &CollectionDetails) -> Result<(), EditError> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let next: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(position), -1) + 1 AS BIGINT) FROM collections",
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO collections (id, slug, name, description, position) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(details.slug.as_str())
        .bind(&details.name)
        .bind(&details.description)
        .bind(next)
        .execute(&mut *tx)
        .await
        .map_err(slug_taken("collection", &details.slug))?;
        announce(&mut tx, details.slug.as_str()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Renames a collection and rewrites its description; its address
    /// stays, so shared links keep working.
    #[tracing::instrument(name = "catalog.update_collection", skip(self, details))]
    pub async fn update_collection(
        &self,
        slug: &Slug,
        details: &CollectionDetails,
    ) -> Result<(), EditError> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let done =
            sqlx::query("UPDATE collections SET name = $1, description = $2 WHERE slug = $3")
                .bind(&details.name)
                .bind(&details.description)
                .bind(slug.as_str())
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(EditError::Refused("No such collection.".into()));
        }
        announce(&mut tx, slug.as_str()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts a product (any status: a draft shows once published) last on
    /// a collection; one already on it stays where it is.
    #[tracing::instrument(name = "catalog.shelve", skip(self))]
    pub async fn shelve(&self, collection: &Slug, product: &str) -> Result<(), EditError> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let collection_id: String =
            sqlx::query_scalar("SELECT id FROM collections WHERE slug = $1")
                .bind(collection.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| EditError::Refused("No such collection.".into()))?;
        let product_id: String = sqlx::query_scalar("SELECT id FROM products WHERE slug = $1")
            .bind(product.trim())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                EditError::Fields(FieldErrors::from([(
                    "product".to_owned(),
                    "No product has that address: copy it from the product's page, like linen-wrap-dress.".to_owned(),
                )]))
            })?;
        sqlx::query(
            "INSERT INTO collection_products (collection_id, product_id, position)
             SELECT $1, $2, CAST(COALESCE(MAX(position), -1) + 1 AS BIGINT)
             FROM collection_products WHERE collection_id = $3
             ON CONFLICT (collection_id, product_id) DO NOTHING",
        )
        .bind(&collection_id)
        .bind(&product_id)
        .bind(&collection_id)
        .execute(&mut *tx)
        .await?;
        announce(&mut tx, collection.as_str()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes a product off a collection; `false` if it was not on it.
    #[tracing::instrument(name = "catalog.unshelve", skip(self))]
    pub async fn unshelve(&self, collection: &Slug, product: &Slug) -> Result<bool, Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let done = sqlx::query(
            "DELETE FROM collection_products
             WHERE collection_id = (SELECT id FROM collections WHERE slug = $1)
               AND product_id = (SELECT id FROM products WHERE slug = $2)",
        )
        .bind(collection.as_str())
        .bind(product.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            announce(&mut tx, collection.as_str()).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Moves a product one place earlier on its collection (swapping with
    /// the one before it); `false` if it is first or not on it.
    #[tracing::instrument(name = "catalog.move_earlier", skip(self))]
    pub async fn move_earlier(&self, collection: &Slug, product: &Slug) -> Result<bool, Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let rows = sqlx::query(
            "SELECT cp.collection_id, cp.product_id, cp.position, p.slug
             FROM collection_products cp
             JOIN collections k ON k.id = cp.collection_id
             JOIN products p ON p.id = cp.product_id
             WHERE k.slug = $1 ORDER BY cp.position, p.slug",
        )
        .bind(collection.as_str())
        .fetch_all(&mut *tx)
        .await?;
        let Some(at) = rows
            .iter()
            .position(|r| r.try_get::<String, _>("slug").ok().as_deref() == Some(product.as_str()))
            .filter(|at| *at > 0)
        else {
            return Ok(false);
        };
        // Positions are renumbered in order, so equal ones cannot stall a move.
        let mut order: Vec<&sqlx::any::AnyRow> = rows.iter().collect();
        order.swap(at - 1, at);
        for (position, row) in order.iter().enumerate() {
            sqlx::query(
                "UPDATE collection_products SET position = $1 WHERE collection_id = $2 AND product_id = $3",
            )
            .bind(position as i64)
            .bind(row.try_get::<String, _>("collection_id")?)
            .bind(row.try_get::<String, _>("product_id")?)
            .execute(&mut *tx)
            .await?;
        }
        announce(&mut tx, collection.as_str()).await?;
        tx.commit().await?;
        Ok(true)
    }
}
