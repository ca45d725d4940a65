//! A person's own details: name, phone, and moving the account to a new
//! email address (which must be confirmed from that address first).

use contracts::identity::Principal;
use contracts::identity::events::{self, AccountEventV1, EmailChangedV1};
use platform::outbox::now_ms;

use super::{announce, is_unique_violation, publish};
use crate::store::{self, UserChange};
use crate::{Email, Error, Identity, PersonName, Phone, throttle};

impl Identity {
    #[tracing::instrument(name = "identity.update_profile", skip_all)]
    pub async fn update_profile(
        &self,
        who: &Principal,
        name: &PersonName,
        phone: Option<&Phone>,
    ) -> Result<(), Error> {
        let mut conn = self.pool.acquire().await?;
        let profile = UserChange::Profile {
            name: name.as_str(),
            phone: phone.map(Phone::as_str),
        };
        store::update_user(&mut conn, &who.user_id, profile).await?;
        Ok(())
    }

    /// Starts moving the account to `new_email`: asks for the password
    /// (a session left open on a shared computer must not be enough to
    /// take the account), then emails a link to the new address. Nothing
    /// changes until the link is followed. If the new address already has
    /// an account, its owner gets a note instead of a link, and the person
    /// asking learns nothing from the answer.
    #[tracing::instrument(name = "identity.request_email_change", skip_all)]
    pub async fn request_email_change(
        &self,
        who: &Principal,
        current_password: &str,
        new_email: &Email,
    ) -> Result<(), Error> {
        let user = self.check_current_password(who, current_password).await?;
        if user.email == new_email.as_str() {
            return Ok(());
        }
        let limits = &self.inner.config.limits;
        let now = now_ms();
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let (kind, limit, window) = ("change-mail", limits.mails_per_account, limits.mail_window);
        if let Some(retry_after_secs) =
            throttle::blocked(&mut tx, kind, &user.id, limit, window, now).await?
        {
            return Err(Error::Throttled { retry_after_secs });
        }
        throttle::hit(&mut tx, kind, &user.id, window, now).await?;
        store::update_user(
            &mut tx,
            &user.id,
            UserChange::PendingEmail(new_email.as_str()),
        )
        .await?;
        let event = AccountEventV1 {
            user_id: user.id.clone(),
            email: new_email.as_str().to_owned(),
            name: user.name.clone(),
        };
        publish(&mut tx, events::EMAIL_CHANGE_REQUESTED_V1, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Follows the link sent to a new address: the account moves there,
    /// verified. Links sent earlier (to either address) stop working, and
    /// the previous address is told.
    #[tracing::instrument(name = "identity.confirm_email_change", skip_all)]
    pub async fn confirm_email_change(&self, token: &str) -> Result<(), Error> {
        if !crate::secrets::plausible(token) {
            return Err(Error::InvalidLink);
        }
        let now = now_ms();
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let (user_id, new_email) =
            store::consume_email_token(&mut tx, &crate::secrets::hash(token), "change-email", now)
                .await?
                .ok_or(Error::InvalidLink)?;
        let user = store::user_by_id(&mut tx, &user_id)
            .await?
            .ok_or(Error::InvalidLink)?;
        // A later request replaced this one: only the newest link counts.
        if user.pending_email.as_deref() != Some(new_email.as_str()) {
            return Err(Error::InvalidLink);
        }
        let moved = UserChange::Email {
            email: &new_email,
            now,
        };
        match store::update_user(&mut tx, &user.id, moved).await {
            Err(err) if is_unique_violation(&err) => return Err(Error::EmailTaken),
            other => other?,
        }
        store::consume_email_tokens(&mut tx, &user.id, now).await?;
        let event = EmailChangedV1 {
            user_id: user.id.clone(),
            email: new_email.clone(),
            name: user.name.clone(),
            previous_email: user.email.clone(),
        };
        publish(&mut tx, events::EMAIL_CHANGED_V1, &event).await?;
        if !user.verified {
            let mut moved = user;
            moved.email = new_email;
            announce(&mut tx, events::EMAIL_VERIFIED_V1, &moved).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
