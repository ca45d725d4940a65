//! The distributed shape with real mail and media: accounts over
//! PostgreSQL, RabbitMQ and SMTP, and staff's pictures in S3 behind a CDN.

use crate::support;

use std::time::{Duration, Instant};

use crate::distributed::{AMQP, start_catalog_process_with, unique_namespace};
use reqwest::Method;
use support::TestApp;
use support::browser::{PASSWORD, cookies_after};

#[tokio::test]
async fn accounts_work_on_postgres_rabbitmq_and_smtp() {
    let namespace_guard = unique_namespace();
    let namespace = namespace_guard.0.clone();
    let maildev = platform::mail::testing::start_maildev();
    let identity_db = platform::db::testing::fresh_postgres_url().await;
    let smtp = format!("smtp+insecure://127.0.0.1:{}", maildev.smtp);
    let app = support::spawn_app_with(&[
        ("SURY_IDENTITY_DATABASE_URL", &identity_db),
        ("SURY_AMQP_URL", AMQP),
        ("SURY_NAMESPACE", &namespace),
        ("SURY_SMTP_URL", &smtp),
    ])
    .await;
    let email = format!("ann-{}@example.com", uuid::Uuid::now_v7().simple());
    let res = app.sign_up("Ann", &email, PASSWORD).await;
    assert_eq!(res.headers()["location"], "/account/check-email");

    // The verification email crossed the outbox, RabbitMQ and SMTP.
    let token = emailed_token(maildev.web, &email, "Confirm your email").await;
    let res = app
        .post_form("/sf/account/verify", &[("token", &token)], None)
        .await;
    assert_eq!(res.headers()["location"], "/account/sign-in");

    let res = app.sign_in(&email, PASSWORD, "/account").await;
    let cookie = cookies_after(&res);
    let account = || async {
        app.get_with("/account", &cookie)
            .await
            .text()
            .await
            .unwrap()
    };
    let html = account().await;
    assert!(html.contains(&email));
    assert!(
        html.contains("data-testid=\"verified\""),
        "the address is confirmed"
    );

    // The address book and an email change, on PostgreSQL, through the
    // same forms.
    let address = [
        ("id", ""),
        ("recipient", "Ann Lee"),
        ("line1", "1 Market Street"),
        ("line2", ""),
        ("city", "San Francisco"),
        ("region", "CA"),
        ("postal_code", "94103"),
        ("country", "US"),
        ("phone", ""),
    ];
    let res = app
        .post_form("/sf/account/save-address", &address, Some(&cookie))
        .await;
    assert_eq!(res.headers()["location"], "/account/addresses");
    let new_email = format!("ann-new-{}@example.com", uuid::Uuid::now_v7().simple());
    let change = [
        ("new_email", new_email.as_str()),
        ("email_password", PASSWORD),
    ];
    let res = app
        .post_form("/sf/account/change-email", &change, Some(&cookie))
        .await;
    assert_eq!(res.headers()["location"], "/account");
    let token = emailed_token(maildev.web, &new_email, "Confirm your new email").await;
    let res = app
        .post_form(
            "/sf/account/confirm-email",
            &[("token", &token)],
            Some(&cookie),
        )
        .await;
    assert_eq!(res.headers()["location"], "/account");
    let html = account().await;
    assert!(
        html.contains(&new_email),
        "the account moved to the new address"
    );
    assert!(
        html.contains("1 Market Street"),
        "the default address is shown"
    );
}

/// The token in the link of the newest email to `to` whose subject has
/// `subject`, read from maildev's API (waits up to 30 s).
async fn emailed_token(maildev_web: u16, to: &str, subject: &str) -> String {
    let started = Instant::now();
    let text = loop {
        let mails: serde_json::Value =
            reqwest::get(format!("http://127.0.0.1:{maildev_web}/api/email"))
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
        let found = mails.as_array().unwrap().iter().rev().find(|m| {
            m["to"][0]["address"] == to && m["subject"].as_str().unwrap_or("").contains(subject)
        });
        if let Some(mail) = found {
            break mail["text"].as_str().unwrap().to_owned();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no email {subject:?} to {to} arrived"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    text.split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// A request of staff's app to the gateway, with their bearer `token`;
/// `body` labelled `content_type` when given.
async fn staff_request(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> reqwest::Response {
    app.with_body(method, path, content_type, body)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// A photo-like PNG (noise, so it does not compress): larger than the
/// 256 KB every other request is held to.
fn noisy_png(width: u32, height: u32) -> Vec<u8> {
    let mut seed: u32 = 12345;
    let pixels = image::RgbImage::from_fn(width, height, |_, _| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let [a, b, c, _] = seed.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut bytes = Vec::new();
    pixels
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

/// In the distributed shape pictures go to S3 (a real S3-compatible
/// server) from the catalog process, and shoppers' pages link them through
/// the CDN address, which the pages' image policy allows.
#[tokio::test]
async fn staff_pictures_go_to_s3_and_pages_link_them_through_the_cdn() {
    let s3 = platform::blob::testing::start_s3();
    let keys = tempfile::tempdir().unwrap();
    let private = keys.path().join("signing.pem");
    let key = identity::SigningKey::load_or_create(&private).unwrap();
    let public = keys.path().join("public.pem");
    std::fs::write(&public, key.public_pem()).unwrap();
    let media = [
        ("SURY_S3_BUCKET", "sury-media"),
        ("SURY_S3_ENDPOINT", s3.endpoint.as_str()),
        ("SURY_S3_ACCESS_KEY_ID", "AKTEST"),
        ("SURY_S3_SECRET_ACCESS_KEY", "SKTEST-not-a-real-secret"),
        ("SURY_MEDIA_BASE_URL", "https://cdn.example.test"),
    ];
    let mut vars = vec![("SURY_IDENTITY_PUBLIC_KEY_FILE", public.to_str().unwrap())];
    vars.extend_from_slice(&media);
    let catalog = start_catalog_process_with(&vars).await;
    let mut vars = vec![
        ("SURY_CATALOG_URL", catalog.url.as_str()),
        ("SURY_IDENTITY_SIGNING_KEY_FILE", private.to_str().unwrap()),
    ];
    vars.extend_from_slice(&media);
    let app = support::spawn_app_with(&vars).await;
    let token = app.staff_token("pix@example.com", "Pix").await;
    let json = Some("application/json");
    let products = "/api/v1/catalog/staff/products";
    let jumper = format!("{products}/cable-knit-jumper");

    let draft = contracts::catalog::NewProductV1 {
        name: "Cable knit jumper".into(),
        category: "men-tops".into(),
        sku_prefix: "JMP-CBL".into(),
        colours: vec!["Oat".into()],
        sizes: vec!["M".into(), "L".into()],
        price_minor: 5900,
        ..Default::default()
    };
    let created = serde_json::to_vec(&draft).unwrap();
    let res = staff_request(&app, &token, Method::POST, products, json, created).await;
    assert_eq!(res.status(), 201);

    let photo = noisy_png(700, 700);
    assert!(photo.len() > 256 * 1024, "{} bytes", photo.len());
    let images = format!("{jumper}/images?colour=Oat&alt=The%20jumper%20folded");
    let res = staff_request(&app, &token, Method::POST, &images, None, photo).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let image: contracts::catalog::ImageV1 =
        serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert!(
        image.src.starts_with("https://cdn.example.test/products/"),
        "{}",
        image.src
    );
    let bucket = platform::blob::S3BlobStore::new(&s3.config(None));
    let key = image.src.trim_start_matches("https://cdn.example.test/");
    let stored = platform::blob::BlobStore::get(&bucket, key).await.unwrap();
    assert!(
        stored.starts_with(&[0xFF, 0xD8, 0xFF]),
        "a JPEG in the bucket"
    );

    let details = contracts::catalog::ProductDetailsV1 {
        name: "Cable knit jumper".into(),
        category: "men-tops".into(),
        status: "active".into(),
        ..Default::default()
    };
    let saved = serde_json::to_vec(&details).unwrap();
    let res = staff_request(&app, &token, Method::PUT, &jumper, json, saved).await;
    assert_eq!(res.status(), 200);
    let page = app.get("/p/cable-knit-jumper").await;
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.contains("img-src 'self' data: https://cdn.example.test;"),
        "{policy}"
    );
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("src=\"{}\"", image.src)),
        "the page links the CDN"
    );
    assert!(html.contains("alt=\"The jumper folded\""));
}
