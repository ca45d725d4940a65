//! Accounts through the storefront as a browser without JavaScript uses
//! them: form posts to server functions, cookies, redirects.

use crate::support;

use contracts::identity::Role;
use support::browser::{PASSWORD, cookies_after, json_of, set_cookies};
use support::{TestApp, spawn_app, spawn_app_with};

/// The shop owner, made admin by each test that signs them in.
const OWNER: &str = "owner@example.com";
const OWNER_PASSWORD: &str = "shop owner secret";

/// The owner signs in asking for the back office, and opens it.
async fn owners_back_office(app: &TestApp) -> reqwest::Response {
    let res = app.sign_in(OWNER, OWNER_PASSWORD, "/admin").await;
    assert_eq!(res.headers()["location"], "/admin");
    app.get_with("/admin", &cookies_after(&res)).await
}

#[tokio::test]
async fn session_cookies_are_host_only_secure_httponly_and_lax() {
    let app = spawn_app().await;
    let res = app.sign_up("Ann", "ann@example.com", PASSWORD).await;
    assert_eq!(res.status(), 302);
    let res = app.sign_in("ann@example.com", PASSWORD, "").await;
    let cookies = set_cookies(&res);
    for name in ["__Host-sury_access=", "__Host-sury_refresh="] {
        let cookie = cookies
            .iter()
            .find(|c| c.starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing from {cookies:?}"));
        for attribute in ["; Path=/", "; HttpOnly", "; SameSite=Lax", "; Secure"] {
            assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
        }
        assert!(!cookie.to_ascii_lowercase().contains("domain="), "{cookie}");
    }
    let access = cookies
        .iter()
        .find(|c| c.starts_with("__Host-sury_access="))
        .unwrap();
    assert!(
        access.contains("Max-Age=900"),
        "15-minute access token: {access}"
    );
}

#[tokio::test]
async fn a_signed_in_shopper_sees_their_account_and_can_sign_out() {
    let app = spawn_app().await;
    let cookie = app.signed_up_and_in("ann@example.com").await;
    let res = app.get_with("/account", &cookie).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("ann@example.com"));
    assert!(
        html.contains("data-signed-in"),
        "the header knows who is signed in"
    );

    let res = app.sign_out(&cookie).await;
    assert_eq!(res.status(), 302);
    let cleared = set_cookies(&res);
    assert!(
        cleared
            .iter()
            .any(|c| c.starts_with("__Host-sury_access=;") && c.contains("Max-Age=0")),
        "{cleared:?}"
    );
    // The old cookies no longer work, even if the browser kept them.
    let res = app.get_with("/account", &cookie).await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/account/sign-in?next=/account");
}

#[tokio::test]
async fn an_expired_access_cookie_is_renewed_from_the_refresh_cookie() {
    let app = spawn_app().await;
    let cookie = app.signed_up_and_in("ann@example.com").await;
    let refresh_only: String = cookie
        .split("; ")
        .filter(|c| c.starts_with("__Host-sury_refresh="))
        .collect();
    let res = app.get_with("/account", &refresh_only).await;
    assert_eq!(res.status(), 200);
    let renewed = set_cookies(&res);
    assert!(
        renewed
            .iter()
            .any(|c| c.starts_with("__Host-sury_access=ey")),
        "{renewed:?}"
    );
    assert!(
        renewed
            .iter()
            .any(|c| c.starts_with("__Host-sury_refresh=")),
        "rotated: {renewed:?}"
    );
    assert!(res.text().await.unwrap().contains("ann@example.com"));
}

#[tokio::test]
async fn cross_site_posts_to_server_functions_are_refused() {
    let app = spawn_app().await;
    let form = [
        ("email", "ann@example.com"),
        ("password", PASSWORD),
        ("next", ""),
    ];
    for (header, value) in [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "https://evil.example"),
    ] {
        let res = app
            .client
            .post(app.url("/sf/account/sign-in"))
            .header("accept", "text/html")
            .header(header, value)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{header}: {value}");
        assert!(set_cookies(&res).is_empty());
    }
    // A post that says nothing of where it comes from is refused too.
    let res = app
        .client
        .post(app.url("/sf/account/sign-out"))
        .form(&[("everywhere", "no")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // The back office's picture upload is a post outside /sf: held to the
    // same rule.
    let res = app
        .client
        .post(app.url("/admin/products/men-beanie-hat/images"))
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "multipart/form-data; boundary=x")
        .body("--x--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // Reads are not affected.
    assert_eq!(app.get("/account/sign-in").await.status(), 200);
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_paused_with_retry_after() {
    let app = spawn_app().await;
    let sign_in = || app.sign_in("ann@example.com", "wrong password", "");
    for _ in 0..5 {
        let res = sign_in().await;
        assert_eq!(res.status(), 302);
        assert!(res.headers().get("retry-after").is_none());
    }
    let res = sign_in().await;
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after));
    // The page it sends the shopper back to says so.
    let html = app.follow_with_flash(&res).await;
    assert!(html.contains("Too many attempts"), "{html}");
}

#[tokio::test]
async fn a_form_with_mistakes_comes_back_with_messages_and_what_was_typed() {
    let app = spawn_app().await;
    let res = app.sign_up("Ann", "ann@example", "password").await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/account/sign-up");
    let html = app.follow_with_flash(&res).await;
    assert!(html.contains("Enter an email address like"), "{html}");
    assert!(html.contains("one of the most common"), "{html}");
    assert!(html.contains("value=\"ann@example\""), "typed email kept");
    assert!(html.contains("value=\"Ann\""), "typed name kept");
    assert!(
        !html.contains("value=\"password\""),
        "a password is never sent back"
    );
    assert!(html.contains("aria-invalid=\"true\""));
}

#[tokio::test]
async fn the_back_office_is_refused_to_customers_on_the_server() {
    let app = spawn_app().await;
    let res = app.get_with("/admin", "").await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/account/sign-in?next=/admin");
    let customer = app.signed_up_and_in("ann@example.com").await;
    let res = app.get_with("/admin", &customer).await;
    assert_eq!(res.status(), 403);
    assert!(!res.text().await.unwrap().contains("admin-greeting"));
    // The server function behind the page refuses too, called directly.
    let res = app
        .client
        .get(app.url("/sf/admin/overview"))
        .header("cookie", &customer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    app.grant_role(OWNER, "Owner", OWNER_PASSWORD, Role::Admin)
        .await;
    let res = owners_back_office(&app).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("admin-greeting"));
}

#[tokio::test]
async fn sign_in_only_redirects_within_the_shop() {
    let app = spawn_app_with(&[]).await;
    app.signed_up_and_in("ann@example.com").await;
    for next in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
    ] {
        let res = app.sign_in("ann@example.com", PASSWORD, next).await;
        assert_eq!(res.headers()["location"], "/account", "{next}");
    }
}

#[tokio::test]
async fn the_first_admin_is_made_with_the_documented_command() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let data = tempfile::tempdir().unwrap();
    let grant = |args: &[&str], stdin: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("SURY_DATA_DIR", data.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("server binary starts");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let owner_password = format!("{OWNER_PASSWORD}\n");
    let refused = grant(&["grant-role", OWNER, "emperor", "Owner"], &owner_password);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("ROLE must be"));
    let weak = grant(&["grant-role", OWNER, "admin", "Owner"], "password\n");
    assert!(
        !weak.status.success(),
        "a common password is refused here too"
    );
    let made = grant(&["grant-role", OWNER, "admin", "Owner"], &owner_password);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(String::from_utf8_lossy(&made.stdout).contains("created owner@example.com as admin"));

    let data_dir = data.path().to_string_lossy().into_owned();
    let app = spawn_app_with(&[("SURY_DATA_DIR", &data_dir)]).await;
    let res = owners_back_office(&app).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Signed in as Owner (admin)"), "{html}");
}

#[tokio::test]
async fn the_gateway_lets_live_tokens_through_and_refuses_others() {
    let app = spawn_app().await;
    let api = |token: Option<String>| {
        let mut request = app.client.get(app.url("/api/v1/catalog/departments"));
        if let Some(value) = token {
            request = request.header("authorization", value);
        }
        request.send()
    };
    assert_eq!(api(None).await.unwrap().status(), 200, "anonymous reads");
    for bad in ["Bearer not-a-token", "Basic YW5uOnB3", "Bearer "] {
        let (status, body) = json_of(api(Some(bad.into())).await.unwrap()).await;
        assert_eq!(status, 401, "{bad}");
        assert_eq!(body["error"]["code"], "unauthenticated", "{bad}");
    }

    let cookies = app.signed_up_and_in("ann@example.com").await;
    let token = cookies
        .split("; ")
        .find_map(|pair| pair.strip_prefix("__Host-sury_access="))
        .expect("an access cookie")
        .to_owned();
    let (status, body) = json_of(api(Some(format!("Bearer {token}"))).await.unwrap()).await;
    assert_eq!(status, 200);
    assert!(body.is_array());

    // Signed out: the same, unexpired token no longer gets through.
    assert_eq!(app.sign_out(&cookies).await.status(), 302);
    support::assert_invalid_token(&api(Some(format!("Bearer {token}"))).await.unwrap());
}

/// An app's way in: tokens from the identity API through the gateway, used
/// as bearer tokens, refreshed, and ended.
#[tokio::test]
async fn apps_sign_in_for_tokens_use_them_and_sign_out() {
    let app = spawn_app().await;
    app.signed_up_and_in("ann@example.com").await;
    let sign_in = |password: &'static str| {
        let body = serde_json::json!({ "email": "Ann@Example.com", "password": password });
        app.post_json("/api/v1/identity/tokens", body.to_string())
    };
    let (status, body) = json_of(sign_in("wrong password").await).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "invalid_credentials");
    let (status, tokens) = json_of(sign_in(PASSWORD).await).await;
    assert_eq!(status, 200);
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    assert_eq!(tokens["principal"]["email"], "ann@example.com");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();

    let me = |token: String| {
        app.client
            .get(app.url("/api/v1/identity/me"))
            .header("authorization", format!("Bearer {token}"))
            .send()
    };
    let (status, who) = json_of(me(access.clone()).await.unwrap()).await;
    assert_eq!(
        (status.as_u16(), who["name"].as_str()),
        (200, Some("Ann Lee"))
    );

    let body = serde_json::json!({ "refresh_token": refresh });
    let (status, renewed) = json_of(
        app.post_json("/api/v1/identity/tokens/refresh", body.to_string())
            .await,
    )
    .await;
    assert_eq!(status, 200);
    let new_access = renewed["access_token"].as_str().unwrap().to_owned();
    assert_ne!(
        renewed["refresh_token"].as_str().unwrap(),
        refresh,
        "rotated"
    );

    let res = app
        .client
        .delete(app.url("/api/v1/identity/tokens"))
        .header("authorization", format!("Bearer {new_access}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    for token in [access, new_access] {
        assert_eq!(
            me(token).await.unwrap().status(),
            401,
            "the session is over"
        );
    }

    for (body, status, why) in [
        ("{\"email\": \"ann@example.com\"", 400, "cut-off JSON"),
        (
            "{\"email\": 5, \"password\": \"x\"}",
            422,
            "a number for an email",
        ),
    ] {
        let res = app.post_json("/api/v1/identity/tokens", body).await;
        assert_eq!(res.status(), status, "{why}");
    }
}
