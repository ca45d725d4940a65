//! What the identity scenarios share: identity on a fresh database with
//! its mail consumer on an in-process bus, the mail it sends kept for the
//! test to read, and the steps nearly every scenario starts with.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use identity::{Config, Email, Error, Identity, NewPassword, PersonName, SignedIn, SigningKey};
use platform::bus::{BoxFuture, EventBus, InProcessBus};
use platform::db::Backend;
use platform::mail::{self, MailError, Mailer};

pub(crate) const PASSWORD: &str = "violet meadow 42";

pub(crate) const SEED: [u8; 32] = [7; 32];

/// Keeps what identity sends, so a test can follow the links.
#[derive(Default)]
pub(crate) struct Outbox(Mutex<Vec<mail::Email>>);

impl Outbox {
    pub(crate) fn sent(&self) -> Vec<mail::Email> {
        self.0.lock().unwrap().clone()
    }
}

impl Mailer for Outbox {
    fn send<'a>(&'a self, email: &'a mail::Email) -> BoxFuture<'a, Result<(), MailError>> {
        self.0.lock().unwrap().push(email.clone());
        Box::pin(async { Ok(()) })
    }
}

/// Identity's outbox relayed to its own mail consumer, writing to an
/// `Outbox`: the way its emails leave in production, kept in memory.
pub(crate) struct Mailroom {
    pub(crate) relay: platform::outbox::Relay,
    pub(crate) mail: Arc<Outbox>,
    _bus: Arc<dyn EventBus>,
}

impl Mailroom {
    pub(crate) async fn of(identity: &Identity) -> Self {
        let bus: Arc<dyn EventBus> = Arc::new(InProcessBus::new());
        let mail = Arc::new(Outbox::default());
        bus.subscribe(identity.mail_subscription(mail.clone()))
            .await
            .unwrap();
        let relay = identity.outbox_relay(bus.clone());
        Self {
            relay,
            mail,
            _bus: bus,
        }
    }

    /// Relays the outbox until `until` holds for what was sent.
    pub(crate) async fn wait_for<T>(
        &self,
        what: &str,
        until: impl Fn(&[mail::Email]) -> Option<T>,
    ) -> T {
        for _ in 0..200 {
            self.relay.relay_pending().await.unwrap();
            if let Some(found) = until(&self.mail.sent()) {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("{what}: only {} emails were sent", self.mail.sent().len());
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

pub(crate) struct Shop {
    pub(crate) identity: Identity,
    pub(crate) mailroom: Mailroom,
    pub(crate) key: SigningKey,
    _dir: tempfile::TempDir,
}

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
    let mailroom = Mailroom::of(&identity).await;
    Shop {
        identity,
        mailroom,
        key,
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

    /// Signs `email` up and in: the start of most scenarios.
    pub(crate) async fn signed_in(&self, email: &str) -> SignedIn {
        self.sign_up(email).await;
        self.sign_in(email, PASSWORD).await.unwrap()
    }

    /// Relays the outbox and waits until `count` emails have been sent.
    pub(crate) async fn mails(&self, count: usize) -> Vec<mail::Email> {
        let what = format!("expected {count} emails");
        self.mailroom
            .wait_for(&what, |sent| (sent.len() >= count).then(|| sent.to_vec()))
            .await
    }

    /// Emails sent so far, without waiting.
    pub(crate) fn sent(&self) -> usize {
        self.mailroom.mail.sent().len()
    }

    pub(crate) async fn sign_in(&self, email: &str, password: &str) -> Result<SignedIn, Error> {
        self.identity.sign_in(email, password, "192.0.2.1").await
    }

    /// Whether identity still accepts `access_token`.
    pub(crate) async fn authenticates(&self, access_token: &str) -> bool {
        self.identity.authenticate(access_token).await.is_ok()
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
