use std::collections::HashMap;

use super::*;

fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::from_lookup(|name| vars.get(name).cloned())
}

#[test]
fn defaults_need_no_configuration() {
    let s = settings(&[]).unwrap();
    assert_eq!(s.addr, "127.0.0.1:3000".parse().unwrap());
    assert_eq!(s.data_dir, PathBuf::from("data"));
    assert!(!s.serves_https());
}

#[test]
fn printed_settings_show_no_password_or_key() {
    let s = settings(&[
        (
            "SURY_CATALOG_DATABASE_URL",
            "postgres://sury:pw-catalog@db/catalog",
        ),
        (
            "SURY_IDENTITY_DATABASE_URL",
            "postgres://sury:pw-identity@db/identity",
        ),
        (
            "SURY_BASKET_DATABASE_URL",
            "postgres://sury:pw-basket@db/basket",
        ),
        (
            "SURY_ORDERING_DATABASE_URL",
            "postgres://sury:pw-ordering@db/ordering",
        ),
        ("SURY_AMQP_URL", "amqp://sury:pw-broker@broker:5672/%2f"),
        ("SURY_REDIS_URL", "redis://:pw-redis@cache:6379"),
        ("SURY_SMTP_URL", "smtp://mailer:pw-smtp@mail.example:587"),
        ("SURY_S3_BUCKET", "media"),
        ("SURY_S3_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("SURY_S3_SECRET_ACCESS_KEY", "pw-s3-secret"),
    ])
    .unwrap();
    for printed in [format!("{s:?}"), format!("{s:#?}")] {
        assert!(!printed.contains("pw-"), "{printed}");
    }
    // Still there for the code that connects.
    assert_eq!(
        s.amqp_url.as_ref().map(|url| url.expose().as_str()),
        Some("amqp://sury:pw-broker@broker:5672/%2f")
    );
}

#[test]
fn a_bad_value_names_its_variable() {
    let err = settings(&[("SURY_ADDR", "localhost")]).unwrap_err();
    assert_eq!(err.variable, "SURY_ADDR");
    let err = settings(&[("SURY_PUBLIC_URL", "ftp://shop")]).unwrap_err();
    assert_eq!(err.variable, "SURY_PUBLIC_URL");
    let err =
        settings(&[("SURY_CATALOG_DATABASE_URL", "mysql://root:hunter2@db/shop")]).unwrap_err();
    assert_eq!(err.variable, "SURY_CATALOG_DATABASE_URL");
    assert!(
        !err.to_string().contains("hunter2"),
        "no secrets in messages"
    );
    for (variable, value) in [
        ("SURY_CATALOG_URL", "catalog:3101"),
        ("SURY_CATALOG_ADDR", "anywhere"),
        ("SURY_BASKET_URL", "basket:3102"),
        ("SURY_CATALOG_URL", "https://catalog:3101"),
        ("SURY_BASKET_ADDR", "anywhere"),
        ("SURY_ORDERING_URL", "ordering:3103"),
        ("SURY_ORDERING_ADDR", "anywhere"),
        ("SURY_IDENTITY_URL", "https://identity:3104"),
        ("SURY_IDENTITY_ADDR", "anywhere"),
        ("SURY_AMQP_URL", "http://guest:hunter2@broker"),
        ("SURY_REDIS_URL", "tcp://:hunter2@cache"),
        ("SURY_CATALOG_TREE_TTL_SECS", "0"),
        ("SURY_PRODUCT_CACHE_TTL_SECS", "86401"),
        ("SURY_PRODUCT_CACHE_ENTRIES", "many"),
        ("SURY_UPLOAD_MAX_MB", "0"),
        ("SURY_MEDIA_BASE_URL", "cdn.example.com"),
        ("SURY_SMTP_URL", "smtp://ann:hunter2@mail.example.com"),
        ("SURY_SMTP_URL", "http://ann:hunter2@mail.example.com:25"),
        ("SURY_IDENTITY_DATABASE_URL", "mysql://root:hunter2@db/id"),
        ("SURY_ACCESS_TOKEN_TTL_SECS", "86400"),
        ("SURY_SESSION_TTL_DAYS", "0"),
        ("SURY_BASKET_DATABASE_URL", "mysql://root:hunter2@db/basket"),
        ("SURY_BASKET_TTL_DAYS", "-1"),
        ("SURY_ORDERING_DATABASE_URL", "redis://:hunter2@db"),
        ("SURY_DELIVERY_PRICE_MINOR", "3.95"),
        ("SURY_FREE_DELIVERY_FROM_MINOR", "lots"),
        ("SURY_VAT_PERCENT", "120"),
        ("SURY_TRANSFER_DAYS", "0"),
    ] {
        let err = settings(&[(variable, value)]).unwrap_err();
        assert_eq!(err.variable, variable);
        assert!(
            !err.to_string().contains("hunter2"),
            "no secrets in messages"
        );
    }
    let err = settings(&[("SURY_LOG_FORMAT", "xml")]).unwrap_err();
    assert_eq!(err.variable, "SURY_LOG_FORMAT");
    assert!(err.to_string().starts_with("SURY_LOG_FORMAT: "));
}

#[test]
fn insecure_cookies_only_for_plain_http_on_this_machine() {
    assert!(settings(&[]).unwrap().cookies_secure(), "secure by default");
    let dev = settings(&[("SURY_INSECURE_DEV_COOKIES", "true")]).unwrap();
    assert!(!dev.cookies_secure());
    for public in [
        "https://shop.example",
        "http://shop.example",
        "http://localhost.evil.example",
    ] {
        let err = settings(&[
            ("SURY_PUBLIC_URL", public),
            ("SURY_INSECURE_DEV_COOKIES", "true"),
        ])
        .unwrap_err();
        assert_eq!(err.variable, "SURY_INSECURE_DEV_COOKIES", "{public}");
    }
}

#[test]
fn smtp_urls_carry_credentials_and_tls_choice() {
    let s = settings(&[("SURY_SMTP_URL", "smtp://ann:pa:ss@mail.example.com:587")]).unwrap();
    let smtp = s.smtp.unwrap();
    assert_eq!(
        (smtp.host.as_str(), smtp.port, smtp.tls),
        ("mail.example.com", 587, true)
    );
    assert_eq!(smtp.username.as_deref(), Some("ann"));
    assert_eq!(
        smtp.password.as_ref().map(|p| p.expose().as_str()),
        Some("pa:ss")
    );
    let local = settings(&[("SURY_SMTP_URL", "smtp+insecure://127.0.0.1:1025")]).unwrap();
    assert!(!local.smtp.unwrap().tls);
}

#[test]
fn s3_needs_its_keys_and_never_shows_the_secret() {
    let err = settings(&[("SURY_S3_BUCKET", "sury-media")]).unwrap_err();
    assert_eq!(err.variable, "SURY_S3_ACCESS_KEY_ID");
    let s = settings(&[
        ("SURY_S3_BUCKET", "sury-media"),
        ("SURY_S3_ENDPOINT", "http://127.0.0.1:8014"),
        ("SURY_S3_ACCESS_KEY_ID", "AK"),
        ("SURY_S3_SECRET_ACCESS_KEY", "hunter2-secret"),
        ("SURY_MEDIA_BASE_URL", "https://d111.cloudfront.net/"),
    ])
    .unwrap();
    match &s.media {
        MediaSettings::S3(config) => {
            assert_eq!(
                config.public_base_url.as_deref(),
                Some("https://d111.cloudfront.net")
            );
            assert_eq!(config.secret_key.expose(), "hunter2-secret");
        }
        other => panic!("{other:?}"),
    }
    assert!(!format!("{s:?}").contains("hunter2"), "no secrets in logs");
    assert_eq!(s.max_upload_bytes, 10_000_000);
    assert!(matches!(
        settings(&[]).unwrap().media,
        MediaSettings::Local { ref public_base } if public_base == "/media"
    ));
}

#[test]
fn cors_origins_are_named_one_by_one() {
    let s = settings(&[(
        "SURY_CORS_ORIGINS",
        "https://app.example.com/, http://127.0.0.1:5173",
    )])
    .unwrap();
    assert_eq!(
        s.cors_origins,
        ["https://app.example.com", "http://127.0.0.1:5173"]
    );
    assert!(settings(&[]).unwrap().cors_origins.is_empty());
    for bad in [
        "*",
        "app.example.com",
        "https://app.example.com/path",
        "https://*.example.com",
    ] {
        let err = settings(&[("SURY_CORS_ORIGINS", bad)]).unwrap_err();
        assert_eq!(err.variable, "SURY_CORS_ORIGINS", "{bad}");
    }
}

#[test]
fn https_public_url_turns_on_hsts() {
    let s = settings(&[("SURY_PUBLIC_URL", "https://shop.example/")]).unwrap();
    assert!(s.serves_https());
    assert_eq!(s.public_url, "https://shop.example");
}
