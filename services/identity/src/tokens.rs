//! Access tokens: JWTs signed with Ed25519. Identity holds the private key;
//! any service verifies with the public key alone. The algorithm is pinned
//! (a token claiming `none` or HS256 is refused), and `iss`, `aud` and `exp`
//! are checked on every use.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use contracts::identity::{AccessClaims, Role};
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
pub use platform::auth::TokenVerifier;
use platform::secret::{Secret, write_private};
use thiserror::Error;

use crate::{Config, Error, secrets};

#[derive(Debug, Error)]
pub enum KeyError {
    #[error("not an Ed25519 private key in PKCS#8 PEM (openssl genpkey -algorithm ed25519)")]
    BadPrivateKey,
    #[error("could not read or write the key file")]
    Io(#[source] std::io::Error),
}

/// Identity's private signing key. `Debug` never shows it.
#[derive(Clone, Debug)]
pub struct SigningKey(Secret<ed25519_dalek::SigningKey>);

impl SigningKey {
    pub fn generate() -> Self {
        let mut seed = [0u8; 32];
        secrets::fill_random(&mut seed);
        Self(Secret::new(ed25519_dalek::SigningKey::from_bytes(&seed)))
    }

    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        ed25519_dalek::SigningKey::from_pkcs8_pem(pem.trim())
            .map(|key| Self(Secret::new(key)))
            .map_err(|_| KeyError::BadPrivateKey)
    }

    fn to_pem(&self) -> String {
        self.0
            .expose()
            .to_pkcs8_pem(LineEnding::LF)
            .expect("an Ed25519 key encodes")
            .to_string()
    }

    pub fn public_pem(&self) -> String {
        self.0
            .expose()
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("an Ed25519 public key encodes")
    }

    /// The key in `path`, or a new one written there (readable by the
    /// owner only) when there is none: the embedded shape needs no setup.
    pub fn load_or_create(path: &Path) -> Result<Self, KeyError> {
        match std::fs::read_to_string(path) {
            Ok(pem) => Self::from_pem(&pem),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::generate();
                write_private(path, &key.to_pem()).map_err(KeyError::Io)?;
                Ok(key)
            }
            Err(err) => Err(KeyError::Io(err)),
        }
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub(crate) struct TokenIssuer {
    key: EncodingKey,
    verifier: TokenVerifier,
    issuer: String,
    audience: String,
    ttl_secs: u64,
}

impl TokenIssuer {
    pub fn new(config: &Config) -> Self {
        let der = config
            .signing_key
            .0
            .expose()
            .to_pkcs8_der()
            .expect("an Ed25519 key encodes");
        let verifier = TokenVerifier::new(
            &config.signing_key.public_pem(),
            &config.issuer,
            &config.audience,
        )
        .expect("our own public key parses");
        Self {
            key: EncodingKey::from_ed_der(der.as_bytes()),
            verifier,
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            ttl_secs: config.access_ttl.as_secs(),
        }
    }

    pub fn verifier(&self) -> &TokenVerifier {
        &self.verifier
    }

    pub fn issue(
        &self,
        user_id: &str,
        session_id: &str,
        role: Role,
        version: i64,
    ) -> Result<String, Error> {
        let iat = now_secs();
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user_id.to_owned(),
            sid: session_id.to_owned(),
            role,
            ver: version,
            iat,
            exp: iat + self.ttl_secs,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::EdDSA), &claims, &self.key)
            .map_err(Error::Signing)
    }
}
