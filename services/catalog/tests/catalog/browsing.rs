//! Browsing the demo catalog as a shopper does: filters, sorts, pages and
//! search, on both databases.

use std::collections::HashSet;

use catalog::{Catalog, ListingQuery, Quantity, SearchTerm};
use contracts::catalog::{ListingSortV1, ProductSearchV1};
use platform::db::Backend;
use support::fixtures::{demo as demo_shop, list, page, query, sku, slug};

use crate::support;

async fn search(catalog: &Catalog, term: &str, raw: &str) -> ProductSearchV1 {
    catalog
        .search_products(&SearchTerm::parse(term).unwrap(), &query(raw))
        .await
        .unwrap()
}

/// Every product of a listing, all pages read.
async fn every_card(catalog: &Catalog, category: &str, raw: &str) -> Vec<String> {
    let first = list(catalog, category, raw).await;
    let mut slugs: Vec<String> = first.cards.iter().map(|c| c.slug.clone()).collect();
    for page in 2..=first.pages() {
        let q = query(raw).with_page(page);
        let next = catalog.listing(&slug(category), &q).await.unwrap();
        slugs.extend(next.cards.into_iter().map(|c| c.slug));
    }
    assert_eq!(slugs.len() as u64, first.total, "{category}?{raw}");
    slugs
}

async fn filters_narrow_to_products_that_have_what_was_asked(backend: Backend) {
    let (catalog, _dir) = demo_shop(backend).await;
    let all = list(&catalog, "women", "").await;
    assert!(
        all.total > u64::from(ListingQuery::PER_PAGE),
        "the department spans pages"
    );
    let sizes: Vec<&str> = all.facets.sizes.iter().map(|f| f.value.as_str()).collect();
    assert!(
        sizes.starts_with(&["5", "6", "7", "8"]),
        "sizes in the order worn: {sizes:?}"
    );
    assert!(all.facets.colours.iter().any(|f| f.value == "Navy"));

    // Size 14 is a clothing size: the shoes (5 to 9) drop out.
    let fourteen = every_card(&catalog, "women", "size=14").await;
    assert!(!fourteen.is_empty() && (fourteen.len() as u64) < all.total);
    for slug in &fourteen {
        let product = page(&catalog, slug).await;
        assert!(product.variants.iter().any(|v| v.size == "14"), "{slug}");
    }

    // Two filters: a product must have a variant that is both.
    let navy_fourteen = list(&catalog, "women", "size=14&colour=Navy").await;
    assert!(navy_fourteen.total > 0 && navy_fourteen.total < fourteen.len() as u64);
    for card in &navy_fourteen.cards {
        let product = page(&catalog, &card.slug).await;
        assert!(
            product
                .variants
                .iter()
                .any(|v| v.size == "14" && v.colour == "Navy"),
            "{}",
            card.slug
        );
    }
    // Facets stay whole, so a shopper can widen the choice again.
    assert_eq!(navy_fourteen.facets, all.facets);

    // In stock only: the card speaks for the matching variants.
    let in_stock = list(&catalog, "women", "size=14&in_stock=1").await;
    assert!(in_stock.cards.iter().all(|c| c.in_stock));
    let with_sold_out = list(&catalog, "women", "size=14").await;
    assert!(in_stock.total <= with_sold_out.total);

    // A price range keeps prices inside it.
    let range = list(&catalog, "women", "min=30&max=50").await;
    assert!(range.total > 0);
    assert!(
        range
            .cards
            .iter()
            .all(|c| (3000..=5000).contains(&c.price_from_minor))
    );

    // A size nobody makes lists nothing, and says so with a zero.
    assert_eq!(list(&catalog, "women", "size=XXXL").await.total, 0);
}

async fn sorts_and_pages_are_stable(backend: Backend) {
    let (catalog, _dir) = demo_shop(backend).await;
    let up = list(&catalog, "women", "sort=price-asc").await;
    let prices: Vec<i64> = up.cards.iter().map(|c| c.price_from_minor).collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    let down = list(&catalog, "women", "sort=price-desc").await;
    let prices: Vec<i64> = down.cards.iter().map(|c| c.price_from_minor).collect();
    assert!(prices.windows(2).all(|w| w[0] >= w[1]), "{prices:?}");

    // Pages split the listing without gaps or repeats, in every sort.
    for sort in ListingSortV1::ALL {
        let raw = format!("sort={}", sort.token());
        let slugs = every_card(&catalog, "women", &raw).await;
        let distinct: HashSet<_> = slugs.iter().collect();
        assert_eq!(distinct.len(), slugs.len(), "{raw}");
    }
    let beyond = list(&catalog, "women", "page=99").await;
    assert!(beyond.cards.is_empty() && beyond.total > 0);

    // Best selling follows what orders hold.
    let baby = every_card(&catalog, "baby", "").await;
    let last = baby.last().unwrap().clone();
    let product = page(&catalog, &last).await;
    let variant = product.variants.iter().find(|v| v.available > 0).unwrap();
    catalog
        .reserve_stock("order-1", &[(sku(&variant.sku), Quantity::new(1).unwrap())])
        .await
        .unwrap();
    let best = list(&catalog, "baby", "sort=best-selling").await;
    assert_eq!(best.cards[0].slug, last);
    // Once released, the sale no longer counts.
    catalog.release_stock("order-1").await.unwrap();
    let best = list(&catalog, "baby", "sort=best-selling").await;
    assert_ne!(best.cards[0].slug, last);
}

async fn search_finds_products_forgives_typos_and_is_harmless(backend: Backend) {
    let (catalog, _dir) = demo_shop(backend).await;
    let dresses = search(&catalog, "dresses", "").await;
    assert!(dresses.listing.total >= 3, "{}", dresses.listing.total);
    assert_eq!(dresses.corrected, None);
    assert!(
        dresses
            .listing
            .cards
            .iter()
            .any(|c| c.slug == "women-linen-wrap-dress")
    );

    // Category and colour words count too, and every word must match.
    let navy = search(&catalog, "women navy dress", "").await;
    assert!(navy.listing.total > 0);
    for card in &navy.listing.cards {
        assert!(card.colours.iter().any(|c| c == "Navy"), "{}", card.slug);
        assert!(card.slug.starts_with("women-"), "{}", card.slug);
    }
    // "men" is a word of its own, not the end of "women".
    let men = search(&catalog, "men", "").await;
    assert!(men.listing.total > 0);
    assert!(men.listing.cards.iter().all(|c| c.slug.starts_with("men-")));

    // A misspelling is searched as the word the catalog has, and says so.
    let typo = search(&catalog, "linnen wrap drss", "").await;
    assert_eq!(typo.corrected.as_deref(), Some("linen wrap dress"));
    assert!(
        typo.listing
            .cards
            .iter()
            .any(|c| c.slug == "women-linen-wrap-dress")
    );

    // Filters apply to results as to a category.
    let sized = search(&catalog, "dress", "size=8&sort=price-desc").await;
    assert!(sized.listing.total > 0 && sized.listing.total <= dresses.listing.total);

    // Nothing found: suggestions, never everything.
    let nothing = search(&catalog, "zzqx wibble", "").await;
    assert_eq!(nothing.listing.total, 0);

    // SQL and HTML metacharacters are text, not code.
    for hostile in [
        "'; DROP TABLE products; --",
        "dress' OR '1'='1",
        "<script>alert(1)</script>",
        "100% _cotton_",
        "\\\" $1 ?",
    ] {
        let found = search(&catalog, hostile, "").await;
        assert!(found.listing.total <= dresses.listing.total, "{hostile}");
    }
    let injected = search(&catalog, "dress' OR '1'='1", "").await;
    assert_eq!(
        injected.listing.total, 0,
        "the quote does not widen the search"
    );
    assert!(
        list(&catalog, "women", "").await.total > 0,
        "the products are all still there"
    );
}

platform::on_both_backends!(
    filters_narrow_to_products_that_have_what_was_asked,
    sorts_and_pages_are_stable,
    search_finds_products_forgives_typos_and_is_harmless,
);
