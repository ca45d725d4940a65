//! Password hashing: argon2id with OWASP's minimum parameters, run on the
//! blocking pool so it never stalls the async runtime, at most one hash per
//! core at a time so a flood of sign-ins queues instead of exhausting
//! memory.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::{Error, NewPassword, secrets};

/// OWASP Password Storage Cheat Sheet: m = 19 MiB, t = 2, p = 1.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Checked against when no account matches, so a sign-in for an
    /// unknown address costs what one for a known address does.
    dummy: Arc<str>,
}

fn argon() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .expect("OWASP's argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_now(password: &[u8]) -> Result<String, Error> {
    let mut salt = [0u8; 16];
    secrets::fill_random(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Hashing(e.to_string()))?;
    argon()
        .hash_password(password, &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Hashing(e.to_string()))
}

fn verify_now(password: &[u8], stored: &str) -> bool {
    // A stored hash that does not parse never matches.
    PasswordHash::new(stored)
        .map(|hash| argon().verify_password(password, &hash).is_ok())
        .unwrap_or(false)
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Self {
        let mut random = [0u8; 24];
        secrets::fill_random(&mut random);
        let dummy = hash_now(&random).expect("hashing random bytes succeeds");
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy: dummy.into(),
        }
    }

    async fn off_runtime<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Error> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| Error::Hashing("hasher closed".into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| Error::Hashing(e.to_string()))
    }

    pub async fn hash(&self, password: &NewPassword) -> Result<String, Error> {
        let bytes = password.expose().as_bytes().to_vec();
        self.off_runtime(move || hash_now(&bytes)).await?
    }

    /// Whether `password` matches `stored`. With no stored hash the work is
    /// done anyway, against the dummy, and the answer is `false`.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, Error> {
        let bytes = password.as_bytes().to_vec();
        let (target, real) = match stored {
            Some(hash) => (hash.to_owned(), true),
            None => (self.dummy.to_string(), false),
        };
        let matched = self
            .off_runtime(move || verify_now(&bytes, &target))
            .await?;
        Ok(real && matched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters() {
        let hasher = PasswordHasher::new(1);
        let password = NewPassword::parse("a long enough secret", None).unwrap();
        let hash = hasher.hash(&password).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            hasher
                .verify("a long enough secret", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("a long enough secreT", Some(&hash))
                .await
                .unwrap()
        );
        assert!(!hasher.verify("anything", None).await.unwrap());
        assert!(!hasher.verify("anything", Some("not a hash")).await.unwrap());
        let again = hasher.hash(&password).await.unwrap();
        assert_ne!(hash, again, "every hash has its own salt");
    }
}
