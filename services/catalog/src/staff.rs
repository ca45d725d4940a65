//! What staff read of the catalog: every product whatever its status, and
//! each variant's price and stock.

use contracts::catalog::{StaffProductSummaryV1, StaffProductV1, StaffVariantV1};
use sqlx::Row;

use crate::inventory::db;
use crate::{Catalog, Error, Slug};

impl Catalog {
    /// Every product, by name.
    pub async fn staff_products(&self) -> Result<Vec<StaffProductSummaryV1>, Error> {
        let rows = sqlx::query(
            "SELECT p.slug, p.name, p.status,
                    CAST(COUNT(v.sku) AS BIGINT) AS variants,
                    CAST(COALESCE(SUM(v.on_hand), 0) AS BIGINT) AS on_hand
             FROM products p LEFT JOIN variants v ON v.product_id = p.id
             GROUP BY p.id, p.slug, p.name, p.status ORDER BY p.name, p.slug",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
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
            "SELECT sku, colour, size, price_minor, on_hand, reserved FROM variants
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
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db)?;
        Ok(Some(StaffProductV1 {
            slug: slug.as_str().to_owned(),
            name: row.try_get("name").map_err(db)?,
            status: row.try_get("status").map_err(db)?,
            category: row.try_get("category").map_err(db)?,
            description: row.try_get("description").map_err(db)?,
            material_care: row.try_get("material_care").map_err(db)?,
            images: self.images_of_product(&id).await?,
            variants,
        }))
    }
}
