//! What every process's responses go through: body limits, compression,
//! security headers, request ids and the request log.

use axum::{Router, middleware};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::settings::Settings;
use crate::{headers, telemetry};

/// Server functions and API calls take small bodies; anything larger is
/// refused before it is read.
const MAX_REQUEST_BODY: usize = 256 * 1024;

/// How much the storefront's upload form may send at most: well over the
/// picture limit, so a staff member whose photo is too large is told so
/// beside the field instead of getting a bare refusal.
const UPLOAD_FORM_CEILING: usize = 64 * 1024 * 1024;

/// The body limit of a path: the storefront's picture form, the catalog
/// API's picture upload (through the gateway or to `server catalog`), or
/// everything else.
pub(super) fn body_limit(path: &str, max_upload: usize) -> usize {
    if !path.ends_with("/images") {
        MAX_REQUEST_BODY
    } else if path.starts_with("/admin/products/") {
        UPLOAD_FORM_CEILING.max(max_upload)
    } else if path.starts_with("/api/v1/catalog/staff/products/") {
        max_upload + 64 * 1024
    } else {
        MAX_REQUEST_BODY
    }
}

/// Small bodies everywhere but on uploads, which may carry a picture (and
/// a form's worth of multipart framing). A declared length over the limit
/// is refused before anything is read; a longer body than declared, or a
/// chunked one, stops at the limit when it is read.
async fn limit_body(
    axum::extract::State(max_upload): axum::extract::State<usize>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;

    let limit = body_limit(request.uri().path(), max_upload);
    let declared = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return (
            http::StatusCode::PAYLOAD_TOO_LARGE,
            axum::Json(contracts::api::ApiError::new(
                "payload_too_large",
                format!("The request is larger than {} KB.", limit / 1024),
            )),
        )
            .into_response();
    }
    let request =
        request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}

/// What every process's responses go through: body limit, compression,
/// security headers, request ids and the request log.
pub(super) fn outer_layers(router: Router, settings: &Settings) -> Router {
    let router = router
        .layer(middleware::from_fn_with_state(
            settings.max_upload_bytes,
            limit_body,
        ))
        .layer(CompressionLayer::new());
    // Outermost last: the id is set before the span that logs it is made,
    // and copied onto the response for the shopper to quote.
    headers::apply(router, settings.serves_https())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(telemetry::request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}
