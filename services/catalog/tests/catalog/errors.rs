//! Every error the catalog API can answer arrives at its caller as the same
//! typed variant, in-process and over HTTP: a stand-in service answers each
//! variant in turn through the catalog's own `error_response`, and the real
//! client reads it on both transports.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::Path;
use axum::routing::delete;
use catalog::CatalogClient;
use catalog_api::Error;
use platform::api_client::testing::{both_transports, every_error_round_trips};

/// Each error a caller can meet, one per picture id `err-<n>`.
fn answerable() -> Vec<Error> {
    let fields = |field: &str, message: &str| BTreeMap::from([(field.into(), message.into())]);
    vec![
        Error::NotFound("No such picture.".into()),
        Error::BadRequest("status: choose draft, active or archived.".into()),
        Error::Refused("Only 2 left to take out.".into()),
        Error::Fields(fields("price", "Enter a price between 0 and 1000000.")),
        Error::TooLarge(fields("file", "Pictures can be at most 8 MB.")),
        Error::Unauthenticated("The access token is invalid or expired.".into()),
        Error::Forbidden,
        Error::Unavailable("The catalog's database is not answering.".into()),
        Error::Internal,
    ]
}

/// Answers `DELETE …/staff/images/err-<n>` with error number `n`.
fn refusing() -> Router {
    Router::new().route(
        "/api/v1/catalog/staff/images/{id}",
        delete(|Path(id): Path<String>| async move {
            let n: usize = id.trim_start_matches("err-").parse().unwrap();
            let err = answerable().into_iter().nth(n).expect("an error");
            catalog::api::error_response(err)
        }),
    )
}

async fn clients() -> Vec<(&'static str, CatalogClient)> {
    both_transports(refusing(), CatalogClient::in_process, CatalogClient::remote).await
}

#[tokio::test]
async fn every_refusal_round_trips_as_its_own_variant_on_both_transports() {
    every_error_round_trips(&clients().await, answerable(), |client, n| async move {
        client
            .delete_image("any-token", &format!("err-{n}"))
            .await
            .expect_err("the service refused")
    })
    .await;
}

#[tokio::test]
async fn an_answer_no_catalog_gives_is_a_failure_to_ask_it() {
    // A proxy's 502 page, not the catalog's JSON.
    let proxy = Router::new().route(
        "/api/v1/catalog/staff/images/{id}",
        delete(|| async { (http::StatusCode::BAD_GATEWAY, "Bad Gateway") }),
    );
    let got = CatalogClient::in_process(proxy)
        .delete_image("any-token", "x")
        .await
        .expect_err("the proxy failed");
    let Error::Service(platform::api_client::ClientError::Failed { status, .. }) = &got else {
        panic!("{got:?}");
    };
    assert_eq!(status.as_u16(), 502);
    assert!(got.form_errors().is_none(), "not the form's fault: {got:?}");
}
