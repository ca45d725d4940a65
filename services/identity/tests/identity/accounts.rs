//! Identity against real databases (SQLite as embedded, PostgreSQL as
//! distributed), with its events going through the outbox and an
//! in-process bus to its mail consumer.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use contracts::identity::Role;
use identity::{Config, Email, Error, Identity, NewPassword, PersonName, SigningKey};
use platform::bus::{BoxFuture, EventBus, InProcessBus};
use platform::db::Backend;
use platform::mail::{self, MailError, Mailer};

/// Keeps what identity sends, so a test can follow the links.
#[derive(Default)]
pub(crate) struct Outbox(Mutex<Vec<mail::Email>>);

impl Mailer for Outbox {
    fn send<'a>(&'a self, email: &'a mail::Email) -> BoxFuture<'a, Result<(), MailError>> {
        self.0.lock().unwrap().push(email.clone());
        Box::pin(async { Ok(()) })
    }
}

/// A fixed test key, as `openssl genpkey -algorithm ed25519` would write it.
pub(crate) fn private_pem(seed: [u8; 32]) -> String {
    use ed25519_dalek::pkcs8::EncodePrivateKey;
    ed25519_dalek::SigningKey::from_bytes(&seed)
        .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .unwrap()
        .to_string()
}

pub(crate) const SEED: [u8; 32] = [7; 32];

pub(crate) struct Shop {
    pub(crate) identity: Identity,
    pub(crate) relay: platform::outbox::Relay,
    pub(crate) mail: Arc<Outbox>,
    pub(crate) key: SigningKey,
    _bus: Arc<dyn EventBus>,
    _dir: tempfile::TempDir,
}

pub(crate) const PASSWORD: &str = "violet meadow 42";

pub(crate) async fn shop(backend: Backend, tweak: impl FnOnce(&mut Config)) -> Shop {
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
    pub(crate) async fn sign_up(&self, email: &str) {
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
    pub(crate) async fn mails(&self, count: usize) -> Vec<mail::Email> {
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

    pub(crate) async fn sign_in(
        &self,
        email: &str,
        password: &str,
    ) -> Result<identity::SignedIn, Error> {
        self.identity.sign_in(email, password, "192.0.2.1").await
    }
}

/// The token in the link of an email's plain-text body.
pub(crate) fn token_in(email: &mail::Email) -> String {
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

platform::on_both_backends!(
    sign_up_verify_and_sign_in,
    unknown_email_and_wrong_password_get_the_same_answer,
    signing_up_twice_sends_the_owner_a_note_and_changes_nothing,
    sign_in_is_throttled_per_account_and_per_client,
    password_reset_by_email_signs_out_everywhere,
    reset_links_expire,
    a_link_clicked_twice_at_once_works_once,
    a_duplicated_event_sends_one_email,
    smtp_down_is_retried_not_dropped,
    the_first_admin_is_granted_by_command,
);
