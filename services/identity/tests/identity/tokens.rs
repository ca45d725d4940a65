//! Access and refresh tokens: forged and stale ones refused, a reused
//! refresh token ending its family, sign-out taking effect at once.

use std::time::Duration;

use contracts::identity::{AccessClaims, Role};
use identity::{Error, Refreshed};
use platform::db::Backend;

use crate::support::{PASSWORD, SEED, private_pem, shop};

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
    let session = shop.signed_in("ann@example.com").await;
    let genuine = session.access_token.clone();
    assert!(shop.authenticates(&genuine).await);

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
    let eddsa = jsonwebtoken::Algorithm::EdDSA;

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
    let hs256 = jsonwebtoken::Algorithm::HS256;
    refused(sign(&public, hs256, &claims), "HS256").await;
    // Signed by another key.
    let stranger = private_pem([9; 32]);
    refused(sign(&stranger, eddsa, &claims), "a stranger's key").await;
    // Expired, wrong audience, wrong issuer (each signed with our key).
    let now = claims.iat;
    let expired = AccessClaims {
        iat: now - 3600,
        exp: now - 600,
        ..claims.clone()
    };
    let other_aud = AccessClaims {
        aud: "elsewhere".into(),
        ..claims.clone()
    };
    let other_iss = AccessClaims {
        iss: "someone".into(),
        ..claims.clone()
    };
    let changed = [
        ("an expired token", expired),
        ("another audience", other_aud),
        ("another issuer", other_iss),
    ];
    for (why, changed) in changed {
        refused(sign(&our_key, eddsa, &changed), why).await;
    }
    // Our own correctly signed copy still works: the refusals above are
    // about what was changed, not about signing in the test.
    let resigned = sign(&our_key, eddsa, &claims);
    assert!(shop.authenticates(&resigned).await);
    // The public verifier (what other services use) agrees.
    assert!(shop.identity.verifier().verify(&genuine).is_some());
    assert!(shop.identity.verifier().verify(&parts.join(".")).is_none());
}

async fn a_reused_refresh_token_revokes_its_whole_family(backend: Backend) {
    let shop = shop(backend, |c| c.limits.refresh_reuse_grace = Duration::ZERO).await;
    let first = shop.signed_in("ann@example.com").await;
    let Refreshed::Rotated(second) = shop.identity.refresh(&first.refresh_token).await.unwrap()
    else {
        panic!("expected new tokens");
    };
    assert_ne!(second.refresh_token, first.refresh_token);
    assert!(shop.authenticates(&second.access_token).await);
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
    assert!(shop.authenticates(&other.access_token).await);
    assert!(matches!(
        shop.identity.refresh("garbage").await,
        Err(Error::Unauthenticated)
    ));
}

async fn parallel_refreshes_of_one_browser_do_not_sign_it_out(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    let first = shop.signed_in("ann@example.com").await;
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
    assert!(shop.authenticates(&rotated[0].access_token).await);
}

async fn sign_out_stops_tokens_at_once(backend: Backend) {
    let shop = shop(backend, |_| {}).await;
    let phone = shop.signed_in("ann@example.com").await;
    let laptop = shop.sign_in("ann@example.com", PASSWORD).await.unwrap();
    shop.identity.sign_out(&phone.principal).await.unwrap();
    assert!(!shop.authenticates(&phone.access_token).await);
    assert!(shop.identity.refresh(&phone.refresh_token).await.is_err());
    assert!(shop.authenticates(&laptop.access_token).await);

    shop.identity
        .sign_out_everywhere(&laptop.principal)
        .await
        .unwrap();
    assert!(!shop.authenticates(&laptop.access_token).await);
    assert!(shop.identity.refresh(&laptop.refresh_token).await.is_err());
}

platform::on_both_backends!(
    forged_and_stale_access_tokens_are_refused,
    a_reused_refresh_token_revokes_its_whole_family,
    parallel_refreshes_of_one_browser_do_not_sign_it_out,
    sign_out_stops_tokens_at_once,
);
