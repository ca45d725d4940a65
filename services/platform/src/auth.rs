//! Checking the access tokens identity issues, for any service: Ed25519
//! JWTs verified with identity's public key alone. The algorithm is pinned
//! (a token claiming `none` or HS256 is refused) and `iss`, `aud`, `exp`
//! and `sub` are required. Only identity can also tell whether the session
//! behind a token was ended; the gateway asks it, services check the
//! signature again so one reached directly is not an open door.

use contracts::identity::AccessClaims;
use ed25519_dalek::pkcs8::DecodePublicKey;
use http::HeaderMap;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use thiserror::Error;

#[derive(Debug, Error)]
#[error("not an Ed25519 public key in SPKI PEM")]
pub struct BadPublicKey;

/// Checks access tokens with the public key.
#[derive(Clone)]
pub struct TokenVerifier {
    key: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for TokenVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenVerifier")
    }
}

impl TokenVerifier {
    pub fn new(public_pem: &str, issuer: &str, audience: &str) -> Result<Self, BadPublicKey> {
        let public = ed25519_dalek::VerifyingKey::from_public_key_pem(public_pem.trim())
            .map_err(|_| BadPublicKey)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.algorithms = vec![Algorithm::EdDSA];
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Ok(Self {
            key: DecodingKey::from_ed_der(public.as_bytes()),
            validation,
        })
    }

    /// The claims of a genuine, current token; `None` for anything else.
    pub fn verify(&self, token: &str) -> Option<AccessClaims> {
        jsonwebtoken::decode::<AccessClaims>(token, &self.key, &self.validation)
            .map(|data| data.claims)
            .ok()
    }
}

/// Why a request's `Authorization` header was refused.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum BearerError {
    #[error("Send the access token as `Authorization: Bearer <token>`.")]
    Malformed,
    #[error("The access token is invalid or expired.")]
    Invalid,
    #[error("This service was given no key to check access tokens with.")]
    NoKey,
}

/// The token in `Authorization: Bearer <token>`, if the header is there.
pub fn bearer_token(headers: &HeaderMap) -> Option<Result<&str, BearerError>> {
    let value = headers.get(http::header::AUTHORIZATION)?;
    Some(
        value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or(BearerError::Malformed),
    )
}

/// Who is calling: `Ok(None)` without a token, the claims of a good one,
/// an error for a bad one (or any token, when there is no key to check
/// it with: fail closed).
pub fn caller(
    headers: &HeaderMap,
    verifier: Option<&TokenVerifier>,
) -> Result<Option<AccessClaims>, BearerError> {
    let Some(token) = bearer_token(headers) else {
        return Ok(None);
    };
    let token = token?;
    let verifier = verifier.ok_or(BearerError::NoKey)?;
    verifier.verify(token).map(Some).ok_or(BearerError::Invalid)
}

/// Access tokens signed the way identity signs them, for other crates'
/// tests: a fixed key, and the verifier a service checks them with.
#[doc(hidden)]
pub mod testing {
    use contracts::identity::{AccessClaims, Role};
    use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey};

    use super::TokenVerifier;

    pub const ISSUER: &str = "test-identity";
    pub const AUDIENCE: &str = "test-shop";

    pub struct Keys {
        signing: jsonwebtoken::EncodingKey,
        pub public_pem: String,
    }

    pub fn keys() -> Keys {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        let der = key.to_pkcs8_der().expect("a fixed Ed25519 key encodes");
        Keys {
            signing: jsonwebtoken::EncodingKey::from_ed_der(der.as_bytes()),
            public_pem: key
                .verifying_key()
                .to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
                .expect("a fixed Ed25519 key encodes"),
        }
    }

    impl Keys {
        pub fn verifier(&self) -> TokenVerifier {
            TokenVerifier::new(&self.public_pem, ISSUER, AUDIENCE)
                .expect("the test key is an Ed25519 key")
        }
    }

    /// A current access token for `user` in `role`.
    pub fn token(keys: &Keys, user: &str, role: Role) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("the clock is past 1970")
            .as_secs();
        let claims = AccessClaims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: user.into(),
            sid: "s".into(),
            role,
            ver: 1,
            iat: now,
            exp: now + 300,
        };
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA),
            &claims,
            &keys.signing,
        )
        .expect("claims always encode")
    }
}

#[cfg(test)]
mod tests {
    use contracts::identity::Role;
    use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
    use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey};
    use jsonwebtoken::{EncodingKey, Header};

    use super::*;

    fn key(seed: u8) -> ed25519_dalek::SigningKey {
        ed25519_dalek::SigningKey::from_bytes(&[seed; 32])
    }

    fn verifier_for(key: &ed25519_dalek::SigningKey) -> TokenVerifier {
        let pem = key
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        TokenVerifier::new(&pem, "sury-identity", "sury").unwrap()
    }

    fn token(key: &ed25519_dalek::SigningKey, audience: &str, exp_in: i64) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let claims = AccessClaims {
            iss: "sury-identity".into(),
            aud: audience.into(),
            sub: "user-1".into(),
            sid: "session-1".into(),
            role: Role::Staff,
            ver: 0,
            iat: now,
            exp: now.saturating_add_signed(exp_in),
        };
        let der = key.to_pkcs8_der().unwrap();
        jsonwebtoken::encode(
            &Header::new(Algorithm::EdDSA),
            &claims,
            &EncodingKey::from_ed_der(der.as_bytes()),
        )
        .unwrap()
    }

    fn headers(authorization: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::AUTHORIZATION, authorization.parse().unwrap());
        headers
    }

    #[test]
    fn only_genuine_current_tokens_name_a_caller() {
        let (ours, theirs) = (key(1), key(2));
        let verifier = verifier_for(&ours);
        let good = token(&ours, "sury", 60);
        let claims = caller(&headers(&format!("Bearer {good}")), Some(&verifier))
            .unwrap()
            .unwrap();
        assert_eq!((claims.sub.as_str(), claims.role), ("user-1", Role::Staff));

        assert_eq!(caller(&HeaderMap::new(), Some(&verifier)), Ok(None));
        let refused = |value: String| caller(&headers(&value), Some(&verifier)).unwrap_err();
        assert_eq!(refused("Basic YW5uOnB3".into()), BearerError::Malformed);
        assert_eq!(refused("Bearer ".into()), BearerError::Malformed);
        let wrong_key = token(&theirs, "sury", 60);
        assert_eq!(refused(format!("Bearer {wrong_key}")), BearerError::Invalid);
        let expired = token(&ours, "sury", -120);
        assert_eq!(refused(format!("Bearer {expired}")), BearerError::Invalid);
        let other_audience = token(&ours, "elsewhere", 60);
        assert_eq!(
            refused(format!("Bearer {other_audience}")),
            BearerError::Invalid
        );
        // No key to check with: refused, not waved through.
        assert_eq!(
            caller(&headers(&format!("Bearer {good}")), None),
            Err(BearerError::NoKey)
        );
    }
}
