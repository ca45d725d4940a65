//! Requests as a browser without JavaScript sends them: form posts from
//! this site, pages asked for with the session's cookies, and the cookies a
//! response sets. The account forms get a method each, so a test says who
//! signs in rather than how the form is spelled.

use super::TestApp;

/// A password the shop accepts: long enough and not a common one.
pub const PASSWORD: &str = "violet meadow 42";

/// The `Set-Cookie` headers of a response.
pub fn set_cookies(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// A `Cookie` header carrying the cookies a response set; cleared ones
/// (`name=`) are left out, as a browser drops them.
pub fn cookie_header(set: &[String]) -> String {
    set.iter()
        .filter_map(|c| c.split(';').next())
        .filter(|pair| !pair.ends_with('='))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The `Cookie` header a browser sends after `res`: the session (or the
/// flash message) it set.
pub fn cookies_after(res: &reqwest::Response) -> String {
    cookie_header(&set_cookies(res))
}

/// A response's status and its body read as JSON.
pub async fn json_of(res: reqwest::Response) -> (reqwest::StatusCode, serde_json::Value) {
    let status = res.status();
    let text = res.text().await.expect("a body");
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, body)
}

impl TestApp {
    /// A form post from this site, as a browser sends it.
    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header("accept", "text/html")
            .header("origin", format!("http://{}", self.addr))
            .header("sec-fetch-site", "same-origin")
            .form(form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("request sent")
    }

    /// A page asked for with `cookie`, as a browser navigates.
    pub async fn get_with(&self, path: &str, cookie: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("accept", "text/html")
            .header("cookie", cookie)
            .send()
            .await
            .expect("request sent")
    }

    /// The sign-up form, sent by a visitor.
    pub async fn sign_up(&self, name: &str, email: &str, password: &str) -> reqwest::Response {
        let form = [("name", name), ("email", email), ("password", password)];
        self.post_form("/sf/account/sign-up", &form, None).await
    }

    /// The sign-in form, sent by a visitor who asked for `next`.
    pub async fn sign_in(&self, email: &str, password: &str, next: &str) -> reqwest::Response {
        let form = [("email", email), ("password", password), ("next", next)];
        self.post_form("/sf/account/sign-in", &form, None).await
    }

    /// The header's sign-out button (this device only), pressed by the
    /// holder of `cookie`.
    pub async fn sign_out(&self, cookie: &str) -> reqwest::Response {
        self.post_form(
            "/sf/account/sign-out",
            &[("everywhere", "no")],
            Some(cookie),
        )
        .await
    }

    /// A new customer, signed up and in: the `Cookie` header of their
    /// session.
    pub async fn signed_up_and_in(&self, email: &str) -> String {
        let res = self.sign_up("Ann Lee", email, PASSWORD).await;
        assert_eq!(res.status(), 302);
        assert_eq!(res.headers()["location"], "/account/check-email");
        let res = self.sign_in(email, PASSWORD, "/account").await;
        assert_eq!(res.status(), 302);
        assert_eq!(res.headers()["location"], "/account");
        cookies_after(&res)
    }

    /// The page a form post redirected to, with the flash message the post
    /// left in a cookie: what the shopper sees next.
    pub async fn follow_with_flash(&self, res: &reqwest::Response) -> String {
        let location = res.headers()["location"].to_str().unwrap();
        self.get_with(location, &cookies_after(res))
            .await
            .text()
            .await
            .unwrap()
    }
}
