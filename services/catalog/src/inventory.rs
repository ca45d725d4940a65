//! Products, their variants, and stock. Stock only moves through
//! conditional updates (`… WHERE on_hand + delta >= reserved`), so two
//! staff members or two orders racing for the last unit cannot both take
//! it, and every change leaves an audit row and a `StockChanged` event in
//! the same transaction.

use contracts::catalog::events::{
    PRODUCT_CHANGED_V1, ProductChangedV1, STOCK_CHANGED_V1, StockChangedV1,
};
use contracts::catalog::{
    ProductCardV1, ProductDetailV1, StockAdjustment, StockLevel, VariantLineV1, VariantV1,
};
use platform::outbox::now_ms;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::{Barcode, Catalog, Error, Money, Sku, Slug, StockReason};

/// A product as staff first enter it: a draft until it is published.
#[derive(Clone, Debug)]
pub struct NewProduct {
    pub slug: Slug,
    pub name: String,
    pub category: Slug,
    pub variants: Vec<NewVariant>,
}

#[derive(Clone, Debug)]
pub struct NewVariant {
    pub sku: Sku,
    pub colour: String,
    pub size: String,
    pub price: Money,
}

fn taken_or(err: sqlx::Error, what: &str) -> Error {
    if err
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation())
    {
        Error::Taken(what.to_owned())
    } else {
        Error::from(err)
    }
}

pub(crate) async fn insert_variant(
    conn: &mut AnyConnection,
    product_id: &str,
    variant: &NewVariant,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO variants (sku, product_id, colour, size, price_minor, position)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(variant.sku.as_str())
    .bind(product_id)
    .bind(&variant.colour)
    .bind(&variant.size)
    .bind(variant.price.minor())
    .bind(position)
    .execute(conn)
    .await
    .map(|_| ())
}

impl Catalog {
    /// Adds a draft product with its variants (no stock yet); returns its id.
    #[tracing::instrument(name = "catalog.add_product", skip_all, fields(slug = %product.slug.as_str()))]
    pub async fn add_product(&self, product: &NewProduct) -> Result<String, Error> {
        let now = now_ms();
        let id = Uuid::now_v7().to_string();
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let category: Option<String> =
            sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1")
                .bind(product.category.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        let category =
            category.ok_or_else(|| Error::UnknownCategory(product.category.as_str().to_owned()))?;
        sqlx::query(
            "INSERT INTO products (id, slug, name, category_id, created_at_ms)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(product.slug.as_str())
        .bind(&product.name)
        .bind(&category)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| taken_or(e, &format!("The address {}", product.slug.as_str())))?;
        for (position, variant) in product.variants.iter().enumerate() {
            insert_variant(&mut tx, &id, variant, position as i64)
                .await
                .map_err(|e| {
                    taken_or(
                        e,
                        &format!("The SKU {} (or its colour and size)", variant.sku),
                    )
                })?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Adds (`delta > 0`) or takes out (`delta < 0`) stock of one variant,
    /// recording who did it and why. Taking out more than is available
    /// (on hand minus reserved) changes nothing and says how many could be
    /// taken. Returns the new level.
    #[tracing::instrument(name = "catalog.adjust_stock", skip(self, reason))]
    pub async fn adjust_stock(
        &self,
        sku: &Sku,
        delta: i64,
        reason: &StockReason,
        actor: &str,
    ) -> Result<StockLevel, Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let changed = sqlx::query(
            "UPDATE variants SET on_hand = on_hand + $1
             WHERE sku = $2 AND on_hand + $1 >= reserved AND on_hand + $1 >= 0
             RETURNING on_hand, reserved",
        )
        .bind(delta)
        .bind(sku.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = changed else {
            let level = stock_level(&mut tx, sku).await?;
            return Err(match level {
                Some(level) => Error::InsufficientStock {
                    available: level.on_hand - level.reserved,
                },
                None => Error::UnknownSku(sku.as_str().to_owned()),
            });
        };
        let level = StockLevel {
            sku: sku.as_str().to_owned(),
            on_hand: row.try_get("on_hand")?,
            reserved: row.try_get("reserved")?,
        };
        audit(&mut tx, &level, delta, reason.as_str(), actor).await?;
        announce(&mut tx, &level).await?;
        tx.commit().await?;
        Ok(level)
    }

    pub async fn stock(&self, sku: &Sku) -> Result<Option<StockLevel>, Error> {
        let mut conn = self.pool.acquire().await?;
        stock_level(&mut conn, sku).await
    }

    /// Every change of a variant's stock, oldest first.
    pub async fn stock_history(&self, sku: &Sku) -> Result<Vec<StockAdjustment>, Error> {
        let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
            "SELECT delta, on_hand_after, reason, actor, created_at_ms FROM stock_adjustments
             WHERE sku = $1 ORDER BY created_at_ms, id",
        )
        .bind(sku.as_str())
        .fetch_all(&self.pool)
        .await?;
        let history =
            rows.into_iter().map(
                |(delta, on_hand_after, reason, actor, at_ms)| StockAdjustment {
                    delta,
                    on_hand_after,
                    reason,
                    actor,
                    at_ms,
                },
            );
        Ok(history.collect())
    }
}

/// The audit row of a change of on-hand stock.
pub(crate) async fn audit(
    conn: &mut AnyConnection,
    level: &StockLevel,
    delta: i64,
    reason: &str,
    actor: &str,
) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO stock_adjustments (id, sku, delta, on_hand_after, reason, actor, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(&level.sku)
    .bind(delta)
    .bind(level.on_hand)
    .bind(reason)
    .bind(actor)
    .bind(now_ms())
    .execute(conn)
    .await
    .map_err(Error::from)
    .map(|_| ())
}

/// Tells readers (listings, baskets) what is left to buy.
pub(crate) async fn announce(conn: &mut AnyConnection, level: &StockLevel) -> Result<(), Error> {
    let event = StockChangedV1 {
        sku: level.sku.clone(),
        on_hand: level.on_hand,
        available: level.on_hand - level.reserved,
    };
    crate::commands::announce(&mut *conn, STOCK_CHANGED_V1, &event).await?;
    // "Sold out" and "only a few left" show on its page and in listings.
    product_changed(conn, ProductOf::Sku(&level.sku)).await
}

/// Which product a change is about.
pub(crate) enum ProductOf<'a> {
    Sku(&'a str),
    Slug(&'a str),
}

/// Enqueues `ProductChangedV1` in the caller's transaction, naming the
/// product's category and its parent, whose listings show it.
pub(crate) async fn product_changed(
    conn: &mut AnyConnection,
    of: ProductOf<'_>,
) -> Result<(), Error> {
    let (filter, key) = match of {
        ProductOf::Sku(sku) => (
            "p.id = (SELECT product_id FROM variants WHERE sku = $1)",
            sku,
        ),
        ProductOf::Slug(slug) => ("p.slug = $1", slug),
    };
    let sql = format!(
        "SELECT p.slug, c.slug AS category, parent.slug AS parent
         FROM products p
         JOIN categories c ON c.id = p.category_id
         LEFT JOIN categories parent ON parent.id = c.parent_id
         WHERE {filter}"
    );
    let Some(row) = sqlx::query(&sql)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(());
    };
    let mut categories = vec![row.try_get::<String, _>("category")?];
    categories.extend(row.try_get::<Option<String>, _>("parent")?);
    let event = ProductChangedV1 {
        slug: row.try_get("slug")?,
        categories,
    };
    crate::commands::announce(conn, PRODUCT_CHANGED_V1, &event).await?;
    Ok(())
}

pub(crate) async fn stock_level(
    conn: &mut AnyConnection,
    sku: &Sku,
) -> Result<Option<StockLevel>, Error> {
    let row = sqlx::query("SELECT on_hand, reserved FROM variants WHERE sku = $1")
        .bind(sku.as_str())
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        Ok(StockLevel {
            sku: sku.as_str().to_owned(),
            on_hand: row.try_get("on_hand")?,
            reserved: row.try_get("reserved")?,
        })
    })
    .transpose()
}

impl Catalog {
    /// Puts a draft product on the storefront. `false` if no product has
    /// that slug.
    #[tracing::instrument(name = "catalog.publish_product", skip(self))]
    pub async fn publish_product(&self, slug: &Slug) -> Result<bool, Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let done = sqlx::query("UPDATE products SET status = 'active' WHERE slug = $1")
            .bind(slug.as_str())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 1 {
            product_changed(&mut tx, ProductOf::Slug(slug.as_str())).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Reprices one variant (a sale, a correction). Baskets holding it show
    /// the new price, flagged, the next time they are seen; `false` if no
    /// variant has that SKU. Clearing the sale price when it would no
    /// longer be above the new price keeps the variant valid.
    #[tracing::instrument(name = "catalog.set_price", skip(self))]
    pub async fn set_price(&self, sku: &Sku, price: Money) -> Result<bool, Error> {
        self.reprice(
            sku,
            "UPDATE variants SET price_minor = $1,
                 compare_at_minor = CASE WHEN compare_at_minor > $1 THEN compare_at_minor END
             WHERE sku = $2",
            price,
            None,
        )
        .await
    }

    /// Sets a variant's price and its sale: `compare_at` is the price
    /// before the sale (above `price`; the caller checked), `None` ends
    /// the sale. `false` if no variant has that SKU.
    #[tracing::instrument(name = "catalog.set_sale_price", skip(self))]
    pub async fn set_sale_price(
        &self,
        sku: &Sku,
        price: Money,
        compare_at: Option<Money>,
    ) -> Result<bool, Error> {
        self.reprice(
            sku,
            "UPDATE variants SET price_minor = $1, compare_at_minor = $2 WHERE sku = $3",
            price,
            Some(compare_at),
        )
        .await
    }

    /// Runs `update` (price, then the sale price when given, then the SKU)
    /// and announces the change in the same transaction.
    async fn reprice(
        &self,
        sku: &Sku,
        update: &str,
        price: Money,
        compare_at: Option<Option<Money>>,
    ) -> Result<bool, Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let mut query = sqlx::query(update).bind(price.minor());
        if let Some(compare_at) = compare_at {
            query = query.bind(compare_at.map(Money::minor));
        }
        let done = query.bind(sku.as_str()).execute(&mut *tx).await?;
        if done.rows_affected() == 1 {
            product_changed(&mut tx, ProductOf::Sku(sku.as_str())).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets (or with `None` removes) a variant's barcode. `Ok(false)` if no
    /// variant has that SKU; [`Error::BarcodeTaken`] names the variant that
    /// has it already.
    #[tracing::instrument(name = "catalog.set_barcode", skip(self))]
    pub async fn set_barcode(&self, sku: &Sku, barcode: Option<&Barcode>) -> Result<bool, Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        if let Some(code) = barcode {
            let holder: Option<String> =
                sqlx::query_scalar("SELECT sku FROM variants WHERE barcode = $1 AND sku <> $2")
                    .bind(code.as_str())
                    .bind(sku.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(holder) = holder {
                return Err(Error::BarcodeTaken(holder));
            }
        }
        let done = sqlx::query("UPDATE variants SET barcode = $1 WHERE sku = $2")
            .bind(barcode.map(|b| b.as_str().to_owned()))
            .bind(sku.as_str())
            .execute(&mut *tx)
            .await
            .map_err(|err| {
                // Another desk gave it out between the check and now.
                if err
                    .as_database_error()
                    .is_some_and(|e| e.is_unique_violation())
                {
                    Error::BarcodeTaken("another variant".into())
                } else {
                    Error::from(err)
                }
            })?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// A published product with its variants and what is left of each;
    /// `None` for an unknown slug or a product not (or no longer) on sale.
    #[tracing::instrument(name = "catalog.product", skip(self))]
    pub async fn product(&self, slug: &Slug) -> Result<Option<ProductDetailV1>, Error> {
        let row = sqlx::query(
            "SELECT p.id, p.name, p.description, p.material_care, p.category_id,
                    c.slug AS category_slug, c.parent_id AS department_id
             FROM products p JOIN categories c ON c.id = p.category_id
             WHERE p.slug = $1 AND p.status = 'active'",
        )
        .bind(slug.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: String = row.try_get("id")?;
        let category: String = row.try_get("category_slug")?;
        let breadcrumb = match Slug::parse(&category) {
            Ok(category) => match self.category(&category).await? {
                Some(detail) => {
                    let mut trail = detail.ancestors;
                    trail.push(detail.category);
                    trail
                }
                None => Vec::new(),
            },
            Err(_) => Vec::new(),
        };
        let rows: Vec<(String, String, String, i64, Option<i64>, i64)> = sqlx::query_as(
            "SELECT sku, colour, size, price_minor, compare_at_minor, on_hand - reserved
             FROM variants WHERE product_id = $1 ORDER BY position",
        )
        .bind(&id)
        .fetch_all(&self.pool)
        .await?;
        let variants: Vec<VariantV1> = rows
            .into_iter()
            .map(
                |(sku, colour, size, price_minor, compare_at_minor, available)| VariantV1 {
                    sku,
                    colour,
                    size,
                    price_minor,
                    compare_at_minor,
                    available,
                },
            )
            .collect();
        let category_id: String = row.try_get("category_id")?;
        let department_id: Option<String> = row.try_get("department_id")?;
        let (brand, audience, tags) = crate::labels::of_product(&self.pool, &id).await?;
        // One-size pieces have nothing to measure.
        let size_chart = if variants.iter().all(|v| v.size == "One size") {
            None
        } else {
            crate::labels::size_chart(&self.pool, &category_id).await?
        };
        let related = self
            .related(&id, &category_id, department_id.as_deref())
            .await?;
        Ok(Some(ProductDetailV1 {
            slug: slug.as_str().to_owned(),
            name: row.try_get("name")?,
            breadcrumb,
            variants,
            description: row.try_get("description")?,
            material_care: row.try_get("material_care")?,
            images: self.images_of_product(&id).await?,
            brand,
            audience,
            tags,
            size_chart,
            related,
        }))
    }
}

impl Catalog {
    /// The "you may also like" cards of a published product; `None` for an
    /// unknown or unpublished one.
    #[tracing::instrument(name = "catalog.related_to", skip(self))]
    pub async fn related_to(&self, slug: &Slug) -> Result<Option<Vec<ProductCardV1>>, Error> {
        let row = sqlx::query(
            "SELECT p.id, p.category_id, c.parent_id FROM products p
             JOIN categories c ON c.id = p.category_id
             WHERE p.slug = $1 AND p.status = 'active'",
        )
        .bind(slug.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let id: String = row.try_get("id")?;
        let category: String = row.try_get("category_id")?;
        let department: Option<String> = row.try_get("parent_id")?;
        self.related(&id, &category, department.as_deref())
            .await
            .map(Some)
    }

    /// The variants of published products among `skus`, in no set order;
    /// an unknown SKU is simply missing from the answer.
    #[tracing::instrument(skip_all, fields(count = skus.len()))]
    pub async fn variant_lines(&self, skus: &[Sku]) -> Result<Vec<VariantLineV1>, Error> {
        // One statement per batch of SKUs (not one per SKU); batches stay
        // well under SQLite's limit on bound parameters.
        const BATCH: usize = 200;
        let mut found = std::collections::HashMap::with_capacity(skus.len());
        for batch in skus.chunks(BATCH) {
            let placeholders: Vec<String> = (1..=batch.len()).map(|n| format!("${n}")).collect();
            let sql = format!(
                "SELECT v.sku, p.slug, p.name, v.colour, v.size, v.price_minor,
                        v.on_hand - v.reserved
                 FROM variants v JOIN products p ON p.id = v.product_id
                 WHERE v.sku IN ({}) AND p.status = 'active'",
                placeholders.join(", ")
            );
            let mut query =
                sqlx::query_as::<_, (String, String, String, String, String, i64, i64)>(&sql);
            for sku in batch {
                query = query.bind(sku.as_str());
            }
            for row in query.fetch_all(&self.pool).await? {
                let (sku, product_slug, product_name, colour, size, price_minor, available) = row;
                let line = VariantLineV1 {
                    sku,
                    product_slug,
                    product_name,
                    colour,
                    size,
                    price_minor,
                    available,
                };
                found.insert(line.sku.clone(), line);
            }
        }
        // In the order asked for; unknown or unpublished SKUs left out.
        Ok(skus
            .iter()
            .filter_map(|sku| found.get(sku.as_str()).cloned())
            .collect())
    }

    /// Every published product's slug, oldest first: for the sitemap.
    pub async fn published_slugs(&self) -> Result<Vec<String>, Error> {
        sqlx::query_scalar(
            "SELECT slug FROM products WHERE status = 'active' ORDER BY created_at_ms, id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(Error::from)
    }
}
