//! Access tokens as identity signs them (Ed25519), for calling the staff
//! API, and the verifier the catalog checks them with.

use contracts::identity::{AccessClaims, Role};
use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey};

pub const ISSUER: &str = "test-identity";
pub const AUDIENCE: &str = "test-shop";

pub struct Keys {
    signing: jsonwebtoken::EncodingKey,
    pub public_pem: String,
}

pub fn keys() -> Keys {
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let der = key.to_pkcs8_der().unwrap();
    Keys {
        signing: jsonwebtoken::EncodingKey::from_ed_der(der.as_bytes()),
        public_pem: key
            .verifying_key()
            .to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
            .unwrap(),
    }
}

impl Keys {
    pub fn verifier(&self) -> platform::auth::TokenVerifier {
        platform::auth::TokenVerifier::new(&self.public_pem, ISSUER, AUDIENCE).unwrap()
    }
}

pub fn token(keys: &Keys, user: &str, role: Role) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
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
    .unwrap()
}
