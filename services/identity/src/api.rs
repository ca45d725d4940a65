//! Identity's versioned HTTP API, for clients that are not the storefront
//! (apps): sign in for tokens, refresh them, sign out, and who am I. The
//! gateway routes `/api/v1/identity/…` here. The storefront keeps its
//! HttpOnly cookies and never hands tokens to scripts.

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use contracts::api::ApiError;
use contracts::identity::{Principal, RefreshV1, SignInV1, TokensV1};

use crate::{Error, Identity, Refreshed, SignedIn};

/// The client address the gateway puts on every request it forwards
/// (replacing any the client sent), for per-client sign-in limits.
pub const CLIENT_HEADER: &str = "x-sury-client";

pub fn router(identity: Identity) -> Router {
    Router::new()
        .route("/api/v1/identity/tokens", post(sign_in).delete(sign_out))
        .route("/api/v1/identity/tokens/refresh", post(refresh))
        .route("/api/v1/identity/me", get(me))
        .fallback(|| async {
            failure(
                StatusCode::NOT_FOUND,
                "not_found",
                "No such identity endpoint.",
            )
        })
        .with_state(identity)
}

fn failure(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (status, Json(ApiError::new(code, message))).into_response()
}

/// Identity's answers as HTTP: the person's mistakes with their message,
/// our failures as a bare 500 (the cause goes to the log).
fn answer(err: Error) -> Response {
    match err {
        Error::InvalidCredentials => failure(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            err.to_string(),
        ),
        Error::Unauthenticated => {
            let mut response =
                failure(StatusCode::UNAUTHORIZED, "unauthenticated", err.to_string());
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
            response
        }
        Error::Throttled { retry_after_secs } => {
            let mut response = failure(StatusCode::TOO_MANY_REQUESTS, "throttled", err.to_string());
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            response
        }
        err if err.is_internal() => {
            tracing::error!(error = %platform::error_chain(&err), "identity API failed");
            failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Identity failed; the cause is in its log.",
            )
        }
        err => failure(StatusCode::BAD_REQUEST, "bad_request", err.to_string()),
    }
}

fn bad_body(rejection: JsonRejection) -> Response {
    failure(
        StatusCode::BAD_REQUEST,
        "bad_request",
        rejection.body_text(),
    )
}

fn tokens(signed_in: SignedIn) -> Json<TokensV1> {
    Json(TokensV1 {
        access_token: signed_in.access_token,
        refresh_token: signed_in.refresh_token,
        token_type: "Bearer".into(),
        expires_in: signed_in.access_ttl.as_secs(),
        principal: signed_in.principal,
    })
}

async fn sign_in(
    State(identity): State<Identity>,
    headers: HeaderMap,
    body: Result<Json<SignInV1>, JsonRejection>,
) -> Response {
    let Json(body) = match body {
        Ok(body) => body,
        Err(rejection) => return bad_body(rejection),
    };
    let client = headers
        .get(CLIENT_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown");
    match identity.sign_in(&body.email, &body.password, client).await {
        Ok(signed_in) => tokens(signed_in).into_response(),
        Err(err) => answer(err),
    }
}

async fn refresh(
    State(identity): State<Identity>,
    body: Result<Json<RefreshV1>, JsonRejection>,
) -> Response {
    let Json(body) = match body {
        Ok(body) => body,
        Err(rejection) => return bad_body(rejection),
    };
    match identity.refresh(&body.refresh_token).await {
        Ok(Refreshed::Rotated(signed_in)) => tokens(signed_in).into_response(),
        // A browser's parallel requests may share a refresh; an app should
        // not, and the new tokens went to whichever call came first.
        Ok(Refreshed::Concurrent { .. }) => failure(
            StatusCode::CONFLICT,
            "already_refreshed",
            "This refresh token was used a moment ago; use the tokens that call received.",
        ),
        Err(err) => answer(err),
    }
}

async fn caller(identity: &Identity, headers: &HeaderMap) -> Result<Principal, Response> {
    let token = match platform::auth::bearer_token(headers) {
        Some(Ok(token)) => token,
        _ => return Err(answer(Error::Unauthenticated)),
    };
    identity.authenticate(token).await.map_err(answer)
}

async fn me(State(identity): State<Identity>, headers: HeaderMap) -> Response {
    match caller(&identity, &headers).await {
        Ok(principal) => Json(principal).into_response(),
        Err(response) => response,
    }
}

/// Ends the session the access token belongs to: it and its refresh token
/// stop working at once.
async fn sign_out(State(identity): State<Identity>, headers: HeaderMap) -> Response {
    let principal = match caller(&identity, &headers).await {
        Ok(principal) => principal,
        Err(response) => return response,
    };
    match identity.sign_out(&principal).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => answer(err),
    }
}
