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

    /// The payload of every identity event about one account.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct AccountEventV1 {
        pub user_id: String,
        pub email: String,
        pub name: String,
    }
}
