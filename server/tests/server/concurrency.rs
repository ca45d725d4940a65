//! Many people at once: each response carries its own page's policy and
//! only its own person's cookies, however the renders interleave. A header
//! or cookie crossing between concurrent requests would show one shopper
//! another's session, so this runs hundreds of requests in one go.

use std::collections::HashSet;

use tokio::task::JoinSet;

use crate::support::browser::{PASSWORD, cookie_header, set_cookies};
use crate::support::{TestApp, spawn_app_with};

const SHOPPERS: usize = 8;
const ROUNDS: usize = 12;

/// The nonce a page's CSP header allows, and every nonce its scripts carry.
fn nonces(res_csp: &str, html: &str) -> (String, HashSet<String>) {
    let allowed = res_csp
        .split('\'')
        .find_map(|part| part.strip_prefix("nonce-"))
        .unwrap_or_else(|| panic!("no nonce in the page's policy: {res_csp}"))
        .to_owned();
    let used = html
        .split("nonce=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    (allowed, used)
}

/// A page as the shopper's browser gets it, checked: its policy's nonce is
/// the one its scripts carry. Returns the HTML.
async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> (Vec<String>, String) {
    let mut request = app.client.get(app.url(path)).header("accept", "text/html");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let started = std::time::Instant::now();
    let res = match request.send().await {
        Ok(res) => res,
        Err(err) => {
            // Stalled or refused: say whether the server still answers.
            let live = app
                .client
                .get(app.url("/health/live"))
                .timeout(std::time::Duration::from_secs(5))
                .send()
                .await
                .map(|r| r.status());
            panic!(
                "{path} after {:?}: {err}; /health/live: {live:?}",
                started.elapsed()
            );
        }
    };
    assert!(
        res.status() == 200 || res.status() == 404,
        "{path}: {}",
        res.status()
    );
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let cookies = set_cookies(&res);
    let html = res.text().await.unwrap();
    let (allowed, used) = nonces(&csp, &html);
    assert!(!used.is_empty(), "{path}: no nonced scripts");
    assert_eq!(
        used,
        HashSet::from([allowed.clone()]),
        "{path}: scripts carry another response's nonce"
    );
    (cookies, html)
}

fn email(n: usize) -> String {
    format!("shopper{n}@example.com")
}

#[tokio::test]
async fn concurrent_renders_and_sign_ins_keep_their_own_headers_and_cookies() {
    // Files of the site beside the pages, as a browser asks for them: the
    // fallback handler serves these while pages render.
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    std::fs::write(site.path().join("robots.txt"), "User-agent: *\n").unwrap();
    let site_root = site.path().to_string_lossy().into_owned();
    let app = std::sync::Arc::new(spawn_app_with(&[("SURY_SITE_ROOT", &site_root)]).await);
    for n in 0..SHOPPERS {
        let res = app
            .sign_up(&format!("Shopper {n}"), &email(n), PASSWORD)
            .await;
        assert_eq!(res.status(), 302, "sign-up {n}");
    }

    let mut tasks = JoinSet::new();
    for round in 0..ROUNDS {
        for n in 0..SHOPPERS {
            // A shopper signs in and opens their account page.
            let shop = app.clone();
            tasks.spawn(async move {
                let app = shop;
                let res = app.sign_in(&email(n), PASSWORD, "/account").await;
                assert_eq!(res.status(), 302, "sign-in of {}", email(n));
                let cookies = set_cookies(&res);
                assert_eq!(
                    cookies
                        .iter()
                        .filter(|c| c.starts_with("__Host-sury_access="))
                        .count(),
                    1,
                    "one access cookie for {}: {cookies:?}",
                    email(n)
                );
                let cookie = cookie_header(&cookies);
                let (more, html) = page(&app, "/account", Some(&cookie)).await;
                assert!(more.is_empty(), "a fresh session renewed: {more:?}");
                assert!(
                    html.contains(&email(n)),
                    "{} sees another account",
                    email(n)
                );
                for other in (0..SHOPPERS).filter(|&o| o != n) {
                    assert!(
                        !html.contains(&email(other)),
                        "{} sees {}",
                        email(n),
                        email(other)
                    );
                }
            });
            // Someone browsing without an account, at the same time.
            let shop = app.clone();
            let path = [
                "/",
                "/c/women",
                "/c/kids",
                "/search?q=dress",
                "/account/sign-in",
                "/no-such-page",
            ][(round + n) % 6];
            tasks.spawn(async move {
                let (cookies, html) = page(&shop, path, None).await;
                assert!(
                    cookies
                        .iter()
                        .all(|c| !c.contains("sury_access") && !c.contains("sury_refresh")),
                    "{path} set someone's session on a visitor: {cookies:?}"
                );
                assert!(
                    !html.contains("data-signed-in"),
                    "{path} shows a visitor as signed in"
                );
            });
            // The browser fetching the site's icon meanwhile.
            let shop = app.clone();
            tasks.spawn(async move {
                let file = ["/favicon.svg", "/robots.txt"][n % 2];
                let res = shop.get(file).await;
                assert_eq!(res.status(), 200, "{file}");
                let cookies = set_cookies(&res);
                assert!(
                    cookies.is_empty(),
                    "{file} carried a page's cookies: {cookies:?}"
                );
                let csp = res.headers()["content-security-policy"].to_str().unwrap();
                assert!(
                    !csp.contains("nonce-"),
                    "{file} carried a page's policy: {csp}"
                );
            });
        }
    }
    let mut done = 0;
    while let Some(result) = tasks.join_next().await {
        if let Err(err) = result {
            std::panic::resume_unwind(err.into_panic());
        }
        done += 1;
    }
    assert_eq!(done, ROUNDS * SHOPPERS * 3);
}
