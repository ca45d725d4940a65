//! Server functions as an HTTP API: their failures get a fitting status.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// An encoded `AppError` is a few hundred bytes; anything larger is not one.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// Leptos answers every failed server function with 500. The body is our
/// `AppError`, which knows its status (400 for bad input, 404, …), so a
/// client of the API can tell its own mistakes from ours.
pub async fn error_status(request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/sf/");
    let response = next.run(request).await;
    if !is_server_fn {
        return response;
    }
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_ERROR_BODY).await.unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<app::AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, Body::from(bytes))
}
