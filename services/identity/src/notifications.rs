//! Identity's emails, sent by a consumer of identity's own events, so a
//! sign-up never waits for (or fails with) the mail server. SMTP down:
//! the message is retried with backoff and, after the last try, kept in
//! the dead-letter queue for replay, never dropped.
//!
//! Emailed tokens are made here, just before sending: the link exists only
//! in the email, and its hash in the database. The inbox is checked before
//! sending and written after, so a redelivered event sends nothing; only a
//! crash between the mail server's acceptance and the inbox write could
//! send one twice.

use std::sync::Arc;
use std::time::Duration;

use contracts::identity::events::{self, AccountEventV1, EmailChangedV1};
use platform::bus::{HandlerError, Handlers, Message, RetryPolicy, Subscription};
use platform::mail::{self, Email, Mailer, Slot};
use platform::outbox::now_ms;
use sqlx::AnyConnection;

use crate::letters::letter;
use crate::{Error, Identity, secrets, store};

const CONSUMER: &str = "identity.mail";

/// What an event asks to be told, decoded.
enum Mail {
    Account(AccountEventV1),
    EmailChanged(EmailChangedV1),
}

impl Identity {
    /// The subscription that sends identity's emails through `mailer`.
    pub fn mail_subscription(&self, mailer: Arc<dyn Mailer>) -> Subscription {
        let account = |(identity, mailer): (Identity, Arc<dyn Mailer>), event, message| async move {
            let mail = Mail::Account(event);
            identity
                .send_mail_for(&message, mailer.as_ref(), mail)
                .await
        };
        let mut handlers = Handlers::new(CONSUMER, (self.clone(), mailer)).retry(RetryPolicy::MAIL);
        for topic in [
            events::USER_REGISTERED_V1,
            events::VERIFICATION_REQUESTED_V1,
            events::PASSWORD_RESET_REQUESTED_V1,
            events::PASSWORD_CHANGED_V1,
            events::SIGN_UP_WITH_EXISTING_EMAIL_V1,
            events::EMAIL_CHANGE_REQUESTED_V1,
        ] {
            handlers = handlers.on(topic, account);
        }
        handlers
            .on(
                events::EMAIL_CHANGED_V1,
                |(identity, mailer), changed: EmailChangedV1, message| async move {
                    let mail = Mail::EmailChanged(changed);
                    identity
                        .send_mail_for(&message, mailer.as_ref(), mail)
                        .await
                },
            )
            .subscription()
    }

    async fn send_mail_for(
        &self,
        message: &Message,
        mailer: &dyn Mailer,
        mail: Mail,
    ) -> Result<(), HandlerError> {
        mail::send_once(
            &self.pool,
            CONSUMER,
            message,
            mailer,
            async |conn| match mail {
                Mail::EmailChanged(changed) => Ok(Some(self.email_changed(&changed))),
                Mail::Account(event) => self.compose(conn, &message.topic, &event).await,
            },
        )
        .await
    }

    /// The email an event calls for, if any is still needed.
    async fn compose(
        &self,
        conn: &mut AnyConnection,
        topic: &str,
        event: &AccountEventV1,
    ) -> Result<Option<Email>, Error> {
        let config = &self.inner.config;
        let limits = &config.limits;
        let page = |path: &str| Slot::Link(format!("{}/account/{path}", config.public_url));
        let mut slots = vec![
            ("name", Slot::Text(event.name.clone())),
            ("shop", Slot::Text(config.shop_name.clone())),
        ];
        let letter = match topic {
            events::USER_REGISTERED_V1 | events::VERIFICATION_REQUESTED_V1 => {
                let user = store::user_by_id(conn, &event.user_id).await?;
                // Verified meanwhile, or the address changed: nothing to send.
                if user.is_none_or(|u| u.verified || u.email != event.email) {
                    return Ok(None);
                }
                let token = emailed_link(conn, event, "verify", limits.verify_ttl).await?;
                slots.push(("link", page(&format!("verify?token={token}"))));
                slots.push(("hours", hours(limits.verify_ttl)));
                letter("verify")
            }
            events::PASSWORD_RESET_REQUESTED_V1 => {
                let token = emailed_link(conn, event, "reset", limits.reset_ttl).await?;
                slots.push(("link", page(&format!("reset?token={token}"))));
                let minutes = limits.reset_ttl.as_secs() / 60;
                slots.push(("minutes", Slot::Text(minutes.to_string())));
                letter("reset")
            }
            events::PASSWORD_CHANGED_V1 => {
                slots.push(("link", page("forgot")));
                letter("password_changed")
            }
            events::SIGN_UP_WITH_EXISTING_EMAIL_V1 => {
                slots.push(("signin", page("sign-in")));
                slots.push(("forgot", page("forgot")));
                letter("already_registered")
            }
            events::EMAIL_CHANGE_REQUESTED_V1 => {
                let user = store::user_by_id(conn, &event.user_id).await?;
                // Asked again since, for another address: only the newest
                // request gets a link.
                if user.is_none_or(|u| u.pending_email.as_deref() != Some(event.email.as_str())) {
                    return Ok(None);
                }
                if store::user_by_email(conn, &event.email).await?.is_some() {
                    letter("change_refused")
                } else {
                    let ttl = limits.verify_ttl;
                    let token = emailed_link(conn, event, "change-email", ttl).await?;
                    slots.push(("link", page(&format!("confirm-email?token={token}"))));
                    slots.push(("hours", hours(ttl)));
                    letter("confirm_new_email")
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(letter.render(&event.email, &slots)))
    }

    /// The note to the address an account just moved away from.
    fn email_changed(&self, changed: &EmailChangedV1) -> Email {
        let slots = [
            ("name", Slot::Text(changed.name.clone())),
            ("shop", Slot::Text(self.inner.config.shop_name.clone())),
            ("new", Slot::Text(changed.email.clone())),
        ];
        letter("email_changed").render(&changed.previous_email, &slots)
    }
}

/// How long a link works, in whole hours.
fn hours(ttl: Duration) -> Slot {
    Slot::Text((ttl.as_secs() / 3600).to_string())
}

/// A link's token for `purpose`, sent to the event's address: made here,
/// kept only as its hash, good for `ttl`.
async fn emailed_link(
    conn: &mut AnyConnection,
    event: &AccountEventV1,
    purpose: &str,
    ttl: Duration,
) -> Result<String, Error> {
    let (token, hash) = secrets::new_token();
    let expires = now_ms() + ttl.as_millis() as i64;
    let (user_id, email) = (&event.user_id, &event.email);
    store::insert_email_token(conn, &hash, user_id, purpose, email, expires).await?;
    Ok(token)
}
