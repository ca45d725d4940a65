//! Account server functions: thin, parse at the edge, call identity,
//! answer with a redirect.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::AppError;
use crate::session::{Flash, Viewer};

#[cfg(feature = "ssr")]
pub(crate) mod edge {
    use std::collections::BTreeMap;

    use contracts::identity::Principal;
    use identity::IdentityClient;

    use crate::AppError;
    use crate::session::Flash;
    use crate::session::server::set_flash;

    pub fn identity() -> Result<IdentityClient, AppError> {
        crate::services::client("identity")
    }

    /// The person signed in, and the access token identity is asked with
    /// on their behalf (it decides whose account a call is about).
    pub fn member() -> Result<(Principal, String), AppError> {
        let who = crate::session::server::principal().ok_or(AppError::Unauthenticated)?;
        let token = crate::session::server::access_token().ok_or(AppError::Unauthenticated)?;
        Ok((who, token))
    }

    /// What identity answers `ask` on behalf of the person signed in; a
    /// failure is ours, logged as happening while `context`.
    pub async fn as_member<T>(
        context: &str,
        ask: impl AsyncFnOnce(&IdentityClient, &str) -> Result<T, identity::Error>,
    ) -> Result<T, AppError> {
        let (_, token) = member()?;
        ask(&identity()?, &token)
            .await
            .map_err(|e| AppError::internal(context, &e))
    }

    /// Sends the person back to `page` with what they typed and why it was
    /// refused.
    pub fn back_to(
        page: &str,
        form: &str,
        values: &[(&str, &str)],
        errors: BTreeMap<String, String>,
    ) -> Result<(), AppError> {
        set_flash(&Flash {
            form: form.into(),
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            errors,
            notice: None,
        });
        leptos_axum::redirect(page);
        Ok(())
    }

    /// Onward to `page`, with a message to show there.
    pub fn onward(page: &str, form: &str, notice: &str) -> Result<(), AppError> {
        set_flash(&Flash {
            form: form.into(),
            notice: Some(notice.into()),
            ..Flash::default()
        });
        leptos_axum::redirect(page);
        Ok(())
    }

    /// Where an emailed link leads once followed: the account page when
    /// this browser is signed in, else the sign-in page.
    pub fn onward_after_link(notice: &str) -> Result<(), AppError> {
        if crate::session::server::principal().is_some() {
            onward("/account", "account", notice)
        } else {
            onward("/account/sign-in", "sign-in", notice)
        }
    }

    /// Typed values as [`back_to`] takes them.
    pub fn as_strs<K: AsRef<str>>(values: &[(K, String)]) -> Vec<(&str, &str)> {
        values
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_str()))
            .collect()
    }

    /// Where an emailed link's confirmation post leads: on (see
    /// [`onward_after_link`]) with `done`, or back to its page
    /// (`/account/<form>`) saying why identity refused it.
    pub fn link_followed(
        outcome: Result<(), identity::Error>,
        done: &str,
        form: &str,
        context: &str,
    ) -> Result<(), AppError> {
        match outcome {
            Ok(()) => onward_after_link(done),
            Err(err) => {
                let message = form_error(err, context)?;
                back_to(
                    &format!("/account/{form}"),
                    form,
                    &[],
                    one_error("form", message),
                )
            }
        }
    }

    pub fn one_error(field: &str, message: impl ToString) -> BTreeMap<String, String> {
        BTreeMap::from([(field.to_owned(), message.to_string())])
    }

    /// Maps identity's failures: answers for the person become messages on
    /// the form, our own failures become the generic error.
    pub fn form_error(err: identity::Error, context: &str) -> Result<String, AppError> {
        if err.is_internal() {
            Err(AppError::internal(context, &err))
        } else {
            Ok(err.to_string())
        }
    }

    /// Only paths on this site: an absolute URL would make sign-in an open
    /// redirect.
    pub fn local_path(next: &str) -> &str {
        let ok = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
        if ok { next } else { "/account" }
    }
}

/// The person signed in, if any.
#[server(prefix = "/sf", endpoint = "account/viewer", input = GetUrl)]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(crate::session::server::principal().map(|p| Viewer {
        name: p.name,
        email: p.email,
        role: p.role,
        email_verified: p.email_verified,
    }))
}

/// What the last post of `form` left to show (used up by reading).
#[server(prefix = "/sf", endpoint = "account/flash", input = GetUrl)]
pub async fn form_flash(form: String) -> Result<Option<Flash>, AppError> {
    Ok(crate::session::server::take_flash(&form))
}

#[server(prefix = "/sf", endpoint = "account/sign-up")]
pub async fn sign_up(name: String, email: String, password: String) -> Result<(), AppError> {
    use std::collections::BTreeMap;

    use identity::{Email, NewPassword, PersonName};

    let mut errors = BTreeMap::new();
    let mut note = |field: &str, err: identity::InputError| {
        errors.insert(field.to_owned(), err.to_string());
    };
    let parsed_name = PersonName::parse(&name).map_err(|e| note("name", e)).ok();
    let parsed_email = Email::parse(&email).map_err(|e| note("email", e)).ok();
    let parsed_password = NewPassword::parse(&password, parsed_email.as_ref())
        .map_err(|e| note("password", e))
        .ok();
    let (Some(name_ok), Some(email_ok), Some(password_ok)) =
        (parsed_name, parsed_email, parsed_password)
    else {
        let values = [("name", name.as_str()), ("email", email.as_str())];
        return edge::back_to("/account/sign-up", "sign-up", &values, errors);
    };
    edge::identity()?
        .sign_up(&name_ok, &email_ok, &password_ok)
        .await
        .map_err(|e| AppError::internal("signing up", &e))?;
    leptos_axum::redirect("/account/check-email");
    Ok(())
}

#[server(prefix = "/sf", endpoint = "account/sign-in")]
pub async fn sign_in(email: String, password: String, next: String) -> Result<(), AppError> {
    use crate::session::server::{add_cookie, client_address, policy};

    let identity = edge::identity()?;
    match identity.sign_in(&email, &password, &client_address()).await {
        Ok(signed_in) => {
            for cookie in policy().session_cookies(&signed_in) {
                add_cookie(&cookie);
            }
            crate::basket::api::edge::merge_into(&signed_in.access_token).await;
            leptos_axum::redirect(edge::local_path(&next));
            Ok(())
        }
        Err(err) => {
            if let identity::Error::Throttled { retry_after_secs } = &err
                && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
            {
                response.insert_header(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from(*retry_after_secs),
                );
            }
            let message = edge::form_error(err, "signing in")?;
            let page = format!(
                "/account/sign-in?next={}",
                platform::url_encode(edge::local_path(&next))
            );
            let values = [("email", email.as_str())];
            edge::back_to(&page, "sign-in", &values, edge::one_error("form", message))
        }
    }
}

#[server(prefix = "/sf", endpoint = "account/sign-out")]
pub async fn sign_out(everywhere: String) -> Result<(), AppError> {
    use crate::session::server::{access_token, add_cookie, policy};

    if let Some(token) = access_token() {
        let identity = edge::identity()?;
        let done = if everywhere == "yes" {
            identity.sign_out_everywhere(&token).await
        } else {
            identity.sign_out(&token).await
        };
        // Signed out already (elsewhere, or the session ran out): the
        // cookies go all the same.
        match done {
            Ok(()) | Err(identity::Error::Unauthenticated) => {}
            Err(e) => return Err(AppError::internal("signing out", &e)),
        }
    }
    for cookie in policy().cleared() {
        add_cookie(&cookie);
    }
    edge::onward("/account/sign-in", "sign-in", "You're signed out.")
}

#[server(prefix = "/sf", endpoint = "account/resend-verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    let (_, token) = edge::member()?;
    match edge::identity()?.request_verification(&token).await {
        Ok(()) => edge::onward(
            "/account",
            "account",
            "We've sent you a new link. It works for 24 hours.",
        ),
        Err(err) => {
            let message = edge::form_error(err, "resending a verification email")?;
            edge::back_to("/account", "account", &[], edge::one_error("form", message))
        }
    }
}

#[server(prefix = "/sf", endpoint = "account/verify")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let outcome = edge::identity()?.verify_email(&token).await;
    edge::link_followed(
        outcome,
        "Thank you: your email address is confirmed.",
        "verify",
        "verifying an email address",
    )
}

#[server(prefix = "/sf", endpoint = "account/forgot")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let Ok(parsed) = identity::Email::parse(&email) else {
        let message = identity::InputError::BadEmail.to_string();
        let values = [("email", email.as_str())];
        return edge::back_to(
            "/account/forgot",
            "forgot",
            &values,
            edge::one_error("email", message),
        );
    };
    edge::identity()?
        .request_password_reset(&parsed)
        .await
        .map_err(|e| AppError::internal("requesting a password reset", &e))?;
    edge::onward(
        "/account/forgot",
        "forgot",
        "If an account uses that address, we've sent it a link to choose a new password. It works for an hour.",
    )
}

#[server(prefix = "/sf", endpoint = "account/reset")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let retry = format!("/account/reset?token={}", platform::url_encode(&token));
    let new = match identity::NewPassword::parse(&password, None) {
        Ok(new) => new,
        Err(err) => return edge::back_to(&retry, "reset", &[], edge::one_error("password", err)),
    };
    match edge::identity()?.reset_password(&token, &new).await {
        Ok(()) => {
            for cookie in crate::session::server::policy().cleared() {
                crate::session::server::add_cookie(&cookie);
            }
            edge::onward(
                "/account/sign-in",
                "sign-in",
                "Your password is changed and every device is signed out. Sign in with the new one.",
            )
        }
        Err(identity::Error::InvalidLink) => edge::back_to(
            "/account/forgot",
            "forgot",
            &[],
            edge::one_error(
                "form",
                "That reset link has expired or was already used. Ask for a new one below.",
            ),
        ),
        Err(err) => Err(AppError::internal("resetting a password", &err)),
    }
}

#[server(prefix = "/sf", endpoint = "account/change-password")]
pub async fn change_password(current: String, password: String) -> Result<(), AppError> {
    const FORM: &str = "account/password";
    let (who, token) = edge::member()?;
    let email = identity::Email::parse(&who.email).ok();
    let new = match identity::NewPassword::parse(&password, email.as_ref()) {
        Ok(new) => new,
        Err(err) => {
            return edge::back_to("/account", FORM, &[], edge::one_error("password", err));
        }
    };
    match edge::identity()?
        .change_password(&token, &current, &new)
        .await
    {
        Ok(()) => edge::onward(
            "/account",
            "account",
            "Your password is changed. Other devices are signed out.",
        ),
        Err(identity::Error::InvalidCredentials) => edge::back_to(
            "/account",
            FORM,
            &[],
            edge::one_error("current", "That isn't your current password."),
        ),
        Err(err) => {
            let message = edge::form_error(err, "changing a password")?;
            edge::back_to("/account", FORM, &[], edge::one_error("form", message))
        }
    }
}

#[server(prefix = "/sf", endpoint = "account/profile", input = GetUrl)]
pub async fn profile() -> Result<contracts::identity::ProfileV1, AppError> {
    edge::as_member("reading a profile", async |identity, token| {
        identity.profile(token).await
    })
    .await
}

#[server(prefix = "/sf", endpoint = "account/update-profile")]
pub async fn update_profile(name: String, phone: String) -> Result<(), AppError> {
    use std::collections::BTreeMap;

    const FORM: &str = "account/profile";
    let (_, token) = edge::member()?;
    let mut errors = BTreeMap::new();
    let parsed_name = identity::PersonName::parse(&name)
        .map_err(|e| errors.insert("name".to_owned(), e.to_string()))
        .ok();
    let parsed_phone = identity::Phone::parse_optional(&phone)
        .map_err(|e| errors.insert("phone".to_owned(), e.to_string()))
        .ok();
    let (Some(name_ok), Some(phone_ok)) = (parsed_name, parsed_phone) else {
        let values = [("name", name.as_str()), ("phone", phone.as_str())];
        return edge::back_to("/account", FORM, &values, errors);
    };
    edge::identity()?
        .update_profile(&token, &name_ok, phone_ok.as_ref())
        .await
        .map_err(|e| AppError::internal("updating a profile", &e))?;
    edge::onward("/account", FORM, "Your details are saved.")
}

#[server(prefix = "/sf", endpoint = "account/change-email")]
pub async fn change_email(new_email: String, email_password: String) -> Result<(), AppError> {
    const FORM: &str = "account/email";
    let (who, token) = edge::member()?;
    let values = [("new_email", new_email.as_str())];
    let parsed = match identity::Email::parse(&new_email) {
        Ok(email) if email.as_str() == who.email => Err(identity::InputError::SameEmail),
        other => other,
    };
    let email = match parsed {
        Ok(email) => email,
        Err(err) => {
            return edge::back_to("/account", FORM, &values, edge::one_error("new_email", err));
        }
    };
    match edge::identity()?
        .request_email_change(&token, &email_password, &email)
        .await
    {
        Ok(()) => edge::onward(
            "/account",
            FORM,
            &format!(
                "We've sent a link to {email}. Your address changes when you open it (within 24 hours)."
            ),
        ),
        Err(identity::Error::InvalidCredentials) => edge::back_to(
            "/account",
            FORM,
            &values,
            edge::one_error("email_password", "That isn't your current password."),
        ),
        Err(err) => {
            let message = edge::form_error(err, "changing an email address")?;
            edge::back_to("/account", FORM, &values, edge::one_error("form", message))
        }
    }
}

#[server(prefix = "/sf", endpoint = "account/confirm-email")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    let outcome = edge::identity()?.confirm_email_change(&token).await;
    edge::link_followed(
        outcome,
        "Your new email address is confirmed and in use.",
        "confirm-email",
        "confirming a new email address",
    )
}

/// The back office's front door: staff and admins only, checked here on
/// the server for every request.
#[server(prefix = "/sf", endpoint = "admin/overview", input = GetUrl)]
pub async fn admin_overview() -> Result<Viewer, AppError> {
    let who = crate::session::server::principal().ok_or(AppError::Unauthenticated)?;
    if who.role < contracts::identity::Role::Staff {
        return Err(AppError::Forbidden);
    }
    Ok(Viewer {
        name: who.name,
        email: who.email,
        role: who.role,
        email_verified: who.email_verified,
    })
}
