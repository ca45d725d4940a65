//! Every error the identity API can answer arrives at its caller as the
//! same typed variant, in-process and over HTTP: a stand-in service answers
//! each variant in turn through identity's own `error_response`, and the
//! real client reads it on both transports. Internal failures never leave
//! the service; they arrive as a 500 without detail.

use axum::routing::MethodFilter;
use identity::{Error, IdentityClient};
use platform::api_client::testing::{Errors, both_transports};

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
        Error::from(sqlx::Error::PoolTimedOut),
        Error::Hashing("argon2 ran out of memory".into()),
    ]
}

const ERRORS: Errors<Error> = Errors {
    answerable,
    internal,
    causes: &["pool", "argon2"],
};

async fn refusal(client: IdentityClient, n: usize) -> Error {
    client
        .delete_address("any-token", &format!("err-{n}"))
        .await
        .expect_err("the service refused")
}

#[tokio::test]
async fn every_error_arrives_as_its_own_variant_and_internals_stay_inside() {
    let stand_in = ERRORS.stand_in(
        MethodFilter::DELETE,
        "/api/v1/identity/me/addresses/{id}",
        identity::api::error_response,
    );
    let clients = both_transports(stand_in, IdentityClient::over, IdentityClient::remote).await;
    ERRORS.check(&clients, refusal).await;
}
