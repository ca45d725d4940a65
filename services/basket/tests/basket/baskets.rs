//! Baskets against a real catalog, stored in SQLite, PostgreSQL and Redis:
//! the same scenarios on each store.

use std::time::Duration;

use basket::{Added, Baskets, Error, Owner};
use catalog::{Catalog, CatalogClient, Money, StockReason};
use contracts::basket::LineState;

use crate::support::{dress_shop, qty, sku};

#[derive(Clone, Copy, Debug)]
enum Store {
    Sqlite,
    Postgres,
    Redis,
}

struct Shop {
    catalog: Catalog,
    baskets: Baskets,
    reopen: Box<dyn Fn() -> std::pin::Pin<Box<dyn Future<Output = Baskets>>>>,
    _dir: tempfile::TempDir,
}

const DAY: Duration = Duration::from_secs(86_400);

async fn open(
    store: Store,
    client: CatalogClient,
    dir: &std::path::Path,
    ttl: Duration,
) -> Baskets {
    match store {
        Store::Sqlite => Baskets::open_sql(
            &platform::db::sqlite_url(&dir.join("basket.db")),
            client,
            ttl,
        )
        .await
        .unwrap(),
        Store::Postgres => {
            let url = std::fs::read_to_string(dir.join("pg-url")).unwrap();
            Baskets::open_sql(&url, client, ttl).await.unwrap()
        }
        Store::Redis => {
            let namespace = std::fs::read_to_string(dir.join("namespace")).unwrap();
            Baskets::open_redis(&redis_url(), &namespace, client, ttl)
                .await
                .unwrap()
        }
    }
}

fn redis_url() -> String {
    std::env::var("SURY_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A catalog with a dress in S (5 left), M (1 left) and L (sold out), and
/// an empty basket store.
async fn shop(store: Store, ttl: Duration) -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dress_shop(dir.path()).await;
    if let Store::Postgres = store {
        let url = platform::db::testing::fresh_postgres_url().await;
        std::fs::write(dir.path().join("pg-url"), url).unwrap();
    }
    let namespace = format!("sury-test-{}", uuid::Uuid::now_v7().simple());
    std::fs::write(dir.path().join("namespace"), namespace).unwrap();
    let client = catalog.client();
    let baskets = open(store, client.clone(), dir.path(), ttl).await;
    let path = dir.path().to_owned();
    Shop {
        catalog,
        baskets,
        reopen: Box::new(move || {
            let client = client.clone();
            let path = path.clone();
            Box::pin(async move { open(store, client, &path, ttl).await })
        }),
        _dir: dir,
    }
}

fn guest() -> Owner {
    Owner::Guest(uuid::Uuid::now_v7())
}

async fn adding_is_capped_by_stock_and_refusals_change_nothing(store: Store) {
    let shop = shop(store, DAY).await;
    let me = guest();
    let b = &shop.baskets;
    assert_eq!(
        b.add(&me, &sku("drs-s"), qty(2)).await.unwrap(),
        Added {
            quantity: 2,
            capped: false
        }
    );
    assert_eq!(
        b.add(&me, &sku("DRS-S"), qty(4)).await.unwrap(),
        Added {
            quantity: 5,
            capped: true
        },
        "only 5 in stock"
    );
    assert!(matches!(
        b.add(&me, &sku("DRS-L"), qty(1)).await,
        Err(Error::SoldOut)
    ));
    assert!(matches!(
        b.add(&me, &sku("DRS-XXL"), qty(1)).await,
        Err(Error::UnknownVariant)
    ));
    let basket = b.view(&me).await.unwrap();
    assert_eq!(basket.lines.len(), 1);
    assert_eq!((basket.count, basket.subtotal_minor), (5, 12_500));
    assert!(basket.ready_for_checkout());
    assert_eq!(b.count(&me).await.unwrap(), 5);

    b.set_quantity(&me, &sku("DRS-S"), qty(1)).await.unwrap();
    b.add(&me, &sku("DRS-M"), qty(1)).await.unwrap();
    assert_eq!(b.count(&me).await.unwrap(), 2);
    b.remove(&me, &sku("DRS-S")).await.unwrap();
    b.remove(&me, &sku("DRS-S")).await.unwrap();
    let basket = b.view(&me).await.unwrap();
    assert_eq!(basket.lines[0].sku, "DRS-M");
    // Another shopper's basket is their own.
    assert_eq!(b.count(&guest()).await.unwrap(), 0);
}

async fn concurrent_adds_all_count(store: Store) {
    let shop = shop(store, DAY).await;
    let me = guest();
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let b = shop.baskets.clone();
            let me = me.clone();
            tokio::spawn(async move { b.add(&me, &sku("DRS-S"), qty(1)).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(shop.baskets.count(&me).await.unwrap(), 5);
}

async fn signing_in_merges_the_guest_basket_capped_by_stock(store: Store) {
    let shop = shop(store, DAY).await;
    let b = &shop.baskets;
    let visitor = guest();
    let member = Owner::Member("user-1".into());
    b.add(&member, &sku("DRS-S"), qty(3)).await.unwrap();
    b.add(&visitor, &sku("DRS-S"), qty(4)).await.unwrap();
    b.add(&visitor, &sku("DRS-M"), qty(1)).await.unwrap();
    b.merge(&visitor, &member).await.unwrap();
    let basket = b.view(&member).await.unwrap();
    let lines: Vec<(&str, i64)> = basket
        .lines
        .iter()
        .map(|l| (l.sku.as_str(), l.quantity))
        .collect();
    assert_eq!(
        lines,
        [("DRS-S", 5), ("DRS-M", 1)],
        "3 + 4 capped at the 5 in stock"
    );
    assert_eq!(
        b.count(&visitor).await.unwrap(),
        0,
        "the guest basket is emptied"
    );
    // Signing in again with the emptied cookie adds nothing more.
    b.merge(&visitor, &member).await.unwrap();
    assert_eq!(b.count(&member).await.unwrap(), 6);
}

async fn the_basket_tells_of_price_changes_and_sell_outs(store: Store) {
    let shop = shop(store, DAY).await;
    let b = &shop.baskets;
    let me = guest();
    b.add(&me, &sku("DRS-S"), qty(2)).await.unwrap();
    b.add(&me, &sku("DRS-M"), qty(1)).await.unwrap();
    shop.catalog
        .set_price(&sku("DRS-S"), Money::from_minor(1999).unwrap())
        .await
        .unwrap();
    let reason = StockReason::parse("damaged").unwrap();
    shop.catalog
        .adjust_stock(&sku("DRS-M"), -1, &reason, "staff:test")
        .await
        .unwrap();
    let basket = b.view(&me).await.unwrap();
    assert_eq!(
        basket.lines[0].state,
        LineState::PriceChanged { was_minor: 2500 }
    );
    assert_eq!(
        basket.lines[0].line_total_minor, 3998,
        "today's price, never the old one"
    );
    assert_eq!(basket.lines[1].state, LineState::SoldOut);
    assert_eq!((basket.count, basket.subtotal_minor), (2, 3998));
    assert!(!basket.ready_for_checkout());
    // Seen once, the new price is the price; the sold-out line stays
    // flagged until it is taken out.
    let again = b.view(&me).await.unwrap();
    assert_eq!(again.lines[0].state, LineState::Ok);
    assert_eq!(again.lines[1].state, LineState::SoldOut);
    b.remove(&me, &sku("DRS-M")).await.unwrap();
    assert!(b.view(&me).await.unwrap().ready_for_checkout());
}

async fn a_confirmed_order_leaves_the_basket_once(store: Store) {
    let shop = shop(store, DAY).await;
    let b = &shop.baskets;
    let me = Owner::Member("user-2".into());
    b.add(&me, &sku("DRS-S"), qty(3)).await.unwrap();
    b.add(&me, &sku("DRS-M"), qty(1)).await.unwrap();
    let ordered = [("DRS-S".to_owned(), 2), ("DRS-M".to_owned(), 1)];
    b.settle_order(&me, "order-1", &ordered).await.unwrap();
    b.settle_order(&me, "order-1", &ordered).await.unwrap();
    let basket = b.view(&me).await.unwrap();
    assert_eq!(basket.lines.len(), 1);
    assert_eq!(
        (basket.lines[0].sku.as_str(), basket.lines[0].quantity),
        ("DRS-S", 1)
    );
}

async fn baskets_survive_a_restart_and_expire_unused(store: Store) {
    let lasting = shop(store, DAY).await;
    let me = guest();
    lasting
        .baskets
        .add(&me, &sku("DRS-S"), qty(2))
        .await
        .unwrap();
    lasting.baskets.close().await;
    let reopened = (lasting.reopen)().await;
    assert_eq!(reopened.count(&me).await.unwrap(), 2);

    let brief = shop(store, Duration::from_millis(300)).await;
    brief.baskets.add(&me, &sku("DRS-S"), qty(1)).await.unwrap();
    assert_eq!(brief.baskets.count(&me).await.unwrap(), 1);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(brief.baskets.count(&me).await.unwrap(), 0, "expired");
    // An expired basket takes new lines like a new one.
    brief.baskets.add(&me, &sku("DRS-M"), qty(1)).await.unwrap();
    assert_eq!(brief.baskets.count(&me).await.unwrap(), 1);
}

/// The basket service's own consumer, handed one confirmed order naming
/// `basket`.
async fn confirm_order(b: &Baskets, order_id: &str, basket: &str, lines: &[(&str, i64)]) {
    use contracts::ordering::events::OrderLineV1;
    use contracts::ordering::saga::{ORDER_CONFIRMED_V1, OrderConfirmedV1};

    let event = OrderConfirmedV1 {
        order_id: order_id.into(),
        basket: Some(basket.into()),
        lines: lines
            .iter()
            .map(|(sku, quantity)| OrderLineV1 {
                sku: (*sku).into(),
                quantity: *quantity,
            })
            .collect(),
    };
    let message =
        platform::bus::Message::new(ORDER_CONFIRMED_V1, serde_json::to_vec(&event).unwrap());
    (b.order_subscription().handler)(message)
        .await
        .expect("handled, not retried");
}

/// An order empties a guest's basket only when it names it as the basket
/// service gave it out (signed): knowing a guest's basket id is not enough.
async fn an_order_empties_a_guest_basket_only_by_its_signed_key(store: Store) {
    let shop = shop(store, DAY).await;
    let b = &shop.baskets;
    let me = guest();
    b.add(&me, &sku("DRS-S"), qty(2)).await.unwrap();
    let key = b.view(&me).await.unwrap().key;
    let (unsigned, signature) = key.split_once('.').expect("a signed key");
    assert_eq!(unsigned, me.key());
    let forged = format!("{unsigned}.{}", "0".repeat(signature.len()));
    let other = Baskets::open_sql(
        &platform::db::sqlite_url(&shop._dir.path().join("other.db")),
        shop.catalog.client(),
        DAY,
    )
    .await
    .unwrap();
    let signed_elsewhere = other.view(&me).await.unwrap().key;
    for (n, named) in [unsigned, forged.as_str(), signed_elsewhere.as_str()]
        .into_iter()
        .enumerate()
    {
        confirm_order(b, &format!("order-{n}"), named, &[("DRS-S", 2)]).await;
        assert_eq!(b.count(&me).await.unwrap(), 2, "{named}: left alone");
    }
    confirm_order(b, "order-9", &key, &[("DRS-S", 2)]).await;
    assert_eq!(b.count(&me).await.unwrap(), 0, "emptied by its own key");
}

macro_rules! on_every_store {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
               async fn $scenario() { super::$scenario(super::Store::Sqlite).await } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
               async fn $scenario() { super::$scenario(super::Store::Postgres).await } )*
        }
        mod redis {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
               async fn $scenario() { super::$scenario(super::Store::Redis).await } )*
        }
    };
}

on_every_store!(
    adding_is_capped_by_stock_and_refusals_change_nothing,
    concurrent_adds_all_count,
    signing_in_merges_the_guest_basket_capped_by_stock,
    the_basket_tells_of_price_changes_and_sell_outs,
    a_confirmed_order_leaves_the_basket_once,
    an_order_empties_a_guest_basket_only_by_its_signed_key,
    baskets_survive_a_restart_and_expire_unused,
);
