//! What staff read of the catalog: every product whatever its status, and
//! each variant's price and stock.

use contracts::catalog::{LowStockV1, StaffProductSummaryV1, StaffProductV1, StaffVariantV1};
use sqlx::Row;

use crate::inventory::db;
use crate::{Catalog, Error, Slug};

impl Catalog {
    /// Products by name: those whose name or address holds `words` (any
    /// case) and, when given, in `status`.
    pub async fn staff_products(
        &self,
        words: &str,
        status: Option<crate::editing::Status>,
    ) -> Result<Vec<StaffProductSummaryV1>, Error> {
        // `%` and `_` typed are meant literally.
        let escaped: String = words
            .trim()
            .to_lowercase()
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let rows = sqlx::query(
            "SELECT p.slug, p.name, p.status,
                    CAST(COUNT(v.sku) AS BIGINT) AS variants,
                    CAST(COALESCE(SUM(v.on_hand), 0) AS BIGINT) AS on_hand
             FROM products p LEFT JOIN variants v ON v.product_id = p.id
             WHERE (LOWER(p.name) LIKE $1 ESCAPE '\\' OR p.slug LIKE $1 ESCAPE '\\')
               AND ($2 = '' OR p.status = $2)
             GROUP BY p.id, p.slug, p.name, p.status ORDER BY p.name, p.slug",
        )
        .bind(format!("%{escaped}%"))
        .bind(status.map_or("", crate::editing::Status::as_str))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        summaries(rows)
    }

    /// Variants of products in the shop with at most `max_free` left to
    /// sell, fewest first.
    pub async fn low_stock(&self, max_free: i64) -> Result<Vec<LowStockV1>, Error> {
        sqlx::query(
            "SELECT p.slug, p.name, v.sku, v.colour, v.size, v.on_hand - v.reserved AS free
             FROM variants v JOIN products p ON p.id = v.product_id
             WHERE p.status = 'active' AND v.on_hand - v.reserved <= $1
             ORDER BY free, p.name, v.position
             LIMIT 200",
        )
        .bind(max_free)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?
        .into_iter()
        .map(|row| {
            Ok(LowStockV1 {
                slug: row.try_get("slug")?,
                name: row.try_get("name")?,
                sku: row.try_get("sku")?,
                colour: row.try_get("colour")?,
                size: row.try_get("size")?,
                free: row.try_get("free")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db)
    }

    /// One product with every variant's price and stock; `None` if no
    /// product has that slug.
    pub async fn staff_product(&self, slug: &Slug) -> Result<Option<StaffProductV1>, Error> {
        let Some(row) = sqlx::query(
            "SELECT p.id, p.name, p.status, p.description, p.material_care, c.slug AS category
             FROM products p
             JOIN categories c ON c.id = p.category_id WHERE p.slug = $1",
        )
        .bind(slug.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        else {
            return Ok(None);
        };
        let id: String = row.try_get("id").map_err(db)?;
        let variants = sqlx::query(
            "SELECT sku, colour, size, price_minor, on_hand, reserved, compare_at_minor, barcode FROM variants
             WHERE product_id = $1 ORDER BY position",
        )
        .bind(&id)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?
        .into_iter()
        .map(|v| {
            Ok(StaffVariantV1 {
                sku: v.try_get("sku")?,
                colour: v.try_get("colour")?,
                size: v.try_get("size")?,
                price_minor: v.try_get("price_minor")?,
                on_hand: v.try_get("on_hand")?,
                reserved: v.try_get("reserved")?,
                compare_at_minor: v.try_get("compare_at_minor")?,
                barcode: v.try_get("barcode")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db)?;
        let (brand, audience, tags) = crate::labels::of_product(&self.pool, &id).await?;
        Ok(Some(StaffProductV1 {
            slug: slug.as_str().to_owned(),
            name: row.try_get("name").map_err(db)?,
            status: row.try_get("status").map_err(db)?,
            category: row.try_get("category").map_err(db)?,
            description: row.try_get("description").map_err(db)?,
            material_care: row.try_get("material_care").map_err(db)?,
            images: self.images_of_product(&id).await?,
            variants,
            brand: brand.map(|b| b.name).unwrap_or_default(),
            audience,
            tags,
        }))
    }

    /// Every brand, by name, for staff to pick from.
    pub async fn brands(&self) -> Result<Vec<contracts::catalog::BrandV1>, Error> {
        crate::labels::brands(&self.pool).await
    }
}

/// Rows with `slug`, `name`, `status`, `variants` and `on_hand`.
pub(crate) fn summaries(rows: Vec<sqlx::any::AnyRow>) -> Result<Vec<StaffProductSummaryV1>, Error> {
    rows.into_iter()
        .map(|row| {
            Ok(StaffProductSummaryV1 {
                slug: row.try_get("slug")?,
                name: row.try_get("name")?,
                status: row.try_get("status")?,
                variants: row.try_get("variants")?,
                on_hand: row.try_get("on_hand")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db)
}
