//! Security headers on every response.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

/// For responses that are not pages (JSON, files, errors): nothing may run
/// or be framed. Pages carry their own, nonce-bearing policy from the shell.
const FALLBACK_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// One year, the minimum the HSTS preload list accepts.
const HSTS: &str = "max-age=31536000; includeSubDomains";

pub fn apply<S: Clone + Send + Sync + 'static>(router: Router<S>, https: bool) -> Router<S> {
    let fixed: [(HeaderName, &'static str); 3] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    let mut router = router.layer(SetResponseHeaderLayer::if_not_present(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(FALLBACK_CSP),
    ));
    for (name, value) in fixed {
        router = router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    // Over plain http the header is ignored by browsers and would only
    // mislead, so it is sent when the shop's public address is https.
    if https {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ));
    }
    router
}
