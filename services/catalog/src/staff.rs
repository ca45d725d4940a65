//! What staff read of the catalog: every product whatever its status, and
//! each variant's price and stock.

use contracts::catalog::{LowStockV1, StaffProductSummaryV1, StaffProductV1, StaffVariantV1};
use sqlx::Row;

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
        let rows: Vec<SummaryRow> = sqlx::query_as(
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
        .await?;
        Ok(summaries(rows))
    }

    /// Variants of products in the shop with at most `max_free` left to
    /// sell, fewest first.
    pub async fn low_stock(&self, max_free: i64) -> Result<Vec<LowStockV1>, Error> {
        let rows: Vec<(String, String, String, String, String, i64)> = sqlx::query_as(
            "SELECT p.slug, p.name, v.sku, v.colour, v.size, v.on_hand - v.reserved AS free
             FROM variants v JOIN products p ON p.id = v.product_id
             WHERE p.status = 'active' AND v.on_hand - v.reserved <= $1
             ORDER BY free, p.name, v.position
             LIMIT 200",
        )
        .bind(max_free)
        .fetch_all(&self.pool)
        .await?;
        let low = rows
            .into_iter()
            .map(|(slug, name, sku, colour, size, free)| LowStockV1 {
                slug,
                name,
                sku,
                colour,
                size,
                free,
            });
        Ok(low.collect())
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
        .await?
        else {
            return Ok(None);
        };
        let id: String = row.try_get("id")?;
        let variants: Vec<VariantRow> = sqlx::query_as(
            "SELECT sku, colour, size, price_minor, on_hand, reserved, compare_at_minor, barcode FROM variants
             WHERE product_id = $1 ORDER BY position",
        )
        .bind(&id)
        .fetch_all(&self.pool)
        .await?;
        let (brand, audience, tags) = crate::labels::of_product(&self.pool, &id).await?;
        Ok(Some(StaffProductV1 {
            slug: slug.as_str().to_owned(),
            name: row.try_get("name")?,
            status: row.try_get("status")?,
            category: row.try_get("category")?,
            description: row.try_get("description")?,
            material_care: row.try_get("material_care")?,
            images: self.images_of_product(&id).await?,
            variants: variants.into_iter().map(staff_variant).collect(),
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

/// A variant as staff see it: `sku`, `colour`, `size`, `price_minor`,
/// `on_hand`, `reserved`, `compare_at_minor` and `barcode`.
type VariantRow = (
    String,
    String,
    String,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<String>,
);

fn staff_variant(row: VariantRow) -> StaffVariantV1 {
    let (sku, colour, size, price_minor, on_hand, reserved, compare_at_minor, barcode) = row;
    StaffVariantV1 {
        sku,
        colour,
        size,
        price_minor,
        on_hand,
        reserved,
        compare_at_minor,
        barcode,
    }
}

/// A product as staff find it: `slug`, `name`, `status`, how many
/// `variants` it has and how many it has `on_hand`, in that order.
pub(crate) type SummaryRow = (String, String, String, i64, i64);

pub(crate) fn summaries(rows: Vec<SummaryRow>) -> Vec<StaffProductSummaryV1> {
    let summary = |(slug, name, status, variants, on_hand)| StaffProductSummaryV1 {
        slug,
        name,
        status,
        variants,
        on_hand,
    };
    rows.into_iter().map(summary).collect()
}
