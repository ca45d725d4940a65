//! Listings: a category's products or a search's, narrowed by size,
//! colour, price and stock, sorted, a page at a time, with the facets a
//! filter panel offers. The query's grammar is `catalog_api::ListingQuery`.

use std::collections::HashMap;

use contracts::catalog::{
    BrandFacetV1, FacetV1, FacetsV1, ListingSortV1, ListingV1, ProductCardV1,
};
use sqlx::Row;
use sqlx::any::AnyArguments;

use crate::{Catalog, Error, ListingQuery, Slug};

/// Which products a listing draws from.
pub(crate) enum Scope<'a> {
    Category(&'a Slug),
    /// The products staff put in a collection.
    Collection(&'a Slug),
    /// Products whose name, category or a colour has a word starting with
    /// each of these (lowercase, alphanumeric) words.
    Words(&'a [String]),
}

/// SQL with `$N` placeholders numbered in the order they are written, as
/// both databases need (SQLite numbers them by first appearance).
pub(crate) struct Sql {
    text: String,
    args: AnyArguments<'static>,
    count: usize,
}

impl Sql {
    pub(crate) fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            args: AnyArguments::default(),
            count: 0,
        }
    }

    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Binds `value` and returns its placeholder, to be written next.
    pub(crate) fn bind<T>(&mut self, value: T) -> String
    where
        T: 'static + Send + sqlx::Encode<'static, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        use sqlx::Arguments;
        self.count += 1;
        // Encoding a plain String or i64 cannot fail.
        let _ = self.args.add(value);
        format!("${}", self.count)
    }

    /// The statement with its arguments, which it takes: run it once.
    pub(crate) fn query(&mut self) -> sqlx::query::Query<'_, sqlx::Any, AnyArguments<'_>> {
        sqlx::query_with(&self.text, std::mem::take(&mut self.args))
    }
}

/// What every listing query starts from: published products with their
/// category and its parent (for the scope), one row per variant.
const FROM: &str = " FROM products p
     JOIN categories c ON c.id = p.category_id
     LEFT JOIN categories parent ON parent.id = c.parent_id
     JOIN variants v ON v.product_id = p.id
     WHERE p.status = 'active'";

fn push_scope(sql: &mut Sql, scope: &Scope<'_>) {
    match scope {
        Scope::Category(slug) => {
            let slug = sql.bind(slug.as_str().to_owned());
            sql.push(&format!(" AND (c.slug = {slug} OR parent.slug = {slug})"));
        }
        Scope::Collection(slug) => {
            let slug = sql.bind(slug.as_str().to_owned());
            sql.push(&format!(
                " AND EXISTS (SELECT 1 FROM collection_products cp
                              JOIN collections k ON k.id = cp.collection_id
                              WHERE cp.product_id = p.id AND k.slug = {slug})"
            ));
        }
        Scope::Words(words) => {
            for word in words.iter() {
                // A word matches where a word of the text starts with it:
                // "men" finds "Men" but not "Women", "dress" finds "dresses".
                // Names, categories, brand, colours and tags all count.
                let pattern = sql.bind(format!("% {word}%"));
                sql.push(&format!(
                    " AND ((' ' || REPLACE(LOWER(p.name || ' ' || c.name || ' ' || COALESCE(parent.name, '')
                              || ' ' || COALESCE((SELECT b.name FROM brands b WHERE b.id = p.brand_id), '')), '-', ' ') || ' ') LIKE {pattern}
                       OR EXISTS (SELECT 1 FROM variants w WHERE w.product_id = p.id
                                  AND (' ' || LOWER(w.colour) || ' ') LIKE {pattern})
                       OR EXISTS (SELECT 1 FROM product_tags t WHERE t.product_id = p.id
                                  AND (' ' || REPLACE(t.tag, '-', ' ') || ' ') LIKE {pattern}))"
                ));
            }
        }
    }
}

fn push_filters(sql: &mut Sql, query: &ListingQuery) {
    for (column, values) in [("v.size", &query.sizes), ("v.colour", &query.colours)] {
        if values.is_empty() {
            continue;
        }
        let placeholders: Vec<String> = values.iter().map(|v| sql.bind(v.clone())).collect();
        sql.push(&format!(" AND {column} IN ({})", placeholders.join(", ")));
    }
    if !query.brands.is_empty() {
        let placeholders: Vec<String> = query.brands.iter().map(|b| sql.bind(b.clone())).collect();
        sql.push(&format!(
            " AND p.brand_id IN (SELECT id FROM brands WHERE slug IN ({}))",
            placeholders.join(", ")
        ));
    }
    if let Some(min) = query.min {
        let min = sql.bind(min.minor());
        sql.push(&format!(" AND v.price_minor >= {min}"));
    }
    if let Some(max) = query.max {
        let max = sql.bind(max.minor());
        sql.push(&format!(" AND v.price_minor <= {max}"));
    }
    if query.in_stock {
        sql.push(" AND v.on_hand - v.reserved > 0");
    }
}

impl Catalog {
    /// A page of a category's published products (its own and its
    /// sub-categories'); an unknown category lists nothing.
    #[tracing::instrument(name = "catalog.listing", skip(self))]
    pub async fn listing(&self, category: &Slug, query: &ListingQuery) -> Result<ListingV1, Error> {
        self.list(Scope::Category(category), query).await
    }

    pub(crate) async fn list(
        &self,
        scope: Scope<'_>,
        query: &ListingQuery,
    ) -> Result<ListingV1, Error> {
        let mut count = Sql::new("SELECT COUNT(*) AS total FROM (SELECT p.id");
        count.push(FROM);
        push_scope(&mut count, &scope);
        push_filters(&mut count, query);
        count.push(" GROUP BY p.id) matched");
        let total: i64 = count
            .query()
            .fetch_one(&self.pool)
            .await
            .and_then(|row| row.try_get("total"))?;

        // Only what matches counts on a card: filtering to size 10 shows
        // the price of size 10 and whether size 10 is left.
        let mut page = Sql::new(
            "SELECT p.id, p.slug, p.name, p.created_at_ms,
                    MIN(v.price_minor) AS price_from,
                    MAX(v.on_hand - v.reserved) AS most_available,
                    MIN(v.compare_at_minor) AS was, MAX(b.name) AS brand,
                    COALESCE(MAX(sales.sold), 0) AS sold",
        );
        page.push(
            " FROM products p
             JOIN categories c ON c.id = p.category_id
             LEFT JOIN categories parent ON parent.id = c.parent_id
             LEFT JOIN brands b ON b.id = p.brand_id
             JOIN variants v ON v.product_id = p.id
             LEFT JOIN (SELECT sv.product_id, CAST(SUM(r.quantity) AS BIGINT) AS sold
                        FROM stock_reservations r JOIN variants sv ON sv.sku = r.sku
                        WHERE r.settlement IS NULL OR r.settlement = 'shipped'
                        GROUP BY sv.product_id) sales ON sales.product_id = p.id
             WHERE p.status = 'active'",
        );
        push_scope(&mut page, &scope);
        push_filters(&mut page, query);
        let order = match query.sort {
            ListingSortV1::Newest => "p.created_at_ms DESC",
            ListingSortV1::PriceAsc => "price_from ASC, p.created_at_ms DESC",
            ListingSortV1::PriceDesc => "price_from DESC, p.created_at_ms DESC",
            ListingSortV1::BestSelling => "sold DESC, p.created_at_ms DESC",
        };
        // The offset is a number this code computed, not input text.
        page.push(&format!(
            " GROUP BY p.id, p.slug, p.name, p.created_at_ms ORDER BY {order}, p.id LIMIT {} OFFSET {}",
            ListingQuery::PER_PAGE,
            query.offset()
        ));
        let rows = page.query().fetch_all(&self.pool).await?;
        let cards = self.cards_from_rows(&rows).await?;
        Ok(ListingV1 {
            cards,
            total: u64::try_from(total).unwrap_or(0),
            page: query.page.max(1),
            per_page: ListingQuery::PER_PAGE,
            facets: self.facets(&scope).await?,
        })
    }

    /// Cards from rows with a product's `id`, `slug`, `name`, `price_from`,
    /// `most_available`, `was` and `brand`, in the rows' order.
    async fn cards_from_rows(
        &self,
        rows: &[sqlx::any::AnyRow],
    ) -> Result<Vec<ProductCardV1>, Error> {
        let mut ids = Vec::with_capacity(rows.len());
        let mut cards = Vec::with_capacity(rows.len());
        for row in rows {
            ids.push(row.try_get::<String, _>("id")?);
            let price_from: i64 = row.try_get("price_from")?;
            cards.push(ProductCardV1 {
                slug: row.try_get("slug")?,
                name: row.try_get("name")?,
                price_from_minor: price_from,
                colours: Vec::new(),
                in_stock: row.try_get::<i64, _>("most_available")? > 0,
                image: None,
                compare_at_minor: row
                    .try_get::<Option<i64>, _>("was")?
                    .filter(|was| *was > price_from),
                brand: row.try_get("brand")?,
            });
        }
        let mut colours = self.colours_of(&ids).await?;
        let mut images = self.first_images(&ids).await?;
        for (id, card) in ids.iter().zip(&mut cards) {
            card.colours = colours.remove(id).unwrap_or_default();
            card.image = images.remove(id);
        }
        Ok(cards)
    }

    /// Cards of the published ones among `ids`, in the order given.
    pub(crate) async fn cards(&self, ids: &[String]) -> Result<Vec<ProductCardV1>, Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(
            "SELECT p.id, p.slug, p.name, MIN(v.price_minor) AS price_from,
                    MAX(v.on_hand - v.reserved) AS most_available,
                    MIN(v.compare_at_minor) AS was, MAX(b.name) AS brand
             FROM products p
             JOIN variants v ON v.product_id = p.id
             LEFT JOIN brands b ON b.id = p.brand_id
             WHERE p.status = 'active' AND p.id IN (",
        );
        let placeholders: Vec<String> = ids.iter().map(|id| sql.bind(id.clone())).collect();
        sql.push(&placeholders.join(", "));
        sql.push(") GROUP BY p.id, p.slug, p.name");
        let mut rows = sql.query().fetch_all(&self.pool).await?;
        let rank = |row: &sqlx::any::AnyRow| {
            let id: String = row.try_get("id").unwrap_or_default();
            ids.iter().position(|wanted| *wanted == id)
        };
        rows.sort_by_key(rank);
        self.cards_from_rows(&rows).await
    }

    /// Up to four other published products of the same category, newest
    /// first, topped up from the rest of its department.
    pub(crate) async fn related(
        &self,
        product_id: &str,
        category_id: &str,
        department_id: Option<&str>,
    ) -> Result<Vec<ProductCardV1>, Error> {
        const RELATED: usize = 4;
        let mut ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM products
             WHERE status = 'active' AND id <> $1 AND category_id = $2
             ORDER BY created_at_ms DESC, id LIMIT 4",
        )
        .bind(product_id)
        .bind(category_id)
        .fetch_all(&self.pool)
        .await?;
        if let Some(department) = department_id.filter(|_| ids.len() < RELATED) {
            let more: Vec<String> = sqlx::query_scalar(
                "SELECT p.id FROM products p JOIN categories c ON c.id = p.category_id
                 WHERE p.status = 'active' AND p.id <> $1 AND c.parent_id = $2 AND p.category_id <> $3
                 ORDER BY p.created_at_ms DESC, p.id LIMIT 4",
            )
            .bind(product_id)
            .bind(department)
            .bind(category_id)
            .fetch_all(&self.pool)
            .await?;
            ids.extend(more.into_iter().take(RELATED - ids.len()));
        }
        self.cards(&ids).await
    }

    /// Each product's colours, in the order staff arranged them.
    async fn colours_of(&self, ids: &[String]) -> Result<HashMap<String, Vec<String>>, Error> {
        let mut by_product: HashMap<String, Vec<String>> = HashMap::new();
        if ids.is_empty() {
            return Ok(by_product);
        }
        let mut sql = Sql::new(
            "SELECT product_id, colour, MIN(position) AS first FROM variants WHERE product_id IN (",
        );
        let placeholders: Vec<String> = ids.iter().map(|id| sql.bind(id.clone())).collect();
        sql.push(&placeholders.join(", "));
        sql.push(") GROUP BY product_id, colour ORDER BY product_id, first");
        for row in sql.query().fetch_all(&self.pool).await? {
            by_product
                .entry(row.try_get("product_id")?)
                .or_default()
                .push(row.try_get("colour")?);
        }
        Ok(by_product)
    }

    /// Every size and colour in the scope, whatever is filtered, so a
    /// shopper can always widen a choice again.
    async fn facets(&self, scope: &Scope<'_>) -> Result<FacetsV1, Error> {
        let mut facets = FacetsV1::default();
        for column in ["size", "colour"] {
            let mut sql = Sql::new(&format!(
                "SELECT v.{column} AS value, COUNT(DISTINCT p.id) AS products"
            ));
            sql.push(FROM);
            push_scope(&mut sql, scope);
            sql.push(&format!(" GROUP BY v.{column}"));
            let mut values = sql
                .query()
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .map(|row| {
                    Ok(FacetV1 {
                        value: row.try_get("value")?,
                        products: u64::try_from(row.try_get::<i64, _>("products")?).unwrap_or(0),
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            if column == "size" {
                values.sort_by_cached_key(|facet| size_rank(&facet.value));
                facets.sizes = values;
            } else {
                values.sort_by(|a, b| a.value.cmp(&b.value));
                facets.colours = values;
            }
        }
        let mut brands = Sql::new("SELECT p.brand_id, COUNT(DISTINCT p.id) AS products");
        brands.push(FROM);
        push_scope(&mut brands, scope);
        brands.push(" AND p.brand_id IS NOT NULL GROUP BY p.brand_id");
        let counts: HashMap<String, i64> = brands
            .query()
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|row| Ok((row.try_get("brand_id")?, row.try_get("products")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        if !counts.is_empty() {
            // Brands are few: named from the whole list, already by name.
            for row in sqlx::query("SELECT id, slug, name FROM brands ORDER BY name")
                .fetch_all(&self.pool)
                .await?
            {
                let id: String = row.try_get("id")?;
                if let Some(count) = counts.get(&id) {
                    facets.brands.push(BrandFacetV1 {
                        slug: row.try_get("slug")?,
                        name: row.try_get("name")?,
                        products: u64::try_from(*count).unwrap_or(0),
                    });
                }
            }
        }
        let mut span =
            Sql::new("SELECT MIN(v.price_minor) AS lowest, MAX(v.price_minor) AS highest");
        span.push(FROM);
        push_scope(&mut span, scope);
        let row = span.query().fetch_one(&self.pool).await?;
        facets.lowest_price_minor = row.try_get("lowest")?;
        facets.highest_price_minor = row.try_get("highest")?;
        Ok(facets)
    }
}

/// Sizes in the order they are worn: baby and kids' ages (months, then
/// years), numeric sizes, letter sizes, then anything else (One size).
fn size_rank(size: &str) -> (u8, u32, String) {
    let upper = size.to_ascii_uppercase();
    let leading: String = upper.chars().take_while(char::is_ascii_digit).collect();
    let number = leading.parse::<u32>().ok();
    if let Some(n) = number {
        if upper.ends_with('M') && upper.contains('-') {
            return (0, n, upper);
        }
        if upper.ends_with('Y') {
            return (0, n * 12, upper);
        }
        if leading.len() == upper.len() {
            return (1, n, upper);
        }
    }
    const LETTERS: [&str; 8] = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"];
    if let Some(i) = LETTERS.iter().position(|l| *l == upper) {
        return (2, i as u32, upper);
    }
    (3, 0, upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_sort_as_worn() {
        let mut sizes = [
            "XL", "One size", "12", "S", "9-10Y", "8", "3-6M", "0-3M", "3-4Y", "M",
        ];
        sizes.sort_by_key(|s| size_rank(s));
        assert_eq!(
            sizes,
            [
                "0-3M", "3-6M", "3-4Y", "9-10Y", "8", "12", "S", "M", "XL", "One size"
            ]
        );
    }
}
