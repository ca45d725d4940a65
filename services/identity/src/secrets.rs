//! Random tokens and their hashes. A token is 256 random bits, base64url;
//! only its SHA-256 is stored, so a copy of the database opens nothing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

pub fn fill_random(buf: &mut [u8]) {
    getrandom::fill(buf).expect("the operating system's random source works");
}

/// A new token and the hash to store for it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    fill_random(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&token);
    (token, hash)
}

pub fn hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `token` could be one of ours: a bound on what we hash and look
/// up for input from outside.
pub fn plausible(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, hash_a) = super::new_token();
        let (b, _) = super::new_token();
        assert_ne!(a, b);
        assert!(super::plausible(&a));
        assert_eq!(hash_a.len(), 64);
        assert_eq!(super::hash(&a), hash_a);
        assert!(!super::plausible("short"));
    }
}
