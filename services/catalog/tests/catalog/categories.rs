//! The catalog against a real SQLite file, as the embedded shop runs it.

use catalog::{Catalog, SearchTerm};
use platform::db::Backend;
use support::fixtures::{fresh_url, open as fresh_catalog, slug};

use crate::support;

fn term(raw: &str) -> SearchTerm {
    SearchTerm::parse(raw).unwrap()
}

async fn a_new_shop_has_the_four_departments_in_order(backend: Backend) {
    let (catalog, _dir) = fresh_catalog(backend).await;
    let departments = catalog.departments().await.unwrap();
    let names: Vec<_> = departments
        .iter()
        .map(|d| d.category.name.as_str())
        .collect();
    assert_eq!(names, ["Women", "Men", "Kids", "Baby"]);
    let women = &departments[0];
    assert_eq!(women.children[0].name, "Tops");
    assert!(women.children.iter().any(|c| c.slug == "women-dresses"));
}

async fn reopening_does_not_duplicate_the_seeded_tree(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_url(backend, &dir).await;
    let first = Catalog::open(&url).await.unwrap();
    let before = first.departments().await.unwrap();
    first.close().await;
    let second = Catalog::open(&url).await.unwrap();
    assert_eq!(second.departments().await.unwrap(), before);
}

async fn a_category_knows_its_breadcrumb_and_children(backend: Backend) {
    let (catalog, _dir) = fresh_catalog(backend).await;
    let dresses = catalog
        .category(&slug("kids-dresses"))
        .await
        .unwrap()
        .expect("seeded");
    assert_eq!(dresses.category.name, "Dresses");
    let crumbs: Vec<_> = dresses.ancestors.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(crumbs, ["kids"]);
    assert!(dresses.children.is_empty());

    let kids = catalog.category(&slug("kids")).await.unwrap().unwrap();
    assert!(kids.ancestors.is_empty());
    assert!(kids.children.iter().any(|c| c.slug == "kids-school"));
}

async fn an_unknown_slug_is_none_not_an_error(backend: Backend) {
    let (catalog, _dir) = fresh_catalog(backend).await;
    assert_eq!(catalog.category(&slug("pets")).await.unwrap(), None);
}

async fn search_matches_every_word_across_the_path(backend: Backend) {
    let (catalog, _dir) = fresh_catalog(backend).await;
    let hits = catalog
        .search_categories(&term("WOMEN dress"))
        .await
        .unwrap();
    let paths: Vec<_> = hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(paths, ["Women › Dresses"]);

    let all_dresses = catalog.search_categories(&term("dresses")).await.unwrap();
    assert_eq!(all_dresses.len(), 3, "women, kids and baby dresses");
}

async fn search_treats_sql_and_html_as_plain_text(backend: Backend) {
    let (catalog, _dir) = fresh_catalog(backend).await;
    for term in ["' OR 1=1 --", "%", "<script>alert(1)</script>", "_"] {
        let Ok(term) = SearchTerm::parse(term) else {
            continue;
        };
        let hits = catalog.search_categories(&term).await.unwrap();
        assert!(hits.is_empty(), "{term:?} matched {hits:?}");
    }
    // The tree is intact afterwards.
    assert_eq!(catalog.departments().await.unwrap().len(), 4);
}

async fn a_closed_database_reports_errors_instead_of_panicking(backend: Backend) {
    let (catalog, _dir) = fresh_catalog(backend).await;
    catalog.close().await;
    assert!(catalog.check_ready().await.is_err());
    assert!(catalog.departments().await.is_err());
}

// Every scenario above, on SQLite (embedded) and PostgreSQL (distributed).
platform::on_both_backends!(
    a_new_shop_has_the_four_departments_in_order,
    reopening_does_not_duplicate_the_seeded_tree,
    a_category_knows_its_breadcrumb_and_children,
    an_unknown_slug_is_none_not_an_error,
    search_matches_every_word_across_the_path,
    search_treats_sql_and_html_as_plain_text,
    a_closed_database_reports_errors_instead_of_panicking,
);
