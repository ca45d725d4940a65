//! A person's own account: password, profile, email address and address
//! book, on both databases.

use contracts::identity::AddressFieldsV1;
use identity::{Address, Email, Error, Identity, NewPassword, PersonName, Phone, Refreshed};
use platform::db::Backend;
use platform::mail;

use crate::support::{PASSWORD, shop, token_in};

/// Checks that `change` is refused with a wrong current password, then
/// makes it with the right one.
async fn only_with_the_password<F, Fut>(change: F)
where
    F: Fn(&'static str) -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>>,
{
    let wrong = change("not the password").await;
    assert!(matches!(wrong, Err(Error::InvalidCredentials)), "{wrong:?}");
    change(PASSWORD).await.unwrap();
}

async fn changing_the_password_keeps_this_session_only(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    let here = shop.signed_in("ann@example.com").await;
    let there = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    let new = NewPassword::parse("amber harbour 77", None).unwrap();
    only_with_the_password(|current| {
        shop.identity
            .change_password(&here.principal, current, &new)
    })
    .await;
    assert!(shop.identity.refresh(&there.refresh_token).await.is_err());
    // This device's access token is from before the change; its refresh
    // token still works and brings a current one.
    assert!(!shop.authenticates(&here.access_token).await);
    let Refreshed::Rotated(renewed) = shop.identity.refresh(&here.refresh_token).await.unwrap()
    else {
        panic!("expected new tokens")
    };
    assert!(shop.authenticates(&renewed.access_token).await);
}

async fn profile_name_and_phone_are_kept(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    let ann = shop.signed_in("ann@example.com").await;
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
    let ann = shop.signed_in("ann@example.com").await;
    let new = Email::parse("ann.lee@example.org").unwrap();
    only_with_the_password(|current| {
        shop.identity
            .request_email_change(&ann.principal, current, &new)
    })
    .await;
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
    let ann = shop.signed_in("ann@example.com").await;
    shop.mails(1).await;
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
    let ann = shop.signed_in("ann@example.com").await;
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
    let ann = shop.signed_in("ann@example.com").await;
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
    let ann = shop.signed_in("ann@example.com").await.principal;
    let bob = shop.signed_in("bob@example.com").await.principal;
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
    let ann = shop.signed_in("ann@example.com").await.principal;
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
    changing_the_password_keeps_this_session_only,
    profile_name_and_phone_are_kept,
    a_new_email_takes_effect_only_once_confirmed,
    an_address_with_an_account_is_never_taken_over,
    only_the_newest_email_change_link_works,
    email_change_links_are_rate_limited,
    the_address_book_keeps_one_default,
    nobody_touches_another_persons_addresses,
    the_address_book_has_a_limit,
);
