//! Outgoing mail. Two ways out, one interface: SMTP through lettre
//! (distributed shape) or `.eml` files in a folder with every link logged
//! (embedded shape, so a newcomer can follow a verification link without a
//! mail server).
//!
//! A service writes [`Email`]s to a [`Mailer`] and links nothing else; the
//! mailers themselves (and lettre) come with the `mailers` feature, which
//! only the process that sends mail turns on.

use sqlx::{AnyConnection, AnyPool};
use thiserror::Error;

use crate::bus::{BoxFuture, HandlerError, Message};
use crate::inbox;

#[cfg(feature = "mailers")]
mod mailers;
mod template;
#[cfg(feature = "mailers")]
pub use mailers::{FileMailer, SmtpConfig, SmtpMailer};
pub use template::{Slot, Template};

/// What went wrong in a mail library, kept as the cause.
type Cause = Box<dyn std::error::Error + Send + Sync>;

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
    Build(#[source] Cause),
    #[error("the mail server refused or could not be reached")]
    Smtp(#[source] Cause),
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

/// Sends the email `compose` writes for `message` (on a connection it may
/// use), once per `consumer`. A mail server cannot join a transaction, so
/// the inbox is checked before sending and written after: a redelivered
/// event sends nothing, and only a crash between the server's acceptance
/// and the inbox write could send one twice. `compose` answering `None`
/// (nothing to say any more) still records the event.
pub async fn send_once<E>(
    pool: &AnyPool,
    consumer: &str,
    message: &Message,
    mailer: &dyn Mailer,
    compose: impl AsyncFnOnce(&mut AnyConnection) -> Result<Option<Email>, E>,
) -> Result<(), HandlerError>
where
    E: std::error::Error + From<sqlx::Error> + 'static,
{
    let transient = |err: E| HandlerError::transient(&err);
    let mut conn = pool.acquire().await.map_err(|e| transient(e.into()))?;
    if inbox::seen(&mut conn, consumer, message.id)
        .await
        .map_err(|e| transient(e.into()))?
    {
        return Ok(());
    }
    if let Some(email) = compose(&mut conn).await.map_err(transient)? {
        mailer
            .send(&email)
            .await
            .map_err(|err| HandlerError::mail(&err))?;
    }
    inbox::first_time(&mut conn, consumer, message.id)
        .await
        .map_err(|e| transient(e.into()))?;
    Ok(())
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
