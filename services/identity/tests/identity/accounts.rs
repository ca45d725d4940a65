//! Identity against real databases (SQLite as embedded, PostgreSQL as
//! distributed), with its events going through the outbox and an
//! in-process bus to its mail consumer.

use std::sync::Arc;
use std::time::Duration;

use contracts::identity::Role;
use identity::{Email, Error, NewPassword, PersonName};
use platform::db::Backend;

use crate::support::{PASSWORD, Shop, shop, token_in};

/// Asks for a password reset for `email`: an account's or not, the same
/// answer.
async fn forgot_password(shop: &Shop, email: &str) {
    let email = Email::parse(email).unwrap();
    shop.identity.request_password_reset(&email).await.unwrap();
}

/// The reset email among those sent.
fn reset_mail(mails: &[platform::mail::Email]) -> &platform::mail::Email {
    let reset = mails.iter().find(|m| m.subject.contains("Reset"));
    reset.expect("a reset email")
}

/// The event identity's consumer turns into a "password changed" email.
fn password_changed(user_id: &str) -> platform::bus::Message {
    let event = contracts::identity::events::AccountEventV1 {
        user_id: user_id.into(),
        email: "ann@example.com".into(),
        name: "Ann".into(),
    };
    platform::bus::Message::new(
        contracts::identity::events::PASSWORD_CHANGED_V1,
        serde_json::to_vec(&event).unwrap(),
    )
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
    let before = shop.signed_in("ann@example.com").await;
    shop.mails(1).await;
    forgot_password(&shop, "ann@example.com").await;
    // An unknown address gets the same answer and no email.
    forgot_password(&shop, "nobody@example.com").await;
    let mails = shop.mails(2).await;
    let reset = reset_mail(&mails);
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
    assert!(!shop.authenticates(&before.access_token).await);
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
    assert_eq!(shop.sent(), 3, "nothing for the unknown address");
}

async fn reset_links_expire(backend: Backend) {
    let shop = shop(backend, |c| c.limits.reset_ttl = Duration::from_millis(1)).await;
    shop.sign_up("ann@example.com").await;
    forgot_password(&shop, "ann@example.com").await;
    let mails = shop.mails(2).await;
    let reset = reset_mail(&mails);
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
    let outbox = shop.mailroom.mail.clone();
    let subscription = shop.identity.mail_subscription(outbox);
    let message = password_changed("no-such-user");
    (subscription.handler)(message.clone()).await.unwrap();
    (subscription.handler)(message).await.unwrap();
    assert_eq!(shop.sent(), 1);
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
    let message = password_changed("u");
    let err = (subscription.handler)(message.clone()).await.unwrap_err();
    assert!(
        matches!(err, platform::bus::HandlerError::Transient(_)),
        "{err:?}"
    );
    // Nothing was recorded as done: the retry will send it.
    let outbox = shop.mailroom.mail.clone();
    let ok = (shop.identity.mail_subscription(outbox).handler)(message).await;
    assert!(ok.is_ok());
    assert_eq!(shop.sent(), 1);
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
