//! The session layer: before any page or server function runs, find out
//! who the request is from, renewing an expired access token from the
//! refresh cookie on the way; and refuse cross-site posts to server
//! functions.

use std::net::SocketAddr;

use app::session::server::{AccessToken, ClientAddress, CookiePolicy, CurrentUser, read_cookie};
use axum::Json;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, Method, StatusCode, header};
use identity::{IdentityClient, Refreshed};

#[derive(Clone)]
pub struct SessionState {
    pub identity: IdentityClient,
    pub cookies: CookiePolicy,
}

/// Static files need no session (and must not rotate tokens).
fn needs_session(path: &str) -> bool {
    !(path.starts_with("/pkg/")
        || path.starts_with("/media/")
        || path.starts_with("/health/")
        || path == "/favicon.svg"
        || path == "/robots.txt"
        || path == "/sitemap.xml")
}

pub async fn resolve(
    State(state): State<SessionState>,
    mut request: Request,
    next: Next,
) -> Response {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    request.extensions_mut().insert(ClientAddress(client));
    if !needs_session(request.uri().path()) {
        return next.run(request).await;
    }
    let policy = state.cookies;
    let headers = request.headers();
    let access = read_cookie(headers, policy.access_name()).map(str::to_owned);
    let refresh = read_cookie(headers, policy.refresh_name()).map(str::to_owned);

    let mut principal = None;
    let mut new_cookies: Vec<String> = Vec::new();
    let mut current_token = None;
    if let Some(token) = access.as_deref().filter(|t| !t.is_empty()) {
        match state.identity.authenticate(token).await {
            Ok(who) => {
                principal = Some(who);
                current_token = Some(token.to_owned());
            }
            Err(err) if err.is_internal() => {
                tracing::error!(error = %platform::error_chain(&err), "could not check a session");
            }
            Err(_) => {}
        }
    }
    if principal.is_none()
        && let Some(token) = refresh.as_deref().filter(|t| !t.is_empty())
    {
        match state.identity.refresh(token).await {
            Ok(Refreshed::Rotated(signed_in)) => {
                new_cookies.extend(policy.session_cookies(&signed_in));
                current_token = Some(signed_in.access_token.clone());
                principal = Some(signed_in.principal);
            }
            Ok(Refreshed::Concurrent {
                principal: who,
                access_token,
            }) => {
                current_token = Some(access_token);
                principal = Some(who);
            }
            Err(err) if err.is_internal() => {
                tracing::error!(error = %platform::error_chain(&err), "could not renew a session");
            }
            // Revoked, expired or forged: forget it.
            Err(_) => new_cookies.extend(policy.cleared()),
        }
    } else if principal.is_none() && access.is_some() {
        new_cookies.push(policy.cookie(policy.access_name(), "", 0));
    }
    request.extensions_mut().insert(CurrentUser(principal));
    // What server functions forward to services that check it themselves.
    if let Some(token) = current_token {
        request.extensions_mut().insert(AccessToken(token));
    }
    let mut response = next.run(request).await;
    // What the handler set wins: a sign-out clears the cookies we renewed.
    let handler_set = |name: &str| {
        response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.as_bytes().starts_with(format!("{name}=").as_bytes()))
    };
    let names = [policy.access_name(), policy.refresh_name()];
    if names.iter().any(|name| handler_set(name)) {
        return response;
    }
    for cookie in new_cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    // Pages that depend on who is signed in must not be cached for others.
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
    }
    response
}

/// Refuses a state-changing call to a server function that another site
/// made the browser send. Browsers say where a request comes from with
/// `Sec-Fetch-Site`, and older ones with `Origin`; a request with neither
/// is not from a browser form and is refused too.
pub async fn same_origin_posts(
    State(public_url): State<PublicOrigin>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let path = request.uri().path();
    // Server functions, and the back office's own posts (picture uploads).
    if safe || !(path.starts_with("/sf/") || path.starts_with("/admin/")) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let allowed = match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => site == "same-origin" || site == "none",
        None => match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            Some(origin) => {
                origin == public_url.0
                    || host.is_some_and(|host| {
                        origin == format!("http://{host}") || origin == format!("https://{host}")
                    })
            }
            None => false,
        },
    };
    if allowed {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "cross-site post to a server function refused");
    (
        StatusCode::FORBIDDEN,
        Json(contracts::api::ApiError::new(
            "cross_site",
            "This form was sent from another site, so it was refused.",
        )),
    )
        .into_response()
}

/// The shop's public origin (scheme, host, port), as browsers send it.
#[derive(Clone)]
pub struct PublicOrigin(pub String);
