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
    sqlx::query_as(
        "SELECT id, parent_id, slug, name, description
         FROM categories
         ORDER BY position, name",
    )
    .fetch_all(pool)
    .await
}

pub(crate) async fn category_by_slug(
    pool: &AnyPool,
    slug: &str,
) -> Result<Option<CategoryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, parent_id, slug, name, description
         FROM categories
         WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await
}

pub(crate) async fn category_by_id(
    pool: &AnyPool,
    id: &str,
) -> Result<Option<CategoryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, parent_id, slug, name, description
         FROM categories
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

pub(crate) async fn children_of(
    pool: &AnyPool,
    parent_id: &str,
) -> Result<Vec<CategoryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, parent_id, slug, name, description
         FROM categories
         WHERE parent_id = $1
         ORDER BY position, name",
    )
    .bind(parent_id)
    .fetch_all(pool)
    .await
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
