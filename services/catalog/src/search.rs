//! Product search. The words a shopper types are cut to lowercase letters
//! and digits (so quotes, `%`, `<` and the like never reach SQL or a page)
//! and singularised; each must start a word of the product's name, its
//! category or one of its colours. A word no product has is corrected to the
//! closest one the catalog does have, within a typo or two.

use std::collections::BTreeSet;

use contracts::catalog::{ListingV1, ProductSearchV1};
use sqlx::Row;

use crate::ListingQuery;
use crate::listing::Scope;
use crate::{Catalog, Error, SearchTerm};

/// More words than this add nothing a shopper means.
const MAX_WORDS: usize = 8;

/// Lowercase runs of letters and digits: `"Women's T-shirts"` gives
/// `["women", "shirts"]` (single letters say nothing on their own).
pub(crate) fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some())
        .map(str::to_lowercase)
}

/// The tokens as they are matched: singular.
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    tokens(text).map(|token| singular(&token))
}

/// English plurals as a shop's names use them: dresses → dress,
/// shoes → shoe, jeans → jean (which still starts "jeans").
fn singular(word: &str) -> String {
    if word.chars().count() <= 3 {
        word.to_owned()
    } else if let Some(stem) = word.strip_suffix("sses") {
        format!("{stem}ss")
    } else if word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

/// Edits (insert, delete, substitute, swap two neighbours) between two words.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// How many typos a word of this length may carry and still be corrected:
/// none in short words, where one edit makes another real word.
fn tolerance(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

/// `word` itself when some catalog word starts with it, else the closest
/// catalog word within its tolerance, else `None`.
fn correct(word: &str, vocabulary: &BTreeSet<String>) -> Option<String> {
    if vocabulary
        .range(word.to_owned()..)
        .next()
        .is_some_and(|w| w.starts_with(word))
    {
        return Some(word.to_owned());
    }
    vocabulary
        .iter()
        .map(|w| (distance(word, w), w))
        .filter(|(d, _)| *d <= tolerance(word))
        .min()
        .map(|(_, w)| w.clone())
}

/// Catalog words closest to what was typed, for "did you mean".
fn near(words: &[String], vocabulary: &BTreeSet<String>) -> Vec<String> {
    let mut scored: Vec<(usize, &String)> = vocabulary
        .iter()
        .filter(|w| w.chars().count() > 2)
        .filter_map(|w| {
            let best = words.iter().map(|typed| distance(typed, w)).min()?;
            (best <= 3).then_some((best, w))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(4).map(|(_, w)| w.clone()).collect()
}

impl Catalog {
    /// The words products are described by (names, categories, colours),
    /// lowercase and singular, for correcting misspelt searches.
    async fn vocabulary(&self) -> Result<BTreeSet<String>, Error> {
        let rows = sqlx::query(
            "SELECT DISTINCT p.name AS a, c.name AS b, COALESCE(parent.name, '') AS c, v.colour AS d,
                    COALESCE(br.name, '') AS e
             FROM products p
             JOIN categories c ON c.id = p.category_id
             LEFT JOIN categories parent ON parent.id = c.parent_id
             LEFT JOIN brands br ON br.id = p.brand_id
             JOIN variants v ON v.product_id = p.id
             WHERE p.status = 'active'",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut known = BTreeSet::new();
        for row in rows {
            for column in ["a", "b", "c", "d", "e"] {
                let text: String = row.try_get(column)?;
                known.extend(words(&text));
            }
        }
        let tags: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT t.tag FROM product_tags t JOIN products p ON p.id = t.product_id
             WHERE p.status = 'active'",
        )
        .fetch_all(&self.pool)
        .await?;
        for tag in tags {
            known.extend(words(&tag));
        }
        Ok(known)
    }

    /// Published products matching every word of `term`, filtered, sorted
    /// and paged like a category listing.
    #[tracing::instrument(name = "catalog.search_products", skip(self))]
    pub async fn search_products(
        &self,
        term: &SearchTerm,
        query: &ListingQuery,
    ) -> Result<ProductSearchV1, Error> {
        let typed: Vec<String> = tokens(term.as_str()).take(MAX_WORDS).collect();
        if typed.is_empty() {
            // Only single letters: nothing to look for, not everything.
            return Ok(ProductSearchV1 {
                corrected: None,
                listing: ListingV1 {
                    cards: Vec::new(),
                    total: 0,
                    page: 1,
                    per_page: ListingQuery::PER_PAGE,
                    facets: Default::default(),
                },
                suggestions: Vec::new(),
            });
        }
        let stems: Vec<String> = typed.iter().map(|t| singular(t)).collect();
        let vocabulary = self.vocabulary().await?;
        let corrections: Option<Vec<String>> = stems
            .iter()
            .map(|stem| correct(stem, &vocabulary))
            .collect();
        let searched = corrections.as_ref().unwrap_or(&stems);
        let listing = self.list(Scope::Words(searched), query).await?;
        let suggestions = if listing.total == 0 {
            near(&stems, &vocabulary)
        } else {
            Vec::new()
        };
        // Shown as typed where nothing was corrected ("dres" stays "dres").
        let corrected = corrections.filter(|c| *c != stems).map(|c| {
            c.iter()
                .zip(stems.iter().zip(&typed))
                .map(|(fixed, (stem, token))| {
                    if fixed == stem {
                        token.as_str()
                    } else {
                        fixed.as_str()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        });
        Ok(ProductSearchV1 {
            corrected,
            listing,
            suggestions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_cut_folded_and_singular() {
        let got: Vec<_> = words("Women's T-shirts; DROP TABLE <b>dresses</b> 100%").collect();
        assert_eq!(got, ["women", "shirt", "drop", "table", "dress", "100"]);
        assert_eq!(singular("shoes"), "shoe");
        assert_eq!(singular("dress"), "dress");
        assert_eq!(singular("jeans"), "jean");
    }

    #[test]
    fn typos_are_corrected_within_reason() {
        let vocabulary: BTreeSet<String> = ["dress", "raincoat", "navy", "linen", "wrap"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            correct("dres", &vocabulary).as_deref(),
            Some("dres"),
            "a prefix is kept"
        );
        assert_eq!(
            correct(&singular("dreses"), &vocabulary).as_deref(),
            Some("dress")
        );
        assert_eq!(
            correct("riancoat", &vocabulary).as_deref(),
            Some("raincoat")
        );
        assert_eq!(correct("lnien", &vocabulary).as_deref(), Some("linen"));
        assert_eq!(
            correct("car", &vocabulary),
            None,
            "short words are not guessed at"
        );
        assert_eq!(correct("submarine", &vocabulary), None);
    }
}
