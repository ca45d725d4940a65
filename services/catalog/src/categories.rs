//! Staff editing the category tree: new categories under a department (or
//! new departments), names, descriptions and size charts. Every change is
//! announced (`catalog.category.changed.v1`) so storefronts refresh the
//! tree and the pages that show it.

use contracts::catalog::events::{CATEGORY_CHANGED_V1, CategoryChangedV1};
use contracts::catalog::{CategoryDetailsV1, SizeChartV1, StaffCategoryV1};
use sqlx::{AnyConnection, Row};

use crate::editing::{Check, EditError, FieldErrors, slug_taken};
use crate::{Catalog, Error, Slug};

const MAX_NAME: usize = 40;
const MAX_DESCRIPTION: usize = 200;
const MAX_COLUMNS: usize = 8;
const MAX_ROWS: usize = 40;
const MAX_CELL: usize = 24;

/// A category's details, checked.
#[derive(Clone, Debug)]
pub struct CategoryDetails {
    name: String,
    slug: Slug,
    parent: Option<Slug>,
    description: String,
    size_chart: Option<SizeChartV1>,
}

impl CategoryDetails {
    pub fn parse(raw: &CategoryDetailsV1) -> Result<Self, FieldErrors> {
        let mut check = Check::default();
        let name = check.name(&raw.name, "category", MAX_NAME);
        let slug = check.address(&raw.slug, &name, "women-knitwear");
        let parent = match raw.parent.trim() {
            "" => None,
            typed => {
                let parsed = Slug::parse(typed).ok();
                if parsed.is_none() {
                    check.fail("parent", "Choose a department.");
                }
                parsed
            }
        };
        let description = check.text(
            "description",
            &raw.description,
            MAX_DESCRIPTION,
            "description",
        );
        let size_chart = raw
            .size_chart
            .clone()
            .filter(|chart| !chart.rows.is_empty() || !chart.columns.is_empty());
        if let Some(chart) = &size_chart
            && let Err(message) = check_chart(chart)
        {
            check.fail("size_chart", message);
        }
        check.done(|| Self {
            name,
            slug: slug.expect("checked"),
            parent,
            description,
            size_chart,
        })
    }

    pub fn slug(&self) -> &Slug {
        &self.slug
    }
}

/// A chart shoppers can read: a heading row of 2 to 8 columns, 1 to 40
/// sizes, each with a cell under every heading.
fn check_chart(chart: &SizeChartV1) -> Result<(), String> {
    let columns = chart.columns.len();
    if !(2..=MAX_COLUMNS).contains(&columns) {
        return Err(format!(
            "Start with a heading line of 2 to {MAX_COLUMNS} columns, like: UK size, Bust, Waist"
        ));
    }
    if chart.rows.is_empty() || chart.rows.len() > MAX_ROWS {
        return Err(format!("Give 1 to {MAX_ROWS} sizes, one per line."));
    }
    for (i, row) in chart.rows.iter().enumerate() {
        if row.len() != columns {
            return Err(format!(
                "Line {} has {} values; every line needs {columns}, one per heading.",
                i + 2,
                row.len()
            ));
        }
    }
    let cells = chart.columns.iter().chain(chart.rows.iter().flatten());
    for cell in cells {
        if cell.trim().is_empty()
            || cell.chars().count() > MAX_CELL
            || cell.chars().any(char::is_control)
        {
            return Err(format!(
                "Every value is 1 to {MAX_CELL} characters: \"{}\" is not.",
                cell.chars().take(MAX_CELL).collect::<String>()
            ));
        }
    }
    Ok(())
}

/// Tells storefronts the category `slug` (and so the tree) changed.
pub(crate) async fn announce(conn: &mut AnyConnection, slug: &str) -> Result<(), sqlx::Error> {
    let event = CategoryChangedV1 {
        slug: slug.to_owned(),
    };
    crate::commands::announce(conn, CATEGORY_CHANGED_V1, &event).await
}

async fn save_chart(
    conn: &mut AnyConnection,
    category_id: &str,
    chart: Option<&SizeChartV1>,
) -> Result<(), Error> {
    let json = chart.map(|c| serde_json::to_string(c).expect("a chart of strings serializes"));
    let table = ("size_charts", "category_id", "chart");
    crate::store::replace_values(conn, table, category_id, json).await?;
    Ok(())
}

impl Catalog {
    /// Every category, departments first each followed by its own, with
    /// its own size chart and how many products it holds.
    pub async fn staff_categories(&self) -> Result<Vec<StaffCategoryV1>, Error> {
        let rows = sqlx::query(
            "SELECT c.id, c.slug, c.name, c.description, parent.slug AS parent, s.chart,
                    (SELECT CAST(COUNT(*) AS BIGINT) FROM products p WHERE p.category_id = c.id) AS products
             FROM categories c
             LEFT JOIN categories parent ON parent.id = c.parent_id
             LEFT JOIN size_charts s ON s.category_id = c.id
             ORDER BY COALESCE(parent.position, c.position), c.parent_id IS NOT NULL, c.position, c.name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                let chart: Option<String> = row.try_get("chart")?;
                Ok(StaffCategoryV1 {
                    slug: row.try_get("slug")?,
                    name: row.try_get("name")?,
                    description: row.try_get("description")?,
                    parent: row.try_get("parent")?,
                    size_chart: chart.and_then(|json| serde_json::from_str(&json).ok()),
                    products: row.try_get("products")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Error::from)
    }

    /// A new category, last among its siblings.
    #[tracing::instrument(name = "catalog.create_category", skip_all, fields(slug = %details.slug.as_str()))]
    pub async fn create_category(&self, details: &CategoryDetails) -> Result<(), EditError> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let parent_id: Option<String> = match &details.parent {
            None => None,
            Some(parent) => {
                let row = sqlx::query("SELECT id, parent_id FROM categories WHERE slug = $1")
                    .bind(parent.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                // Two levels: a department and its kinds.
                match row {
                    Some(row) if row.try_get::<Option<String>, _>("parent_id")?.is_none() => {
                        Some(row.try_get("id")?)
                    }
                    _ => {
                        return Err(EditError::Fields(FieldErrors::from([(
                            "parent".to_owned(),
                            "Choose a department.".to_owned(),
                        )])));
                    }
                }
            }
        };
        let position: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(position), -1) + 1 AS BIGINT) FROM categories
             WHERE COALESCE(parent_id, '') = $1",
        )
        .bind(parent_id.clone().unwrap_or_default())
        .fetch_one(&mut *tx)
        .await?;
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO categories (id, parent_id, slug, name, description, position)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(&parent_id)
        .bind(details.slug.as_str())
        .bind(&details.name)
        .bind(&details.description)
        .bind(position)
        .execute(&mut *tx)
        .await
        .map_err(slug_taken("category", &details.slug))?;
        save_chart(&mut tx, &id, details.size_chart.as_ref()).await?;
        announce(&mut tx, details.slug.as_str()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a category's name, description and size chart; its address
    /// and place stay.
    #[tracing::instrument(name = "catalog.update_category", skip(self, details))]
    pub async fn update_category(
        &self,
        slug: &Slug,
        details: &CategoryDetails,
    ) -> Result<(), EditError> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let id: String = sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1")
            .bind(slug.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| EditError::Refused("No such category.".into()))?;
        sqlx::query("UPDATE categories SET name = $1, description = $2 WHERE id = $3")
            .bind(&details.name)
            .bind(&details.description)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        save_chart(&mut tx, &id, details.size_chart.as_ref()).await?;
        announce(&mut tx, slug.as_str()).await?;
        tx.commit().await?;
        Ok(())
    }
}
