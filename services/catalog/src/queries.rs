//! The catalog's read side.

use std::collections::HashMap;

use contracts::catalog::{CategoryDetail, CategoryHit, CategorySummary, Department};

use crate::store::{self, CategoryRow};
use crate::{Catalog, Error, SearchTerm, Slug};

/// The most hits a search returns; the tree is small, a page of links is plenty.
const MAX_HITS: usize = 24;

impl Catalog {
    /// The top-level categories in display order, each with its children.
    #[tracing::instrument(name = "catalog.departments", skip_all)]
    pub async fn departments(&self) -> Result<Vec<Department>, Error> {
        let rows = store::all_categories(&self.pool).await?;
        Ok(rows
            .iter()
            .filter(|row| row.parent_id.is_none())
            .map(|dept| Department {
                category: summary(dept),
                children: rows
                    .iter()
                    .filter(|row| row.parent_id.as_deref() == Some(dept.id.as_str()))
                    .map(summary)
                    .collect(),
            })
            .collect())
    }

    /// One category with its ancestors and children; `None` if no category
    /// has that slug.
    #[tracing::instrument(name = "catalog.category", skip(self))]
    pub async fn category(&self, slug: &Slug) -> Result<Option<CategoryDetail>, Error> {
        let Some(row) = store::category_by_slug(&self.pool, slug.as_str()).await? else {
            return Ok(None);
        };
        let mut ancestors = Vec::new();
        let mut parent_id = row.parent_id.clone();
        while let Some(id) = parent_id {
            // A broken parent link ends the breadcrumb rather than the page.
            let Some(parent) = store::category_by_id(&self.pool, &id).await? else {
                break;
            };
            parent_id = parent.parent_id.clone();
            ancestors.push(summary(&parent));
            if ancestors.len() > 8 {
                break;
            }
        }
        ancestors.reverse();
        let children = store::children_of(&self.pool, &row.id)
            .await?
            .iter()
            .map(summary)
            .collect();
        Ok(Some(CategoryDetail {
            category: summary(&row),
            ancestors,
            children,
        }))
    }

    /// Categories whose path ("Women Dresses") contains every word of the
    /// term, ignoring case. The term never reaches SQL: the tree is read
    /// whole and matched here, which also lets "women dress" find
    /// Women › Dresses although no single name holds both words.
    #[tracing::instrument(name = "catalog.search_categories", skip(self))]
    pub async fn search_categories(&self, term: &SearchTerm) -> Result<Vec<CategoryHit>, Error> {
        let rows = store::all_categories(&self.pool).await?;
        let by_id: HashMap<&str, &CategoryRow> =
            rows.iter().map(|row| (row.id.as_str(), row)).collect();
        let words: Vec<String> = term.as_str().split(' ').map(str::to_lowercase).collect();
        let hits = rows
            .iter()
            .filter_map(|row| {
                let path = path_of(row, &by_id);
                let haystack = path.join(" ").to_lowercase();
                words
                    .iter()
                    .all(|word| haystack.contains(word.as_str()))
                    .then(|| CategoryHit {
                        category: summary(row),
                        path: path.join(" › "),
                    })
            })
            .take(MAX_HITS)
            .collect();
        Ok(hits)
    }
}

fn summary(row: &CategoryRow) -> CategorySummary {
    CategorySummary {
        slug: row.slug.clone(),
        name: row.name.clone(),
        description: row.description.clone(),
    }
}

/// Names from the root down to `row`.
fn path_of<'a>(row: &'a CategoryRow, by_id: &HashMap<&str, &'a CategoryRow>) -> Vec<&'a str> {
    let mut path = vec![row.name.as_str()];
    let mut parent = row.parent_id.as_deref();
    while let Some(id) = parent {
        let Some(up) = by_id.get(id) else { break };
        path.push(up.name.as_str());
        parent = up.parent_id.as_deref();
        if path.len() > 8 {
            break;
        }
    }
    path.reverse();
    path
}
