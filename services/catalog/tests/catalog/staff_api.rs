//! The staff part of the catalog API: stock and prices, reached with a
//! staff member's access token only, in-process and over HTTP alike.

use catalog::{Sku, Slug};
use catalog_api::Error;
use contracts::catalog::{NewProductV1, NewVariantsV1, PriceV1, ProductDetailsV1, StockChangeV1};
use contracts::identity::Role;
use support::auth::{keys, token};
use support::fixtures::{self, add, rain_jacket, slug, stock};
use support::serving::{both_clients, open_with};

use crate::support;

/// The fields a refusal by field named.
fn fields(err: Error) -> Vec<String> {
    match err {
        Error::Fields(fields) => fields.into_keys().collect(),
        other => panic!("expected a refusal by field, got {other:?}"),
    }
}

#[tokio::test]
async fn staff_change_stock_and_prices_and_nobody_else_can() {
    let dir = tempfile::tempdir().unwrap();
    let keys = keys();
    let catalog = open_with(dir.path(), &keys).await;
    let sku = fixtures::sku("JKT-YEL-104");
    let sizes = [
        ("JKT-YEL-104", "Yellow", "104"),
        ("JKT-YEL-110", "Yellow", "110"),
    ];
    add(&catalog, &rain_jacket(&sizes)).await;
    // Plenty of the second size: only the first one's stock is watched here.
    let other = stock(&catalog, "JKT-YEL-110", 20).await;
    let staff = token(&keys, "ann", Role::Staff);
    let customer = token(&keys, "bo", Role::Customer);
    let restock = |delta: i64| StockChangeV1 {
        delta,
        reason: "delivery from the mill".into(),
    };

    for (name, client) in both_clients(&catalog).await {
        // Drafts are listed for staff, and only for them.
        let list = client.staff_products(&staff, "", "").await.unwrap();
        assert_eq!(list[0].slug, "rain-jacket", "{name}");
        assert_eq!(list[0].status, "draft", "{name}");
        let refused = client.staff_products(&customer, "", "").await.unwrap_err();
        assert!(matches!(refused, Error::Forbidden), "{name}");
        let forged = client
            .staff_products("not.a.token", "", "")
            .await
            .unwrap_err();
        assert!(matches!(forged, Error::Unauthenticated(_)), "{name}");
        let customer_restock = client.adjust_stock(&customer, &sku, &restock(5)).await;
        assert!(matches!(customer_restock.unwrap_err(), Error::Forbidden));

        let before = client
            .staff_product(&staff, &slug("rain-jacket"))
            .await
            .unwrap()
            .unwrap()
            .variants[0]
            .on_hand;
        let level = client
            .adjust_stock(&staff, &sku, &restock(4))
            .await
            .unwrap();
        assert_eq!(level.on_hand, before + 4, "{name}");
        // More out than there is: refused, nothing changes.
        let too_many = client
            .adjust_stock(&staff, &sku, &restock(-(before + 5)))
            .await
            .unwrap_err();
        assert!(matches!(too_many, Error::Refused(_)), "{name}");
        let bad = StockChangeV1 {
            delta: 1,
            reason: "  ".into(),
        };
        let no_reason = client.adjust_stock(&staff, &sku, &bad).await.unwrap_err();
        assert!(matches!(no_reason, Error::BadRequest(_)), "{name}");
        let unknown = client
            .adjust_stock(&staff, &fixtures::sku("NO-SUCH"), &restock(1))
            .await
            .unwrap_err();
        assert!(matches!(unknown, Error::NotFound(_)), "{name}");
        assert_eq!(
            catalog.stock(&sku).await.unwrap().unwrap().on_hand,
            before + 4,
            "{name}"
        );
        let history = client.stock_history(&staff, &sku).await.unwrap();
        assert_eq!(history.last().unwrap().actor, "staff:ann", "{name}");

        let price = |price_minor, compare_at_minor| PriceV1 {
            price_minor,
            compare_at_minor,
        };
        client
            .set_price(&staff, &sku, &price(3500, Some(5000)))
            .await
            .unwrap();
        // Refused field by field, and nothing changes.
        let negative = client
            .set_price(&staff, &sku, &price(-1, None))
            .await
            .unwrap_err();
        assert_eq!(fields(negative), ["price"], "{name}");
        let not_a_sale = client
            .set_price(&staff, &sku, &price(3500, Some(3000)))
            .await
            .unwrap_err();
        assert_eq!(fields(not_a_sale), ["compare_at"], "{name}");
        let product = client
            .staff_product(&staff, &slug("rain-jacket"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(product.variants[0].price_minor, 3500, "{name}");
        assert_eq!(product.variants[0].compare_at_minor, Some(5000), "{name}");

        // Barcodes: checked by their last digit, never on two variants.
        let code = |barcode: &str| contracts::catalog::BarcodeV1 {
            barcode: barcode.into(),
        };
        client
            .set_barcode(&staff, &sku, &code("4006381333931"))
            .await
            .unwrap();
        let typo = client
            .set_barcode(&staff, &other, &code("4006381333932"))
            .await
            .unwrap_err();
        assert_eq!(fields(typo), ["barcode"], "{name}");
        let twice = client
            .set_barcode(&staff, &other, &code("4006381333931"))
            .await
            .unwrap_err();
        assert_eq!(fields(twice), ["barcode"], "{name}");
        let refused = client
            .set_barcode(&customer, &other, &code("4006381333931"))
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden), "{name}");
        let product = client
            .staff_product(&staff, &slug("rain-jacket"))
            .await
            .unwrap()
            .unwrap();
        let barcode_of = |sku: &Sku| {
            product
                .variants
                .iter()
                .find(|v| v.sku == sku.as_str())
                .unwrap()
                .barcode
                .clone()
        };
        assert_eq!(barcode_of(&sku).as_deref(), Some("4006381333931"), "{name}");
        assert_eq!(barcode_of(&other), None, "{name}");
        client.set_barcode(&staff, &sku, &code("")).await.unwrap();
        let missing = client
            .staff_product(&staff, &slug("no-such"))
            .await
            .unwrap();
        assert_eq!(missing, None, "{name}");

        // Found by a word of its name or address, in any case, and by
        // status; `%` is only a character.
        let found = client
            .staff_products(&staff, "RAIN", "draft")
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "{name}");
        for (words, status) in [("rain", "active"), ("%", "")] {
            let found = client.staff_products(&staff, words, status).await;
            assert!(found.unwrap().is_empty(), "{name}: {words:?} {status:?}");
        }
        let bad = client.staff_products(&staff, "", "live").await.unwrap_err();
        assert!(matches!(bad, Error::BadRequest(_)), "{name}");
        // Running low: only products in the shop count.
        assert!(client.low_stock(&staff).await.unwrap().is_empty(), "{name}");
    }
    catalog.publish_product(&slug("rain-jacket")).await.unwrap();
    let client = catalog.client();
    let low = client
        .low_stock(&token(&keys, "ann", Role::Staff))
        .await
        .unwrap();
    assert!(low.is_empty(), "8 on hand is not low: {low:?}");
    let out = StockChangeV1 {
        delta: -6,
        reason: "sent back to the mill".into(),
    };
    client
        .adjust_stock(&token(&keys, "ann", Role::Staff), &sku, &out)
        .await
        .unwrap();
    let low = client
        .low_stock(&token(&keys, "ann", Role::Staff))
        .await
        .unwrap();
    assert_eq!(low.len(), 1);
    assert_eq!((low[0].sku.as_str(), low[0].free), ("JKT-YEL-104", 2));
    let refused = client.low_stock(&token(&keys, "bo", Role::Customer)).await;
    assert!(matches!(refused.unwrap_err(), Error::Forbidden));
}

#[tokio::test]
async fn staff_create_a_product_grid_edit_and_publish_it() {
    let dir = tempfile::tempdir().unwrap();
    let keys = keys();
    let catalog = open_with(dir.path(), &keys).await;
    let staff = token(&keys, "ann", Role::Staff);
    let customer = token(&keys, "bo", Role::Customer);

    for (name, client) in both_clients(&catalog).await {
        let slug = Slug::parse(&format!("linen-wrap-dress-{}", name.replace('-', ""))).unwrap();
        let draft = NewProductV1 {
            name: "Linen wrap dress".into(),
            slug: slug.as_str().into(),
            category: "women-dresses".into(),
            description: "Cool in summer.\n\nFully lined.".into(),
            material_care: "100% linen. Wash at 30°C.".into(),
            sku_prefix: format!("LIN-{}", &name[..2]),
            colours: vec!["Navy".into(), "Sand".into()],
            sizes: vec!["8".into(), "10".into(), "12".into()],
            price_minor: 4900,
            ..Default::default()
        };
        let refused = client.create_product(&customer, &draft).await.unwrap_err();
        assert!(matches!(refused, Error::Forbidden), "{name}");

        // Every wrong field at once; nothing is saved.
        let wrong = NewProductV1 {
            name: "X".into(),
            category: "no-such-category".into(),
            colours: vec![],
            price_minor: 0,
            ..draft.clone()
        };
        let errors = fields(client.create_product(&staff, &wrong).await.unwrap_err());
        assert_eq!(errors, ["colours", "name", "price"], "{name}");
        let unknown_category = NewProductV1 {
            category: "no-such-category".into(),
            ..draft.clone()
        };
        let errors = fields(
            client
                .create_product(&staff, &unknown_category)
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["category"], "{name}");
        assert_eq!(
            client.staff_product(&staff, &slug).await.unwrap(),
            None,
            "{name}"
        );

        let made = client.create_product(&staff, &draft).await.unwrap();
        assert_eq!(made.status, "draft", "{name}");
        assert_eq!(made.variants.len(), 6, "{name}");
        assert_eq!(
            made.variants[0].sku,
            format!("LIN-{}-NAVY-8", name[..2].to_uppercase())
        );
        assert!(
            made.variants
                .iter()
                .all(|v| v.price_minor == 4900 && v.on_hand == 0)
        );
        // The same address twice: refused on that field.
        let errors = fields(client.create_product(&staff, &draft).await.unwrap_err());
        assert_eq!(errors, ["slug"], "{name}");
        // A draft is not in the shop.
        assert_eq!(client.product(&slug).await.unwrap(), None, "{name}");

        let grid = NewVariantsV1 {
            colours: vec!["Sand".into(), "Olive".into()],
            sizes: vec!["10".into(), "14".into()],
            price_minor: 5200,
        };
        let grown = client.add_variants(&staff, &slug, &grid).await.unwrap();
        // Sand 10 existed; Sand 14, Olive 10 and Olive 14 are new.
        assert_eq!(grown.variants.len(), 9, "{name}");
        let olive: Vec<&str> = grown
            .variants
            .iter()
            .filter(|v| v.colour == "Olive")
            .map(|v| v.size.as_str())
            .collect();
        assert_eq!(olive, ["10", "14"], "{name}");

        let details = ProductDetailsV1 {
            name: "Linen wrap dress".into(),
            category: "women-dresses".into(),
            description: "Cool in summer.\n\nFully lined.".into(),
            material_care: "100% linen.".into(),
            status: "active".into(),
            ..Default::default()
        };
        let bad_status = ProductDetailsV1 {
            status: "live".into(),
            ..details.clone()
        };
        let errors = fields(
            client
                .update_product(&staff, &slug, &bad_status)
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["status"], "{name}");
        client
            .update_product(&staff, &slug, &details)
            .await
            .unwrap();
        let page = client.product(&slug).await.unwrap().expect("published");
        assert_eq!(
            page.description, "Cool in summer.\n\nFully lined.",
            "{name}"
        );
        assert_eq!(page.material_care, "100% linen.", "{name}");
        assert_eq!(page.variants.len(), 9, "{name}");
        let missing = client
            .update_product(&staff, &Slug::parse("no-such").unwrap(), &details)
            .await
            .unwrap_err();
        assert!(matches!(missing, Error::NotFound(_)), "{name}");
    }
}
