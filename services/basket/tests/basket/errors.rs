//! Every error the basket API can answer arrives at its caller as the same
//! typed variant, in-process and over HTTP: a service that answers each
//! variant in turn, and the real client on both transports. Internal
//! failures never leave the service; they arrive as a 500 without detail.

use axum::Router;
use axum::extract::Path;
use axum::routing::delete;
use basket::{BasketClient, Error, Holder};
use catalog::Sku;

/// Each error a caller can meet, one per SKU `ERR-<n>`.
fn answerable() -> Vec<Error> {
    vec![
        Error::UnknownVariant,
        Error::SoldOut,
        Error::BasketFull { max: 7 },
        Error::NoBasket,
    ]
}

fn internal() -> Vec<Error> {
    vec![Error::Contended, Error::Database(sqlx::Error::PoolTimedOut)]
}

fn nth(n: usize) -> Error {
    answerable()
        .into_iter()
        .chain(internal())
        .nth(n)
        .unwrap_or_else(|| panic!("no error {n}"))
}

/// Answers `DELETE …/lines/ERR-<n>` with error number `n`.
fn refusing() -> Router {
    Router::new().route(
        "/api/v1/basket/lines/{sku}",
        delete(|Path(sku): Path<String>| async move {
            let n = sku.trim_start_matches("ERR-").parse().unwrap();
            basket::api::error_response(nth(n))
        }),
    )
}

async fn clients() -> Vec<(&'static str, BasketClient)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, refusing()).await });
    vec![
        ("in-process", BasketClient::over(refusing())),
        ("http", BasketClient::remote(&url)),
    ]
}

async fn refusal(client: &BasketClient, n: usize) -> Error {
    let guest = Holder::Guest {
        ticket: "any-ticket".into(),
    };
    let sku = Sku::parse(&format!("ERR-{n}")).unwrap();
    client
        .remove(&guest, &sku)
        .await
        .expect_err("the service refused")
}

#[tokio::test]
async fn every_refusal_round_trips_as_its_own_variant_on_both_transports() {
    for (transport, client) in clients().await {
        for (n, sent) in answerable().into_iter().enumerate() {
            let got = refusal(&client, n).await;
            assert_eq!(
                format!("{got:?}"),
                format!("{sent:?}"),
                "{transport}: {sent} came back as {got}"
            );
            assert_eq!(got.to_string(), sent.to_string(), "{transport}");
        }
    }
}

#[tokio::test]
async fn internal_failures_arrive_as_a_failed_service_without_their_cause() {
    let offset = answerable().len();
    for (transport, client) in clients().await {
        for (i, sent) in internal().into_iter().enumerate() {
            let got = refusal(&client, offset + i).await;
            let Error::Service(platform::api_client::ClientError::Failed {
                status, message, ..
            }) = &got
            else {
                panic!("{transport}: {sent} came back as {got:?}");
            };
            assert_eq!(status.as_u16(), 500, "{transport}");
            assert!(
                !message.contains("changing") && !message.contains("pool"),
                "{transport}: {message}"
            );
        }
    }
}
