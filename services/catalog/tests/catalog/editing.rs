//! Staff editing products against real databases: a grid of variants, a
//! grown grid, details and a change of category, each announced so that
//! storefront caches drop the right pages.

use std::sync::{Arc, Mutex};

use catalog::{EditError, ProductDetails, ProductDraft, Status, VariantGrid};
use contracts::catalog::events::{PRODUCT_CHANGED_V1, ProductChangedV1};
use contracts::catalog::{NewProductV1, NewVariantsV1, ProductDetailsV1};
use platform::bus::{EventBus, InProcessBus, Message};
use platform::db::Backend;
use support::fixtures::{list, listen, open, payloads, slug};

use crate::support;

fn draft() -> NewProductV1 {
    NewProductV1 {
        name: "Cord trousers".into(),
        slug: String::new(),
        category: "men-trousers".into(),
        description: String::new(),
        material_care: String::new(),
        sku_prefix: "TRS-CORD".into(),
        colours: vec!["Rust".into()],
        sizes: vec!["30".into(), "32".into()],
        price_minor: 4500,
        ..Default::default()
    }
}

async fn wait_until_heard(heard: &Mutex<Vec<Message>>, count: usize) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while heard.lock().unwrap().len() < count {
        assert!(std::time::Instant::now() < deadline, "changes never heard");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

async fn a_product_is_made_grown_moved_and_announced(backend: Backend) {
    let (catalog, _dir) = open(backend).await;
    let bus: Arc<dyn EventBus> = Arc::new(InProcessBus::new());
    let heard = listen(&bus, "test.product-changes", &[PRODUCT_CHANGED_V1]).await;
    let relay = catalog.outbox_relay(bus.clone());

    let made = ProductDraft::parse(&draft()).unwrap();
    catalog.create_product(&made).await.unwrap();
    let cord = slug("cord-trousers");
    assert_eq!(made.slug(), &cord, "the address comes from the name");
    let again = catalog.create_product(&made).await.unwrap_err();
    assert!(
        matches!(&again, EditError::Fields(f) if f.contains_key("slug")),
        "{again:?}"
    );

    let grid = VariantGrid::parse(&NewVariantsV1 {
        colours: vec!["Rust".into(), "Bottle green".into()],
        sizes: vec!["32".into(), "34".into()],
        price_minor: 4700,
    })
    .unwrap();
    assert_eq!(catalog.add_variants(&cord, &grid).await.unwrap(), 3);
    assert_eq!(
        catalog.add_variants(&cord, &grid).await.unwrap(),
        0,
        "nothing twice"
    );
    let staff = catalog.staff_product(&cord).await.unwrap().unwrap();
    let skus: Vec<&str> = staff.variants.iter().map(|v| v.sku.as_str()).collect();
    assert_eq!(
        skus,
        [
            "TRS-CORD-RUST-30",
            "TRS-CORD-RUST-32",
            "TRS-CORD-RUST-34",
            "TRS-CORD-BOTTLEGREEN-32",
            "TRS-CORD-BOTTLEGREEN-34"
        ]
    );

    let details = |category: &str, status: &str| {
        ProductDetails::parse(&ProductDetailsV1 {
            name: "Cord trousers".into(),
            category: category.into(),
            description: "Soft needlecord.".into(),
            material_care: "Cotton.".into(),
            status: status.into(),
            ..Default::default()
        })
        .unwrap()
    };
    catalog
        .update_product(&cord, &details("men-trousers", "active"))
        .await
        .unwrap();
    let unknown = catalog
        .update_product(&cord, &details("no-such-category", "active"))
        .await
        .unwrap_err();
    assert!(
        matches!(&unknown, EditError::Fields(f) if f.contains_key("category")),
        "{unknown:?}"
    );
    relay.relay_pending().await.unwrap();
    // The bus delivers on its own task: wait for the two earlier changes
    // (grown, details; a new draft is nobody's business) so neither lands
    // after the clear.
    wait_until_heard(&heard, 2).await;
    heard.lock().unwrap().clear();

    // Moved to another department: both categories' listings must drop it.
    catalog
        .update_product(&cord, &details("kids-trousers", "active"))
        .await
        .unwrap();
    relay.relay_pending().await.unwrap();
    wait_until_heard(&heard, 2).await;
    let changes: Vec<ProductChangedV1> = payloads(&heard);
    let mut categories: Vec<String> = changes.into_iter().flat_map(|c| c.categories).collect();
    categories.sort();
    assert_eq!(categories, ["kids", "kids-trousers", "men", "men-trousers"]);
    let kids = list(&catalog, "kids-trousers", "").await;
    assert_eq!(kids.cards[0].slug, "cord-trousers");
    let men = list(&catalog, "men-trousers", "").await;
    assert!(men.cards.iter().all(|c| c.slug != "cord-trousers"));

    // Staff find it by a word and status; a product in the shop with
    // nothing on hand is running low in every size.
    let found = catalog
        .staff_products("CORD", Some(Status::Active))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(
        catalog
            .staff_products("cord", Some(Status::Draft))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        catalog
            .staff_products("co_d", None)
            .await
            .unwrap()
            .is_empty(),
        "_ is a character"
    );
    let low = catalog.low_stock(3).await.unwrap();
    assert_eq!(low.len(), 5);
    assert!(low.iter().all(|v| v.slug == "cord-trousers" && v.free == 0));

    // Archived: off the shop, still there for staff.
    catalog
        .update_product(&cord, &details("kids-trousers", "archived"))
        .await
        .unwrap();
    assert_eq!(catalog.product(&cord).await.unwrap(), None);
    assert_eq!(
        catalog.staff_product(&cord).await.unwrap().unwrap().status,
        "archived"
    );
}

platform::on_both_backends!(a_product_is_made_grown_moved_and_announced);
