//! Identity against real databases (SQLite as embedded, PostgreSQL as
//! distributed), with its events going through the outbox and an
//! in-process bus to its mail consumer.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use contracts::identity::{AccessClaims, AddressFieldsV1, Role};
use identity::{
    Address, Config, Email, Error, Identity, NewPassword, PersonName, Phone, Refreshed, SigningKey,
};
use platform::bus::{BoxFuture, EventBus, InProcessBus};
use platform::db::Backend;
use platform::mail::{self, MailError, Mailer};

/// Keeps what identity sends, so a test can follow the links.
#[derive(Default)]
struct Outbox(Mutex<Vec<mail::Email>>);

impl Mailer for Outbox {
    fn send<'a>(&'a self, email: &'a mail::Email) -> BoxFuture<'a, Result<(), MailError>> {
        self.0.lock().unwrap().push(email.clone());
        Box::pin(async { Ok(()) })
    }
}

/// A fixed test key, as `openssl genpkey -algorithm ed25519` would write it.
fn private_pem(seed: [u8; 32]) -> String {
    use ed25519_dalek::pkcs8::EncodePrivateKey;
    ed25519_dalek::SigningKey::from_bytes(&seed)
        .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .unwrap()
        .to_string()
}

const SEED: [u8; 32] = [7; 32];

struct Shop {
    identity: Identity,
    relay: platform::outbox::Relay,
    mail: Arc<Outbox>,
    key: SigningKey,
    _bus: Arc<dyn EventBus>,
    _dir: tempfile::TempDir,
}

const PASSWORD: &str = "violet meadow 42";

async fn shop(backend: Backend, tweak: impl FnOnce(&mut Config)) -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let url = match backend {
        Backend::Sqlite => platform::db::sqlite_url(&dir.path().join("identity.db")),
        Backend::Postgres => platform::db::testing::fresh_postgres_url().await,
    };
    let key_pem = private_pem(SEED);
    let key = SigningKey::from_pem(&key_pem).unwrap();
    let mut config = Config::new(key.clone(), "https://shop.test");
    config.limits.hashing_concurrency = 2;
    tweak(&mut config);
    let identity = Identity::open(&url, config).await.expect("identity opens");
    let bus: Arc<dyn EventBus> = Arc::new(InProcessBus::new());
    let mail = Arc::new(Outbox::default());
    bus.subscribe(identity.mail_subscription(mail.clone()))
        .await
        .unwrap();
    let relay = identity.outbox_relay(bus.clone());
    Shop {
        identity,
        relay,
        mail,
        key,
        _bus: bus,
        _dir: dir,
    }
}

impl Shop {
    async fn sign_up(&self, email: &str) {
        self.identity
            .sign_up(
                &PersonName::parse("Ann Lee").unwrap(),
                &Email::parse(email).unwrap(),
                &NewPassword::parse(PASSWORD, None).unwrap(),
            )
            .await
            .unwrap();
    }

    /// Relays the outbox and waits until `count` emails have been sent.
    async fn mails(&self, count: usize) -> Vec<mail::Email> {
        for _ in 0..200 {
            self.relay.relay_pending().await.unwrap();
            let sent = self.mail.0.lock().unwrap().clone();
            if sent.len() >= count {
                return sent;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "expected {count} emails, got {:?}",
            self.mail.0.lock().unwrap().len()
        );
    }

    async fn sign_in(&self, email: &str, password: &str) -> Result<identity::SignedIn, Error> {
        self.identity.sign_in(email, password, "192.0.2.1").await
    }
}

/// The token in the link of an email's plain-text body.
fn token_in(email: &mail::Email) -> String {
    let link = mail::links(&email.text)[0];
    link.split("token=")
        .nth(1)
        .expect("a token in the link")
        .to_owned()
}

async fn sign_up_verify_and_sign_in(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("Ann@Example.com ").await;
    let signed_in = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    assert!(!signed_in.principal.email_verified, "not verified yet");
    assert_eq!(signed_in.principal.role, Role::Customer);

    let mails = shop.mails(1).await;
    assert_eq!(mails[0].to, "ann@example.com");
    assert!(mails[0].subject.contains("Confirm your email"));
    assert!(
        mails[0]
            .html
            .contains("https://shop.test/account/verify?token=")
    );
    let token = token_in(&mails[0]);
    shop.identity.verify_email(&token).await.unwrap();
    // Single use.
    assert!(matches!(
        shop.identity.verify_email(&token).await,
        Err(Error::InvalidLink)
    ));
    let who = shop
        .identity
        .authenticate(&signed_in.access_token)
        .await
        .unwrap();
    assert!(who.email_verified);
    assert_eq!(who.name, "Ann Lee");
}

async fn unknown_email_and_wrong_password_get_the_same_answer(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    let wrong = shop
        .sign_in("ann@example.com", "not the password")
        .await
        .unwrap_err();
    let unknown = shop.sign_in("bob@example.com", PASSWORD).await.unwrap_err();
    let malformed = shop.sign_in("not an email", PASSWORD).await.unwrap_err();
    assert_eq!(wrong.to_string(), unknown.to_string());
    assert_eq!(wrong.to_string(), malformed.to_string());
    assert!(matches!(wrong, Error::InvalidCredentials));
}

async fn signing_up_twice_sends_the_owner_a_note_and_changes_nothing(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    shop.identity
        .sign_up(
            &PersonName::parse("Mallory").unwrap(),
            &Email::parse("ANN@example.com").unwrap(),
            &NewPassword::parse("another password 1", None).unwrap(),
        )
        .await
        .expect("the same answer as a new sign-up");
    let mails = shop.mails(2).await;
    assert!(mails.iter().any(|m| m.subject.contains("already have")));
    // The original password still works, the intruder's does not.
    assert!(shop.sign_in("ann@example.com", PASSWORD).await.is_ok());
    assert!(
        shop.sign_in("ann@example.com", "another password 1")
            .await
            .is_err()
    );
}

async fn sign_in_is_throttled_per_account_and_per_client(backend: Backend) {
    let shop = shop(backend, |c| {
        c.limits.failures_per_account = 3;
        c.limits.failures_per_client = 5;
    })
    .await;
    shop.sign_up("ann@example.com").await;
    for _ in 0..3 {
        assert!(matches!(
            shop.sign_in("ann@example.com", "wrong password").await,
            Err(Error::InvalidCredentials)
        ));
    }
    // Even the right password is refused while the account is paused.
    match shop.sign_in("ann@example.com", PASSWORD).await {
        Err(Error::Throttled { retry_after_secs }) => {
            assert!((1..=900).contains(&retry_after_secs))
        }
        other => panic!("expected a pause, got {other:?}"),
    }
    // From the same client, other accounts fail until its limit too.
    for n in 0..2 {
        let email = format!("guess{n}@example.com");
        assert!(matches!(
            shop.sign_in(&email, "x").await,
            Err(Error::InvalidCredentials)
        ));
    }
    assert!(matches!(
        shop.sign_in("someone@example.com", "x").await,
        Err(Error::Throttled { .. })
    ));
    // Another client can still sign in to an account that is not paused.
    shop.sign_up("bob@example.com").await;
    assert!(
        shop.identity
            .sign_in("bob@example.com", PASSWORD, "198.51.100.7")
            .await
            .is_ok()
    );
}

fn sign(key_pem: &str, alg: jsonwebtoken::Algorithm, claims: &AccessClaims) -> String {
    let key = match alg {
        jsonwebtoken::Algorithm::EdDSA => {
            jsonwebtoken::EncodingKey::from_ed_pem(key_pem.as_bytes()).unwrap()
        }
        _ => jsonwebtoken::EncodingKey::from_secret(key_pem.as_bytes()),
    };
    jsonwebtoken::encode(&jsonwebtoken::Header::new(alg), claims, &key).unwrap()
}

async fn forged_and_stale_access_tokens_are_refused(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    let session = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    let genuine = session.access_token.clone();
    assert!(shop.identity.authenticate(&genuine).await.is_ok());

    let claims: AccessClaims = {
        use base64::Engine;
        let payload = genuine.split('.').nth(1).unwrap();
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap();
        serde_json::from_slice(&json).unwrap()
    };
    let our_key = private_pem(SEED);
    let refused = |token: String, why: &'static str| {
        let identity = shop.identity.clone();
        async move {
            assert!(
                matches!(
                    identity.authenticate(&token).await,
                    Err(Error::Unauthenticated)
                ),
                "{why} must be refused"
            );
        }
    };

    // Tampered: a claim changed after signing (customer → admin).
    let mut parts: Vec<String> = genuine.split('.').map(str::to_owned).collect();
    {
        use base64::Engine;
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut forged = claims.clone();
        forged.role = Role::Admin;
        parts[1] = engine.encode(serde_json::to_vec(&forged).unwrap());
    }
    refused(parts.join("."), "a tampered token").await;

    // alg: none, no signature.
    {
        use base64::Engine;
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = engine.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = engine.encode(serde_json::to_vec(&claims).unwrap());
        refused(format!("{header}.{body}."), "alg none").await;
    }
    // HS256 keyed with the public key (algorithm confusion).
    let public = shop.key.public_pem();
    refused(
        sign(&public, jsonwebtoken::Algorithm::HS256, &claims),
        "HS256",
    )
    .await;
    // Signed by another key.
    let stranger = private_pem([9; 32]);
    refused(
        sign(&stranger, jsonwebtoken::Algorithm::EdDSA, &claims),
        "a stranger's key",
    )
    .await;
    // Expired, wrong audience, wrong issuer (each signed with our key).
    let now = claims.iat;
    let expired = AccessClaims {
        iat: now - 3600,
        exp: now - 600,
        ..claims.clone()
    };
    refused(
        sign(&our_key, jsonwebtoken::Algorithm::EdDSA, &expired),
        "an expired token",
    )
    .await;
    let other_aud = AccessClaims {
        aud: "elsewhere".into(),
        ..claims.clone()
    };
    refused(
        sign(&our_key, jsonwebtoken::Algorithm::EdDSA, &other_aud),
        "another audience",
    )
    .await;
    let other_iss = AccessClaims {
        iss: "someone".into(),
        ..claims.clone()
    };
    refused(
        sign(&our_key, jsonwebtoken::Algorithm::EdDSA, &other_iss),
        "another issuer",
    )
    .await;
    // Our own correctly signed copy still works: the refusals above are
    // about what was changed, not about signing in the test.
    let resigned = sign(&our_key, jsonwebtoken::Algorithm::EdDSA, &claims);
    assert!(shop.identity.authenticate(&resigned).await.is_ok());
    // The public verifier (what other services use) agrees.
    assert!(shop.identity.verifier().verify(&genuine).is_some());
    assert!(shop.identity.verifier().verify(&parts.join(".")).is_none());
}

async fn a_reused_refresh_token_revokes_its_whole_family(backend: Backend) {
    let shop = shop(backend, |c| c.limits.refresh_reuse_grace = Duration::ZERO).await;
    shop.sign_up("ann@example.com").await;
    let first = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    let Refreshed::Rotated(second) = shop.identity.refresh(&first.refresh_token).await.unwrap()
    else {
        panic!("expected new tokens");
    };
    assert_ne!(second.refresh_token, first.refresh_token);
    assert!(
        shop.identity
            .authenticate(&second.access_token)
            .await
            .is_ok()
    );
    tokio::time::sleep(Duration::from_millis(5)).await;
    // The first token again: theft. Everything from that sign-in dies.
    assert!(matches!(
        shop.identity.refresh(&first.refresh_token).await,
        Err(Error::Unauthenticated)
    ));
    assert!(matches!(
        shop.identity.refresh(&second.refresh_token).await,
        Err(Error::Unauthenticated)
    ));
    assert!(matches!(
        shop.identity.authenticate(&second.access_token).await,
        Err(Error::Unauthenticated)
    ));
    // Another sign-in is untouched.
    let other = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    assert!(
        shop.identity
            .authenticate(&other.access_token)
            .await
            .is_ok()
    );
    assert!(matches!(
        shop.identity.refresh("garbage").await,
        Err(Error::Unauthenticated)
    ));
}

async fn parallel_refreshes_of_one_browser_do_not_sign_it_out(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    let first = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    let (a, b) = tokio::join!(
        shop.identity.refresh(&first.refresh_token),
        shop.identity.refresh(&first.refresh_token)
    );
    let results = [a.unwrap(), b.unwrap()];
    let rotated: Vec<_> = results
        .iter()
        .filter_map(|r| match r {
            Refreshed::Rotated(s) => Some(s),
            Refreshed::Concurrent { .. } => None,
        })
        .collect();
    assert_eq!(
        rotated.len(),
        1,
        "one request rotates, the other rides along"
    );
    assert!(
        shop.identity
            .authenticate(&rotated[0].access_token)
            .await
            .is_ok()
    );
}

async fn sign_out_stops_tokens_at_once(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    let phone = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    let laptop = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    shop.identity.sign_out(&phone.principal).await.unwrap();
    assert!(
        shop.identity
            .authenticate(&phone.access_token)
            .await
            .is_err()
    );
    assert!(shop.identity.refresh(&phone.refresh_token).await.is_err());
    assert!(
        shop.identity
            .authenticate(&laptop.access_token)
            .await
            .is_ok()
    );

    shop.identity
        .sign_out_everywhere(&laptop.principal)
        .await
        .unwrap();
    assert!(
        shop.identity
            .authenticate(&laptop.access_token)
            .await
            .is_err()
    );
    assert!(shop.identity.refresh(&laptop.refresh_token).await.is_err());
}

async fn password_reset_by_email_signs_out_everywhere(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    let before = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    shop.mails(1).await;
    shop.identity
        .request_password_reset(&Email::parse("ann@example.com").unwrap())
        .await
        .unwrap();
    // An unknown address gets the same answer and no email.
    shop.identity
        .request_password_reset(&Email::parse("nobody@example.com").unwrap())
        .await
        .unwrap();
    let mails = shop.mails(2).await;
    let reset = mails.iter().find(|m| m.subject.contains("Reset")).unwrap();
    assert_eq!(reset.to, "ann@example.com");
    let token = token_in(reset);
    let new_password = NewPassword::parse("amber harbour 77", None).unwrap();
    shop.identity
        .reset_password(&token, &new_password)
        .await
        .unwrap();
    assert!(matches!(
        shop.identity.reset_password(&token, &new_password).await,
        Err(Error::InvalidLink)
    ));
    assert!(
        shop.identity
            .authenticate(&before.access_token)
            .await
            .is_err()
    );
    assert!(shop.identity.refresh(&before.refresh_token).await.is_err());
    assert!(matches!(
        shop.sign_in("ann@example.com", PASSWORD).await,
        Err(Error::InvalidCredentials)
    ));
    let after = shop
        .sign_in("ann@example.com", "amber harbour 77")
        .await
        .unwrap();
    assert!(
        after.principal.email_verified,
        "the link proved the address"
    );
    assert_eq!(shop.mails(3).await.len(), 3, "a 'password changed' notice");
    assert_eq!(
        shop.mail.0.lock().unwrap().len(),
        3,
        "nothing for the unknown address"
    );
}

async fn reset_links_expire(backend: Backend) {
    let shop = shop(backend, |c| c.limits.reset_ttl = Duration::from_millis(1)).await;
    shop.sign_up("ann@example.com").await;
    shop.identity
        .request_password_reset(&Email::parse("ann@example.com").unwrap())
        .await
        .unwrap();
    let mails = shop.mails(2).await;
    let reset = mails.iter().find(|m| m.subject.contains("Reset")).unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let new_password = NewPassword::parse("amber harbour 77", None).unwrap();
    assert!(matches!(
        shop.identity
            .reset_password(&token_in(reset), &new_password)
            .await,
        Err(Error::InvalidLink)
    ));
    assert!(shop.sign_in("ann@example.com", PASSWORD).await.is_ok());
}

async fn a_link_clicked_twice_at_once_works_once(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    let token = token_in(&shop.mails(1).await[0]);
    let (a, b) = tokio::join!(
        shop.identity.verify_email(&token),
        shop.identity.verify_email(&token)
    );
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1);
}

async fn a_duplicated_event_sends_one_email(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    let subscription = shop.identity.mail_subscription(shop.mail.clone());
    let event = contracts::identity::events::AccountEventV1 {
        user_id: "no-such-user".into(),
        email: "ann@example.com".into(),
        name: "Ann".into(),
    };
    let message = platform::bus::Message::new(
        contracts::identity::events::PASSWORD_CHANGED_V1,
        serde_json::to_vec(&event).unwrap(),
    );
    (subscription.handler)(message.clone()).await.unwrap();
    (subscription.handler)(message).await.unwrap();
    assert_eq!(shop.mail.0.lock().unwrap().len(), 1);
}

async fn smtp_down_is_retried_not_dropped(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    // A real SMTP client aimed at a port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let smtp = platform::mail::SmtpMailer::new(&platform::mail::SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        tls: false,
        username: None,
        password: None,
        from: "SURY <shop@example.com>".into(),
    })
    .unwrap();
    let subscription = shop.identity.mail_subscription(Arc::new(smtp));
    let event = contracts::identity::events::AccountEventV1 {
        user_id: "u".into(),
        email: "ann@example.com".into(),
        name: "Ann".into(),
    };
    let message = platform::bus::Message::new(
        contracts::identity::events::PASSWORD_CHANGED_V1,
        serde_json::to_vec(&event).unwrap(),
    );
    let err = (subscription.handler)(message.clone()).await.unwrap_err();
    assert!(
        matches!(err, platform::bus::HandlerError::Transient(_)),
        "{err:?}"
    );
    // Nothing was recorded as done: the retry will send it.
    let ok = (shop.identity.mail_subscription(shop.mail.clone()).handler)(message).await;
    assert!(ok.is_ok());
    assert_eq!(shop.mail.0.lock().unwrap().len(), 1);
    let malformed = platform::bus::Message::new(
        contracts::identity::events::PASSWORD_CHANGED_V1,
        b"{".to_vec(),
    );
    assert!(matches!(
        (subscription.handler)(malformed).await,
        Err(platform::bus::HandlerError::Permanent(_))
    ));
}

async fn the_first_admin_is_granted_by_command(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    let email = Email::parse("owner@example.com").unwrap();
    let created = shop
        .identity
        .grant_role(
            &email,
            &PersonName::parse("Owner").unwrap(),
            &NewPassword::parse("shop owner secret", None).unwrap(),
            Role::Admin,
        )
        .await
        .unwrap();
    assert!(created);
    let owner = shop
        .sign_in("owner@example.com", "shop owner secret")
        .await
        .unwrap();
    assert_eq!(owner.principal.role, Role::Admin);
    assert!(owner.principal.email_verified);
    // Granting a role to an existing customer keeps their password.
    shop.sign_up("clerk@example.com").await;
    let created = shop
        .identity
        .grant_role(
            &Email::parse("clerk@example.com").unwrap(),
            &PersonName::parse("x").unwrap(),
            &NewPassword::parse("ignored password", None).unwrap(),
            Role::Staff,
        )
        .await
        .unwrap();
    assert!(!created);
    let clerk = shop.sign_in("clerk@example.com", PASSWORD).await.unwrap();
    assert_eq!(clerk.principal.role, Role::Staff);
}

async fn changing_the_password_keeps_this_session_only(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    let here = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    let there = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    let new = NewPassword::parse("amber harbour 77", None).unwrap();
    assert!(matches!(
        shop.identity
            .change_password(&here.principal, "wrong current", &new)
            .await,
        Err(Error::InvalidCredentials)
    ));
    shop.identity
        .change_password(&here.principal, PASSWORD, &new)
        .await
        .unwrap();
    assert!(shop.identity.refresh(&there.refresh_token).await.is_err());
    // This device's access token is from before the change; its refresh
    // token still works and brings a current one.
    assert!(
        shop.identity
            .authenticate(&here.access_token)
            .await
            .is_err()
    );
    let Refreshed::Rotated(renewed) = shop.identity.refresh(&here.refresh_token).await.unwrap()
    else {
        panic!("expected new tokens")
    };
    assert!(
        shop.identity
            .authenticate(&renewed.access_token)
            .await
            .is_ok()
    );
}

async fn profile_name_and_phone_are_kept(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    let ann = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    let profile = shop.identity.profile(&ann.principal).await.unwrap();
    assert_eq!((profile.name.as_str(), profile.phone), ("Ann Lee", None));
    let phone = Phone::parse("+44 20 7946 0958").unwrap();
    shop.identity
        .update_profile(
            &ann.principal,
            &PersonName::parse("Ann Lee-Smith").unwrap(),
            Some(&phone),
        )
        .await
        .unwrap();
    let profile = shop.identity.profile(&ann.principal).await.unwrap();
    assert_eq!(profile.name, "Ann Lee-Smith");
    assert_eq!(profile.phone.as_deref(), Some("+44 20 7946 0958"));
    // The name in the session follows the profile at once.
    let who = shop.identity.authenticate(&ann.access_token).await.unwrap();
    assert_eq!(who.name, "Ann Lee-Smith");
    shop.identity
        .update_profile(&ann.principal, &PersonName::parse("Ann").unwrap(), None)
        .await
        .unwrap();
    assert_eq!(
        shop.identity.profile(&ann.principal).await.unwrap().phone,
        None
    );
}

async fn a_new_email_takes_effect_only_once_confirmed(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    let ann = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    let new = Email::parse("ann.lee@example.org").unwrap();
    assert!(matches!(
        shop.identity
            .request_email_change(&ann.principal, "not my password", &new)
            .await,
        Err(Error::InvalidCredentials)
    ));
    shop.identity
        .request_email_change(&ann.principal, PASSWORD, &new)
        .await
        .unwrap();
    let profile = shop.identity.profile(&ann.principal).await.unwrap();
    assert_eq!(
        profile.email, "ann@example.com",
        "unchanged until confirmed"
    );
    assert_eq!(
        profile.pending_email.as_deref(),
        Some("ann.lee@example.org")
    );
    // Sign-up verification mail, then the change link to the new address.
    let mails = shop.mails(2).await;
    let verify_old = mails
        .iter()
        .find(|m| m.subject.contains("Confirm your email"))
        .unwrap();
    let link_mail = mails
        .iter()
        .find(|m| m.subject.contains("new email"))
        .unwrap();
    assert_eq!(link_mail.to, "ann.lee@example.org");
    assert!(
        link_mail
            .text
            .contains("https://shop.test/account/confirm-email?token=")
    );
    shop.identity
        .confirm_email_change(&token_in(link_mail))
        .await
        .unwrap();

    let profile = shop.identity.profile(&ann.principal).await.unwrap();
    assert_eq!(profile.email, "ann.lee@example.org");
    assert!(profile.email_verified, "the link reached the new address");
    assert_eq!(profile.pending_email, None);
    assert!(matches!(
        shop.identity
            .confirm_email_change(&token_in(link_mail))
            .await,
        Err(Error::InvalidLink)
    ));
    // Links sent to the old address stop working.
    assert!(matches!(
        shop.identity.verify_email(&token_in(verify_old)).await,
        Err(Error::InvalidLink)
    ));
    let mails = shop.mails(3).await;
    let notice = mails
        .iter()
        .find(|m| m.subject.contains("was changed"))
        .unwrap();
    assert_eq!(notice.to, "ann@example.com");
    assert!(notice.text.contains("ann.lee@example.org"));
    assert!(shop.sign_in("ann.lee@example.org", PASSWORD).await.is_ok());
    assert!(matches!(
        shop.sign_in("ann@example.com", PASSWORD).await,
        Err(Error::InvalidCredentials)
    ));
}

async fn an_address_with_an_account_is_never_taken_over(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    shop.sign_up("bob@example.com").await;
    shop.mails(2).await;
    let ann = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    let bob = Email::parse("bob@example.com").unwrap();
    // Same answer as for a free address.
    shop.identity
        .request_email_change(&ann.principal, PASSWORD, &bob)
        .await
        .unwrap();
    let mails = shop.mails(3).await;
    assert_eq!(mails[2].to, "bob@example.com");
    assert!(mails[2].subject.contains("refused"));
    assert!(
        mail::links(&mails[2].text)
            .iter()
            .all(|l| !l.contains("token="))
    );

    // A free address that gets an account before the link is followed.
    let free = Email::parse("cat@example.com").unwrap();
    shop.identity
        .request_email_change(&ann.principal, PASSWORD, &free)
        .await
        .unwrap();
    let link = shop.mails(4).await[3].clone();
    shop.sign_up("cat@example.com").await;
    assert!(matches!(
        shop.identity.confirm_email_change(&token_in(&link)).await,
        Err(Error::EmailTaken)
    ));
    let profile = shop.identity.profile(&ann.principal).await.unwrap();
    assert_eq!(profile.email, "ann@example.com");
}

async fn only_the_newest_email_change_link_works(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    shop.mails(1).await;
    let ann = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    for (new, count) in [("first@example.com", 2), ("second@example.com", 3)] {
        shop.identity
            .request_email_change(&ann.principal, PASSWORD, &Email::parse(new).unwrap())
            .await
            .unwrap();
        shop.mails(count).await;
    }
    let mails = shop.mails(3).await;
    assert!(matches!(
        shop.identity
            .confirm_email_change(&token_in(&mails[1]))
            .await,
        Err(Error::InvalidLink)
    ));
    shop.identity
        .confirm_email_change(&token_in(&mails[2]))
        .await
        .unwrap();
    let profile = shop.identity.profile(&ann.principal).await.unwrap();
    assert_eq!(profile.email, "second@example.com");
}

async fn email_change_links_are_rate_limited(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    let ann = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    for n in 0..3 {
        let new = Email::parse(&format!("ann{n}@example.org")).unwrap();
        shop.identity
            .request_email_change(&ann.principal, PASSWORD, &new)
            .await
            .unwrap();
    }
    let fourth = Email::parse("ann3@example.org").unwrap();
    assert!(matches!(
        shop.identity
            .request_email_change(&ann.principal, PASSWORD, &fourth)
            .await,
        Err(Error::Throttled { .. })
    ));
    let profile = shop.identity.profile(&ann.principal).await.unwrap();
    assert_eq!(
        profile.pending_email.as_deref(),
        Some("ann2@example.org"),
        "the refused one changed nothing"
    );
}

fn address(recipient: &str, postal_code: &str) -> Address {
    Address::parse(&AddressFieldsV1 {
        recipient: recipient.into(),
        line1: "1 Main Street".into(),
        city: "Leeds".into(),
        postal_code: postal_code.into(),
        country: "GB".into(),
        ..AddressFieldsV1::default()
    })
    .unwrap()
}

async fn the_address_book_keeps_one_default(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    let ann = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    let who = &ann.principal;
    let home = shop
        .identity
        .save_address(who, None, &address("Ann", "LS1 1AA"), false)
        .await
        .unwrap();
    let work = shop
        .identity
        .save_address(who, None, &address("Ann at work", "LS2 2BB"), false)
        .await
        .unwrap();
    let book = shop.identity.addresses(who).await.unwrap();
    let defaults: Vec<_> = book
        .iter()
        .map(|a| (a.id.as_str(), a.default_shipping))
        .collect();
    assert_eq!(
        defaults,
        [(home.as_str(), true), (work.as_str(), false)],
        "the first is the default"
    );

    shop.identity.set_default_address(who, &work).await.unwrap();
    shop.identity
        .save_address(who, Some(&home), &address("Ann Lee", "ls1 1ab"), false)
        .await
        .unwrap();
    let home_now = shop.identity.address(who, &home).await.unwrap();
    assert_eq!(home_now.fields.recipient, "Ann Lee");
    assert_eq!(home_now.fields.postal_code, "LS1 1AB");
    assert!(!home_now.default_shipping);

    // Deleting the default hands it to the oldest remaining address.
    shop.identity.delete_address(who, &work).await.unwrap();
    let book = shop.identity.addresses(who).await.unwrap();
    assert_eq!(book.len(), 1);
    assert!(book[0].default_shipping);
    shop.identity.delete_address(who, &home).await.unwrap();
    assert!(shop.identity.addresses(who).await.unwrap().is_empty());
}

async fn nobody_touches_another_persons_addresses(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    shop.sign_up("bob@example.com").await;
    let ann = shop
        .sign_in("ann@example.com", PASSWORD)
        .await
        .unwrap()
        .principal;
    let bob = shop
        .sign_in("bob@example.com", PASSWORD)
        .await
        .unwrap()
        .principal;
    let anns = shop
        .identity
        .save_address(&ann, None, &address("Ann", "LS1 1AA"), true)
        .await
        .unwrap();
    assert!(matches!(
        shop.identity.address(&bob, &anns).await,
        Err(Error::NoSuchAddress)
    ));
    assert!(matches!(
        shop.identity
            .save_address(&bob, Some(&anns), &address("Bob", "LS9 9ZZ"), false)
            .await,
        Err(Error::NoSuchAddress)
    ));
    assert!(matches!(
        shop.identity.delete_address(&bob, &anns).await,
        Err(Error::NoSuchAddress)
    ));
    assert!(matches!(
        shop.identity.set_default_address(&bob, &anns).await,
        Err(Error::NoSuchAddress)
    ));
    let book = shop.identity.addresses(&ann).await.unwrap();
    assert_eq!(book[0].fields.recipient, "Ann");
    assert!(shop.identity.addresses(&bob).await.unwrap().is_empty());
}

async fn the_address_book_has_a_limit(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    shop.sign_up("ann@example.com").await;
    let ann = shop
        .sign_in("ann@example.com", PASSWORD)
        .await
        .unwrap()
        .principal;
    for _ in 0..Identity::MAX_ADDRESSES {
        shop.identity
            .save_address(&ann, None, &address("Ann", "LS1 1AA"), false)
            .await
            .unwrap();
    }
    assert!(matches!(
        shop.identity
            .save_address(&ann, None, &address("Ann", "LS1 1AA"), false)
            .await,
        Err(Error::AddressBookFull { max: 20 })
    ));
    assert_eq!(
        shop.identity.addresses(&ann).await.unwrap().len(),
        Identity::MAX_ADDRESSES
    );
}

platform::on_both_backends!(
    profile_name_and_phone_are_kept,
    a_new_email_takes_effect_only_once_confirmed,
    an_address_with_an_account_is_never_taken_over,
    only_the_newest_email_change_link_works,
    email_change_links_are_rate_limited,
    the_address_book_keeps_one_default,
    nobody_touches_another_persons_addresses,
    the_address_book_has_a_limit,
    sign_up_verify_and_sign_in,
    unknown_email_and_wrong_password_get_the_same_answer,
    signing_up_twice_sends_the_owner_a_note_and_changes_nothing,
    sign_in_is_throttled_per_account_and_per_client,
    forged_and_stale_access_tokens_are_refused,
    a_reused_refresh_token_revokes_its_whole_family,
    parallel_refreshes_of_one_browser_do_not_sign_it_out,
    sign_out_stops_tokens_at_once,
    password_reset_by_email_signs_out_everywhere,
    reset_links_expire,
    a_link_clicked_twice_at_once_works_once,
    a_duplicated_event_sends_one_email,
    smtp_down_is_retried_not_dropped,
    the_first_admin_is_granted_by_command,
    changing_the_password_keeps_this_session_only,
);
