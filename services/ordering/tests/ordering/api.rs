//! The ordering API through its typed client, in-process and over HTTP:
//! the same calls, the same answers; whose order it is comes from the
//! caller's token, staff actions need a staff token, and bad requests get
//! JSON errors and change nothing.

use catalog::{Catalog, Money, NewProduct, NewVariant, Quantity, Sku, Slug};
use contracts::identity::Role;
use contracts::ordering::{DeliveryMethod, OrderStatus, PaymentMethod};
use ordering::{Asker, Checkout, Error, Ordering, OrderingClient, Terms};
use platform::auth::testing::{Keys, keys, token};

struct Service {
    clients: Vec<(&'static str, OrderingClient)>,
    ordering: Ordering,
    url: String,
    keys: Keys,
    _dir: tempfile::TempDir,
}

/// A dress at £25.00 with 20 in stock, and ordering over it, in this
/// process and on a port.
async fn service() -> Service {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(&platform::db::sqlite_url(&dir.path().join("catalog.db")))
        .await
        .unwrap();
    let dress = Slug::parse("summer-dress").unwrap();
    catalog
        .add_product(&NewProduct {
            slug: dress.clone(),
            name: "Summer dress".into(),
            category: Slug::parse("women-dresses").unwrap(),
            variants: vec![NewVariant {
                sku: sku("DRS-S"),
                colour: "Blue".into(),
                size: "S".into(),
                price: Money::from_minor(2500).unwrap(),
            }],
        })
        .await
        .unwrap();
    catalog.publish_product(&dress).await.unwrap();
    let reason = catalog::StockReason::parse("delivery").unwrap();
    catalog
        .adjust_stock(&sku("DRS-S"), 20, &reason, "staff:t")
        .await
        .unwrap();
    let keys = keys();
    let ordering = Ordering::open(
        &platform::db::sqlite_url(&dir.path().join("ordering.db")),
        catalog.client(),
        Terms::default(),
        "https://shop.example",
    )
    .await
    .unwrap()
    .with_token_verifier(keys.verifier());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, ordering::api::router(ordering.clone())).into_future());
    Service {
        clients: vec![
            ("in-process", OrderingClient::in_process(ordering.clone())),
            ("http", OrderingClient::remote(&url)),
        ],
        ordering,
        url,
        keys,
        _dir: dir,
    }
}

fn sku(raw: &str) -> Sku {
    Sku::parse(raw).unwrap()
}

/// Two dresses for pick-up (£50.00, no delivery charge), by `customer_id`
/// as the body would say if the service believed it.
fn checkout(customer_id: Option<&str>) -> Checkout {
    Checkout {
        idempotency_key: uuid::Uuid::now_v7(),
        customer_id: customer_id.map(str::to_owned),
        basket: None,
        email: "ann@example.com".into(),
        name: "Ann Example".into(),
        address: Vec::new(),
        payment_method: PaymentMethod::CashOnDelivery,
        delivery_method: DeliveryMethod::Pickup,
        lines: vec![(sku("DRS-S"), Quantity::new(2).unwrap())],
        expected_total_minor: 5000,
    }
}

fn member(token: &str) -> Asker<'_> {
    Asker {
        access_token: Some(token),
        key: "",
    }
}

fn guest(key: &str) -> Asker<'_> {
    Asker {
        access_token: None,
        key,
    }
}

#[tokio::test]
async fn both_transports_give_the_same_answers() {
    let service = service().await;
    let ann = token(&service.keys, "ann", Role::Customer);
    let bo = token(&service.keys, "bo", Role::Customer);
    let staff = token(&service.keys, "clerk", Role::Staff);
    for (name, client) in &service.clients {
        assert_eq!(client.terms().await.unwrap(), Terms::default(), "{name}");

        // A guest's order, placed once however often it is posted.
        let as_guest = checkout(None);
        let placed = client.place_order(None, &as_guest).await.unwrap();
        assert!(!placed.repeated, "{name}");
        let again = client.place_order(None, &as_guest).await.unwrap();
        assert_eq!(again.order_id, placed.order_id, "{name}");
        assert!(again.repeated, "{name}");
        let seen = client
            .order(&placed.order_id, guest(&placed.view_key))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(seen.totals.total_minor, 5000, "{name}");
        assert_eq!(seen.status, OrderStatus::Submitted, "{name}");
        assert_eq!(
            client
                .order(&placed.order_id, guest("wrong"))
                .await
                .unwrap(),
            None,
            "{name}: a wrong key sees nothing"
        );

        // A member's order is theirs by token, whatever the body claims.
        let anns_checkout = checkout(Some("bo"));
        let mine = client
            .place_order(Some(&ann), &anns_checkout)
            .await
            .unwrap();
        // Her checkout key, replayed by someone else, opens nothing.
        for other in [Some(bo.as_str()), None] {
            let replayed = client.place_order(other, &anns_checkout).await;
            assert!(
                matches!(&replayed, Err(Error::Refused(m)) if m.contains("another account")),
                "{name}: {replayed:?}"
            );
        }
        let anns = client.orders_of(&ann).await.unwrap();
        assert!(anns.iter().any(|o| o.id == mine.order_id), "{name}");
        let bos = client.orders_of(&bo).await.unwrap();
        assert!(bos.iter().all(|o| o.id != mine.order_id), "{name}");
        assert_eq!(
            client.order(&mine.order_id, member(&bo)).await.unwrap(),
            None,
            "{name}: not Bo's"
        );
        assert!(
            client
                .order(&mine.order_id, member(&ann))
                .await
                .unwrap()
                .is_some()
        );

        // Refusals come back as the service's own errors, in the same
        // words; nothing is placed.
        let mut dear = checkout(None);
        dear.expected_total_minor = 4000;
        let refused = client.place_order(None, &dear).await.unwrap_err();
        assert!(
            matches!(&refused, Error::PricesChanged)
                && refused.to_string().contains("Prices changed"),
            "{name}: {refused:?}"
        );
        let mut too_many = checkout(None);
        too_many.lines = vec![(sku("DRS-S"), Quantity::new(99).unwrap())];
        too_many.expected_total_minor = 99 * 2500;
        let refused = client.place_order(None, &too_many).await.unwrap_err();
        assert!(
            matches!(&refused, Error::NotEnoughStock(short) if !short.is_empty())
                && refused.to_string().contains("Not enough left"),
            "{name}: {refused:?}"
        );

        // Staff: the list, the dashboard, payment and cancelling; a
        // customer's token does none of it.
        let listed = client
            .list(&staff, &ordering::OrderFilter::default())
            .await
            .unwrap();
        assert!(listed.iter().any(|o| o.id == placed.order_id), "{name}");
        let refused = client.list(&ann, &Default::default()).await.unwrap_err();
        assert!(matches!(refused, Error::Service(_)), "{name}: {refused:?}");
        assert!(client.dashboard(&staff, 7).await.is_ok(), "{name}");
        let refused = client.record_payment(&ann, &placed.order_id).await;
        assert!(refused.is_err(), "{name}");
        let shipped = client.ship(&staff, &placed.order_id, "", "1Z").await;
        assert!(
            matches!(&shipped, Err(err @ Error::BadField(field, _))
                if field == "carrier" && err.to_string().contains("carrier")),
            "{name}: {shipped:?}"
        );
        client
            .cancel_order(&placed.order_id, guest(&placed.view_key), "")
            .await
            .unwrap();
        let cancelled = client
            .order(&placed.order_id, member(&staff))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(cancelled.status, OrderStatus::Cancelled, "{name}");
        assert_eq!(
            cancelled.cancel_reason.as_deref(),
            Some("you cancelled it"),
            "{name}"
        );
        let twice = client
            .cancel_order(&placed.order_id, guest(&placed.view_key), "")
            .await;
        assert!(
            matches!(&twice, Err(err @ Error::WrongState(_)) if err.to_string().contains("no longer")),
            "{name}: {twice:?}"
        );
    }
}

#[tokio::test]
async fn bad_requests_get_json_errors_and_change_nothing() {
    let service = service().await;
    let http = reqwest::Client::new();
    let orders = format!("{}/api/v1/ordering/orders", service.url);
    let good = serde_json::json!({
        "idempotency_key": uuid::Uuid::now_v7().to_string(),
        "email": "ann@example.com",
        "name": "Ann",
        "payment_method": "cash_on_delivery",
        "delivery_method": "pickup",
        "lines": [{"sku": "DRS-S", "quantity": 1}],
        "expected_total_minor": 2500,
    });
    let with = |field: &str, value: serde_json::Value| {
        let mut body = good.clone();
        body[field] = value;
        body.to_string()
    };
    let post = |body: String| {
        http.post(&orders)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    // The good checkout with one field made wrong: the status, and the
    // field the error must name.
    let one_wrong = [
        ("payment_method", "cheque".into(), 422, None),
        ("idempotency_key", "1".into(), 422, Some("idempotency_key")),
        ("email", "not an email".into(), 422, Some("email")),
        ("name", "Ann\u{0}".into(), 422, Some("name")),
        ("delivery_method", "standard".into(), 422, Some("address")),
        (
            "lines",
            serde_json::json!([{"sku": "<b>", "quantity": 1}]),
            422,
            Some("lines"),
        ),
        ("basket", "member:someone-else".into(), 422, Some("basket")),
        ("name", "x".repeat(70 * 1024).into(), 413, None),
    ];
    let mut cases = vec![(post("{\"email\":".into()).await.unwrap(), 400, None)];
    for (field, value, status, named) in one_wrong {
        cases.push((post(with(field, value)).await.unwrap(), status, named));
    }
    let staff = token(&service.keys, "clerk", Role::Staff);
    let forged = http
        .post(&orders)
        .header("authorization", "Bearer forged.token.here")
        .header("content-type", "application/json")
        .body(good.to_string())
        .send();
    cases.push((forged.await.unwrap(), 401, None));
    let staff_orders = format!("{}/api/v1/ordering/staff/orders", service.url);
    let anonymous = http.get(&staff_orders).send();
    cases.push((anonymous.await.unwrap(), 401, None));
    let bad_date = http
        .get(format!("{staff_orders}?from_ms=yesterday"))
        .bearer_auth(&staff)
        .send();
    cases.push((bad_date.await.unwrap(), 400, None));
    for (i, (response, status, field)) in cases.into_iter().enumerate() {
        assert_eq!(response.status().as_u16(), status, "case {i}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "case {i}: {body}"
        );
        if let Some(field) = field {
            assert!(
                body["error"]["fields"][field].is_string(),
                "case {i}: {body}"
            );
        }
    }
    let client = OrderingClient::in_process(service.ordering.clone());
    let listed = client.list(&staff, &Default::default()).await.unwrap();
    assert!(listed.is_empty(), "nothing was placed: {listed:?}");
}
