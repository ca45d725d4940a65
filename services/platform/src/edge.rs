//! The HTTP edge every service's API shares: one answer type for what went
//! wrong ([`ApiFailure`]), one policy for JSON bodies ([`JsonBody`]) and
//! query strings ([`QueryParams`]), and one way to learn who is calling
//! ([`MaybeCaller`], [`Member`], [`Staff`]), the bearer token verified once
//! per request.

use std::collections::BTreeMap;

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Query, Request};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use contracts::api::ApiError;
use contracts::identity::{AccessClaims, Role};
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use serde::de::DeserializeOwned;

use crate::auth::TokenVerifier;

/// What a service answers when it does not do what was asked: a status
/// and the JSON body its typed client reads back. Never carries internals.
#[derive(Debug)]
pub struct ApiFailure {
    status: StatusCode,
    body: ApiError,
}

impl ApiFailure {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ApiError::new(code, message),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// Well formed, but the state forbids it (422), under `code`.
    pub fn refused(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    /// A form's worth of input with these fields wrong (422).
    pub fn fields(fields: BTreeMap<String, String>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: ApiError::fields("Some fields need another look.", fields),
        }
    }

    /// One field wrong (422): its message is the answer's message too.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: ApiError::fields(message.clone(), [(field.to_owned(), message)].into()),
        }
    }

    /// An upload over the limit (413), said for its field.
    pub fn too_large(fields: BTreeMap<String, String>) -> Self {
        Self {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            body: ApiError::fields("The file is too large.", fields),
        }
    }

    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "This is for shop staff only.",
        )
    }

    /// Our failure, logged where it happened; the caller learns only that
    /// `service` failed.
    pub fn internal(service: &str) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("The {service} failed; the cause is in its log."),
        )
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }

    /// Too many tries (429): try again after `secs`, said in the body and
    /// in `Retry-After`.
    pub fn throttled(code: &str, message: impl Into<String>, secs: u64) -> Self {
        let mut failure = Self::new(StatusCode::TOO_MANY_REQUESTS, code, message);
        failure.body.error.retry_after_secs = Some(secs);
        failure
    }

    /// What the refusal is about, for the client to rebuild its error.
    pub fn with_details(mut self, details: Vec<String>) -> Self {
        self.body = self.body.with_details(details);
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let retry_after = self.body.error.retry_after_secs;
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            // RFC 6750: a client is told its token is what was wrong.
            response.headers_mut().insert(
                http::header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
        }
        response
    }
}

/// A service's routes finished the way every API behaves: an unknown path
/// is a JSON 404 naming the `service`, and no request body may exceed
/// `max_body` bytes.
pub fn api_router<S>(routes: Router<S>, service: &'static str, max_body: usize, state: S) -> Router
where
    S: Clone + Send + Sync + 'static,
{
    routes
        .fallback(
            move || async move { ApiFailure::not_found(format!("No such {service} endpoint.")) },
        )
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

/// The answer to a readiness probe: 204 while the service's `store`
/// answers; 503 (and the cause in the log) while it does not, so a load
/// balancer sends requests elsewhere.
pub fn readiness<E: std::error::Error + 'static>(result: Result<(), E>, store: &str) -> Response {
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => {
            tracing::warn!(error = %crate::error_chain(&err), "{store} not ready");
            ApiFailure::unavailable(format!("The {store} is not answering.")).into_response()
        }
    }
}

/// A JSON request body, one policy for every endpoint: 400 when it is not
/// JSON, 413 when it is too large, 415 when it is not sent as JSON, 422
/// naming the field that is missing or of the wrong type.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiFailure;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiFailure> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(body)) => Ok(Self(body)),
            Err(rejection) => Err(body_failure(&rejection)),
        }
    }
}

fn body_failure(rejection: &JsonRejection) -> ApiFailure {
    ApiFailure::new(rejection.status(), "bad_request", rejection.body_text())
}

/// A query string read into `T`; one that does not fit is a 400 saying
/// which value is wrong.
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiFailure> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(query)) => Ok(Self(query)),
            Err(rejection) => Err(ApiFailure::bad_request(rejection.body_text())),
        }
    }
}

/// A service's state tells the extractors how to check tokens.
pub trait TokenCheck {
    /// `None`: this service was given no key, so any token is refused and
    /// only anonymous requests are served.
    fn token_verifier(&self) -> Option<&TokenVerifier>;
}

/// Who is calling, when they sent a token; a request with a bad token is
/// refused (401) rather than served as anonymous. The claims are kept in
/// the request, so a later extractor or a layer that already checked the
/// token does not check it again.
pub struct MaybeCaller(pub Option<AccessClaims>);

impl<S: TokenCheck + Send + Sync> FromRequestParts<S> for MaybeCaller {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiFailure> {
        if let Some(claims) = parts.extensions.get::<AccessClaims>() {
            return Ok(Self(Some(claims.clone())));
        }
        let claims = crate::auth::caller(&parts.headers, state.token_verifier())
            .map_err(|err| ApiFailure::unauthenticated(err.to_string()))?;
        if let Some(claims) = &claims {
            parts.extensions.insert(claims.clone());
        }
        Ok(Self(claims))
    }
}

/// A signed-in person (a member or staff): 401 without a good token.
pub struct Member(pub AccessClaims);

impl<S: TokenCheck + Send + Sync> FromRequestParts<S> for Member {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiFailure> {
        let MaybeCaller(claims) = MaybeCaller::from_request_parts(parts, state).await?;
        claims.map(Self).ok_or_else(|| {
            ApiFailure::unauthenticated("This needs the access token of the person signed in.")
        })
    }
}

/// A member of staff: 401 without a good token, 403 with a shopper's.
pub struct Staff(pub AccessClaims);

impl Staff {
    /// The staff member as the actor recorded with their changes.
    pub fn actor(&self) -> String {
        format!("staff:{}", self.0.sub)
    }
}

impl<S: TokenCheck + Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiFailure> {
        let MaybeCaller(claims) = MaybeCaller::from_request_parts(parts, state).await?;
        let claims = claims.ok_or_else(|| {
            ApiFailure::unauthenticated("Staff endpoints need a staff member's access token.")
        })?;
        if claims.role < Role::Staff {
            return Err(ApiFailure::forbidden());
        }
        Ok(Self(claims))
    }
}
