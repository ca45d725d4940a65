//! Every error the identity API can answer arrives at its caller as the
//! same typed variant, in-process and over HTTP: a stand-in service answers
//! each variant in turn through identity's own `error_response`, and the
//! real client reads it on both transports. Internal failures never leave
//! the service; they arrive as a 500 without detail.

use axum::Router;
use axum::extract::Path;
use axum::routing::delete;
use identity::{Error, IdentityClient};

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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, refusing()).await });
    vec![
        ("in-process", IdentityClient::over(refusing())),
        ("http", IdentityClient::remote(&url)),
    ]
}

async fn refusal(client: &IdentityClient, n: usize) -> Error {
    client
        .delete_address("any-token", &format!("err-{n}"))
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
                !message.contains("pool") && !message.contains("argon2"),
                "{transport}: {message}"
            );
        }
    }
}
