//! Every error the basket API can answer arrives at its caller as the same
//! typed variant, in-process and over HTTP: a service that answers each
//! variant in turn, and the real client on both transports. Internal
//! failures never leave the service; they arrive as a 500 without detail.

use axum::routing::MethodFilter;
use basket::{BasketClient, Error, Holder};
use catalog::Sku;
use platform::api_client::testing::{Errors, both_transports};

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
    vec![Error::Contended, Error::from(sqlx::Error::PoolTimedOut)]
}

const ERRORS: Errors<Error> = Errors {
    answerable,
    internal,
    causes: &["changing", "pool"],
};

async fn refusal(client: BasketClient, n: usize) -> Error {
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
async fn every_error_arrives_as_its_own_variant_and_internals_stay_inside() {
    let stand_in = ERRORS.stand_in(
        MethodFilter::DELETE,
        "/api/v1/basket/lines/{sku}",
        basket::api::error_response,
    );
    let clients = both_transports(stand_in, BasketClient::over, BasketClient::remote).await;
    ERRORS.check(&clients, refusal).await;
}
