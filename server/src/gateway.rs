//! The gateway: `/api/v1/<service>/…` for clients other than the
//! storefront (apps, partners), routed to the service wherever it runs.
//!
//! Authentication is centralized here: a request carrying
//! `Authorization: Bearer <access token>` is checked with identity (the
//! signature, expiry and audience, and that the session is still live) and
//! refused with 401 when the token is not good, so no service sees a
//! revoked token. A good token is forwarded as it came, for the service to
//! check again with identity's public key. Requests without a token go on
//! anonymous; each service decides what anonymous callers may do.
//!
//! CORS is off unless origins are configured (`SURY_CORS_ORIGINS`); even
//! then only bearer tokens work across origins, never the storefront's
//! cookies (no `Access-Control-Allow-Credentials`).

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Json, Router};
use basket::BasketClient;
use catalog::CatalogClient;
use contracts::api::ApiError;
use http::{HeaderValue, Method, StatusCode, header};
use identity::IdentityClient;
use platform::api_client::ClientError;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::startup::AppState;

pub fn routes(state: &AppState, cors_origins: &[HeaderValue]) -> Router<AppState> {
    let router = Router::new()
        .route("/api/v1/catalog/{*rest}", any(to_catalog))
        .route("/api/v1/basket", any(to_basket))
        .route("/api/v1/basket/{*rest}", any(to_basket))
        .route("/api/v1/ordering/{*rest}", any(to_ordering))
        .route("/api/v1/identity/{*rest}", any(to_identity))
        .layer(middleware::from_fn_with_state(
            state.identity.clone(),
            bearer_token,
        ));
    if cors_origins.is_empty() {
        router
    } else {
        router.layer(cors(cors_origins))
    }
}

fn cors(origins: &[HeaderValue]) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins.iter().cloned()))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers([header::HeaderName::from_static("x-request-id")])
        .max_age(Duration::from_secs(3600))
}

fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(ApiError::new(code, message))).into_response()
}

/// Checks a bearer token before the request goes anywhere.
async fn bearer_token(
    State(identity): State<IdentityClient>,
    request: Request,
    next: Next,
) -> Response {
    let token = match platform::auth::bearer_token(request.headers()) {
        None => return next.run(request).await,
        Some(token) => token.ok(),
    };
    let Some(token) = token else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Send the access token as `Authorization: Bearer <token>`.",
        );
    };
    match identity.authenticate(token).await {
        Ok(_) => next.run(request).await,
        Err(err) if err.is_internal() => {
            tracing::error!(error = %platform::error_chain(&err), "gateway could not check a token");
            refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Sign-in checks are not answering; try again shortly.",
            )
        }
        Err(_) => {
            let mut response = refuse(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "The access token is invalid, expired or revoked.",
            );
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
            response
        }
    }
}

/// `/api/v1/identity/…` goes to identity wherever it runs, with the
/// client's address for its per-client limits (any the client sent is
/// replaced).
async fn to_identity(
    State(identity): State<IdentityClient>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: Request,
) -> Response {
    match HeaderValue::from_str(&peer.ip().to_string()) {
        Ok(value) => {
            request
                .headers_mut()
                .insert(identity::api::CLIENT_HEADER, value);
        }
        Err(_) => {
            request.headers_mut().remove(identity::api::CLIENT_HEADER);
        }
    }
    answer_from("identity", identity.forward(request).await)
}

/// `/api/v1/catalog/…` goes to the catalog wherever it runs.
async fn to_catalog(State(catalog): State<CatalogClient>, request: Request) -> Response {
    answer_from("catalog", catalog.forward(request).await)
}

/// `/api/v1/basket…` goes to the basket service wherever it runs.
async fn to_basket(State(baskets): State<BasketClient>, request: Request) -> Response {
    answer_from("basket", baskets.forward(request).await)
}

/// `/api/v1/ordering/…` goes to ordering wherever it runs.
async fn to_ordering(
    State(ordering): State<ordering::OrderingClient>,
    request: Request,
) -> Response {
    answer_from("ordering", ordering.forward(request).await)
}

/// The service's answer as it is, or a 502 when it could not be reached.
fn answer_from(
    service: &str,
    forwarded: Result<http::Response<axum::body::Body>, ClientError>,
) -> Response {
    match forwarded {
        Ok(response) => response.into_response(),
        Err(err) => {
            tracing::error!(error = %platform::error_chain(&err), service, "gateway could not reach a service");
            refuse(
                StatusCode::BAD_GATEWAY,
                "unavailable",
                &format!("The {service} service is not answering."),
            )
        }
    }
}
