//! Staff's edits as commands: each one transaction, its events written to
//! the outbox in it.

use platform::outbox::now_ms;
use sqlx::Row;

use super::*;
use crate::inventory::{ProductOf, insert_variant, product_changed};

impl Catalog {
    /// Saves a new product as a draft, with every variant of its grid and
    /// no stock yet.
    #[tracing::instrument(name = "catalog.create_product", skip_all, fields(slug = %draft.slug().as_str()))]
    pub async fn create_product(&self, draft: &ProductDraft) -> Result<(), EditError> {
        let taken = |err: sqlx::Error, field: &str, message: String| {
            if err
                .as_database_error()
                .is_some_and(|e| e.is_unique_violation())
            {
                EditError::Fields(FieldErrors::from([(field.to_owned(), message)]))
            } else {
                EditError::Failed(Error::from(err))
            }
        };
        let product = &draft.product;
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let category = category_id(&mut tx, &product.category).await?;
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO products (id, slug, name, category_id, created_at_ms, description, material_care, sku_prefix)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(product.slug.as_str())
        .bind(&product.name)
        .bind(&category)
        .bind(now_ms())
        .bind(&draft.description)
        .bind(&draft.material_care)
        .bind(&draft.sku_prefix)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            let message = format!("Another product has the address {}.", product.slug.as_str());
            taken(e, "slug", message)
        })?;
        for (position, variant) in product.variants.iter().enumerate() {
            insert_variant(&mut tx, &id, variant, position as i64)
                .await
                .map_err(|e| {
                    let message = format!(
                        "The SKU {} belongs to another product already.",
                        variant.sku
                    );
                    taken(e, "sku_prefix", message)
                })?;
        }
        labels::save(&mut tx, &id, &draft.labels).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a product's name, category, texts and status. Shoppers'
    /// caches of its page and of its old and new categories are told.
    #[tracing::instrument(name = "catalog.update_product", skip(self, details))]
    pub async fn update_product(
        &self,
        slug: &Slug,
        details: &ProductDetails,
    ) -> Result<(), EditError> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let old = sqlx::query("SELECT id, category_id FROM products WHERE slug = $1")
            .bind(slug.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(EditError::NoSuchProduct)?;
        let id: String = old.try_get("id")?;
        let old_category: String = old.try_get("category_id")?;
        let category = category_id(&mut tx, &details.category).await?;
        if category != old_category {
            // Its old category's listings showed it.
            product_changed(&mut tx, ProductOf::Slug(slug.as_str())).await?;
        }
        sqlx::query(
            "UPDATE products SET name = $1, category_id = $2, description = $3,
                 material_care = $4, status = $5
             WHERE slug = $6",
        )
        .bind(&details.name)
        .bind(&category)
        .bind(&details.description)
        .bind(&details.material_care)
        .bind(details.status.as_str())
        .bind(slug.as_str())
        .execute(&mut *tx)
        .await?;
        labels::save(&mut tx, &id, &details.labels).await?;
        product_changed(&mut tx, ProductOf::Slug(slug.as_str())).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds the colour and size combinations the product does not have
    /// yet, at `grid.price`, after its other variants; returns how many.
    #[tracing::instrument(name = "catalog.add_variants", skip(self, grid))]
    pub async fn add_variants(&self, slug: &Slug, grid: &VariantGrid) -> Result<usize, EditError> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let row = sqlx::query(
            "SELECT p.id, p.sku_prefix,
                    CAST(COALESCE(MAX(v.position), -1) AS BIGINT) AS last
             FROM products p LEFT JOIN variants v ON v.product_id = p.id
             WHERE p.slug = $1 GROUP BY p.id, p.sku_prefix",
        )
        .bind(slug.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(EditError::NoSuchProduct)?;
        let id: String = row.try_get("id")?;
        let mut prefix: String = row.try_get("sku_prefix")?;
        let mut position: i64 = row.try_get("last")?;
        if prefix.is_empty() {
            // Products made before prefixes were kept: their slug, shortened.
            prefix = code(slug.as_str()).chars().take(MAX_PREFIX).collect();
        }
        let existing: HashSet<(String, String)> =
            sqlx::query("SELECT colour, size FROM variants WHERE product_id = $1")
                .bind(&id)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .map(|r| {
                    Ok((
                        r.try_get::<String, _>("colour")?,
                        r.try_get::<String, _>("size")?,
                    ))
                })
                .collect::<Result<_, sqlx::Error>>()?;
        let mut check = Check::default();
        let wanted = variant_grid(
            &mut check,
            &prefix,
            &grid.colours,
            &grid.sizes,
            Some(grid.price),
        );
        check.done(|| ()).map_err(EditError::Fields)?;
        let mut added = 0;
        for variant in wanted {
            if existing.contains(&(variant.colour.clone(), variant.size.clone())) {
                continue;
            }
            position += 1;
            insert_variant(&mut tx, &id, &variant, position)
                .await
                .map_err(|e| {
                    if e.as_database_error()
                        .is_some_and(|d| d.is_unique_violation())
                    {
                        EditError::Fields(FieldErrors::from([(
                            "colours".to_owned(),
                            format!(
                                "The SKU {} belongs to another variant already.",
                                variant.sku
                            ),
                        )]))
                    } else {
                        EditError::Failed(Error::from(e))
                    }
                })?;
            added += 1;
        }
        if added > 0 {
            product_changed(&mut tx, ProductOf::Slug(slug.as_str())).await?;
        }
        tx.commit().await?;
        Ok(added)
    }
}
