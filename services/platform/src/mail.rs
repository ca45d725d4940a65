//! Outgoing mail. Two ways out, one interface: SMTP through lettre
//! (distributed shape) or `.eml` files in a folder with every link logged
//! (embedded shape, so a newcomer can follow a verification link without a
//! mail server).

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use thiserror::Error;
use uuid::Uuid;

use crate::bus::BoxFuture;

/// One message, with a plain-text and an HTML body.
#[derive(Clone, Debug)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, Error)]
pub enum MailError {
    #[error("not a valid email address: {0:?}")]
    BadAddress(String),
    #[error("the message could not be built")]
    Build(#[source] lettre::error::Error),
    #[error("the mail server refused or could not be reached")]
    Smtp(#[source] lettre::transport::smtp::Error),
    #[error("the mail file could not be written")]
    File(#[source] std::io::Error),
}

impl MailError {
    /// Worth retrying later (a consumer returns a transient error then).
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Smtp(_) | Self::File(_))
    }
}

/// Text made safe to put in an email's HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A small, readable HTML body; `parts` are already escaped HTML.
pub fn paragraphs(parts: &[&str]) -> String {
    let body: String = parts.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html><html><body style=\"font-family:sans-serif;line-height:1.5;color:#1c1917\">\n{body}</body></html>"
    )
}

pub trait Mailer: Send + Sync {
    fn send<'a>(&'a self, email: &'a Email) -> BoxFuture<'a, Result<(), MailError>>;
}

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
        .map_err(MailError::Build)
}

fn mailbox(from: &str) -> Result<Mailbox, MailError> {
    from.parse()
        .map_err(|_| MailError::BadAddress(from.to_owned()))
}

/// SMTP settings. The password is a secret: `Debug` leaves it out.
#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// STARTTLS required; off only for a local test server.
    pub tls: bool,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(config: &SmtpConfig) -> Result<Self, MailError> {
        let builder = if config.tls {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)
                .map_err(MailError::Smtp)?
        } else {
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
        };
        let mut builder = builder
            .port(config.port)
            .timeout(Some(Duration::from_secs(10)));
        if let (Some(user), Some(password)) = (&config.username, &config.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
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
                .map_err(MailError::Smtp)
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

/// The http(s) links in a text body.
pub fn links(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
        .filter(|word| word.starts_with("http://") || word.starts_with("https://"))
        .map(|word| word.trim_end_matches(['.', ',', ')', ';']))
        .collect()
}

/// A real SMTP server for tests: maildev from the repository's npm
/// packages, on free ports, stopped when dropped.
pub mod testing {
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    pub struct Maildev {
        child: Child,
        pub smtp: u16,
        /// maildev's HTTP API: `GET /api/email` lists what arrived.
        pub web: u16,
    }

    impl Drop for Maildev {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    pub fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port()
    }

    pub fn start_maildev() -> Maildev {
        let bin = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../node_modules/.bin/maildev"
        );
        assert!(
            std::path::Path::new(bin).exists(),
            "maildev is missing at {bin}: run `npm ci` in the repository (make test does)"
        );
        let (smtp, web) = (free_port(), free_port());
        let child = Command::new(bin)
            .args([
                "--smtp",
                &smtp.to_string(),
                "--web",
                &web.to_string(),
                "--ip",
                "127.0.0.1",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("maildev starts");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", smtp)).is_err()
            || std::net::TcpStream::connect(("127.0.0.1", web)).is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "maildev did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Maildev { child, smtp, web }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_are_found_in_plain_text() {
        let text = "Confirm: https://shop.example/verify?t=abc. Or <http://x.test/a>, thanks";
        assert_eq!(
            super::links(text),
            ["https://shop.example/verify?t=abc", "http://x.test/a"]
        );
    }

    #[test]
    fn names_are_escaped_in_html() {
        assert_eq!(
            super::escape("<b>Ann & \"Bo\"</b>"),
            "&lt;b&gt;Ann &amp; &quot;Bo&quot;&lt;/b&gt;"
        );
    }
}
