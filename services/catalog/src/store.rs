//! The catalog's SQL. Nothing but queries lives here.

use sqlx::{AnyConnection, AnyPool};

#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct CategoryRow {
    pub id: String,
    pub parent_id: Option<String>,
    pub slug: String,
    pub name: String,
    pub description: String,
}

pub(crate) struct NewCategory<'a> {
    pub id: String,
    pub parent_id: Option<&'a str>,
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub position: i64,
}

/// The whole tree, siblings in their display order. The tree is a few dozen
/// rows, so callers assemble departments and paths from one read.
pub(crate) async fn all_categories(pool: &AnyPool) -> Result<Vec<CategoryRow>, sqlx::Error> {
    categories_where(pool, None).await
}

pub(crate) async fn category_by_slug(
    pool: &AnyPool,
    slug: &str,
) -> Result<Option<CategoryRow>, sqlx::Error> {
    Ok(categories_where(pool, Some(("slug", slug))).await?.pop())
}

pub(crate) async fn category_by_id(
    pool: &AnyPool,
    id: &str,
) -> Result<Option<CategoryRow>, sqlx::Error> {
    Ok(categories_where(pool, Some(("id", id))).await?.pop())
}

pub(crate) async fn children_of(
    pool: &AnyPool,
    parent_id: &str,
) -> Result<Vec<CategoryRow>, sqlx::Error> {
    categories_where(pool, Some(("parent_id", parent_id))).await
}

/// Categories whose `column` (one of ours, never a caller's text) holds
/// the value, or all of them; siblings in their display order. One query
/// for every read keeps the columns and the order the same everywhere.
async fn categories_where(
    pool: &AnyPool,
    filter: Option<(&'static str, &str)>,
) -> Result<Vec<CategoryRow>, sqlx::Error> {
    let condition = filter.map_or(String::new(), |(column, _)| format!("WHERE {column} = $1"));
    let sql = format!(
        "SELECT id, parent_id, slug, name, description FROM categories {condition}
         ORDER BY position, name"
    );
    let mut query = sqlx::query_as(&sql);
    if let Some((_, value)) = filter {
        query = query.bind(value);
    }
    query.fetch_all(pool).await
}

/// Inserts a category unless one with the same slug exists, so concurrent
/// seeders (several replicas starting at once) cannot fail each other.
pub(crate) async fn insert_category_if_absent(
    conn: &mut AnyConnection,
    new: NewCategory<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO categories (id, parent_id, slug, name, description, position)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (slug) DO NOTHING",
    )
    .bind(new.id)
    .bind(new.parent_id)
    .bind(new.slug)
    .bind(new.name)
    .bind(new.description)
    .bind(new.position)
    .execute(conn)
    .await
    .map(|_| ())
}

pub(crate) async fn id_of_slug(
    conn: &mut AnyConnection,
    slug: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1")
        .bind(slug)
        .fetch_optional(conn)
        .await
}

/// Replaces the rows of `table` kept for `key` (in `key_column`) with one
/// row per value (in `column`): a product's tags, a category's size chart.
/// Table and column names are ours, never a caller's text.
pub(crate) async fn replace_values(
    conn: &mut AnyConnection,
    (table, key_column, column): (&str, &str, &str),
    key: &str,
    values: impl IntoIterator<Item = String>,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("DELETE FROM {table} WHERE {key_column} = $1"))
        .bind(key)
        .execute(&mut *conn)
        .await?;
    let insert = format!("INSERT INTO {table} ({key_column}, {column}) VALUES ($1, $2)");
    for value in values {
        sqlx::query(&insert)
            .bind(key)
            .bind(value)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
