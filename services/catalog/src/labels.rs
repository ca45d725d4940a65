//! What describes a product besides its name and category: its brand, who
//! it is for, its tags, and the size chart of its kind.

use contracts::catalog::{BrandV1, SizeChartV1};
use sqlx::{AnyConnection, AnyPool, Row};

use crate::Error;

/// Brand, audience and tags as checked at the edge: the brand by the name
/// staff typed, tags lowercase and without repeats.
#[derive(Clone, Debug, Default)]
pub(crate) struct Labels {
    pub brand: Option<String>,
    pub audience: String,
    pub tags: Vec<String>,
}

/// Sets a product's labels in the caller's transaction. A brand is found
/// by its slug, so "Little Wren" and "little wren" are one brand; a new
/// name makes a new brand.
pub(crate) async fn save(
    conn: &mut AnyConnection,
    product_id: &str,
    labels: &Labels,
) -> Result<(), Error> {
    let brand_id = match &labels.brand {
        Some(name) => Some(brand_id(conn, name).await?),
        None => None,
    };
    sqlx::query("UPDATE products SET brand_id = $1, audience = $2 WHERE id = $3")
        .bind(brand_id)
        .bind(&labels.audience)
        .bind(product_id)
        .execute(&mut *conn)
        .await?;
    let tags = labels.tags.iter().cloned();
    crate::store::replace_values(
        conn,
        ("product_tags", "product_id", "tag"),
        product_id,
        tags,
    )
    .await?;
    Ok(())
}

async fn brand_id(conn: &mut AnyConnection, name: &str) -> Result<String, Error> {
    let slug = crate::text::slugify(name);
    // Two staff naming the same new brand at once both end up with it.
    sqlx::query(
        "INSERT INTO brands (id, slug, name) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&slug)
    .bind(name)
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar("SELECT id FROM brands WHERE slug = $1")
        .bind(&slug)
        .fetch_one(&mut *conn)
        .await
        .map_err(Error::from)
}

/// A product's brand, audience and tags.
pub(crate) async fn of_product(
    pool: &AnyPool,
    product_id: &str,
) -> Result<(Option<BrandV1>, String, Vec<String>), Error> {
    let row = sqlx::query(
        "SELECT b.slug, b.name, p.audience
         FROM products p LEFT JOIN brands b ON b.id = p.brand_id
         WHERE p.id = $1",
    )
    .bind(product_id)
    .fetch_one(pool)
    .await?;
    let brand = match (
        row.try_get::<Option<String>, _>("slug")?,
        row.try_get::<Option<String>, _>("name")?,
    ) {
        (Some(slug), Some(name)) => Some(BrandV1 { slug, name }),
        _ => None,
    };
    let tags =
        sqlx::query_scalar("SELECT tag FROM product_tags WHERE product_id = $1 ORDER BY tag")
            .bind(product_id)
            .fetch_all(pool)
            .await?;
    Ok((brand, row.try_get("audience")?, tags))
}

/// Every brand, by name: what staff pick from.
pub(crate) async fn brands(pool: &AnyPool) -> Result<Vec<BrandV1>, Error> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT slug, name FROM brands ORDER BY name")
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, name)| BrandV1 { slug, name })
        .collect())
}

/// The chart of a category, else of its parent (a department's chart
/// covers its kinds that have none of their own).
pub(crate) async fn size_chart(
    pool: &AnyPool,
    category_id: &str,
) -> Result<Option<SizeChartV1>, Error> {
    let chart: Option<String> = sqlx::query_scalar(
        "SELECT s.chart FROM categories c
         LEFT JOIN size_charts own ON own.category_id = c.id
         LEFT JOIN size_charts s ON s.category_id = COALESCE(own.category_id, c.parent_id)
         WHERE c.id = $1",
    )
    .bind(category_id)
    .fetch_optional(pool)
    .await?
    .flatten();
    Ok(chart.and_then(|json| match serde_json::from_str(&json) {
        Ok(chart) => Some(chart),
        Err(err) => {
            // A chart that cannot be read is left off the page, not the page.
            tracing::warn!(error = %err, category_id, "unreadable size chart");
            None
        }
    }))
}

/// Writes a chart for a category unless it has one (staff may have
/// changed it since).
pub(crate) async fn insert_chart_if_absent(
    conn: &mut AnyConnection,
    category_slug: &str,
    chart: &SizeChartV1,
) -> Result<(), sqlx::Error> {
    let json = serde_json::to_string(chart).expect("a chart of strings serializes");
    sqlx::query(
        "INSERT INTO size_charts (category_id, chart)
         SELECT id, $1 FROM categories WHERE slug = $2
         ON CONFLICT (category_id) DO NOTHING",
    )
    .bind(json)
    .bind(category_slug)
    .execute(conn)
    .await
    .map(|_| ())
}
