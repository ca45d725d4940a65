//! The typed client of identity's API, in-process or over the network
//! through the same requests (see [`platform::api_client`]). Its answers
//! are identity's own: a wrong password comes back as
//! [`Error::InvalidCredentials`], wherever the service runs.
//!
//! Calls about someone's own account take their access token, which the
//! service checks in full: it is the service, not the caller, that says
//! whom a request is for.

use std::time::Duration;

use axum::body::Body;
use contracts::identity::{
    AddressIdV1, AddressSaveV1, AddressV1, EmailChangeV1, LinkTokenV1, PasswordChangeV1,
    PasswordResetRequestV1, PasswordResetV1, Principal, ProfileUpdateV1, ProfileV1, RefreshV1,
    SessionRenewedV1, SignInV1, SignUpV1, TokensV1,
};
use http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use platform::api_client::{ApiClient, ClientError, Service, ServiceClient};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::{self, CLIENT_HEADER, PREFIX, codes};
use crate::{Address, Email, Error, Identity, NewPassword, PersonName, Phone, Refreshed, SignedIn};

/// Identity's API, as this client reads it.
const IDENTITY: Service<Error> = Service {
    name: "identity",
    prefix: PREFIX,
    answer,
};

#[derive(Clone, Debug)]
pub struct IdentityClient {
    api: ServiceClient<Error>,
}

/// No body, for [`ServiceClient::send_json`].
const EMPTY: Option<&()> = None;

impl IdentityClient {
    /// Calls identity's router directly, in this process.
    pub fn in_process(identity: Identity) -> Self {
        Self::over(api::router(identity))
    }

    /// Calls `router` in this process: identity's, or a stand-in's.
    pub fn over(router: axum::Router) -> Self {
        Self {
            api: ServiceClient::in_process(IDENTITY, router),
        }
    }

    /// Calls an identity service at `base_url` (e.g. `http://10.0.0.7:3104`).
    pub fn remote(base_url: &str) -> Self {
        Self {
            api: ServiceClient::remote(IDENTITY, base_url, 64 * 1024),
        }
    }

    /// Sends any request to identity's API (the gateway forwards with it).
    pub async fn forward(&self, request: Request<Body>) -> Result<Response<Body>, ClientError> {
        self.api.forward(request).await
    }

    /// A call about the account `access_token` belongs to.
    async fn as_member<T: DeserializeOwned>(
        &self,
        access_token: &str,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<T, Error> {
        self.api
            .send_json(method, path, &[ApiClient::bearer(access_token)], body)
            .await
    }

    /// Signs someone up; the same answer whether or not the address
    /// already had an account (its owner is emailed either way).
    pub async fn sign_up(
        &self,
        name: &PersonName,
        email: &Email,
        password: &NewPassword,
    ) -> Result<(), Error> {
        let body = SignUpV1 {
            name: name.as_str().to_owned(),
            email: email.as_str().to_owned(),
            password: password.expose().to_owned(),
        };
        self.api
            .send_json(Method::POST, "/accounts", &[], Some(&body))
            .await
    }

    /// Checks an email and password and starts a session. `client` is the
    /// address the attempt came from, for per-client limits.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: &str,
    ) -> Result<SignedIn, Error> {
        let body = SignInV1 {
            email: email.to_owned(),
            password: password.to_owned(),
        };
        let client =
            HeaderValue::from_str(client).unwrap_or_else(|_| HeaderValue::from_static("unknown"));
        let tokens: TokensV1 = self
            .api
            .send_json(
                Method::POST,
                "/tokens",
                &[(HeaderName::from_static(CLIENT_HEADER), client)],
                Some(&body),
            )
            .await?;
        Ok(SignedIn {
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
            access_ttl: Duration::from_secs(tokens.expires_in),
            session_ttl: Duration::from_secs(tokens.session_expires_in),
            principal: tokens.principal,
        })
    }

    /// Renews a browser's session from its refresh token.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Refreshed, Error> {
        let body = RefreshV1 {
            refresh_token: refresh_token.to_owned(),
        };
        let renewed: SessionRenewedV1 = self
            .api
            .send_json(Method::POST, "/sessions/refresh", &[], Some(&body))
            .await?;
        Ok(match renewed.refresh_token {
            Some(refresh_token) => Refreshed::Rotated(SignedIn {
                access_token: renewed.access_token,
                refresh_token,
                access_ttl: Duration::from_secs(renewed.expires_in),
                session_ttl: Duration::from_secs(renewed.session_expires_in),
                principal: renewed.principal,
            }),
            None => Refreshed::Concurrent {
                principal: renewed.principal,
                access_token: renewed.access_token,
            },
        })
    }

    /// Whom an access token speaks for, if its session is still live.
    pub async fn authenticate(&self, access_token: &str) -> Result<Principal, Error> {
        self.as_member(access_token, Method::GET, "/me", EMPTY)
            .await
    }

    /// Ends the session `access_token` belongs to.
    pub async fn sign_out(&self, access_token: &str) -> Result<(), Error> {
        self.as_member(access_token, Method::DELETE, "/tokens", EMPTY)
            .await
    }

    /// Ends every session of the account, this one included.
    pub async fn sign_out_everywhere(&self, access_token: &str) -> Result<(), Error> {
        self.as_member(access_token, Method::DELETE, "/me/sessions", EMPTY)
            .await
    }

    /// Emails a new verification link.
    pub async fn request_verification(&self, access_token: &str) -> Result<(), Error> {
        self.as_member(access_token, Method::POST, "/me/verification", EMPTY)
            .await
    }

    /// Follows a verification link.
    pub async fn verify_email(&self, link_token: &str) -> Result<(), Error> {
        self.follow_link("/verifications", link_token).await
    }

    /// Follows an emailed link (`path` says what it was for).
    async fn follow_link(&self, path: &str, link_token: &str) -> Result<(), Error> {
        let body = LinkTokenV1 {
            token: link_token.to_owned(),
        };
        self.api
            .send_json(Method::POST, path, &[], Some(&body))
            .await
    }

    /// Emails a reset link if an account uses `email`; says nothing either
    /// way.
    pub async fn request_password_reset(&self, email: &Email) -> Result<(), Error> {
        let body = PasswordResetRequestV1 {
            email: email.as_str().to_owned(),
        };
        self.api
            .send_json(Method::POST, "/password-resets", &[], Some(&body))
            .await
    }

    /// Follows a reset link with the new password: every session ends.
    pub async fn reset_password(
        &self,
        link_token: &str,
        password: &NewPassword,
    ) -> Result<(), Error> {
        let body = PasswordResetV1 {
            token: link_token.to_owned(),
            password: password.expose().to_owned(),
        };
        self.api
            .send_json(Method::PUT, "/password-resets", &[], Some(&body))
            .await
    }

    /// Changes the password of someone who knows the current one; their
    /// other sessions end.
    pub async fn change_password(
        &self,
        access_token: &str,
        current: &str,
        new: &NewPassword,
    ) -> Result<(), Error> {
        let body = PasswordChangeV1 {
            current_password: current.to_owned(),
            new_password: new.expose().to_owned(),
        };
        self.as_member(access_token, Method::PUT, "/me/password", Some(&body))
            .await
    }

    pub async fn profile(&self, access_token: &str) -> Result<ProfileV1, Error> {
        self.as_member(access_token, Method::GET, "/me/profile", EMPTY)
            .await
    }

    pub async fn update_profile(
        &self,
        access_token: &str,
        name: &PersonName,
        phone: Option<&Phone>,
    ) -> Result<(), Error> {
        let body = ProfileUpdateV1 {
            name: name.as_str().to_owned(),
            phone: phone.map(|p| p.as_str().to_owned()).unwrap_or_default(),
        };
        self.as_member(access_token, Method::PUT, "/me/profile", Some(&body))
            .await
    }

    /// Emails a confirmation link to `new_email`; nothing changes until it
    /// is followed.
    pub async fn request_email_change(
        &self,
        access_token: &str,
        current_password: &str,
        new_email: &Email,
    ) -> Result<(), Error> {
        let body = EmailChangeV1 {
            new_email: new_email.as_str().to_owned(),
            current_password: current_password.to_owned(),
        };
        self.as_member(access_token, Method::POST, "/me/email-change", Some(&body))
            .await
    }

    /// Follows an email-change link.
    pub async fn confirm_email_change(&self, link_token: &str) -> Result<(), Error> {
        self.follow_link("/email-changes", link_token).await
    }

    /// The address book, oldest first.
    pub async fn addresses(&self, access_token: &str) -> Result<Vec<AddressV1>, Error> {
        self.as_member(access_token, Method::GET, "/me/addresses", EMPTY)
            .await
    }

    pub async fn address(&self, access_token: &str, id: &str) -> Result<AddressV1, Error> {
        let path = format!("/me/addresses/{}", platform::url_encode(id));
        self.as_member(access_token, Method::GET, &path, EMPTY)
            .await
    }

    /// Adds an address (`id` `None`) or replaces one; returns its id.
    pub async fn save_address(
        &self,
        access_token: &str,
        id: Option<&str>,
        address: &Address,
        default_shipping: bool,
    ) -> Result<String, Error> {
        let body = AddressSaveV1 {
            fields: address.fields().clone(),
            default_shipping,
        };
        let saved: AddressIdV1 = match id {
            None => {
                self.as_member(access_token, Method::POST, "/me/addresses", Some(&body))
                    .await?
            }
            Some(id) => {
                let path = format!("/me/addresses/{}", platform::url_encode(id));
                self.as_member(access_token, Method::PUT, &path, Some(&body))
                    .await?
            }
        };
        Ok(saved.id)
    }

    pub async fn delete_address(&self, access_token: &str, id: &str) -> Result<(), Error> {
        let path = format!("/me/addresses/{}", platform::url_encode(id));
        self.as_member(access_token, Method::DELETE, &path, EMPTY)
            .await
    }

    pub async fn set_default_address(&self, access_token: &str, id: &str) -> Result<(), Error> {
        let path = format!("/me/addresses/{}/default", platform::url_encode(id));
        self.as_member(access_token, Method::PUT, &path, EMPTY)
            .await
    }

    /// Whether the service and its database answer.
    pub async fn check_ready(&self) -> Result<(), Error> {
        self.api.send_json(Method::GET, "/ready", &[], EMPTY).await
    }
}

/// The service's answers as the [`Error`]s they stand for; anything else
/// is a failure to reach or understand it.
fn answer(err: ClientError) -> Error {
    let Some(refusal) = err.refusal() else {
        return Error::Service(err);
    };
    match (refusal.status, refusal.code, refusal.retry_after_secs) {
        (StatusCode::UNAUTHORIZED, codes::INVALID_CREDENTIALS, _) => Error::InvalidCredentials,
        (StatusCode::UNAUTHORIZED, codes::UNAUTHENTICATED, _) => Error::Unauthenticated,
        // Without its wait the answer is not identity's: none is made up.
        (StatusCode::TOO_MANY_REQUESTS, codes::THROTTLED, Some(retry_after_secs)) => {
            Error::Throttled { retry_after_secs }
        }
        (StatusCode::GONE, codes::INVALID_LINK, _) => Error::InvalidLink,
        (StatusCode::NOT_FOUND, codes::NO_SUCH_ADDRESS, _) => Error::NoSuchAddress,
        (StatusCode::CONFLICT, codes::ADDRESS_BOOK_FULL, _) => Error::AddressBookFull {
            // The service's own limit; ours if it did not say.
            max: refusal
                .details
                .first()
                .and_then(|max| max.parse().ok())
                .unwrap_or(Identity::MAX_ADDRESSES),
        },
        (StatusCode::CONFLICT, codes::EMAIL_TAKEN, _) => Error::EmailTaken,
        _ => Error::Service(err),
    }
}
