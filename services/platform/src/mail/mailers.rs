//! The mailers: SMTP through lettre, and `.eml` files.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use super::{Email, MailError, Mailer, links};
use crate::bus::BoxFuture;

fn build(from: &Mailbox, email: &Email) -> Result<Message, MailError> {
    let to: Mailbox = email
        .to
        .parse()
        .map_err(|_| MailError::BadAddress(email.to.clone()))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(email.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            email.html.clone(),
        ))
        .map_err(|e| MailError::Build(Box::new(e)))
}

fn mailbox(from: &str) -> Result<Mailbox, MailError> {
    from.parse()
        .map_err(|_| MailError::BadAddress(from.to_owned()))
}

/// SMTP settings. The password is a secret: `Debug` shows a placeholder.
#[derive(Clone, Debug)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// STARTTLS required; off only for a local test server.
    pub tls: bool,
    pub username: Option<String>,
    pub password: Option<crate::secret::Secret<String>>,
    pub from: String,
}

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(config: &SmtpConfig) -> Result<Self, MailError> {
        let builder = if config.tls {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)
                .map_err(|e| MailError::Smtp(Box::new(e)))?
        } else {
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
        };
        let mut builder = builder
            .port(config.port)
            .timeout(Some(Duration::from_secs(10)));
        if let (Some(user), Some(password)) = (&config.username, &config.password) {
            builder =
                builder.credentials(Credentials::new(user.clone(), password.expose().clone()));
        }
        Ok(Self {
            transport: builder.build(),
            from: mailbox(&config.from)?,
        })
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, email: &'a Email) -> BoxFuture<'a, Result<(), MailError>> {
        Box::pin(async move {
            let message = build(&self.from, email)?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Smtp(Box::new(e)))
        })
    }
}

/// Writes each message to `<dir>/<uuid>.eml` and logs its links.
pub struct FileMailer {
    dir: PathBuf,
    from: Mailbox,
}

impl FileMailer {
    pub fn new(dir: impl Into<PathBuf>, from: &str) -> Result<Self, MailError> {
        Ok(Self {
            dir: dir.into(),
            from: mailbox(from)?,
        })
    }
}

impl Mailer for FileMailer {
    fn send<'a>(&'a self, email: &'a Email) -> BoxFuture<'a, Result<(), MailError>> {
        Box::pin(async move {
            let message = build(&self.from, email)?;
            tokio::fs::create_dir_all(&self.dir)
                .await
                .map_err(MailError::File)?;
            let path = self.dir.join(format!("{}.eml", Uuid::now_v7()));
            // Written under a temporary name and renamed, so a reader never
            // sees half a message.
            let partial = path.with_extension("eml.partial");
            tokio::fs::write(&partial, message.formatted())
                .await
                .map_err(MailError::File)?;
            tokio::fs::rename(&partial, &path)
                .await
                .map_err(MailError::File)?;
            for link in links(&email.text) {
                tracing::info!(to = %email.to, subject = %email.subject, %link, file = %path.display(), "mail written");
            }
            Ok(())
        })
    }
}
