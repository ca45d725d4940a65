//! Every error the ordering API can answer arrives at its caller as the
//! same typed variant, in-process and over HTTP: a service that answers
//! each variant in turn, and the real client on both transports. Internal
//! failures never leave the service; they arrive as a 500 without detail.

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use ordering::{Error, OrderingClient};
use platform::api_client::testing::{
    both_transports, every_error_round_trips, internal_failures_stay_inside,
};

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
    both_transports(refusing(), OrderingClient::over, OrderingClient::remote).await
}

#[tokio::test]
async fn every_refusal_round_trips_as_its_own_variant_on_both_transports() {
    every_error_round_trips(&clients().await, answerable(), |client, n| async move {
        client
            .mark_delivered("any-token", &n.to_string())
            .await
            .expect_err("the service refused")
    })
    .await;
}

#[tokio::test]
async fn internal_failures_arrive_as_a_failed_service_without_their_cause() {
    internal_failures_stay_inside(
        &clients().await,
        answerable().len(),
        internal(),
        |client, n| async move {
            client
                .mark_delivered("any-token", &n.to_string())
                .await
                .expect_err("the service failed")
        },
        |got| match got {
            Error::Service(failure) => Some(failure),
            _ => None,
        },
        &["line 3", "pool"],
    )
    .await;
}
