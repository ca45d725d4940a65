//! Identity's read side.

use contracts::identity::{AddressV1, Principal, ProfileV1};
use platform::outbox::now_ms;

use crate::{Error, Identity, commands, store};

impl Identity {
    /// Whom an access token speaks for. Beyond the signature and expiry it
    /// checks the database, so a signed-out session or a reset password
    /// stops old tokens at once; the role comes from the account, not the
    /// token.
    pub async fn authenticate(&self, access_token: &str) -> Result<Principal, Error> {
        let claims = self
            .inner
            .issuer
            .verifier()
            .verify(access_token)
            .ok_or(Error::Unauthenticated)?;
        let mut conn = self.pool.acquire().await?;
        let user = store::user_in_live_session(&mut conn, &claims.sub, &claims.sid, now_ms())
            .await?
            .filter(|user| user.token_version == claims.ver)
            .ok_or(Error::Unauthenticated)?;
        Ok(commands::principal(&user, &claims.sid))
    }
}

impl Identity {
    pub async fn profile(&self, who: &Principal) -> Result<ProfileV1, Error> {
        let mut conn = self.pool.acquire().await?;
        let user = store::user_by_id(&mut conn, &who.user_id)
            .await?
            .ok_or(Error::Unauthenticated)?;
        Ok(ProfileV1 {
            name: user.name,
            email: user.email,
            email_verified: user.verified,
            phone: user.phone,
            pending_email: user.pending_email,
        })
    }

    /// The address book, oldest first.
    pub async fn addresses(&self, who: &Principal) -> Result<Vec<AddressV1>, Error> {
        let mut conn = self.pool.acquire().await?;
        let user = store::user_by_id(&mut conn, &who.user_id)
            .await?
            .ok_or(Error::Unauthenticated)?;
        let rows = store::addresses(&mut conn, &user.id).await?;
        Ok(rows
            .into_iter()
            .map(|(id, fields)| AddressV1 {
                default_shipping: user.default_address_id.as_deref() == Some(id.as_str()),
                id,
                fields,
            })
            .collect())
    }

    pub async fn address(&self, who: &Principal, id: &str) -> Result<AddressV1, Error> {
        self.addresses(who)
            .await?
            .into_iter()
            .find(|address| address.id == id)
            .ok_or(Error::NoSuchAddress)
    }
}
