//! Storefront replicas keep product pages and listings until the catalog
//! announces a change to that product: then exactly its page and its
//! categories' listings are read again, in every replica.

use crate::support;

use std::sync::Arc;

use platform::shared_cache::Redis;
use support::shop::{REDIS_URL, card_price, page_price, prices, shop, until_page_price};

#[tokio::test]
async fn a_changed_product_is_read_again_and_nothing_else_is() {
    let shop = shop().await;
    let storefront = shop.replica(None, "unused").await;
    let read_everything = || async {
        (
            page_price(&storefront, "summer-dress").await,
            card_price(&storefront, "women-dresses", "summer-dress").await,
            card_price(&storefront, "women", "summer-dress").await,
            page_price(&storefront, "rain-jacket").await,
            card_price(&storefront, "kids-outerwear", "rain-jacket").await,
        )
    };
    assert_eq!(read_everything().await, (3499, 3499, 3499, 2999, 2999));
    let mark = shop.requests();
    assert_eq!(read_everything().await, (3499, 3499, 3499, 2999, 2999));
    shop.assert_asked_nothing_since(mark, "served from memory");

    shop.reprice_elsewhere("DRS-RED-M", 1999).await;
    // The replica has not heard yet: it still shows what it holds.
    assert_eq!(page_price(&storefront, "summer-dress").await, 3499);

    shop.publish_events().await;
    until_page_price(&storefront, "summer-dress", 1999).await;
    assert_eq!(
        card_price(&storefront, "women-dresses", "summer-dress").await,
        1999
    );
    assert_eq!(
        card_price(&storefront, "women", "summer-dress").await,
        1999,
        "its department"
    );

    // The jacket, in another department, was not touched by the change.
    let mark = shop.requests();
    let jacket = prices(&storefront, "kids-outerwear", "rain-jacket").await;
    assert_eq!(jacket, (2999, 2999));
    shop.assert_asked_nothing_since(mark, "still cached");
}

#[tokio::test]
async fn a_sale_that_empties_a_size_shows_on_the_page() {
    let shop = shop().await;
    let storefront = shop.replica(None, "unused").await;
    let available = |storefront: &storefront::StorefrontCatalog| {
        let storefront = storefront.clone();
        async move {
            let page = storefront
                .product(&support::shop::slug("rain-jacket"))
                .await
                .unwrap()
                .unwrap();
            page.variants[0].available
        }
    };
    assert_eq!(available(&storefront).await, 5);
    let sku = catalog::Sku::parse("JKT-YEL-104").unwrap();
    let reason = catalog::StockReason::parse("damaged in the shop").unwrap();
    shop.catalog
        .adjust_stock(&sku, -5, &reason, "staff:ann")
        .await
        .unwrap();
    shop.publish_events().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while available(&storefront).await != 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "sold out never showed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let listing = storefront
        .listing(
            &support::shop::slug("kids-outerwear"),
            &catalog::ListingQuery::default(),
        )
        .await
        .unwrap();
    assert!(!listing.cards[0].in_stock, "the card says sold out too");
}

#[tokio::test]
async fn replicas_share_what_they_read_through_redis_and_all_drop_a_change() {
    let redis = Arc::new(Redis::open(REDIS_URL).unwrap());
    assert!(
        redis.ping().await,
        "Redis must run on 127.0.0.1:6379 for this test; start it with: \
         redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no"
    );
    let namespace = format!("sury-test:{}", uuid::Uuid::now_v7().simple());
    let shop = shop().await;
    let first = shop.replica(Some(redis.clone()), &namespace).await;
    let second = shop.replica(Some(redis.clone()), &namespace).await;

    let (category, dress) = ("women-dresses", "summer-dress");
    assert_eq!(prices(&first, category, dress).await, (3499, 3499));
    let mark = shop.requests();
    assert_eq!(prices(&second, category, dress).await, (3499, 3499));
    shop.assert_asked_nothing_since(mark, "the second replica found both in Redis");

    shop.reprice_elsewhere("DRS-RED-M", 2499).await;
    shop.publish_events().await;
    for replica in [&first, &second] {
        until_page_price(replica, "summer-dress", 2499).await;
        assert_eq!(
            card_price(replica, "women-dresses", "summer-dress").await,
            2499
        );
    }
}

#[tokio::test]
async fn shelves_are_kept_until_a_collection_or_one_of_its_products_changes() {
    let shop = shop().await;
    let storefront = shop.replica(None, "unused").await;
    let shelf = support::shop::slug("new-in");
    let on_shelf = || async {
        let home = storefront.home().await.unwrap();
        let page = storefront
            .collection_listing(&shelf, &catalog::ListingQuery::default())
            .await
            .unwrap()
            .unwrap();
        let cards: Vec<(String, i64)> = page
            .listing
            .cards
            .iter()
            .map(|c| (c.slug.clone(), c.price_from_minor))
            .collect();
        (home.shelves.len(), cards)
    };
    assert_eq!(
        on_shelf().await,
        (0, vec![]),
        "the starting shelves are empty"
    );
    let mark = shop.requests();
    assert_eq!(on_shelf().await, (0, vec![]));
    shop.assert_asked_nothing_since(mark, "cached");

    // Staff elsewhere shelve the dress: the replica hears of it.
    shop.catalog.shelve(&shelf, "summer-dress").await.unwrap();
    assert_eq!(on_shelf().await, (0, vec![]), "not heard yet");
    shop.publish_events().await;
    let heard = async {
        loop {
            if on_shelf().await.0 == 1 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), heard)
        .await
        .expect("the shelf shows the dress");
    assert_eq!(on_shelf().await.1, vec![("summer-dress".to_owned(), 3499)]);

    // A price change of a shelved product shows on the shelf too.
    shop.reprice_elsewhere("DRS-RED-M", 2499).await;
    shop.publish_events().await;
    let repriced = async {
        while on_shelf().await.1 != vec![("summer-dress".to_owned(), 2499)] {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), repriced)
        .await
        .expect("the shelf shows the new price");
}

#[tokio::test]
async fn a_related_piece_repriced_shows_its_new_price_on_the_pages_that_suggest_it() {
    let shop = shop().await;
    // A second dress: the summer dress's page suggests it.
    let linen = catalog::Sku::parse("DRS-LIN-M").unwrap();
    shop.catalog
        .add_product(&catalog::NewProduct {
            slug: support::shop::slug("linen-dress"),
            name: "Linen dress".into(),
            category: support::shop::slug("women-dresses"),
            variants: vec![catalog::NewVariant {
                sku: linen.clone(),
                colour: "Sand".into(),
                size: "M".into(),
                price: catalog::Money::from_minor(4500).unwrap(),
            }],
        })
        .await
        .unwrap();
    shop.catalog
        .publish_product(&support::shop::slug("linen-dress"))
        .await
        .unwrap();
    shop.publish_events().await;
    let storefront = shop.replica(None, "unused").await;
    let suggested = || async {
        storefront
            .product(&support::shop::slug("summer-dress"))
            .await
            .unwrap()
            .unwrap()
            .related
            .iter()
            .map(|c| (c.slug.clone(), c.price_from_minor))
            .collect::<Vec<_>>()
    };
    assert_eq!(suggested().await, [("linen-dress".to_owned(), 4500)]);
    let mark = shop.requests();
    assert_eq!(suggested().await, [("linen-dress".to_owned(), 4500)]);
    shop.assert_asked_nothing_since(mark, "cached");

    shop.reprice_elsewhere("DRS-LIN-M", 3900).await;
    shop.publish_events().await;
    let repriced = async {
        while suggested().await != [("linen-dress".to_owned(), 3900)] {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), repriced)
        .await
        .expect("the summer dress's page shows the linen dress's new price");
}
