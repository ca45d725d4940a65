//! Identity's read side.

use contracts::identity::Principal;
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
