//! Every error the ordering API can answer arrives at its caller as the
//! same typed variant, in-process and over HTTP: a service that answers
//! each variant in turn, and the real client on both transports. Internal
//! failures never leave the service; they arrive as a 500 without detail.

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use ordering::{Error, OrderingClient};

/// Each error a caller can meet, one per order id; the internal ones last.
fn answerable() -> Vec<Error> {
    vec![
        Error::NothingToOrder,
        Error::NotEnoughStock(vec![
            "Summer dress, Blue, S".into(),
            "Rain mac, 4-5Y".into(),
        ]),
        Error::NoLongerSold,
        Error::PricesChanged,
        Error::BadField("carrier".into(), 60),
        Error::NoSuchOrder,
        Error::WrongState("cancelled".into()),
        Error::Refused("This checkout was started from another account.".into()),
    ]
}

fn internal() -> Vec<Error> {
    vec![
        Error::Corrupt("line 3".into()),
        Error::Database(sqlx::Error::PoolTimedOut),
    ]
}

fn nth(n: usize) -> Error {
    let answerable = answerable();
    let count = answerable.len();
    answerable
        .into_iter()
        .chain(internal())
        .nth(n)
        .unwrap_or_else(|| panic!("no error {n} of {count}"))
}

/// Answers `POST …/staff/orders/{n}/delivered` with error number `n`.
fn refusing() -> Router {
    Router::new().route(
        "/api/v1/ordering/staff/orders/{n}/delivered",
        post(|Path(n): Path<usize>| async move { ordering::api::error_response(nth(n)) }),
    )
}

async fn clients() -> Vec<(&'static str, OrderingClient)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, refusing()).await });
    vec![
        ("in-process", OrderingClient::over(refusing())),
        ("http", OrderingClient::remote(&url)),
    ]
}

#[tokio::test]
async fn every_refusal_round_trips_as_its_own_variant_on_both_transports() {
    for (transport, client) in clients().await {
        for (n, sent) in answerable().into_iter().enumerate() {
            let got = client
                .mark_delivered("any-token", &n.to_string())
                .await
                .expect_err("the service refused");
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
            let got = client
                .mark_delivered("any-token", &(offset + i).to_string())
                .await
                .expect_err("the service failed");
            let Error::Service(platform::api_client::ClientError::Failed {
                status, message, ..
            }) = &got
            else {
                panic!("{transport}: {sent} came back as {got:?}");
            };
            assert_eq!(status.as_u16(), 500, "{transport}");
            assert!(
                !message.contains("line 3") && !message.contains("pool"),
                "{transport}: {message}"
            );
        }
    }
}
