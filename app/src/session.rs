//! Who is signed in, as pages and server functions see it, and the cookies
//! that carry it. The server's session layer (see `server/src/session.rs`)
//! reads the cookies before any page or server function runs and leaves a
//! [`server::CurrentUser`] in the request.

use contracts::identity::Role;
use serde::{Deserialize, Serialize};

/// What a page may know about the person signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub email_verified: bool,
}

/// What a form sent back after a failed post: the values typed (never a
/// password), a message per field, and a message for the whole form. It
/// travels in a short-lived cookie, so it stays out of URLs and logs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub form: String,
    pub values: std::collections::BTreeMap<String, String>,
    pub errors: std::collections::BTreeMap<String, String>,
    pub notice: Option<String>,
}

impl Flash {
    pub fn value(&self, field: &str) -> String {
        self.values.get(field).cloned().unwrap_or_default()
    }

    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).cloned()
    }

    /// What was typed in `field` when the form was refused, else `saved`:
    /// a refused form shows what was typed in every field, even emptied ones.
    pub fn typed_or(&self, field: &str, saved: &str) -> String {
        if self.values.is_empty() {
            saved.to_owned()
        } else {
            self.value(field)
        }
    }

    /// What this flash holds for one of a page's forms (named
    /// `page/form`): its typed values and field errors, or nothing.
    pub fn of(&self, form: &str) -> Flash {
        if self.form == form {
            self.clone()
        } else {
            Flash::default()
        }
    }
}

#[cfg(feature = "ssr")]
pub mod server {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use contracts::identity::Principal;
    use http::HeaderMap;
    use leptos::prelude::use_context;

    use super::Flash;

    /// Put in each request's extensions by the server's session layer.
    #[derive(Clone, Debug, Default)]
    pub struct CurrentUser(pub Option<Principal>);

    /// The signed-in person's current access token (renewed already if it
    /// had expired), put there by the server's session layer: server
    /// functions forward it to services that check it themselves.
    #[derive(Clone, Debug)]
    pub struct AccessToken(pub String);

    /// The access token to forward for this request, if signed in.
    pub fn access_token() -> Option<String> {
        parts()?
            .extensions
            .get::<AccessToken>()
            .map(|t| t.0.clone())
    }

    /// The address a request came from, put there by the server.
    #[derive(Clone, Debug)]
    pub struct ClientAddress(pub String);

    /// How session cookies are written. `secure: false` is only for plain
    /// http on this machine, by explicit configuration: it drops `Secure`
    /// and with it the `__Host-` prefix browsers demand it for.
    #[derive(Clone, Copy, Debug)]
    pub struct CookiePolicy {
        pub secure: bool,
    }

    impl CookiePolicy {
        /// `name` as the cookie is called: with the `__Host-` prefix when
        /// secure (`name` is the prefixed one, the plain name its tail).
        fn named(self, name: &'static str) -> &'static str {
            if self.secure {
                name
            } else {
                name.trim_start_matches("__Host-")
            }
        }

        pub fn access_name(self) -> &'static str {
            self.named("__Host-sury_access")
        }

        pub fn refresh_name(self) -> &'static str {
            self.named("__Host-sury_refresh")
        }

        pub fn flash_name(self) -> &'static str {
            self.named("__Host-sury_flash")
        }

        /// Names the guest's basket (signed, so it cannot be pointed at
        /// another basket).
        pub fn basket_name(self) -> &'static str {
            self.named("__Host-sury_basket")
        }

        /// A `Set-Cookie` value: host-only (no `Domain`), whole site,
        /// invisible to scripts, not sent on cross-site posts.
        pub fn cookie(self, name: &str, value: &str, max_age_secs: u64) -> String {
            let secure = if self.secure { "; Secure" } else { "" };
            format!(
                "{name}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}"
            )
        }

        pub fn session_cookies(self, signed_in: &identity::SignedIn) -> [String; 2] {
            [
                self.cookie(
                    self.access_name(),
                    &signed_in.access_token,
                    signed_in.access_ttl.as_secs(),
                ),
                self.cookie(
                    self.refresh_name(),
                    &signed_in.refresh_token,
                    signed_in.session_ttl.as_secs(),
                ),
            ]
        }

        pub fn cleared(self) -> [String; 2] {
            [
                self.cookie(self.access_name(), "", 0),
                self.cookie(self.refresh_name(), "", 0),
            ]
        }
    }

    /// The value of cookie `name` in a request's headers.
    pub fn read_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    fn parts() -> Option<http::request::Parts> {
        use_context::<http::request::Parts>()
    }

    pub fn policy() -> CookiePolicy {
        use_context::<CookiePolicy>().unwrap_or(CookiePolicy { secure: true })
    }

    /// The person this request is from, if signed in.
    pub fn principal() -> Option<Principal> {
        parts()?.extensions.get::<CurrentUser>()?.0.clone()
    }

    /// The client's address, for per-client rate limits.
    pub fn client_address() -> String {
        parts()
            .and_then(|p| p.extensions.get::<ClientAddress>().map(|a| a.0.clone()))
            .unwrap_or_else(|| "unknown".into())
    }

    pub fn add_cookie(value: &str) {
        if let (Some(response), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(value),
        ) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }

    pub fn set_flash(flash: &Flash) {
        add_cookie(&flash_cookie(policy(), flash));
    }

    /// The cookie that carries `flash` to the next page (also set by the
    /// server's own handlers, outside server functions).
    pub fn flash_cookie(policy: CookiePolicy, flash: &Flash) -> String {
        let json = serde_json::to_vec(flash).expect("a flash serializes");
        policy.cookie(policy.flash_name(), &URL_SAFE_NO_PAD.encode(json), 300)
    }

    /// The flash left for `page` or one of its forms (`page/…`), used up
    /// by reading it. A flash for another page is left for that page.
    pub fn take_flash(page: &str) -> Option<Flash> {
        let policy = policy();
        let parts = parts()?;
        let raw = read_cookie(&parts.headers, policy.flash_name())?;
        let flash: Option<Flash> = URL_SAFE_NO_PAD
            .decode(raw)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
        let Some(flash) = flash else {
            add_cookie(&policy.cookie(policy.flash_name(), "", 0));
            return None;
        };
        let mine = flash.form == page
            || flash
                .form
                .strip_prefix(page)
                .is_some_and(|rest| rest.starts_with('/'));
        if mine {
            add_cookie(&policy.cookie(policy.flash_name(), "", 0));
        }
        mine.then_some(flash)
    }
}
