//! Identity's API through its typed client, in-process and over HTTP: the
//! same calls, the same answers, identity's own errors on both; and bad
//! requests answered with a 4xx JSON error that changes nothing.

use std::time::Duration;

use contracts::identity::AddressFieldsV1;
use identity::{
    Address, Config, Email, Error, Identity, IdentityClient, NewPassword, PersonName, Phone,
    Refreshed, SigningKey,
};

use crate::support::{Mailroom, PASSWORD, token_in};

struct Service {
    clients: Vec<(&'static str, IdentityClient)>,
    url: String,
    mailroom: Mailroom,
    _dir: tempfile::TempDir,
}

/// Identity on SQLite with a fresh key, in this process and on a port.
async fn service() -> Service {
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::load_or_create(&dir.path().join("key.pem")).unwrap();
    let mut config = Config::new(key, "https://shop.test");
    config.limits.hashing_concurrency = 2;
    config.limits.failures_per_account = 3;
    let url = platform::db::sqlite_url(&dir.path().join("identity.db"));
    let identity = Identity::open(&url, config).await.unwrap();
    let mailroom = Mailroom::of(&identity).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, identity::api::router(identity.clone())).into_future());
    Service {
        clients: vec![
            ("in-process", IdentityClient::in_process(identity)),
            ("http", IdentityClient::remote(&url)),
        ],
        url,
        mailroom,
        _dir: dir,
    }
}

impl Service {
    /// Relays the outbox until an email to `to` whose subject has
    /// `subject` was sent; the token in its link.
    async fn emailed_token(&self, to: &str, subject: &str) -> String {
        let what = format!("no email {subject:?} to {to}");
        self.mailroom
            .wait_for(&what, |sent| {
                let mail = sent
                    .iter()
                    .rev()
                    .find(|m| m.to == to && m.subject.contains(subject))?;
                Some(token_in(mail))
            })
            .await
    }

    /// Emails sent so far, after relaying what is pending.
    async fn sent(&self) -> usize {
        self.mailroom.relay.relay_pending().await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        self.mailroom.mail.sent().len()
    }
}

fn name(raw: &str) -> PersonName {
    PersonName::parse(raw).unwrap()
}

fn email(raw: &str) -> Email {
    Email::parse(raw).unwrap()
}

fn password(raw: &str) -> NewPassword {
    NewPassword::parse(raw, None).unwrap()
}

fn address(recipient: &str) -> Address {
    Address::parse(&AddressFieldsV1 {
        recipient: recipient.into(),
        line1: "1 High Street".into(),
        city: "London".into(),
        postal_code: "SW1A 1AA".into(),
        country: "GB".into(),
        ..AddressFieldsV1::default()
    })
    .unwrap()
}

#[tokio::test]
async fn an_account_lives_the_same_in_process_and_over_http() {
    let service = service().await;
    for (transport, client) in &service.clients {
        let ann = format!("ann-{transport}@example.com");
        client
            .sign_up(&name("Ann Lee"), &email(&ann), &password(PASSWORD))
            .await
            .unwrap();
        let link = service.emailed_token(&ann, "Confirm").await;
        client.verify_email(&link).await.unwrap();
        assert!(
            matches!(client.verify_email(&link).await, Err(Error::InvalidLink)),
            "{transport}: a link works once"
        );

        let signed_in = client.sign_in(&ann, PASSWORD, "192.0.2.1").await.unwrap();
        assert_eq!(signed_in.access_ttl, Duration::from_secs(15 * 60));
        assert_eq!(signed_in.session_ttl, Duration::from_secs(30 * 24 * 3600));
        let token = signed_in.access_token.clone();
        let who = client.authenticate(&token).await.unwrap();
        assert_eq!(who.email, ann, "{transport}");
        assert!(who.email_verified, "{transport}");

        let phone = Phone::parse("+44 20 7946 0958").unwrap();
        client
            .update_profile(&token, &name("Ann Smith"), Some(&phone))
            .await
            .unwrap();
        let profile = client.profile(&token).await.unwrap();
        assert_eq!(profile.name, "Ann Smith", "{transport}");
        assert_eq!(
            profile.phone.as_deref(),
            Some(phone.as_str()),
            "{transport}"
        );

        let home = client
            .save_address(&token, None, &address("Ann at home"), false)
            .await
            .unwrap();
        let work = client
            .save_address(&token, None, &address("Ann at work"), true)
            .await
            .unwrap();
        let book = client.addresses(&token).await.unwrap();
        assert_eq!(book.len(), 2, "{transport}");
        assert!(book.iter().any(|a| a.id == work && a.default_shipping));
        client.set_default_address(&token, &home).await.unwrap();
        assert!(
            client
                .address(&token, &home)
                .await
                .unwrap()
                .default_shipping
        );
        client.delete_address(&token, &work).await.unwrap();
        assert!(matches!(
            client.address(&token, &work).await,
            Err(Error::NoSuchAddress)
        ));

        // Two requests of one browser renewing at once: one rotates, the
        // other still acts for Ann.
        let (a, b) = tokio::join!(
            client.refresh(&signed_in.refresh_token),
            client.refresh(&signed_in.refresh_token)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        let rotated = [&a, &b]
            .into_iter()
            .filter(|r| matches!(r, Refreshed::Rotated(_)))
            .count();
        assert_eq!(rotated, 1, "{transport}: {a:?} {b:?}");
        for renewed in [&a, &b] {
            let access = match renewed {
                Refreshed::Rotated(s) => &s.access_token,
                Refreshed::Concurrent { access_token, .. } => access_token,
            };
            assert_eq!(client.authenticate(access).await.unwrap().email, ann);
        }
        let refresh_token = [a, b]
            .into_iter()
            .find_map(|r| match r {
                Refreshed::Rotated(s) => Some(s.refresh_token),
                Refreshed::Concurrent { .. } => None,
            })
            .unwrap();

        client
            .change_password(&token, PASSWORD, &password("amber harbour 7"))
            .await
            .unwrap();
        assert!(matches!(
            client.sign_in(&ann, PASSWORD, "192.0.2.1").await,
            Err(Error::InvalidCredentials)
        ));
        // This session goes on, with a new access token from its refresh
        // token; signing out ends it at once.
        let Refreshed::Rotated(renewed) = client.refresh(&refresh_token).await.unwrap() else {
            panic!("{transport}: the session did not go on");
        };
        client.sign_out(&renewed.access_token).await.unwrap();
        assert!(
            matches!(
                client.authenticate(&renewed.access_token).await,
                Err(Error::Unauthenticated)
            ),
            "{transport}: signed out at once"
        );
        assert!(matches!(
            client.refresh(&renewed.refresh_token).await,
            Err(Error::Unauthenticated)
        ));
    }
}

#[tokio::test]
async fn identity_refusals_come_back_as_its_own_errors() {
    let service = service().await;
    for (transport, client) in &service.clients {
        let bob = format!("bob-{transport}@example.com");
        let eve = format!("eve-{transport}@example.com");
        for who in [&bob, &eve] {
            client
                .sign_up(&name("Someone"), &email(who), &password(PASSWORD))
                .await
                .unwrap();
        }
        // Three wrong passwords pause the account, with how long for.
        for _ in 0..3 {
            let wrong = client.sign_in(&bob, "not it at all", "192.0.2.9").await;
            assert!(
                matches!(wrong, Err(Error::InvalidCredentials)),
                "{transport}: {wrong:?}"
            );
        }
        match client.sign_in(&bob, PASSWORD, "192.0.2.9").await {
            Err(Error::Throttled { retry_after_secs }) => {
                assert!((1..=900).contains(&retry_after_secs), "{retry_after_secs}")
            }
            other => panic!("{transport}: expected a pause, got {other:?}"),
        }

        // Eve cannot reach anybody else's address: the account is the
        // token's.
        let eve_token = client
            .sign_in(&eve, PASSWORD, "192.0.2.10")
            .await
            .unwrap()
            .access_token;
        let reset = service.sent().await;
        client.request_password_reset(&email(&bob)).await.unwrap();
        assert!(service.sent().await > reset, "{transport}: reset mailed");
        let link = service.emailed_token(&bob, "Reset").await;
        client
            .reset_password(&link, &password("amber harbour 7"))
            .await
            .unwrap();
        assert!(
            matches!(
                client
                    .reset_password(&link, &password("amber harbour 8"))
                    .await,
                Err(Error::InvalidLink)
            ),
            "{transport}: a reset link works once"
        );
        let eve_home = client
            .save_address(&eve_token, None, &address("Eve"), true)
            .await
            .unwrap();
        assert!(matches!(
            client.address("not-a-token", &eve_home).await,
            Err(Error::Unauthenticated)
        ));

        assert!(matches!(
            client.verify_email("made-up").await,
            Err(Error::InvalidLink)
        ));
        assert!(matches!(
            client.confirm_email_change("made-up").await,
            Err(Error::InvalidLink)
        ));
        assert!(matches!(
            client.reset_password("made-up", &password(PASSWORD)).await,
            Err(Error::InvalidLink)
        ));
        assert!(matches!(
            client.profile("forged.token.here").await,
            Err(Error::Unauthenticated)
        ));
        assert!(matches!(
            client
                .request_email_change(&eve_token, "wrong password", &email("x@example.com"))
                .await,
            Err(Error::InvalidCredentials)
        ));
        assert!(matches!(
            client.delete_address(&eve_token, "no-such-id").await,
            Err(Error::NoSuchAddress)
        ));
    }
}

/// Status, error code and field names of a raw request's answer.
async fn ask(
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, String, Vec<String>) {
    let mut request = reqwest::Client::new()
        .request(method, url)
        .header("content-type", content_type)
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let json: serde_json::Value = response.json().await.expect("a JSON error body");
    let fields = json["error"]["fields"]
        .as_object()
        .map(|f| f.keys().cloned().collect())
        .unwrap_or_default();
    (
        status,
        json["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        fields,
    )
}

#[tokio::test]
async fn bad_requests_get_a_json_4xx_and_change_nothing() {
    let service = service().await;
    let client = &service.clients[1].1;
    client
        .sign_up(&name("Ann"), &email("ann@example.com"), &password(PASSWORD))
        .await
        .unwrap();
    let token = client
        .sign_in("ann@example.com", PASSWORD, "192.0.2.1")
        .await
        .unwrap()
        .access_token;
    let mails = service.sent().await;
    let base = format!("{}/api/v1/identity", service.url);
    let json = "application/json";
    use reqwest::Method;

    // What, method, path, bearer token, content type, body; status and
    // the fields named.
    type Case<'a> = (
        &'a str,
        Method,
        &'a str,
        Option<&'a str>,
        &'a str,
        Vec<u8>,
        u16,
        Vec<&'a str>,
    );
    let cases: Vec<Case> = vec![
        ("malformed JSON", Method::POST, "/accounts", None, json, b"{\"name\":".to_vec(), 400, vec![]),
        ("a field missing", Method::POST, "/accounts", None, json, br#"{"name":"Ann"}"#.to_vec(), 422, vec![]),
        ("not JSON", Method::POST, "/accounts", None, "text/plain", b"name=Ann".to_vec(), 415, vec![]),
        ("over 16 KB", Method::POST, "/accounts", None, json, format!(r#"{{"name":"{}","email":"a@b.co","password":"x"}}"#, "A".repeat(20_000)).into_bytes(), 413, vec![]),
        (
            "every field wrong",
            Method::POST, "/accounts", None, json,
            br#"{"name":"","email":"not an email","password":"short"}"#.to_vec(),
            422, vec!["email", "name", "password"],
        ),
        (
            "a password that is the email",
            Method::POST, "/accounts", None, json,
            br#"{"name":"Bo","email":"bo@example.com","password":"bo@example.com"}"#.to_vec(),
            422, vec!["password"],
        ),
        ("a bad reset email", Method::POST, "/password-resets", None, json, br#"{"email":"<script>"}"#.to_vec(), 422, vec!["email"]),
        ("a short new password", Method::PUT, "/password-resets", None, json, br#"{"token":"t","password":"123"}"#.to_vec(), 422, vec!["password"]),
        ("no token for /me", Method::GET, "/me", None, json, vec![], 401, vec![]),
        ("a forged token", Method::GET, "/me/profile", Some("eyJ.forged.token"), json, vec![], 401, vec![]),
        (
            "an address with bad fields",
            Method::POST, "/me/addresses", Some(token.as_str()), json,
            br#"{"fields":{"recipient":"","line1":"","line2":"","city":"","region":"","postal_code":"??","country":"GB","phone":""}}"#.to_vec(),
            422, vec!["city", "line1", "postal_code", "recipient"],
        ),
        (
            "a profile with a bad phone",
            Method::PUT, "/me/profile", Some(token.as_str()), json,
            br#"{"name":"Ann","phone":"call me"}"#.to_vec(),
            422, vec!["phone"],
        ),
        (
            "the same email again",
            Method::POST, "/me/email-change", Some(token.as_str()), json,
            br#"{"new_email":"ANN@example.com","current_password":"violet meadow 42"}"#.to_vec(),
            422, vec!["new_email"],
        ),
        ("an unknown path", Method::GET, "/nothing-here", None, json, vec![], 404, vec![]),
    ];
    for (what, method, path, token, content_type, body, status, fields) in cases {
        let (got, code, got_fields) =
            ask(method, format!("{base}{path}"), token, content_type, body).await;
        assert_eq!(got, status, "{what}: {code}");
        assert!(!code.is_empty(), "{what}: a code");
        assert_eq!(got_fields, fields, "{what}");
    }

    // Nothing changed: no account for the refused sign-ups, no email sent,
    // Ann's details as they were.
    assert_eq!(service.sent().await, mails, "no email went out");
    for refused in ["bo@example.com", "not an email"] {
        assert!(matches!(
            client.sign_in(refused, "bo@example.com", "192.0.2.2").await,
            Err(Error::InvalidCredentials)
        ));
    }
    let profile = client.profile(&token).await.unwrap();
    assert_eq!((profile.name.as_str(), profile.phone), ("Ann", None));
    assert!(client.addresses(&token).await.unwrap().is_empty());

    // A paused account is told how long to wait, in the body and in
    // `Retry-After`, the same number.
    let sign_in = || {
        reqwest::Client::new()
            .post(format!("{base}/tokens"))
            .json(&serde_json::json!({"email": "ann@example.com", "password": "not it"}))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(sign_in().await.unwrap().status(), 401);
    }
    let paused = sign_in().await.unwrap();
    assert_eq!(paused.status(), 429);
    let header: u64 = paused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body: serde_json::Value = paused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "throttled");
    assert_eq!(body["error"]["retry_after_secs"].as_u64(), Some(header));
    assert!((1..=900).contains(&header), "{header}");
}
