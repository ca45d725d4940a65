//! What the basket scenarios share: a real catalog to price and stock
//! baskets against, and the short ways they name SKUs and quantities.

use catalog::{Catalog, Money, NewProduct, NewVariant, Quantity, Sku, Slug, StockReason};

pub(crate) fn sku(raw: &str) -> Sku {
    Sku::parse(raw).unwrap()
}

pub(crate) fn qty(n: i64) -> Quantity {
    Quantity::new(n).unwrap()
}

/// A catalog on SQLite in `dir` selling a blue dress at £25.00: 5 left in
/// S, 1 in M, L sold out.
pub(crate) async fn dress_shop(dir: &std::path::Path) -> Catalog {
    let catalog = Catalog::open(&platform::db::sqlite_url(&dir.join("catalog.db")))
        .await
        .unwrap();
    let variant = |size: &str| NewVariant {
        sku: sku(&format!("DRS-{size}")),
        colour: "Blue".into(),
        size: size.into(),
        price: Money::from_minor(2500).unwrap(),
    };
    let dress = Slug::parse("summer-dress").unwrap();
    catalog
        .add_product(&NewProduct {
            slug: dress.clone(),
            name: "Summer dress".into(),
            category: Slug::parse("women-dresses").unwrap(),
            variants: vec![variant("S"), variant("M"), variant("L")],
        })
        .await
        .unwrap();
    catalog.publish_product(&dress).await.unwrap();
    let reason = StockReason::parse("delivery").unwrap();
    for (size, units) in [("S", 5), ("M", 1)] {
        catalog
            .adjust_stock(&sku(&format!("DRS-{size}")), units, &reason, "staff:test")
            .await
            .unwrap();
    }
    catalog
}
