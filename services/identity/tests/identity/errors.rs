//! Every error the identity API can answer arrives at its caller as the
//! same typed variant, in-process and over HTTP: a stand-in service answers
//! each variant in turn through identity's own `error_response`, and the
//! real client reads it on both transports. Internal failures never leave
//! the service; they arrive as a 500 without detail.

use axum::Router;
use axum::extract::Path;
use axum::routing::delete;
use identity::{Error, IdentityClient};
use platform::api_client::testing::{
    both_transports, every_error_round_trips, internal_failures_stay_inside,
};

/// Each error a caller can meet, one per address id `err-<n>`; limits and
/// waits other than identity's defaults, so one made up on the client's
/// side shows.
fn answerable() -> Vec<Error> {
    vec![
        Error::InvalidCredentials,
        Error::Throttled {
            retry_after_secs: 125,
        },
        Error::Unauthenticated,
        Error::InvalidLink,
        Error::NoSuchAddress,
        Error::AddressBookFull { max: 7 },
        Error::EmailTaken,
    ]
}

fn internal() -> Vec<Error> {
    vec![
        Error::Database(sqlx::Error::PoolTimedOut),
        Error::Hashing("argon2 ran out of memory".into()),
    ]
}

fn nth(n: usize) -> Error {
    answerable()
        .into_iter()
        .chain(internal())
        .nth(n)
        .unwrap_or_else(|| panic!("no error {n}"))
}

/// Answers `DELETE …/me/addresses/err-<n>` with error number `n`.
fn refusing() -> Router {
    Router::new().route(
        "/api/v1/identity/me/addresses/{id}",
        delete(|Path(id): Path<String>| async move {
            let n = id.trim_start_matches("err-").parse().unwrap();
            identity::api::error_response(nth(n))
        }),
    )
}

async fn clients() -> Vec<(&'static str, IdentityClient)> {
    both_transports(refusing(), IdentityClient::over, IdentityClient::remote).await
}

async fn refusal(client: &IdentityClient, n: usize) -> Error {
    client
        .delete_address("any-token", &format!("err-{n}"))
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
        &["pool", "argon2"],
    )
    .await;
}
