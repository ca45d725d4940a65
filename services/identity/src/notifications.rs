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
use platform::inbox;
use platform::mail::{Email, Mailer, escape, paragraphs};
use platform::outbox::now_ms;

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
        let mut handlers = Handlers::new(CONSUMER, (self.clone(), mailer))
            // About ten minutes of retries before the dead-letter queue.
            .retry(RetryPolicy {
                max_attempts: 12,
                backoff: Duration::from_millis(500),
                max_backoff: Duration::from_secs(60),
            });
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
        let transient = |err: Error| HandlerError::Transient(platform::error_chain(&err));
        let mut conn = self.pool.acquire().await.map_err(|e| transient(e.into()))?;
        if inbox::seen(&mut conn, CONSUMER, message.id)
            .await
            .map_err(|e| transient(e.into()))?
        {
            return Ok(());
        }
        let email = match mail {
            Mail::EmailChanged(changed) => Some(self.email_changed(&changed)),
            Mail::Account(event) => self
                .compose(&message.topic, &event)
                .await
                .map_err(transient)?,
        };
        if let Some(email) = email {
            mailer.send(&email).await.map_err(|err| {
                if err.is_transient() {
                    HandlerError::Transient(platform::error_chain(&err))
                } else {
                    HandlerError::Permanent(platform::error_chain(&err))
                }
            })?;
        }
        inbox::first_time(&mut conn, CONSUMER, message.id)
            .await
            .map_err(|e| transient(e.into()))?;
        Ok(())
    }

    /// The email an event calls for, if any is still needed.
    async fn compose(&self, topic: &str, event: &AccountEventV1) -> Result<Option<Email>, Error> {
        let config = &self.inner.config;
        let shop = &config.shop_name;
        let base = &config.public_url;
        let name = &event.name;
        let (subject, text, html) = match topic {
            events::USER_REGISTERED_V1 | events::VERIFICATION_REQUESTED_V1 => {
                let mut conn = self.pool.acquire().await?;
                let user = store::user_by_id(&mut conn, &event.user_id).await?;
                // Verified meanwhile, or the address changed: nothing to send.
                if user.is_none_or(|u| u.verified || u.email != event.email) {
                    return Ok(None);
                }
                let hours = config.limits.verify_ttl.as_secs() / 3600;
                let link = self
                    .emailed_link(
                        &event.user_id,
                        &event.email,
                        "verify",
                        config.limits.verify_ttl,
                    )
                    .await?;
                let link = format!("{base}/account/verify?token={link}");
                (
                    format!("Confirm your email address for {shop}"),
                    format!(
                        "Hello {name},\n\nPlease confirm your email address by opening this link:\n\n{link}\n\nThe link works once, for {hours} hours. If you didn't sign up at {shop}, you can ignore this email.\n"
                    ),
                    paragraphs(&[
                        &format!("Hello {},", escape(name)),
                        "Please confirm your email address:",
                        &format!("<a href=\"{link}\">Confirm my email address</a>"),
                        &format!(
                            "The link works once, for {hours} hours. If you didn't sign up at {}, you can ignore this email.",
                            escape(shop)
                        ),
                    ]),
                )
            }
            events::PASSWORD_RESET_REQUESTED_V1 => {
                let minutes = config.limits.reset_ttl.as_secs() / 60;
                let link = self
                    .emailed_link(
                        &event.user_id,
                        &event.email,
                        "reset",
                        config.limits.reset_ttl,
                    )
                    .await?;
                let link = format!("{base}/account/reset?token={link}");
                (
                    format!("Reset your {shop} password"),
                    format!(
                        "Hello {name},\n\nSomeone (we hope you) asked to reset your password. Choose a new one here:\n\n{link}\n\nThe link works once, for {minutes} minutes. If you didn't ask, ignore this email: your password stays as it is.\n"
                    ),
                    paragraphs(&[
                        &format!("Hello {},", escape(name)),
                        "Someone (we hope you) asked to reset your password.",
                        &format!("<a href=\"{link}\">Choose a new password</a>"),
                        &format!(
                            "The link works once, for {minutes} minutes. If you didn't ask, ignore this email: your password stays as it is."
                        ),
                    ]),
                )
            }
            events::PASSWORD_CHANGED_V1 => {
                let link = format!("{base}/account/forgot");
                (
                    format!("Your {shop} password was changed"),
                    format!(
                        "Hello {name},\n\nThe password of your {shop} account was just changed, and other devices were signed out.\n\nIf that wasn't you, reset it now: {link}\n"
                    ),
                    paragraphs(&[
                        &format!("Hello {},", escape(name)),
                        &format!(
                            "The password of your {} account was just changed, and other devices were signed out.",
                            escape(shop)
                        ),
                        &format!("If that wasn't you, <a href=\"{link}\">reset it now</a>."),
                    ]),
                )
            }
            events::SIGN_UP_WITH_EXISTING_EMAIL_V1 => {
                let signin = format!("{base}/account/sign-in");
                let forgot = format!("{base}/account/forgot");
                (
                    format!("You already have a {shop} account"),
                    format!(
                        "Hello {name},\n\nSomeone tried to sign up at {shop} with this address, which already has an account.\n\nSign in: {signin}\nForgot your password? {forgot}\n\nIf it wasn't you, no action is needed.\n"
                    ),
                    paragraphs(&[
                        &format!("Hello {},", escape(name)),
                        &format!(
                            "Someone tried to sign up at {} with this address, which already has an account.",
                            escape(shop)
                        ),
                        &format!(
                            "<a href=\"{signin}\">Sign in</a> or <a href=\"{forgot}\">reset your password</a>."
                        ),
                        "If it wasn't you, no action is needed.",
                    ]),
                )
            }
            events::EMAIL_CHANGE_REQUESTED_V1 => {
                let mut conn = self.pool.acquire().await?;
                let user = store::user_by_id(&mut conn, &event.user_id).await?;
                // Asked again since, for another address: only the newest
                // request gets a link.
                if user.is_none_or(|u| u.pending_email.as_deref() != Some(event.email.as_str())) {
                    return Ok(None);
                }
                if store::user_by_email(&mut conn, &event.email)
                    .await?
                    .is_some()
                {
                    drop(conn);
                    (
                        format!("Your {shop} account: an address change was refused"),
                        format!(
                            "Hello,\n\nSomeone asked to move another {shop} account to this address. It already has an account, so nothing was changed.\n\nIf it wasn't you, no action is needed.\n"
                        ),
                        paragraphs(&[
                            "Hello,",
                            &format!(
                                "Someone asked to move another {} account to this address. It already has an account, so nothing was changed.",
                                escape(shop)
                            ),
                            "If it wasn't you, no action is needed.",
                        ]),
                    )
                } else {
                    drop(conn);
                    let hours = config.limits.verify_ttl.as_secs() / 3600;
                    let link = self
                        .emailed_link(
                            &event.user_id,
                            &event.email,
                            "change-email",
                            config.limits.verify_ttl,
                        )
                        .await?;
                    let link = format!("{base}/account/confirm-email?token={link}");
                    (
                        format!("Confirm your new email address for {shop}"),
                        format!(
                            "Hello {name},\n\nYou asked to use this address for your {shop} account. Confirm it here:\n\n{link}\n\nThe link works once, for {hours} hours. Until then your account keeps its current address. If you didn't ask, ignore this email.\n"
                        ),
                        paragraphs(&[
                            &format!("Hello {},", escape(name)),
                            &format!(
                                "You asked to use this address for your {} account.",
                                escape(shop)
                            ),
                            &format!("<a href=\"{link}\">Confirm my new email address</a>"),
                            &format!(
                                "The link works once, for {hours} hours. Until then your account keeps its current address. If you didn't ask, ignore this email."
                            ),
                        ]),
                    )
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(Email {
            to: event.email.clone(),
            subject,
            text,
            html,
        }))
    }

    /// The note to the address an account just moved away from.
    fn email_changed(&self, changed: &EmailChangedV1) -> Email {
        let shop = &self.inner.config.shop_name;
        let (name, new) = (&changed.name, &changed.email);
        Email {
            to: changed.previous_email.clone(),
            subject: format!("Your {shop} email address was changed"),
            text: format!(
                "Hello {name},\n\nYour {shop} account now uses the address {new}; emails about it will go there.\n\nIf you didn't make this change, reply to this email at once so we can secure your account.\n"
            ),
            html: paragraphs(&[
                &format!("Hello {},", escape(name)),
                &format!(
                    "Your {} account now uses the address {}; emails about it will go there.",
                    escape(shop),
                    escape(new)
                ),
                "If you didn't make this change, reply to this email at once so we can secure your account.",
            ]),
        }
    }

    async fn emailed_link(
        &self,
        user_id: &str,
        email: &str,
        purpose: &str,
        ttl: Duration,
    ) -> Result<String, Error> {
        let (token, hash) = secrets::new_token();
        let expires = now_ms() + ttl.as_millis() as i64;
        let mut conn = self.pool.acquire().await?;
        store::insert_email_token(&mut conn, &hash, user_id, purpose, email, expires).await?;
        Ok(token)
    }
}
