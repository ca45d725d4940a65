//! The basket API through its typed client, in-process and over HTTP: the
//! same calls, the same answers; and a basket service reached directly
//! opens no basket without a member's token or a guest's ticket.

use basket::{Added, BasketClient, Baskets, CookieKey, Error, Holder};
use contracts::identity::Role;
use platform::auth::testing::{Keys, keys, token};

use crate::support::{dress_shop, qty, sku};

struct Service {
    clients: Vec<(&'static str, BasketClient)>,
    url: String,
    keys: Keys,
    _dir: tempfile::TempDir,
}

/// A catalog with a dress in S (5 left), M (1 left) and L (sold out), and
/// the basket service over it, in this process and on a port.
async fn service() -> Service {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dress_shop(dir.path()).await;
    let keys = keys();
    let baskets = Baskets::open_sql(
        &platform::db::sqlite_url(&dir.path().join("basket.db")),
        catalog.client(),
        std::time::Duration::from_secs(86_400),
    )
    .await
    .unwrap()
    .with_guest_key(CookieKey::random())
    .with_token_verifier(keys.verifier());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, basket::api::router(baskets.clone())).into_future());
    Service {
        clients: vec![
            ("in-process", BasketClient::in_process(baskets)),
            ("http", BasketClient::remote(&url)),
        ],
        url,
        keys,
        _dir: dir,
    }
}

#[tokio::test]
async fn both_transports_give_the_same_answers() {
    let service = service().await;
    for (name, client) in &service.clients {
        let guest = Holder::Guest {
            ticket: client.new_guest().await.unwrap(),
        };
        assert_eq!(
            client.add(&guest, &sku("drs-s"), qty(2)).await.unwrap(),
            Added {
                quantity: 2,
                capped: false
            },
            "{name}"
        );
        let capped = client.set_quantity(&guest, &sku("DRS-M"), qty(3)).await;
        assert_eq!(
            capped.unwrap(),
            Added {
                quantity: 1,
                capped: true
            },
            "{name}: only one M is left"
        );
        let sold_out = client.add(&guest, &sku("DRS-L"), qty(1)).await;
        assert!(
            matches!(sold_out, Err(Error::SoldOut)),
            "{name}: {sold_out:?}"
        );
        let unknown = client.add(&guest, &sku("NOPE-1"), qty(1)).await;
        assert!(
            matches!(unknown, Err(Error::UnknownVariant)),
            "{name}: {unknown:?}"
        );
        assert_eq!(client.count(&guest).await.unwrap(), 3, "{name}");
        client.remove(&guest, &sku("DRS-M")).await.unwrap();
        client.remove(&guest, &sku("DRS-M")).await.unwrap();
        let seen = client.view(&guest).await.unwrap();
        assert!(seen.key.starts_with("guest:"), "{name}: {}", seen.key);
        assert_eq!(seen.count, 2, "{name}");
        assert_eq!(seen.subtotal_minor, 5000, "{name}");
        assert_eq!(seen.lines[0].product_name, "Summer dress", "{name}");

        // The member's basket is theirs alone; signing in brings the
        // guest's lines over and empties the guest's basket.
        let user = format!("member-{name}");
        let member = Holder::Member {
            access_token: token(&service.keys, &user, Role::Customer),
        };
        assert_eq!(client.count(&member).await.unwrap(), 0, "{name}");
        client.add(&member, &sku("DRS-S"), qty(1)).await.unwrap();
        let Holder::Member { access_token } = &member else {
            unreachable!()
        };
        let Holder::Guest { ticket } = &guest else {
            unreachable!()
        };
        client.merge(ticket, access_token).await.unwrap();
        let merged = client.view(&member).await.unwrap();
        assert_eq!(merged.key, format!("member:{user}"), "{name}");
        assert_eq!(merged.count, 3, "{name}");
        assert_eq!(client.count(&guest).await.unwrap(), 0, "{name}");
    }
}

#[tokio::test]
async fn no_basket_opens_without_a_genuine_ticket_or_token() {
    let service = service().await;
    for (name, client) in &service.clients {
        let ticket = client.new_guest().await.unwrap();
        let guest = Holder::Guest {
            ticket: ticket.clone(),
        };
        client.add(&guest, &sku("DRS-S"), qty(1)).await.unwrap();
        // The same id with another signature, another id with this one.
        let (id, tag) = ticket.split_once('.').unwrap();
        let flipped = if tag.starts_with('0') { "1" } else { "0" };
        let forged_tag = format!("{id}.{flipped}{}", &tag[1..]);
        let other_id = format!("{}.{tag}", uuid::Uuid::now_v7().simple());
        for forged in [forged_tag, other_id, "not a ticket".into(), String::new()] {
            let holder = Holder::Guest { ticket: forged };
            let seen = client.view(&holder).await;
            assert!(matches!(seen, Err(Error::NoBasket)), "{name}: {seen:?}");
            let added = client.add(&holder, &sku("DRS-S"), qty(1)).await;
            assert!(matches!(added, Err(Error::NoBasket)), "{name}: {added:?}");
        }
        let forged_member = Holder::Member {
            access_token: "not.a.token".into(),
        };
        // Refused, but as a bad token, not as a missing basket: the app
        // must not throw a guest's basket away over it.
        let seen = client.view(&forged_member).await;
        assert!(
            matches!(&seen, Err(Error::Service(e)) if e.is_status(http::StatusCode::UNAUTHORIZED)),
            "{name}: {seen:?}"
        );
        // Nothing above touched the genuine basket.
        assert_eq!(client.count(&guest).await.unwrap(), 1, "{name}");
    }
}

#[tokio::test]
async fn bad_requests_get_json_errors_and_change_nothing() {
    let service = service().await;
    let http = reqwest::Client::new();
    let ticket = service.clients[1].1.new_guest().await.unwrap();
    let lines = format!("{}/api/v1/basket/lines", service.url);
    let send = |body: String, content_type: &'static str| {
        http.post(&lines)
            .header("x-sury-basket", &ticket)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let cases = [
        (
            send("{\"sku\":".into(), "application/json").await.unwrap(),
            400,
        ),
        (
            send("{\"sku\":\"DRS-S\"}".into(), "application/json")
                .await
                .unwrap(),
            422,
        ),
        (
            send(
                "sku=DRS-S&quantity=1".into(),
                "application/x-www-form-urlencoded",
            )
            .await
            .unwrap(),
            415,
        ),
        (
            send(
                format!(
                    "{{\"sku\":\"DRS-S\",\"quantity\":1,\"pad\":\"{}\"}}",
                    "x".repeat(64 * 1024)
                ),
                "application/json",
            )
            .await
            .unwrap(),
            413,
        ),
        (
            send(
                "{\"sku\":\"DRS-S\",\"quantity\":100}".into(),
                "application/json",
            )
            .await
            .unwrap(),
            422,
        ),
        (
            send(
                "{\"sku\":\"<script>\",\"quantity\":1}".into(),
                "application/json",
            )
            .await
            .unwrap(),
            422,
        ),
        (
            http.post(&lines)
                .header("content-type", "application/json")
                .body("{\"sku\":\"DRS-S\",\"quantity\":1}")
                .send()
                .await
                .unwrap(),
            401,
        ),
        (
            // A ticket alone cannot fill a member's basket.
            http.post(format!("{}/api/v1/basket/merge", service.url))
                .header("x-sury-basket", &ticket)
                .send()
                .await
                .unwrap(),
            401,
        ),
        (
            http.get(format!("{}/api/v1/basket/nowhere", service.url))
                .send()
                .await
                .unwrap(),
            404,
        ),
    ];
    for (i, (response, status)) in cases.into_iter().enumerate() {
        assert_eq!(response.status().as_u16(), status, "case {i}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "case {i}: {body}"
        );
    }
    let guest = Holder::Guest { ticket };
    assert_eq!(service.clients[1].1.count(&guest).await.unwrap(), 0);
}
