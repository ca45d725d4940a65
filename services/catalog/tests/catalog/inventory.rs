//! Stock against real databases: the conditional updates that keep two
//! people from taking the same last unit, and the audit trail.

use std::future::Future;
use std::sync::Arc;

use catalog::{Catalog, Error, ListingQuery, Quantity, Sku, StockReason};
use platform::db::Backend;
use support::fixtures::{add, list, open, page, product, sku, slug, stock, summer_dress, variant};

use crate::support;

fn reason(raw: &str) -> StockReason {
    StockReason::parse(raw).unwrap()
}

/// A new catalog with one product: a summer dress in red, sizes S and M,
/// none in stock.
async fn dress_shop(backend: Backend) -> (Catalog, tempfile::TempDir) {
    let (catalog, dir) = open(backend).await;
    add(&catalog, &summer_dress(&["S", "M"])).await;
    (catalog, dir)
}

/// `racers` callers at once (each on its own task, as concurrent requests
/// are) try `take` on `code`, of which `units` are in stock; the catalog
/// and the SKU afterwards, and what each caller got.
async fn race<T, Fut>(
    catalog: Catalog,
    code: &str,
    units: i64,
    racers: usize,
    take: impl Fn(Arc<Catalog>, Sku, usize) -> Fut,
) -> (Arc<Catalog>, Sku, Vec<T>)
where
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let code = stock(&catalog, code, units).await;
    let catalog = Arc::new(catalog);
    let running: Vec<_> = (0..racers)
        .map(|i| tokio::spawn(take(catalog.clone(), code.clone(), i)))
        .collect();
    let mut got = Vec::with_capacity(racers);
    for racer in running {
        got.push(racer.await.unwrap());
    }
    (catalog, code, got)
}

async fn racing_for_the_last_units_never_oversells(backend: Backend) {
    let (catalog, _dir) = dress_shop(backend).await;
    // 25 takers, one unit each, all at once, for 10 units.
    let (catalog, m, sales) = race(catalog, "drs-red-m", 10, 25, |catalog, m, i| async move {
        let till = format!("till:{i}");
        catalog
            .adjust_stock(&m, -1, &reason("sold in the shop"), &till)
            .await
    })
    .await;
    let mut sold = 0;
    for sale in sales {
        match sale {
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
    let (catalog, _dir) = dress_shop(backend).await;
    let s = stock(&catalog, "DRS-RED-S", 3).await;
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
    let (catalog, _dir) = dress_shop(backend).await;
    let blue = vec![variant("DRS-RED-S", "Blue", "S", 2999)];
    let again = product("another-dress", "Another dress", "women-dresses", blue);
    assert!(matches!(
        catalog.add_product(&again).await,
        Err(Error::Taken(_))
    ));
    // Nothing of the refused product was kept.
    let mut fixed = again.clone();
    fixed.variants[0].sku = sku("DRS-BLUE-S");
    catalog.add_product(&fixed).await.unwrap();
    let mut unknown = fixed.clone();
    unknown.slug = slug("third-dress");
    unknown.category = slug("no-such-category");
    assert!(matches!(
        catalog.add_product(&unknown).await,
        Err(Error::UnknownCategory(_))
    ));
}

fn one(code: &Sku, count: i64) -> (Sku, Quantity) {
    (code.clone(), Quantity::new(count).unwrap())
}

async fn orders_racing_for_the_last_units_get_exactly_what_there_is(backend: Backend) {
    let (catalog, _dir) = dress_shop(backend).await;
    // 20 orders of one each, all at once, for 7 units.
    let (catalog, m, orders) = race(catalog, "DRS-RED-M", 7, 20, |catalog, m, i| async move {
        let order = format!("order-{i}");
        catalog.reserve_stock(&order, &[one(&m, 1)]).await
    })
    .await;
    let mut confirmed = 0;
    for order in orders {
        match order {
            Ok(()) => confirmed += 1,
            Err(Error::NotEnoughStock(short)) => {
                assert_eq!(short[0].available, 0);
                assert_eq!(short[0].requested, 1);
            }
            Err(other) => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!(confirmed, 7);
    let level = catalog.stock(&m).await.unwrap().unwrap();
    assert_eq!(
        (level.on_hand, level.reserved),
        (7, 7),
        "held, not yet shipped"
    );
}

async fn an_order_reserves_every_line_or_none(backend: Backend) {
    let (catalog, _dir) = dress_shop(backend).await;
    let s = stock(&catalog, "DRS-RED-S", 5).await;
    let m = stock(&catalog, "DRS-RED-M", 1).await;
    let refused = catalog
        .reserve_stock("order-1", &[one(&s, 2), one(&m, 2)])
        .await;
    let Err(Error::NotEnoughStock(short)) = refused else {
        panic!("expected a shortfall, got {refused:?}")
    };
    assert_eq!(short.len(), 1);
    assert_eq!(
        (
            short[0].sku.as_str(),
            short[0].requested,
            short[0].available
        ),
        ("DRS-RED-M", 2, 1)
    );
    // The line that did fit was not kept either.
    assert_eq!(catalog.stock(&s).await.unwrap().unwrap().reserved, 0);

    // The same SKU twice counts as one line of the sum.
    catalog
        .reserve_stock("order-2", &[one(&s, 2), one(&m, 1), one(&s, 1)])
        .await
        .unwrap();
    // Delivered twice: still held once.
    catalog
        .reserve_stock("order-2", &[one(&s, 2), one(&m, 1), one(&s, 1)])
        .await
        .unwrap();
    assert_eq!(catalog.stock(&s).await.unwrap().unwrap().reserved, 3);
    assert_eq!(catalog.stock(&m).await.unwrap().unwrap().reserved, 1);
    // Staff cannot take out stock an order holds.
    assert!(matches!(
        catalog
            .adjust_stock(&s, -3, &reason("recount"), "staff:bo")
            .await,
        Err(Error::InsufficientStock { available: 2 })
    ));
    assert!(matches!(
        catalog
            .reserve_stock("order-3", &[one(&sku("NOPE-1"), 1)])
            .await,
        Err(Error::UnknownSku(_))
    ));
}

async fn cancelling_gives_stock_back_and_shipping_takes_it_off_the_shelf(backend: Backend) {
    let (catalog, _dir) = dress_shop(backend).await;
    let s = stock(&catalog, "DRS-RED-S", 4).await;
    catalog
        .reserve_stock("cancelled", &[one(&s, 3)])
        .await
        .unwrap();
    assert_eq!(catalog.release_stock("cancelled").await.unwrap(), 1);
    assert_eq!(
        catalog.release_stock("cancelled").await.unwrap(),
        0,
        "once only"
    );
    let level = catalog.stock(&s).await.unwrap().unwrap();
    assert_eq!((level.on_hand, level.reserved), (4, 0));

    catalog
        .reserve_stock("shipped", &[one(&s, 3)])
        .await
        .unwrap();
    assert_eq!(catalog.ship_stock("shipped", "staff:cy").await.unwrap(), 1);
    assert_eq!(
        catalog.ship_stock("shipped", "staff:cy").await.unwrap(),
        0,
        "once only"
    );
    assert_eq!(
        catalog.release_stock("shipped").await.unwrap(),
        0,
        "shipped is final"
    );
    let level = catalog.stock(&s).await.unwrap().unwrap();
    assert_eq!((level.on_hand, level.reserved), (1, 0));
    let history = catalog.stock_history(&s).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!((last.delta, last.on_hand_after), (-3, 1));
    assert_eq!(last.reason, "order shipped shipped");
    assert_eq!(last.actor, "staff:cy");
}

async fn a_product_shows_once_published_with_what_is_left(backend: Backend) {
    let (catalog, _dir) = dress_shop(backend).await;
    let dress = slug("summer-dress");
    assert_eq!(
        catalog.product(&dress).await.unwrap(),
        None,
        "a draft is not on sale"
    );
    assert!(catalog.publish_product(&dress).await.unwrap());
    assert!(
        !catalog
            .publish_product(&slug("no-such-dress"))
            .await
            .unwrap()
    );
    let m = stock(&catalog, "DRS-RED-M", 3).await;
    catalog
        .reserve_stock("order-1", &[one(&m, 1)])
        .await
        .unwrap();

    let product = page(&catalog, "summer-dress").await;
    assert_eq!(product.name, "Summer dress");
    let trail: Vec<_> = product.breadcrumb.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(trail, ["women", "women-dresses"]);
    let variants: Vec<_> = product
        .variants
        .iter()
        .map(|v| (v.sku.as_str(), v.size.as_str(), v.price_minor, v.available))
        .collect();
    assert_eq!(
        variants,
        [("DRS-RED-S", "S", 3499, 0), ("DRS-RED-M", "M", 3499, 2)]
    );
}

async fn a_new_shop_can_load_a_believable_demo_catalog(backend: Backend) {
    let (catalog, _dir) = open(backend).await;
    let made = catalog.seed_demo().await.unwrap();
    assert!(made >= 40, "{made} products");
    assert_eq!(
        catalog.seed_demo().await.unwrap(),
        0,
        "only into an empty shop"
    );
    let dress = page(&catalog, "women-linen-wrap-dress").await;
    assert!(dress.variants.len() >= 10);
    assert!(
        dress.variants.iter().any(|v| v.available == 0),
        "some sizes sold out"
    );
    assert!(dress.variants.iter().any(|v| v.available > 0));

    let mut variants = 0;
    for department in ["women", "men", "kids", "baby"] {
        let first = list(&catalog, department, "").await;
        assert!(first.total >= 7, "{department}: {}", first.total);
        let mut cards = first.cards.clone();
        for page in 2..=first.pages() {
            let next = ListingQuery::default().with_page(page);
            let more = catalog.listing(&slug(department), &next).await.unwrap();
            cards.extend(more.cards);
        }
        assert_eq!(
            cards.len() as u64,
            first.total,
            "{department}: every page read"
        );
        for card in &cards {
            let product = page(&catalog, &card.slug).await;
            assert_eq!(
                card.price_from_minor,
                product
                    .variants
                    .iter()
                    .map(|v| v.price_minor)
                    .min()
                    .unwrap()
            );
            variants += product.variants.len();
        }
    }
    assert!(variants >= 300, "{variants} variants");
    let dresses = list(&catalog, "women-dresses", "").await;
    assert_eq!(dresses.total, 3, "a leaf lists its own products only");
}

platform::on_both_backends!(
    racing_for_the_last_units_never_oversells,
    every_change_is_audited_and_refusals_change_nothing,
    slugs_and_skus_are_unique,
    orders_racing_for_the_last_units_get_exactly_what_there_is,
    an_order_reserves_every_line_or_none,
    cancelling_gives_stock_back_and_shipping_takes_it_off_the_shelf,
    a_product_shows_once_published_with_what_is_left,
    a_new_shop_can_load_a_believable_demo_catalog,
);
