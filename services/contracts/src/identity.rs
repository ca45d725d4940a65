//! Identity contracts, version 1: who a request is from, and the events
//! the identity service publishes.

use serde::{Deserialize, Serialize};

/// What a person may do. Ordered: each role can do what the ones before it
/// can.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    Staff,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Staff => "staff",
            Self::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "customer" => Some(Self::Customer),
            "staff" => Some(Self::Staff),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// The signed-in person a request acts for, as the gateway forwards it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub user_id: String,
    pub session_id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub email_verified: bool,
}

/// What `POST /api/v1/identity/tokens` (sign-in) and its refresh answer:
/// the tokens an app sends as `Authorization: Bearer <access_token>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensV1 {
    pub access_token: String,
    /// Good once: each refresh answers a new one.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds the access token lives.
    pub expires_in: u64,
    /// Seconds the session (the refresh token) lives unused.
    #[serde(default)]
    pub session_expires_in: u64,
    pub principal: Principal,
}

/// What `POST /api/v1/identity/sessions/refresh` answers: a browser
/// session's renewal, where parallel requests share one refresh token.
/// The first gets a new refresh token; one arriving moments later still
/// acts for the person, with an access token but no new refresh token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRenewedV1 {
    pub access_token: String,
    /// `None` when another request of the same browser renewed first.
    pub refresh_token: Option<String>,
    pub expires_in: u64,
    pub session_expires_in: u64,
    pub principal: Principal,
}

/// The body of `POST /api/v1/identity/accounts` (sign-up).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpV1 {
    pub name: String,
    pub email: String,
    pub password: String,
}

/// The token from an emailed link (verification, email change).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkTokenV1 {
    pub token: String,
}

/// The body of `POST /api/v1/identity/password-resets`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordResetRequestV1 {
    pub email: String,
}

/// The body of `PUT /api/v1/identity/password-resets`: the emailed link's
/// token and the new password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordResetV1 {
    pub token: String,
    pub password: String,
}

/// The body of `PUT /api/v1/identity/me/password`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChangeV1 {
    pub current_password: String,
    pub new_password: String,
}

/// The body of `PUT /api/v1/identity/me/profile`; an empty phone removes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileUpdateV1 {
    pub name: String,
    pub phone: String,
}

/// The body of `POST /api/v1/identity/me/email-change`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailChangeV1 {
    pub new_email: String,
    pub current_password: String,
}

/// The body of `POST /api/v1/identity/me/addresses` and `PUT …/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressSaveV1 {
    pub fields: AddressFieldsV1,
    /// Make it the default shipping address.
    #[serde(default)]
    pub default_shipping: bool,
}

/// An address's id, as saving one answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressIdV1 {
    pub id: String,
}

/// The body of `POST /api/v1/identity/tokens`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInV1 {
    pub email: String,
    pub password: String,
}

/// The body of `POST /api/v1/identity/tokens/refresh`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshV1 {
    pub refresh_token: String,
}

/// The claims of an access token (a JWT signed by identity with Ed25519).
/// Any service holding the public key can check one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// The user id.
    pub sub: String,
    /// The session (refresh-token family) the token was issued for.
    pub sid: String,
    pub role: Role,
    /// The user's token version when issued: bumped to revoke every token.
    pub ver: i64,
    pub iat: u64,
    pub exp: u64,
}

/// Events identity publishes through its outbox. Payloads carry no secrets:
/// the consumer that sends an email makes the link's token itself.
pub mod events {
    use serde::{Deserialize, Serialize};

    pub const USER_REGISTERED_V1: &str = "identity.user.registered.v1";
    pub const VERIFICATION_REQUESTED_V1: &str = "identity.verification.requested.v1";
    pub const EMAIL_VERIFIED_V1: &str = "identity.email.verified.v1";
    pub const PASSWORD_RESET_REQUESTED_V1: &str = "identity.password-reset.requested.v1";
    pub const PASSWORD_CHANGED_V1: &str = "identity.password.changed.v1";
    /// Someone tried to sign up with an address that already has an
    /// account: its owner is told, the person signing up learns nothing.
    pub const SIGN_UP_WITH_EXISTING_EMAIL_V1: &str = "identity.sign-up.existing-email.v1";
    /// Someone signed in asked to move their account to a new address: the
    /// event's `email` is the new address, which gets the confirmation link.
    pub const EMAIL_CHANGE_REQUESTED_V1: &str = "identity.email-change.requested.v1";
    /// The new address was confirmed and is now the account's. Payload:
    /// [`EmailChangedV1`]; the previous address is told.
    pub const EMAIL_CHANGED_V1: &str = "identity.email.changed.v1";

    /// The payload of every identity event about one account.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct AccountEventV1 {
        pub user_id: String,
        pub email: String,
        pub name: String,
    }

    /// An account's address changed from `previous_email` to `email`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct EmailChangedV1 {
        pub user_id: String,
        pub email: String,
        pub name: String,
        pub previous_email: String,
    }
}

/// A person's own details, as their account page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileV1 {
    pub name: String,
    pub email: String,
    pub email_verified: bool,
    pub phone: Option<String>,
    /// A new address waiting for its confirmation link to be followed.
    pub pending_email: Option<String>,
}

/// The fields of a postal address, as typed into a form or stored.
/// Optional parts are empty strings, not absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressFieldsV1 {
    pub recipient: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub phone: String,
}

/// One address in someone's address book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressV1 {
    pub id: String,
    pub fields: AddressFieldsV1,
    /// Where orders ship unless the shopper picks another.
    pub default_shipping: bool,
}
