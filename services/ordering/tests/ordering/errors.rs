//! Every error the ordering API can answer arrives at its caller as the
//! same typed variant, in-process and over HTTP: a service that answers
//! each variant in turn, and the real client on both transports. Internal
//! failures never leave the service; they arrive as a 500 without detail.

use axum::routing::MethodFilter;
use ordering::{Error, OrderingClient};
use platform::api_client::testing::{Errors, both_transports};

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
        Error::from(sqlx::Error::PoolTimedOut),
    ]
}

const ERRORS: Errors<Error> = Errors {
    answerable,
    internal,
    causes: &["line 3", "pool"],
};

/// What the client makes of error number `n`.
async fn refusal(client: OrderingClient, n: usize) -> Error {
    client
        .mark_delivered("any-token", &n.to_string())
        .await
        .expect_err("the service refused")
}

#[tokio::test]
async fn every_error_arrives_as_its_own_variant_and_internals_stay_inside() {
    let stand_in = ERRORS.stand_in(
        MethodFilter::POST,
        "/api/v1/ordering/staff/orders/{n}/delivered",
        ordering::api::error_response,
    );
    let clients = both_transports(stand_in, OrderingClient::over, OrderingClient::remote).await;
    ERRORS.check(&clients, refusal).await;
}
