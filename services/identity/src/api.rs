//! Identity's versioned HTTP API. The storefront reaches it through
//! [`crate::IdentityClient`], in-process or over the network; apps reach
//! it through the gateway at the same paths (`/api/v1/identity/…`).
//!
//! A request about someone's own account (`/me/…`) carries their access
//! token as `Authorization: Bearer`, checked here in full (signature,
//! expiry and that the session is still live). Tokens from emailed links
//! travel in request bodies, never in paths, so they stay out of logs.
//! The storefront keeps its HttpOnly cookies and never hands tokens to
//! scripts.

use std::collections::BTreeMap;

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use contracts::identity::{
    AddressIdV1, AddressSaveV1, EmailChangeV1, LinkTokenV1, PasswordChangeV1,
    PasswordResetRequestV1, PasswordResetV1, Principal, ProfileUpdateV1, RefreshV1,
    SessionRenewedV1, SignInV1, SignUpV1, TokensV1,
};
use platform::edge::{ApiFailure, JsonBody};
use serde::Serialize;

use crate::{
    Address, Email, Error, Identity, InputError, NewPassword, PersonName, Phone, Refreshed,
    SignedIn,
};

pub const PREFIX: &str = "/api/v1/identity";
/// The client address the gateway (or the storefront, for its own forms)
/// puts on every request, replacing any the client sent, for per-client
/// sign-in limits.
pub const CLIENT_HEADER: &str = "x-sury-client";
/// Identity's requests are a few fields; anything near this is not one.
const MAX_BODY: usize = 16 * 1024;

/// Stable error codes, shared with the client that maps them back.
pub(crate) mod codes {
    pub const INVALID_CREDENTIALS: &str = "invalid_credentials";
    pub const UNAUTHENTICATED: &str = "unauthenticated";
    pub const THROTTLED: &str = "throttled";
    pub const INVALID_LINK: &str = "invalid_link";
    pub const NO_SUCH_ADDRESS: &str = "no_such_address";
    pub const ADDRESS_BOOK_FULL: &str = "address_book_full";
    pub const EMAIL_TAKEN: &str = "email_taken";
    pub const ALREADY_REFRESHED: &str = "already_refreshed";
}

pub fn router(identity: Identity) -> Router {
    let routes = Router::new()
        .route("/api/v1/identity/accounts", post(sign_up))
        .route("/api/v1/identity/tokens", post(sign_in).delete(sign_out))
        .route("/api/v1/identity/tokens/refresh", post(refresh))
        .route("/api/v1/identity/sessions/refresh", post(renew_session))
        .route("/api/v1/identity/verifications", post(verify_email))
        .route(
            "/api/v1/identity/password-resets",
            post(request_password_reset).put(reset_password),
        )
        .route("/api/v1/identity/email-changes", post(confirm_email_change))
        .route("/api/v1/identity/me", get(me))
        .route(
            "/api/v1/identity/me/sessions",
            axum::routing::delete(sign_out_everywhere),
        )
        .route(
            "/api/v1/identity/me/verification",
            post(request_verification),
        )
        .route("/api/v1/identity/me/password", put(change_password))
        .route(
            "/api/v1/identity/me/profile",
            get(profile).put(update_profile),
        )
        .route(
            "/api/v1/identity/me/email-change",
            post(request_email_change),
        )
        .route(
            "/api/v1/identity/me/addresses",
            get(addresses).post(add_address),
        )
        .route(
            "/api/v1/identity/me/addresses/{id}",
            get(address).put(replace_address).delete(delete_address),
        )
        .route(
            "/api/v1/identity/me/addresses/{id}/default",
            put(set_default_address),
        )
        .route("/api/v1/identity/ready", get(ready));
    platform::edge::api_router(routes, "identity", MAX_BODY, identity)
}

fn failure(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    ApiFailure::new(status, code, message).into_response()
}

/// A refusal naming each field that was wrong.
fn fields(errors: BTreeMap<String, String>) -> Response {
    ApiFailure::fields(errors).into_response()
}

/// The refusal naming the one field that was wrong.
fn field(name: &str, err: InputError) -> ApiFailure {
    ApiFailure::fields(BTreeMap::from([(name.to_owned(), err.to_string())]))
}

/// One field parsed, or the refusal naming it.
fn parsed<T>(name: &str, result: Result<T, InputError>) -> Result<T, ApiFailure> {
    result.map_err(|err| field(name, err))
}

/// A form's fields parsed one by one, each mistake noted under its field,
/// so the person hears about all of them at once.
#[derive(Default)]
struct Form(BTreeMap<String, String>);

impl Form {
    fn check<T>(&mut self, name: &str, result: Result<T, InputError>) -> Option<T> {
        result
            .map_err(|err| self.0.insert(name.to_owned(), err.to_string()))
            .ok()
    }

    /// The refusal naming each field that was wrong.
    fn refusal(self) -> Response {
        fields(self.0)
    }
}

/// Identity's answers as HTTP: the person's mistakes with their message,
/// our failures as a bare 500 (the cause goes to the log).
fn answer(err: Error) -> Response {
    ApiFailure::from(err).into_response()
}

/// The answer the API gives for `err`: what a handler returns, and what a
/// stand-in service can answer to check the client's side of the contract.
pub fn error_response(err: Error) -> Response {
    answer(err)
}

impl From<Error> for ApiFailure {
    fn from(err: Error) -> Self {
        let message = err.to_string();
        match err {
            Error::InvalidCredentials => ApiFailure::new(
                StatusCode::UNAUTHORIZED,
                codes::INVALID_CREDENTIALS,
                message,
            ),
            Error::Unauthenticated => ApiFailure::unauthenticated(message),
            Error::Throttled { retry_after_secs } => {
                ApiFailure::throttled(codes::THROTTLED, message, retry_after_secs)
            }
            Error::InvalidLink => ApiFailure::new(StatusCode::GONE, codes::INVALID_LINK, message),
            Error::NoSuchAddress => {
                ApiFailure::new(StatusCode::NOT_FOUND, codes::NO_SUCH_ADDRESS, message)
            }
            Error::AddressBookFull { max } => {
                ApiFailure::new(StatusCode::CONFLICT, codes::ADDRESS_BOOK_FULL, message)
                    .with_details(vec![max.to_string()])
            }
            Error::EmailTaken => ApiFailure::new(StatusCode::CONFLICT, codes::EMAIL_TAKEN, message),
            err => {
                tracing::error!(error = %platform::error_chain(&err), "identity API failed");
                ApiFailure::internal("identity service")
            }
        }
    }
}

/// `204 No Content`, or the error.
fn done(result: Result<(), Error>) -> Response {
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => answer(err),
    }
}

/// The answer as JSON, or the error.
fn json(result: Result<impl Serialize, Error>) -> Response {
    match result {
        Ok(answer) => Json(answer).into_response(),
        Err(err) => answer(err),
    }
}

/// The service, and whom the request's bearer token speaks for, checked in
/// full (signature, expiry, a live session): what every request about
/// someone's own account starts from. Without a good token it is answered
/// 401.
struct Me(Identity, Principal);

impl FromRequestParts<Identity> for Me {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, identity: &Identity) -> Result<Self, Response> {
        let token = match platform::auth::bearer_token(&parts.headers) {
            Some(Ok(token)) => token,
            _ => return Err(answer(Error::Unauthenticated)),
        };
        let who = identity.authenticate(token).await.map_err(answer)?;
        Ok(Self(identity.clone(), who))
    }
}

fn tokens(signed_in: SignedIn) -> Json<TokensV1> {
    Json(TokensV1 {
        access_token: signed_in.access_token,
        refresh_token: signed_in.refresh_token,
        token_type: "Bearer".into(),
        expires_in: signed_in.access_ttl.as_secs(),
        session_expires_in: signed_in.session_ttl.as_secs(),
        principal: signed_in.principal,
    })
}

async fn sign_up(
    State(identity): State<Identity>,
    JsonBody(request): JsonBody<SignUpV1>,
) -> Response {
    let mut form = Form::default();
    let name = form.check("name", PersonName::parse(&request.name));
    let email = form.check("email", Email::parse(&request.email));
    let password = NewPassword::parse(&request.password, email.as_ref());
    let password = form.check("password", password);
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return form.refusal();
    };
    // The same answer whether or not the address had an account.
    done(identity.sign_up(&name, &email, &password).await)
}

async fn sign_in(
    State(identity): State<Identity>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<SignInV1>,
) -> Response {
    let client = headers
        .get(CLIENT_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown");
    match identity
        .sign_in(&request.email, &request.password, client)
        .await
    {
        Ok(signed_in) => tokens(signed_in).into_response(),
        Err(err) => answer(err),
    }
}

async fn refresh(
    State(identity): State<Identity>,
    JsonBody(request): JsonBody<RefreshV1>,
) -> Response {
    match identity.refresh(&request.refresh_token).await {
        Ok(Refreshed::Rotated(signed_in)) => tokens(signed_in).into_response(),
        // An app should not refresh twice in parallel; the new tokens went
        // to whichever call came first.
        Ok(Refreshed::Concurrent { .. }) => failure(
            StatusCode::CONFLICT,
            codes::ALREADY_REFRESHED,
            "This refresh token was used a moment ago; use the tokens that call received.",
        ),
        Err(err) => answer(err),
    }
}

/// A browser session's renewal: its parallel requests share one refresh
/// token, so one arriving just after another renewed still acts for the
/// person (with an access token, without a new refresh token).
async fn renew_session(
    State(identity): State<Identity>,
    JsonBody(request): JsonBody<RefreshV1>,
) -> Response {
    let config = &identity.inner.config;
    let (access_ttl, session_ttl) = (config.access_ttl.as_secs(), config.session_ttl.as_secs());
    json(
        identity
            .refresh(&request.refresh_token)
            .await
            .map(|refreshed| match refreshed {
                Refreshed::Rotated(signed_in) => SessionRenewedV1 {
                    access_token: signed_in.access_token,
                    refresh_token: Some(signed_in.refresh_token),
                    expires_in: signed_in.access_ttl.as_secs(),
                    session_expires_in: signed_in.session_ttl.as_secs(),
                    principal: signed_in.principal,
                },
                Refreshed::Concurrent {
                    principal,
                    access_token,
                } => SessionRenewedV1 {
                    access_token,
                    refresh_token: None,
                    expires_in: access_ttl,
                    session_expires_in: session_ttl,
                    principal,
                },
            }),
    )
}

async fn verify_email(
    State(identity): State<Identity>,
    JsonBody(request): JsonBody<LinkTokenV1>,
) -> Response {
    done(identity.verify_email(&request.token).await)
}

async fn confirm_email_change(
    State(identity): State<Identity>,
    JsonBody(request): JsonBody<LinkTokenV1>,
) -> Response {
    done(identity.confirm_email_change(&request.token).await)
}

async fn request_password_reset(
    State(identity): State<Identity>,
    JsonBody(request): JsonBody<PasswordResetRequestV1>,
) -> Result<Response, ApiFailure> {
    let email = parsed("email", Email::parse(&request.email))?;
    // The same answer whether or not the address has an account.
    Ok(done(identity.request_password_reset(&email).await))
}

async fn reset_password(
    State(identity): State<Identity>,
    JsonBody(request): JsonBody<PasswordResetV1>,
) -> Result<Response, ApiFailure> {
    let password = parsed("password", NewPassword::parse(&request.password, None))?;
    Ok(done(
        identity.reset_password(&request.token, &password).await,
    ))
}

async fn me(Me(_, who): Me) -> Response {
    Json(who).into_response()
}

/// Ends the session the access token belongs to: it and its refresh token
/// stop working at once.
async fn sign_out(Me(identity, who): Me) -> Response {
    done(identity.sign_out(&who).await)
}

/// Ends every session of the caller's account, this one included.
async fn sign_out_everywhere(Me(identity, who): Me) -> Response {
    done(identity.sign_out_everywhere(&who).await)
}

async fn request_verification(Me(identity, who): Me) -> Response {
    done(identity.request_verification(&who).await)
}

async fn change_password(
    Me(identity, who): Me,
    JsonBody(request): JsonBody<PasswordChangeV1>,
) -> Result<Response, ApiFailure> {
    let email = Email::parse(&who.email).ok();
    let new = NewPassword::parse(&request.new_password, email.as_ref());
    let new = parsed("new_password", new)?;
    let current = &request.current_password;
    Ok(done(identity.change_password(&who, current, &new).await))
}

async fn profile(Me(identity, who): Me) -> Response {
    json(identity.profile(&who).await)
}

async fn update_profile(
    Me(identity, who): Me,
    JsonBody(request): JsonBody<ProfileUpdateV1>,
) -> Response {
    let mut form = Form::default();
    let name = form.check("name", PersonName::parse(&request.name));
    let phone = form.check("phone", Phone::parse_optional(&request.phone));
    let (Some(name), Some(phone)) = (name, phone) else {
        return form.refusal();
    };
    done(identity.update_profile(&who, &name, phone.as_ref()).await)
}

async fn request_email_change(
    Me(identity, who): Me,
    JsonBody(request): JsonBody<EmailChangeV1>,
) -> Result<Response, ApiFailure> {
    let email = parsed("new_email", Email::parse(&request.new_email))?;
    if email.as_str() == who.email {
        return Err(field("new_email", InputError::SameEmail));
    }
    let password = &request.current_password;
    Ok(done(
        identity.request_email_change(&who, password, &email).await,
    ))
}

async fn addresses(Me(identity, who): Me) -> Response {
    json(identity.addresses(&who).await)
}

async fn address(Me(identity, who): Me, Path(id): Path<String>) -> Response {
    json(identity.address(&who, &id).await)
}

/// Adds (`id` `None`) or replaces an address of the caller's.
async fn save_address(
    identity: Identity,
    who: Principal,
    id: Option<String>,
    request: AddressSaveV1,
) -> Response {
    let address = match Address::parse(&request.fields) {
        Ok(address) => address,
        Err(errors) => {
            return fields(
                errors
                    .into_iter()
                    .map(|(field, err)| (field.to_owned(), err.to_string()))
                    .collect(),
            );
        }
    };
    json(
        identity
            .save_address(&who, id.as_deref(), &address, request.default_shipping)
            .await
            .map(|id| AddressIdV1 { id }),
    )
}

async fn add_address(
    Me(identity, who): Me,
    JsonBody(request): JsonBody<AddressSaveV1>,
) -> Response {
    save_address(identity, who, None, request).await
}

async fn replace_address(
    Me(identity, who): Me,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<AddressSaveV1>,
) -> Response {
    save_address(identity, who, Some(id), request).await
}

async fn delete_address(Me(identity, who): Me, Path(id): Path<String>) -> Response {
    done(identity.delete_address(&who, &id).await)
}

async fn set_default_address(Me(identity, who): Me, Path(id): Path<String>) -> Response {
    done(identity.set_default_address(&who, &id).await)
}

async fn ready(State(identity): State<Identity>) -> Response {
    done(identity.check_ready().await)
}
