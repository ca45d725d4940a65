//! The base every SURY shop starts with: the category tree, the (empty)
//! starting collections and the size charts. The data is in
//! `base_shop.json`, where it can be read and edited as the table it is.

use contracts::catalog::SizeChartV1;
use serde::Deserialize;
use sqlx::{AnyConnection, AnyPool};
use uuid::Uuid;

use crate::error::Error;
use crate::store::{self, NewCategory};

#[derive(Deserialize)]
struct BaseShop {
    tree: Vec<Department>,
    collections: Vec<Named>,
    /// Size charts by category (a department's covers its kinds without
    /// one of their own). Measurements in centimetres, body not garment.
    charts: Vec<Chart>,
}

/// A category or collection as it is first made.
#[derive(Deserialize)]
struct Named {
    slug: String,
    name: String,
    description: String,
}

#[derive(Deserialize)]
struct Department {
    #[serde(flatten)]
    category: Named,
    children: Vec<Named>,
}

#[derive(Deserialize)]
struct Chart {
    category: String,
    #[serde(flatten)]
    chart: SizeChartV1,
}

fn base_shop() -> BaseShop {
    serde_json::from_str(include_str!("base_shop.json")).expect("base_shop.json parses")
}

/// Adds whatever part of the base tree is missing, in one transaction.
/// Rows that exist are left as staff may have edited them.
pub(crate) async fn ensure_category_tree(pool: &AnyPool) -> Result<(), Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    for (position, department) in base_shop().tree.iter().enumerate() {
        add_category(&mut tx, None, &department.category, position).await?;
        let department_id = store::id_of_slug(&mut tx, &department.category.slug)
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        for (position, child) in department.children.iter().enumerate() {
            add_category(&mut tx, Some(&department_id), child, position).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Adds `category` at `position` among its siblings, unless its slug is
/// taken.
async fn add_category(
    conn: &mut AnyConnection,
    parent_id: Option<&str>,
    category: &Named,
    position: usize,
) -> Result<(), sqlx::Error> {
    let new = NewCategory {
        id: Uuid::now_v7().to_string(),
        parent_id,
        slug: &category.slug,
        name: &category.name,
        description: &category.description,
        position: position as i64,
    };
    store::insert_category_if_absent(conn, new).await
}

/// Adds the starting collections and size charts that are missing.
pub(crate) async fn ensure_shelves_and_charts(pool: &AnyPool) -> Result<(), Error> {
    let base = base_shop();
    let mut tx = platform::db::begin_write(pool).await?;
    for (position, collection) in base.collections.iter().enumerate() {
        sqlx::query(
            "INSERT INTO collections (id, slug, name, description, position)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (slug) DO NOTHING",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(&collection.slug)
        .bind(&collection.name)
        .bind(&collection.description)
        .bind(position as i64)
        .execute(&mut *tx)
        .await?;
    }
    for Chart { category, chart } in &base.charts {
        crate::labels::insert_chart_if_absent(&mut tx, category, chart).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_base_shop_parses_and_every_chart_row_fits_its_heading() {
        let base = super::base_shop();
        assert_eq!(base.tree.len(), 4);
        assert_eq!(base.collections.len(), 3);
        for chart in &base.charts {
            for row in &chart.chart.rows {
                assert_eq!(row.len(), chart.chart.columns.len(), "{}", chart.category);
            }
        }
    }
}
