//! Every error the basket API can answer arrives at its caller as the same
//! typed variant, in-process and over HTTP: a service that answers each
//! variant in turn, and the real client on both transports. Internal
//! failures never leave the service; they arrive as a 500 without detail.

use axum::Router;
use axum::extract::Path;
use axum::routing::delete;
use basket::{BasketClient, Error, Holder};
use catalog::Sku;
use platform::api_client::testing::{
    both_transports, every_error_round_trips, internal_failures_stay_inside,
};

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
    both_transports(refusing(), BasketClient::over, BasketClient::remote).await
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
    every_error_round_trips(&clients().await, answerable(), |client, n| async move {
        refusal(&client, n).await
    })
    .await;
}

#[tokio::test]
async fn internal_failures_arrive_as_a_failed_service_without_their_cause() {
    internal_failures_stay_inside(
        &clients().await,
        answerable().len(),
        internal(),
        |client, n| async move { refusal(&client, n).await },
        |got| match got {
            Error::Service(failure) => Some(failure),
            _ => None,
        },
        &["changing", "pool"],
    )
    .await;
}
