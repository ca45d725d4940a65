//! Identity's write side. Each command is one transaction; the events it
//! announces go to the outbox in that same transaction. Sign-in, sessions
//! and passwords are here; `profile` and `addresses` hold the rest.

mod addresses;
mod profile;

use std::time::Duration;

use contracts::identity::events::{self, AccountEventV1};
use contracts::identity::{Principal, Role};
use platform::bus::Message;
use platform::outbox::{self, now_ms};
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::store::{self, UserChange, UserRow};
use crate::{Email, Error, Identity, NewPassword, PersonName, secrets, throttle};

/// A new sign-in: the two cookies' values and whom they are for.
#[derive(Debug)]
pub struct SignedIn {
    pub access_token: String,
    pub refresh_token: String,
    pub access_ttl: Duration,
    pub session_ttl: Duration,
    pub principal: Principal,
}

#[derive(Debug)]
pub enum Refreshed {
    /// New tokens: the old refresh token is spent.
    Rotated(SignedIn),
    /// The token was spent moments ago by a parallel request of the same
    /// browser, which got the new tokens; this request still acts for the
    /// person, with an access token of its own to show other services
    /// (and no new refresh token).
    Concurrent {
        principal: Principal,
        access_token: String,
    },
}

pub(crate) fn principal(user: &UserRow, session_id: &str) -> Principal {
    Principal {
        user_id: user.id.clone(),
        session_id: session_id.to_owned(),
        name: user.name.clone(),
        email: user.email.clone(),
        role: user.role,
        email_verified: user.verified,
    }
}

async fn announce(conn: &mut AnyConnection, topic: &str, user: &UserRow) -> Result<(), Error> {
    let event = AccountEventV1 {
        user_id: user.id.clone(),
        email: user.email.clone(),
        name: user.name.clone(),
    };
    publish(conn, topic, &event).await
}

async fn publish(
    conn: &mut AnyConnection,
    topic: &str,
    event: &impl serde::Serialize,
) -> Result<(), Error> {
    let payload = serde_json::to_vec(event).expect("a struct of strings serializes");
    outbox::enqueue(conn, &Message::new(topic, payload)).await?;
    Ok(())
}

fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

impl Identity {
    /// Signs someone up. Whether or not the address already has an account
    /// the answer and the time it takes are the same; the address's owner
    /// gets an email either way (a verification link, or a note that
    /// someone tried to sign up again).
    #[tracing::instrument(name = "identity.sign_up", skip_all)]
    pub async fn sign_up(
        &self,
        name: &PersonName,
        email: &Email,
        password: &NewPassword,
    ) -> Result<(), Error> {
        let hash = self.inner.hasher.hash(password).await?;
        let now = now_ms();
        let mut tx = platform::db::begin_write(&self.pool).await?;
        if let Some(existing) = store::user_by_email(&mut tx, email.as_str()).await? {
            announce(&mut tx, events::SIGN_UP_WITH_EXISTING_EMAIL_V1, &existing).await?;
        } else {
            let user = UserRow {
                id: Uuid::now_v7().to_string(),
                email: email.as_str().to_owned(),
                name: name.as_str().to_owned(),
                password_hash: hash,
                role: Role::Customer,
                verified: false,
                token_version: 0,
                phone: None,
                pending_email: None,
                default_address_id: None,
            };
            match store::insert_user(
                &mut tx,
                &user.id,
                &user.email,
                &user.name,
                &user.password_hash,
                user.role,
                now,
            )
            .await
            {
                // Someone signed up with the same address a moment ago.
                Err(err) if is_unique_violation(&err) => return Ok(()),
                other => other?,
            }
            announce(&mut tx, events::USER_REGISTERED_V1, &user).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Checks an email and password and starts a session. Unknown address
    /// and wrong password get the same answer after the same work; too many
    /// failures for one address, or from one client, pause further tries.
    #[tracing::instrument(name = "identity.sign_in", skip_all)]
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: &str,
    ) -> Result<SignedIn, Error> {
        let limits = &self.inner.config.limits;
        let account_key = email.trim().to_lowercase();
        let now = now_ms();
        let user = {
            let mut conn = self.pool.acquire().await?;
            for (kind, subject, limit) in [
                (
                    "sign-in-account",
                    account_key.as_str(),
                    limits.failures_per_account,
                ),
                ("sign-in-client", client, limits.failures_per_client),
            ] {
                if let Some(retry_after_secs) =
                    throttle::blocked(&mut conn, kind, subject, limit, limits.window, now).await?
                {
                    return Err(Error::Throttled { retry_after_secs });
                }
            }
            match Email::parse(email) {
                Ok(email) => store::user_by_email(&mut conn, email.as_str()).await?,
                Err(_) => None,
            }
        };
        let stored = user.as_ref().map(|u| u.password_hash.as_str());
        let matched = self.inner.hasher.verify(password, stored).await?;
        let mut conn = self.pool.acquire().await?;
        let Some(user) = user.filter(|_| matched) else {
            let now = now_ms();
            throttle::hit(
                &mut conn,
                "sign-in-account",
                &account_key,
                limits.window,
                now,
            )
            .await?;
            throttle::hit(&mut conn, "sign-in-client", client, limits.window, now).await?;
            return Err(Error::InvalidCredentials);
        };
        throttle::clear(&mut conn, "sign-in-account", &account_key).await?;
        drop(conn);
        self.start_session(&user).await
    }

    async fn start_session(&self, user: &UserRow) -> Result<SignedIn, Error> {
        let config = &self.inner.config;
        let now = now_ms();
        let session_id = Uuid::now_v7().to_string();
        let (refresh_token, refresh_hash) = secrets::new_token();
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let expires = now + config.session_ttl.as_millis() as i64;
        store::insert_session(&mut tx, &session_id, &user.id, now, expires).await?;
        store::insert_refresh_token(&mut tx, &refresh_hash, &session_id, now).await?;
        tx.commit().await?;
        let access_token =
            self.inner
                .issuer
                .issue(&user.id, &session_id, user.role, user.token_version)?;
        Ok(SignedIn {
            access_token,
            refresh_token,
            access_ttl: config.access_ttl,
            session_ttl: config.session_ttl,
            principal: principal(user, &session_id),
        })
    }

    /// Trades a refresh token for new tokens. A token is good once: using
    /// one that was spent earlier means it was copied, and the whole
    /// session (every token descended from the same sign-in) is revoked.
    #[tracing::instrument(name = "identity.refresh", skip_all)]
    pub async fn refresh(&self, refresh_token: &str) -> Result<Refreshed, Error> {
        if !secrets::plausible(refresh_token) {
            return Err(Error::Unauthenticated);
        }
        let hash = secrets::hash(refresh_token);
        let now = now_ms();
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let row = store::refresh_token(&mut tx, &hash, now)
            .await?
            .filter(|row| row.session_live)
            .ok_or(Error::Unauthenticated)?;
        let user = store::user_by_id(&mut tx, &row.user_id)
            .await?
            .ok_or(Error::Unauthenticated)?;
        let spent_at = match row.used_at {
            Some(used) => Some(used),
            None if store::use_refresh_token(&mut tx, &hash, now).await? => None,
            None => Some(now),
        };
        if let Some(used) = spent_at {
            if now - used < self.inner.config.limits.refresh_reuse_grace.as_millis() as i64 {
                let access_token = self.inner.issuer.issue(
                    &user.id,
                    &row.session_id,
                    user.role,
                    user.token_version,
                )?;
                return Ok(Refreshed::Concurrent {
                    principal: principal(&user, &row.session_id),
                    access_token,
                });
            }
            store::revoke_session(&mut tx, &row.session_id, now).await?;
            tx.commit().await?;
            tracing::warn!(user_id = %user.id, session_id = %row.session_id, "a spent refresh token was used again; session revoked");
            return Err(Error::Unauthenticated);
        }
        let (new_token, new_hash) = secrets::new_token();
        store::insert_refresh_token(&mut tx, &new_hash, &row.session_id, now).await?;
        tx.commit().await?;
        let config = &self.inner.config;
        let access_token =
            self.inner
                .issuer
                .issue(&user.id, &row.session_id, user.role, user.token_version)?;
        Ok(Refreshed::Rotated(SignedIn {
            access_token,
            refresh_token: new_token,
            access_ttl: config.access_ttl,
            session_ttl: config.session_ttl,
            principal: principal(&user, &row.session_id),
        }))
    }

    /// Ends this sign-in: its refresh token and access token stop working.
    #[tracing::instrument(name = "identity.sign_out", skip_all)]
    pub async fn sign_out(&self, who: &Principal) -> Result<(), Error> {
        let mut conn = self.pool.acquire().await?;
        store::revoke_session(&mut conn, &who.session_id, now_ms()).await?;
        Ok(())
    }

    /// Ends every sign-in of this person, on every device, at once.
    #[tracing::instrument(name = "identity.sign_out_everywhere", skip_all)]
    pub async fn sign_out_everywhere(&self, who: &Principal) -> Result<(), Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        store::revoke_sessions(&mut tx, &who.user_id, None, now_ms()).await?;
        store::update_user(&mut tx, &who.user_id, UserChange::BumpTokenVersion).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends a fresh verification link, a few times an hour at most.
    #[tracing::instrument(name = "identity.request_verification", skip_all)]
    pub async fn request_verification(&self, who: &Principal) -> Result<(), Error> {
        let limits = &self.inner.config.limits;
        let now = now_ms();
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let Some(user) = store::user_by_id(&mut tx, &who.user_id).await? else {
            return Err(Error::Unauthenticated);
        };
        if user.verified {
            return Ok(());
        }
        let (kind, limit, window) = ("verify-mail", limits.mails_per_account, limits.mail_window);
        if let Some(retry_after_secs) =
            throttle::blocked(&mut tx, kind, &user.id, limit, window, now).await?
        {
            return Err(Error::Throttled { retry_after_secs });
        }
        throttle::hit(&mut tx, kind, &user.id, window, now).await?;
        announce(&mut tx, events::VERIFICATION_REQUESTED_V1, &user).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Follows a verification link.
    #[tracing::instrument(name = "identity.verify_email", skip_all)]
    pub async fn verify_email(&self, token: &str) -> Result<(), Error> {
        if !secrets::plausible(token) {
            return Err(Error::InvalidLink);
        }
        let now = now_ms();
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let (user_id, email) =
            store::consume_email_token(&mut tx, &secrets::hash(token), "verify", now)
                .await?
                .ok_or(Error::InvalidLink)?;
        if store::set_verified(&mut tx, &user_id, &email, now).await?
            && let Some(user) = store::user_by_id(&mut tx, &user_id).await?
        {
            announce(&mut tx, events::EMAIL_VERIFIED_V1, &user).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Emails a reset link if the address has an account. The answer is
    /// the same either way.
    #[tracing::instrument(name = "identity.request_password_reset", skip_all)]
    pub async fn request_password_reset(&self, email: &Email) -> Result<(), Error> {
        let limits = &self.inner.config.limits;
        let now = now_ms();
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let Some(user) = store::user_by_email(&mut tx, email.as_str()).await? else {
            return Ok(());
        };
        let (kind, limit, window) = ("reset-mail", limits.mails_per_account, limits.mail_window);
        if throttle::blocked(&mut tx, kind, &user.id, limit, window, now)
            .await?
            .is_some()
        {
            // Saying so would tell a stranger the address has an account.
            tracing::info!(user_id = %user.id, "password reset emails throttled");
            return Ok(());
        }
        throttle::hit(&mut tx, kind, &user.id, window, now).await?;
        announce(&mut tx, events::PASSWORD_RESET_REQUESTED_V1, &user).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Follows a reset link: sets the new password and signs out every
    /// session. The address is taken as verified: the link reached it.
    #[tracing::instrument(name = "identity.reset_password", skip_all)]
    pub async fn reset_password(&self, token: &str, password: &NewPassword) -> Result<(), Error> {
        if !secrets::plausible(token) {
            return Err(Error::InvalidLink);
        }
        let hash = self.inner.hasher.hash(password).await?;
        let now = now_ms();
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let (user_id, email) =
            store::consume_email_token(&mut tx, &secrets::hash(token), "reset", now)
                .await?
                .ok_or(Error::InvalidLink)?;
        store::update_user(&mut tx, &user_id, UserChange::Password(&hash)).await?;
        store::revoke_sessions(&mut tx, &user_id, None, now).await?;
        store::set_verified(&mut tx, &user_id, &email, now).await?;
        if let Some(user) = store::user_by_id(&mut tx, &user_id).await? {
            announce(&mut tx, events::PASSWORD_CHANGED_V1, &user).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Changes the password of a signed-in person who knows the current
    /// one. Every other session ends; this one continues.
    #[tracing::instrument(name = "identity.change_password", skip_all)]
    pub async fn change_password(
        &self,
        who: &Principal,
        current: &str,
        new: &NewPassword,
    ) -> Result<(), Error> {
        let user = self.check_current_password(who, current).await?;
        let hash = self.inner.hasher.hash(new).await?;
        let mut tx = platform::db::begin_write(&self.pool).await?;
        store::update_user(&mut tx, &user.id, UserChange::Password(&hash)).await?;
        store::revoke_sessions(&mut tx, &user.id, Some(&who.session_id), now_ms()).await?;
        announce(&mut tx, events::PASSWORD_CHANGED_V1, &user).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates an account with a role, verified, or gives an existing
    /// account the role (its password unchanged). For operators: the first
    /// admin is made this way. `true` if the account was created.
    #[tracing::instrument(name = "identity.grant_role", skip(self, password))]
    pub async fn grant_role(
        &self,
        email: &Email,
        name: &PersonName,
        password: &NewPassword,
        role: Role,
    ) -> Result<bool, Error> {
        // Hashing takes a while: not inside the write transaction, and only
        // when the account is new (an existing one keeps its password).
        let exists = {
            let mut conn = self.pool.acquire().await?;
            store::user_by_email(&mut conn, email.as_str())
                .await?
                .is_some()
        };
        let hash = if exists {
            String::new()
        } else {
            self.inner.hasher.hash(password).await?
        };
        let now = now_ms();
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let created = match store::user_by_email(&mut tx, email.as_str()).await? {
            Some(user) => {
                store::update_user(&mut tx, &user.id, UserChange::Role(role)).await?;
                // Sessions carry the role: new tokens pick the new one up.
                store::update_user(&mut tx, &user.id, UserChange::BumpTokenVersion).await?;
                false
            }
            None => {
                // Accounts are never deleted, so this is not expected; if
                // one were, hashing here is slow but still right.
                let hash = if hash.is_empty() {
                    self.inner.hasher.hash(password).await?
                } else {
                    hash
                };
                let id = Uuid::now_v7().to_string();
                store::insert_user(
                    &mut tx,
                    &id,
                    email.as_str(),
                    name.as_str(),
                    &hash,
                    role,
                    now,
                )
                .await?;
                store::set_verified(&mut tx, &id, email.as_str(), now).await?;
                true
            }
        };
        tx.commit().await?;
        Ok(created)
    }

    /// The account of `who`, if `current` is its password. Wrong guesses
    /// count against the same limit as sign-ins, so a borrowed session
    /// cannot be used to guess the password.
    pub(crate) async fn check_current_password(
        &self,
        who: &Principal,
        current: &str,
    ) -> Result<UserRow, Error> {
        let limits = &self.inner.config.limits;
        let now = now_ms();
        let user = {
            let mut conn = self.pool.acquire().await?;
            if let Some(retry_after_secs) = throttle::blocked(
                &mut conn,
                "sign-in-account",
                &who.email,
                limits.failures_per_account,
                limits.window,
                now,
            )
            .await?
            {
                return Err(Error::Throttled { retry_after_secs });
            }
            store::user_by_id(&mut conn, &who.user_id)
                .await?
                .ok_or(Error::Unauthenticated)?
        };
        if !self
            .inner
            .hasher
            .verify(current, Some(&user.password_hash))
            .await?
        {
            let mut conn = self.pool.acquire().await?;
            throttle::hit(
                &mut conn,
                "sign-in-account",
                &who.email,
                limits.window,
                now_ms(),
            )
            .await?;
            return Err(Error::InvalidCredentials);
        }
        Ok(user)
    }
}
