//! What a fashion shopper narrows by and is shown besides categories:
//! brands, sale prices, size charts, related pieces, collections and new
//! arrivals; and staff labelling products and arranging collections. On
//! both databases, against the demo catalog.

use std::sync::Arc;

use catalog::{
    Catalog, CollectionDetails, EditError, ListingQuery, ProductDetails, ProductDraft, SearchTerm,
};
use contracts::catalog::events::{COLLECTION_CHANGED_V1, CollectionChangedV1};
use contracts::catalog::{CollectionDetailsV1, ListingV1, NewProductV1, ProductDetailsV1};
use platform::bus::{EventBus, InProcessBus};
use platform::db::Backend;
use support::fixtures::{demo as demo_shop, list, listen, page, payloads, query, slug, slugs};

use crate::support;

async fn collection(catalog: &Catalog, name: &str, raw: &str) -> ListingV1 {
    catalog
        .collection_listing(&slug(name), &query(raw))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no collection {name}"))
        .listing
}

async fn search(catalog: &Catalog, term: &str) -> contracts::catalog::ProductSearchV1 {
    let term = SearchTerm::parse(term).unwrap();
    catalog.search_products(&term, &query("")).await.unwrap()
}

async fn shoppers_see_brands_sales_size_charts_and_related_pieces(backend: Backend) {
    let (catalog, _dir) = demo_shop(backend).await;

    // Brands: offered with their counts, and filtering to one keeps only it.
    let women = list(&catalog, "women", "").await;
    let brands: Vec<(&str, u64)> = women
        .facets
        .brands
        .iter()
        .map(|b| (b.name.as_str(), b.products))
        .collect();
    assert_eq!(brands.len(), 2, "{brands:?}");
    assert_eq!(brands[0].0, "Hale & Co", "by name: {brands:?}");
    assert_eq!(
        brands.iter().map(|b| b.1).sum::<u64>(),
        women.total,
        "every demo product has a brand"
    );
    let hale = list(&catalog, "women", "brand=hale-co").await;
    assert_eq!(hale.total, brands[0].1);
    assert!(hale.total < women.total);
    for card in &hale.cards {
        assert_eq!(card.brand.as_deref(), Some("Hale & Co"), "{}", card.slug);
    }
    let nobody = list(&catalog, "women", "brand=little-wren").await;
    assert_eq!(nobody.total, 0, "a kids' brand has nothing for women");
    let (_, problems) = ListingQuery::parse("brand=<b>");
    assert_eq!(problems[0].field, "brand", "a malformed brand is reported");

    // Search finds brands and tags as well as names.
    let northshore = search(&catalog, "northshore").await;
    assert!(northshore.listing.total > 0);
    for card in &northshore.listing.cards {
        assert_eq!(card.brand.as_deref(), Some("Northshore"));
    }
    let waterproof = search(&catalog, "waterproof").await;
    let found = slugs(&waterproof.listing.cards);
    assert!(found.contains(&"women-hooded-raincoat"), "{found:?}");

    // The sale shelf shows the price before the sale above each price.
    let sale = collection(&catalog, "sale", "").await;
    assert!(sale.total >= 5, "{}", sale.total);
    for card in &sale.cards {
        let was = card.compare_at_minor.expect("a reduced card says so");
        assert!(was > card.price_from_minor, "{}", card.slug);
    }
    let full_price = list(&catalog, "women-dresses", "").await;
    assert!(
        full_price
            .cards
            .iter()
            .any(|c| c.compare_at_minor.is_none()),
        "pieces not on sale show one price"
    );

    // A dress measures against the women's chart, trainers their own,
    // a scarf (one size) none.
    let dress = page(&catalog, "women-linen-wrap-dress").await;
    let chart = dress.size_chart.as_ref().expect("a dress has a chart");
    assert_eq!(chart.columns[0], "UK size");
    assert!(chart.rows.iter().any(|row| row[0] == "12"));
    assert_eq!(dress.audience, "women");
    assert!(dress.brand.is_some());
    let trainers = page(&catalog, "women-canvas-trainers").await;
    assert_eq!(trainers.size_chart.unwrap().columns[1], "EU");
    let scarf = page(&catalog, "women-knitted-scarf").await;
    assert_eq!(scarf.size_chart, None);

    // Related: other dresses first, then the rest of Women, never itself.
    assert_eq!(dress.related.len(), 4);
    let related = slugs(&dress.related);
    assert!(!related.contains(&"women-linen-wrap-dress"));
    assert!(related.contains(&"women-jersey-midi-dress"), "{related:?}");
    assert!(
        related.iter().all(|s| s.starts_with("women-")),
        "{related:?}"
    );

    // The home page: the three starting collections, then new arrivals.
    let home = catalog.home().await.unwrap();
    let shelves: Vec<&str> = home
        .shelves
        .iter()
        .map(|s| s.collection.name.as_str())
        .collect();
    assert_eq!(shelves, ["New in", "Sale", "Back to school"]);
    assert!(
        home.shelves
            .iter()
            .all(|s| (1..=4).contains(&s.cards.len()))
    );
    assert_eq!(home.new_arrivals.len(), 8);
    let newest = list(&catalog, "baby", "").await;
    assert_eq!(
        home.new_arrivals[0].slug, newest.cards[0].slug,
        "the last piece added comes first"
    );
    assert!(
        catalog
            .collection_listing(&slug("no-such-shelf"), &query(""))
            .await
            .unwrap()
            .is_none()
    );
}

async fn staff_label_products_and_arrange_collections(backend: Backend) {
    let (catalog, _dir) = demo_shop(backend).await;
    let bus: Arc<dyn EventBus> = Arc::new(InProcessBus::new());
    let changes = listen(&bus, "test.collection-changes", &[COLLECTION_CHANGED_V1]).await;
    let relay = catalog.outbox_relay(bus.clone());

    // Labels: a new brand is made from its name, tags are tidied, and
    // wrong ones are named field by field.
    let raw = NewProductV1 {
        name: "Ribbed beanie".into(),
        category: "kids-outerwear".into(),
        sku_prefix: "BEA-RIB".into(),
        colours: vec!["Mustard".into()],
        sizes: vec!["One size".into()],
        price_minor: 1200,
        brand: "  Wool & Wander ".into(),
        audience: "kids".into(),
        tags: vec!["Winter".into(), "winter".into(), " knitwear ".into()],
        ..Default::default()
    };
    let wrong = ProductDraft::parse(&NewProductV1 {
        audience: "aliens".into(),
        tags: vec!["50% off!".into()],
        brand: "x".repeat(61),
        ..raw.clone()
    })
    .unwrap_err();
    assert_eq!(
        wrong.keys().collect::<Vec<_>>(),
        ["audience", "brand", "tags"]
    );
    catalog
        .create_product(&ProductDraft::parse(&raw).unwrap())
        .await
        .unwrap();
    let beanie = catalog
        .staff_product(&slug("ribbed-beanie"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(beanie.brand, "Wool & Wander");
    assert_eq!(beanie.audience, "kids");
    assert_eq!(beanie.tags, ["knitwear", "winter"]);
    let brands = catalog.brands().await.unwrap();
    assert!(brands.iter().any(|b| b.slug == "wool-wander"), "{brands:?}");
    // The same brand typed in another case is the same brand.
    let relabelled = ProductDetails::parse(&ProductDetailsV1 {
        name: beanie.name.clone(),
        category: beanie.category.clone(),
        status: "active".into(),
        brand: "wool & wander".into(),
        tags: vec![],
        ..Default::default()
    })
    .unwrap();
    catalog
        .update_product(&slug("ribbed-beanie"), &relabelled)
        .await
        .unwrap();
    assert_eq!(catalog.brands().await.unwrap().len(), brands.len());
    let shown = page(&catalog, "ribbed-beanie").await;
    assert_eq!(shown.brand.unwrap().name, "Wool & Wander");
    assert!(shown.tags.is_empty());

    // A collection: made from its name, its address kept unique.
    let summer = CollectionDetails::parse(&CollectionDetailsV1 {
        name: "Summer holiday".into(),
        description: "Sun hats to sandals.".into(),
        ..Default::default()
    })
    .unwrap();
    catalog.create_collection(&summer).await.unwrap();
    let again = catalog.create_collection(&summer).await.unwrap_err();
    assert!(
        matches!(&again, EditError::Fields(f) if f.contains_key("slug")),
        "{again:?}"
    );
    let nameless = CollectionDetails::parse(&CollectionDetailsV1::default()).unwrap_err();
    assert!(nameless.contains_key("name"));

    let shelf = slug("summer-holiday");
    let unknown = catalog.shelve(&shelf, "no-such-thing").await.unwrap_err();
    assert!(
        matches!(&unknown, EditError::Fields(f) if f.contains_key("product")),
        "{unknown:?}"
    );
    for product in [
        "women-straw-sun-hat",
        "men-cargo-shorts",
        "ribbed-beanie",
        "women-straw-sun-hat",
    ] {
        catalog.shelve(&shelf, product).await.unwrap();
    }
    // Moved one place at a time; the first cannot move further.
    let moves = [
        catalog
            .move_earlier(&shelf, &slug("ribbed-beanie"))
            .await
            .unwrap(),
        catalog
            .move_earlier(&shelf, &slug("ribbed-beanie"))
            .await
            .unwrap(),
        catalog
            .move_earlier(&shelf, &slug("ribbed-beanie"))
            .await
            .unwrap(),
    ];
    assert_eq!(moves, [true, true, false]);
    let order = |c: &contracts::catalog::StaffCollectionV1| {
        c.products
            .iter()
            .map(|p| p.slug.clone())
            .collect::<Vec<_>>()
    };
    let staff_view = catalog.staff_collection(&shelf).await.unwrap().unwrap();
    assert_eq!(
        order(&staff_view),
        ["ribbed-beanie", "women-straw-sun-hat", "men-cargo-shorts"],
        "shelved once each, the beanie moved to the front"
    );
    assert!(
        catalog
            .unshelve(&shelf, &slug("men-cargo-shorts"))
            .await
            .unwrap()
    );
    assert!(
        !catalog
            .unshelve(&shelf, &slug("men-cargo-shorts"))
            .await
            .unwrap()
    );

    // Shoppers see it on the home page, in staff's order, and on its page.
    let home = catalog.home().await.unwrap();
    let on_home = home
        .shelves
        .iter()
        .find(|s| s.collection.slug == "summer-holiday")
        .expect("a filled collection is on the home page");
    assert_eq!(
        slugs(&on_home.cards),
        ["ribbed-beanie", "women-straw-sun-hat"]
    );
    let listed = collection(&catalog, "summer-holiday", "").await;
    assert_eq!(listed.total, 2);

    // A draft on a shelf waits there until it is published.
    catalog
        .update_product(
            &slug("ribbed-beanie"),
            &ProductDetails::parse(&ProductDetailsV1 {
                status: "draft".into(),
                ..ProductDetailsV1 {
                    name: "Ribbed beanie".into(),
                    category: "kids-outerwear".into(),
                    ..Default::default()
                }
            })
            .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(collection(&catalog, "summer-holiday", "").await.total, 1);
    assert_eq!(
        order(&catalog.staff_collection(&shelf).await.unwrap().unwrap()).len(),
        2
    );

    // Renaming keeps the address; every change was announced.
    catalog
        .update_collection(
            &shelf,
            &CollectionDetails::parse(&CollectionDetailsV1 {
                name: "Holiday shop".into(),
                slug: "summer-holiday".into(),
                description: String::new(),
            })
            .unwrap(),
        )
        .await
        .unwrap();
    let renamed = catalog
        .collection_listing(&shelf, &query(""))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(renamed.collection.name, "Holiday shop");
    while relay.relay_pending().await.unwrap() > 0 {}
    let heard: Vec<String> = payloads::<CollectionChangedV1>(&changes)
        .into_iter()
        .map(|change| change.slug)
        .collect();
    // Made, shelved 4 times, moved twice, taken off once, renamed.
    assert_eq!(heard.len(), 9, "{heard:?}");
    assert!(heard.iter().all(|s| s == "summer-holiday"), "{heard:?}");
}

async fn staff_grow_the_category_tree_and_chart_its_sizes(backend: Backend) {
    let (catalog, _dir) = demo_shop(backend).await;
    let chart = |columns: &[&str], rows: &[&[&str]]| contracts::catalog::SizeChartV1 {
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect(),
    };
    let raw = contracts::catalog::CategoryDetailsV1 {
        name: "Knitwear".into(),
        slug: "women-knitwear".into(),
        parent: "women".into(),
        description: "Jumpers and cardigans.".into(),
        size_chart: Some(chart(
            &["UK size", "Bust"],
            &[&["8", "82 cm"], &["10", "87 cm"]],
        )),
    };
    // Wrong parts are named field by field; a kind is not a department.
    let wrong = catalog::CategoryDetails::parse(&contracts::catalog::CategoryDetailsV1 {
        name: "K".into(),
        size_chart: Some(chart(&["UK size", "Bust"], &[&["8"]])),
        ..raw.clone()
    })
    .unwrap_err();
    assert_eq!(wrong.keys().collect::<Vec<_>>(), ["name", "size_chart"]);
    assert!(
        wrong["size_chart"].contains("Line 2 has 1 values"),
        "{wrong:?}"
    );
    let under_a_kind = catalog::CategoryDetails::parse(&contracts::catalog::CategoryDetailsV1 {
        parent: "women-dresses".into(),
        ..raw.clone()
    })
    .unwrap();
    let refused = catalog.create_category(&under_a_kind).await.unwrap_err();
    assert!(
        matches!(&refused, EditError::Fields(f) if f.contains_key("parent")),
        "{refused:?}"
    );

    let knitwear = catalog::CategoryDetails::parse(&raw).unwrap();
    catalog.create_category(&knitwear).await.unwrap();
    let again = catalog.create_category(&knitwear).await.unwrap_err();
    assert!(matches!(&again, EditError::Fields(f) if f.contains_key("slug")));
    let women = catalog
        .departments()
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.category.slug == "women")
        .unwrap();
    assert_eq!(
        women.children.last().unwrap().name,
        "Knitwear",
        "last among its department's kinds"
    );

    // A product there measures against the new chart; without its own
    // chart, the department's applies again.
    let jumper = NewProductV1 {
        name: "Cable jumper".into(),
        category: "women-knitwear".into(),
        sku_prefix: "JMP-CBL".into(),
        colours: vec!["Oat".into()],
        sizes: vec!["8".into(), "10".into()],
        price_minor: 5200,
        ..Default::default()
    };
    catalog
        .create_product(&ProductDraft::parse(&jumper).unwrap())
        .await
        .unwrap();
    catalog
        .publish_product(&slug("cable-jumper"))
        .await
        .unwrap();
    let shown = page(&catalog, "cable-jumper").await;
    assert_eq!(shown.size_chart.unwrap().rows.len(), 2);
    catalog
        .update_category(
            &slug("women-knitwear"),
            &catalog::CategoryDetails::parse(&contracts::catalog::CategoryDetailsV1 {
                name: "Knits".into(),
                slug: "women-knitwear".into(),
                size_chart: None,
                ..Default::default()
            })
            .unwrap(),
        )
        .await
        .unwrap();
    let shown = page(&catalog, "cable-jumper").await;
    assert_eq!(
        shown.size_chart.unwrap().columns[3],
        "Hips",
        "the women's chart"
    );
    assert_eq!(shown.breadcrumb.last().unwrap().name, "Knits");
    let staff_view = catalog.staff_categories().await.unwrap();
    let knits = staff_view
        .iter()
        .find(|c| c.slug == "women-knitwear")
        .unwrap();
    assert_eq!(
        (knits.products, knits.parent.as_deref()),
        (1, Some("women"))
    );
    assert_eq!(knits.size_chart, None);
    assert!(
        staff_view
            .iter()
            .find(|c| c.slug == "women")
            .unwrap()
            .size_chart
            .is_some()
    );
}

platform::on_both_backends!(
    shoppers_see_brands_sales_size_charts_and_related_pieces,
    staff_label_products_and_arrange_collections,
    staff_grow_the_category_tree_and_chart_its_sizes,
);
