//! Whose basket: a guest's, named by a random id in a signed cookie, or a
//! member's, named by their account.

use std::path::Path;

use hmac::{Hmac, Mac};
use platform::secret::{Secret, write_private};
use sha2::Sha256;
use uuid::Uuid;

use crate::Error;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Owner {
    Guest(Uuid),
    Member(String),
}

impl Owner {
    /// The store key; also what orders carry to say whose basket they
    /// came from.
    pub fn key(&self) -> String {
        match self {
            Self::Guest(id) => format!("guest:{}", id.simple()),
            Self::Member(user) => format!("member:{user}"),
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        if let Some(id) = key.strip_prefix("guest:") {
            return Uuid::try_parse(id).ok().map(Self::Guest);
        }
        key.strip_prefix("member:")
            .filter(|user| !user.is_empty())
            .map(|user| Self::Member(user.to_owned()))
    }
}

/// Signs and checks guest basket cookies (HMAC-SHA256), so a guest cannot
/// point their cookie at someone else's basket. Every replica must share
/// the key.
#[derive(Clone, Debug)]
pub struct CookieKey(Secret<[u8; 32]>);

impl CookieKey {
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).expect("the operating system supplies randomness");
        Self(Secret::new(key))
    }

    /// The key in `path` (64 hex digits), made there on first use.
    pub fn load_or_create(path: &Path) -> Result<Self, Error> {
        let fail = |source| Error::CookieKey {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => Self::from_hex(text.trim()).ok_or_else(|| {
                fail(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "expected 64 hex digits",
                ))
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::random();
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(fail)?;
                }
                write_private(path, &hex(key.0.expose())).map_err(fail)?;
                Ok(key)
            }
            Err(err) => Err(fail(err)),
        }
    }

    fn from_hex(text: &str) -> Option<Self> {
        if text.len() != 64 {
            return None;
        }
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(text.get(i * 2..i * 2 + 2)?, 16).ok()?;
        }
        Some(Self(Secret::new(key)))
    }

    fn mac(&self, id: &Uuid) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.0.expose()).expect("HMAC takes any key length");
        mac.update(b"sury basket v1:");
        mac.update(id.as_bytes());
        mac
    }

    /// A new guest and the cookie value that names them.
    pub fn new_guest(&self) -> (Owner, String) {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the operating system supplies randomness");
        let id = Uuid::from_bytes(bytes);
        (Owner::Guest(id), self.sign(&id))
    }

    fn sign(&self, id: &Uuid) -> String {
        format!(
            "{}.{}",
            id.simple(),
            hex(&self.mac(id).finalize().into_bytes())
        )
    }

    /// What an order names `owner`'s basket by: a member's key, or a
    /// guest's key carrying the ticket's signature. The ordering service
    /// cannot check it (it has no key), but this service does before it
    /// empties anything, so an order can only empty a guest basket whose
    /// ticket the shopper held, not one whose id they learnt.
    pub fn order_key(&self, owner: &Owner) -> String {
        match owner {
            Owner::Guest(id) => format!("guest:{}", self.sign(id)),
            Owner::Member(_) => owner.key(),
        }
    }

    /// The basket an order's key names, if it is a member's or a guest's
    /// with a signature that holds.
    pub fn order_owner(&self, key: &str) -> Option<Owner> {
        match key.strip_prefix("guest:") {
            Some(ticket) => self.guest(ticket),
            None => Owner::from_key(key).filter(|owner| matches!(owner, Owner::Member(_))),
        }
    }

    /// The guest a cookie names, if its signature holds.
    pub fn guest(&self, cookie: &str) -> Option<Owner> {
        let (id, tag) = cookie.split_once('.')?;
        let id = Uuid::try_parse(id).ok()?;
        let tag = Self::bytes(tag)?;
        self.mac(&id).verify_slice(&tag).ok()?;
        Some(Owner::Guest(id))
    }

    fn bytes(text: &str) -> Option<Vec<u8>> {
        if text.len() != 64 {
            return None;
        }
        (0..32)
            .map(|i| u8::from_str_radix(text.get(i * 2..i * 2 + 2)?, 16).ok())
            .collect()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_cookie_names_its_guest_and_nothing_else_does() {
        let key = CookieKey::random();
        let (owner, cookie) = key.new_guest();
        assert_eq!(key.guest(&cookie), Some(owner));
        // Another id with the same tag, a flipped tag, another key, junk.
        let (_, other) = key.new_guest();
        let forged = format!("{}{}", &other[..33], &cookie[33..]);
        assert_eq!(key.guest(&forged), None);
        let mut flipped = cookie.clone();
        let last = if flipped.ends_with('0') { "1" } else { "0" };
        flipped.replace_range(flipped.len() - 1.., last);
        assert_eq!(key.guest(&flipped), None);
        assert_eq!(CookieKey::random().guest(&cookie), None);
        for junk in ["", ".", "abc", "x.y", &cookie[..40], "é.é"] {
            assert_eq!(key.guest(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn keys_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let first = CookieKey::load_or_create(&path).unwrap();
        let (owner, cookie) = first.new_guest();
        let again = CookieKey::load_or_create(&path).unwrap();
        assert_eq!(again.guest(&cookie), Some(owner));
        std::fs::write(&path, "short").unwrap();
        assert!(CookieKey::load_or_create(&path).is_err());
    }

    #[test]
    fn owner_keys_round_trip() {
        let guest = Owner::Guest(Uuid::now_v7());
        assert_eq!(Owner::from_key(&guest.key()), Some(guest));
        let member = Owner::Member("u-1".into());
        assert_eq!(Owner::from_key(&member.key()), Some(member));
        assert_eq!(Owner::from_key("guest:nope"), None);
        assert_eq!(Owner::from_key("member:"), None);
    }
}
