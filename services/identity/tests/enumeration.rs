//! No account enumeration by timing: signing in to an address without an
//! account takes as long as signing in with a wrong password, and signing
//! up with a taken address as long as with a new one. Its own test binary,
//! so no other test competes for the cores while it measures.

use std::time::{Duration, Instant};

use identity::{Config, Email, Identity, NewPassword, PersonName, SigningKey};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_and_unknown_addresses_take_the_same_time() {
    let dir = tempfile::tempdir().unwrap();
    let url = platform::db::sqlite_url(&dir.path().join("identity.db"));
    let mut config = Config::new(SigningKey::generate(), "https://shop.test");
    // Throttling would answer early and spoil the measurement.
    config.limits.failures_per_account = i64::MAX;
    config.limits.failures_per_client = i64::MAX;
    let identity = Identity::open(&url, config).await.unwrap();
    let password = NewPassword::parse("violet meadow 42", None).unwrap();
    let name = PersonName::parse("Ann").unwrap();
    identity
        .sign_up(&name, &Email::parse("ann@example.com").unwrap(), &password)
        .await
        .unwrap();

    const ROUNDS: usize = 25;
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    let (mut taken, mut fresh) = (Vec::new(), Vec::new());
    // Interleaved, so drift in the machine's load hits both sides alike.
    for round in 0..ROUNDS {
        let start = Instant::now();
        let _ = identity
            .sign_in("ann@example.com", "wrong password", "c")
            .await;
        known.push(start.elapsed());
        let start = Instant::now();
        let _ = identity
            .sign_in(&format!("nobody{round}@example.com"), "wrong password", "c")
            .await;
        unknown.push(start.elapsed());
        let start = Instant::now();
        identity
            .sign_up(&name, &Email::parse("ann@example.com").unwrap(), &password)
            .await
            .unwrap();
        taken.push(start.elapsed());
        let start = Instant::now();
        let email = Email::parse(&format!("new{round}@example.com")).unwrap();
        identity.sign_up(&name, &email, &password).await.unwrap();
        fresh.push(start.elapsed());
    }
    let (known, unknown) = (median(known), median(unknown));
    let (taken, fresh) = (median(taken), median(fresh));
    println!(
        "sign-in median: known {:.1} ms, unknown {:.1} ms; sign-up median: taken {:.1} ms, new {:.1} ms",
        ms(known),
        ms(unknown),
        ms(taken),
        ms(fresh)
    );
    // A hash costs tens of milliseconds; the paths differ only in a
    // database read or write, well under the bound.
    let bound = Duration::from_millis(5);
    assert!(
        known.abs_diff(unknown) < bound,
        "sign-in: {known:?} vs {unknown:?}"
    );
    assert!(
        taken.abs_diff(fresh) < bound,
        "sign-up: {taken:?} vs {fresh:?}"
    );
    // And the hash really ran: a sign-in is not instant.
    assert!(unknown > Duration::from_millis(5), "{unknown:?}");
}
