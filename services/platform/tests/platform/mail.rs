//! Mail through a real SMTP server (maildev from npm, started here) and to
//! `.eml` files.

use std::time::{Duration, Instant};

use platform::mail::testing::{free_port, start_maildev};
use platform::mail::{Email, FileMailer, MailError, Mailer, SmtpConfig, SmtpMailer};

fn welcome(to: &str) -> Email {
    Email {
        to: to.into(),
        subject: "Confirm your SURY account".into(),
        text: "Welcome! Confirm here: http://127.0.0.1:3000/account/verify?token=abc".into(),
        html:
            "<p>Welcome! <a href=\"http://127.0.0.1:3000/account/verify?token=abc\">Confirm</a></p>"
                .into(),
    }
}

fn smtp_config(port: u16) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        tls: false,
        username: None,
        password: None,
        from: "SURY <shop@sury.test>".into(),
    }
}

#[tokio::test]
async fn smtp_delivers_text_and_html_to_a_real_server() {
    let maildev = start_maildev();
    let mailer = SmtpMailer::new(&smtp_config(maildev.smtp)).unwrap();
    mailer.send(&welcome("ada@example.com")).await.unwrap();

    let body = reqwest::get(format!("http://127.0.0.1:{}/api/email", maildev.web))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let inbox: serde_json::Value = serde_json::from_str(&body).expect("maildev's JSON");
    let mail = &inbox.as_array().expect("a list of messages")[0];
    assert_eq!(mail["subject"], "Confirm your SURY account");
    assert_eq!(mail["to"][0]["address"], "ada@example.com");
    assert!(mail["text"].as_str().unwrap().contains("verify?token=abc"));
    assert!(mail["html"].as_str().unwrap().contains("<a href="));
}

#[tokio::test]
async fn an_unreachable_server_is_a_transient_error_not_a_hang() {
    let mailer = SmtpMailer::new(&smtp_config(free_port())).unwrap();
    let started = Instant::now();
    let err = mailer.send(&welcome("ada@example.com")).await.unwrap_err();
    assert!(err.is_transient(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(12));
}

#[tokio::test]
async fn a_bad_address_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let mailer = FileMailer::new(dir.path(), "shop@sury.test").unwrap();
    let err = mailer.send(&welcome("not an address")).await.unwrap_err();
    assert!(matches!(err, MailError::BadAddress(_)), "{err:?}");
    assert!(!err.is_transient());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn the_embedded_shape_writes_eml_files() {
    let dir = tempfile::tempdir().unwrap();
    let mailer = FileMailer::new(dir.path().join("mail"), "SURY <shop@sury.test>").unwrap();
    mailer.send(&welcome("ada@example.com")).await.unwrap();
    let files: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].extension().unwrap(), "eml");
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    assert!(eml.contains("Subject: Confirm your SURY account"));
    assert!(eml.contains("To: ada@example.com"));
    assert!(eml.contains("multipart/alternative"));
    assert!(eml.contains("text/html"));
}
