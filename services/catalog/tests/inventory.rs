//! Stock against real databases: the conditional updates that keep two
//! people from taking the same last unit, and the audit trail.

use std::sync::Arc;

use catalog::{Catalog, Error, Money, NewProduct, NewVariant, Sku, Slug, StockReason};
use platform::db::Backend;

async fn shop(backend: Backend) -> (Catalog, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = match backend {
        Backend::Sqlite => platform::db::sqlite_url(&dir.path().join("catalog.db")),
        Backend::Postgres => platform::db::testing::fresh_postgres_url().await,
    };
    (Catalog::open(&url).await.unwrap(), dir)
}

fn sku(raw: &str) -> Sku {
    Sku::parse(raw).unwrap()
}

fn reason(raw: &str) -> StockReason {
    StockReason::parse(raw).unwrap()
}

/// A summer dress in red, sizes S and M.
async fn dress(catalog: &Catalog) {
    let variant = |code: &str, size: &str| NewVariant {
        sku: sku(code),
        colour: "Red".into(),
        size: size.into(),
        price: Money::from_minor(3499).unwrap(),
    };
    catalog
        .add_product(&NewProduct {
            slug: Slug::parse("summer-dress").unwrap(),
            name: "Summer dress".into(),
            category: Slug::parse("women-dresses").unwrap(),
            variants: vec![variant("DRS-RED-S", "S"), variant("DRS-RED-M", "M")],
        })
        .await
        .unwrap();
}

async fn racing_for_the_last_units_never_oversells(backend: Backend) {
    let (catalog, _dir) = shop(backend).await;
    dress(&catalog).await;
    let m = sku("drs-red-m");
    catalog
        .adjust_stock(&m, 10, &reason("delivery"), "staff:ann")
        .await
        .unwrap();
    // 25 takers, one unit each, all at once, for 10 units.
    let catalog = Arc::new(catalog);
    let takers: Vec<_> = (0..25)
        .map(|i| {
            let catalog = catalog.clone();
            let m = m.clone();
            tokio::spawn(async move {
                catalog
                    .adjust_stock(&m, -1, &reason("sold in the shop"), &format!("till:{i}"))
                    .await
            })
        })
        .collect();
    let mut sold = 0;
    for taker in takers {
        match taker.await.unwrap() {
            Ok(_) => sold += 1,
            Err(Error::InsufficientStock { available: 0 }) => {}
            Err(other) => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!(sold, 10, "exactly the units there were");
    let level = catalog.stock(&m).await.unwrap().unwrap();
    assert_eq!((level.on_hand, level.reserved), (0, 0));
    let history = catalog.stock_history(&m).await.unwrap();
    assert_eq!(history.len(), 11, "the delivery and ten sales");
    assert_eq!(history.iter().map(|a| a.delta).sum::<i64>(), 0);
    assert!(history.iter().all(|a| a.on_hand_after >= 0));
}

async fn every_change_is_audited_and_refusals_change_nothing(backend: Backend) {
    let (catalog, _dir) = shop(backend).await;
    dress(&catalog).await;
    let s = sku("DRS-RED-S");
    catalog
        .adjust_stock(&s, 3, &reason("delivery"), "staff:ann")
        .await
        .unwrap();
    assert!(matches!(
        catalog
            .adjust_stock(&s, -5, &reason("damaged"), "staff:bo")
            .await,
        Err(Error::InsufficientStock { available: 3 })
    ));
    let level = catalog
        .adjust_stock(&s, -2, &reason("damaged in the shop window"), "staff:bo")
        .await
        .unwrap();
    assert_eq!(level.on_hand, 1);
    let history = catalog.stock_history(&s).await.unwrap();
    let lines: Vec<_> = history
        .iter()
        .map(|a| {
            (
                a.delta,
                a.on_hand_after,
                a.reason.as_str(),
                a.actor.as_str(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (3, 3, "delivery", "staff:ann"),
            (-2, 1, "damaged in the shop window", "staff:bo")
        ]
    );
    assert!(matches!(
        catalog.adjust_stock(&sku("NOPE-1"), 1, &reason("x"), "staff:ann").await,
        Err(Error::UnknownSku(code)) if code == "NOPE-1"
    ));
}

async fn slugs_and_skus_are_unique(backend: Backend) {
    let (catalog, _dir) = shop(backend).await;
    dress(&catalog).await;
    let again = NewProduct {
        slug: Slug::parse("another-dress").unwrap(),
        name: "Another dress".into(),
        category: Slug::parse("women-dresses").unwrap(),
        variants: vec![NewVariant {
            sku: sku("DRS-RED-S"),
            colour: "Blue".into(),
            size: "S".into(),
            price: Money::from_minor(2999).unwrap(),
        }],
    };
    assert!(matches!(
        catalog.add_product(&again).await,
        Err(Error::Taken(_))
    ));
    // Nothing of the refused product was kept.
    let mut fixed = again.clone();
    fixed.variants[0].sku = sku("DRS-BLUE-S");
    catalog.add_product(&fixed).await.unwrap();
    let mut unknown = fixed.clone();
    unknown.slug = Slug::parse("third-dress").unwrap();
    unknown.category = Slug::parse("no-such-category").unwrap();
    assert!(matches!(
        catalog.add_product(&unknown).await,
        Err(Error::UnknownCategory(_))
    ));
}

macro_rules! on_both_backends {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            use super::*;
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)] async fn $scenario() { super::$scenario(Backend::Sqlite).await })*
        }
        mod postgres {
            use super::*;
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)] async fn $scenario() { super::$scenario(Backend::Postgres).await })*
        }
    };
}

on_both_backends!(
    racing_for_the_last_units_never_oversells,
    every_change_is_audited_and_refusals_change_nothing,
    slugs_and_skus_are_unique,
);
