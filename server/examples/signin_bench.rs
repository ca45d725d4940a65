//! Sign-in under load, against the argon2id floor. Not a test: run it and
//! copy the figures into docs/benchmarks.md.
//!
//!     cargo run --release -p server --example signin_bench
//!
//! 1. Raw argon2id verifications per second with identity's parameters, on
//!    as many threads as the machine has cores: the ceiling.
//! 2. Sign-ins per second through the real server (HTTP form posts, the
//!    session cookie set), with 8 clients for the same time.
//! 3. Home page latency (p50, p99) with no load, then while (2) runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use server::settings::Settings;
use server::startup::Application;

const RUN: Duration = Duration::from_secs(10);
const CLIENTS: usize = 8;
const PASSWORD: &str = "violet meadow 42";

fn argon() -> Argon2<'static> {
    let params = Params::new(
        identity::password::MEMORY_KIB,
        identity::password::ITERATIONS,
        identity::password::PARALLELISM,
        None,
    )
    .unwrap();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn raw_verifications_per_sec() -> f64 {
    let salt = SaltString::encode_b64(b"benchmark-salt!!").unwrap();
    let hash = argon()
        .hash_password(PASSWORD.as_bytes(), &salt)
        .unwrap()
        .to_string();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let done = done.clone();
            let hash = hash.clone();
            scope.spawn(move || {
                let parsed = PasswordHash::new(&hash).unwrap();
                while start.elapsed() < RUN {
                    argon()
                        .verify_password(PASSWORD.as_bytes(), &parsed)
                        .unwrap();
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn home_latencies(client: &reqwest::Client, base: &str, until: Instant) -> Vec<Duration> {
    let mut samples = Vec::new();
    while Instant::now() < until {
        let start = Instant::now();
        let res = client.get(format!("{base}/")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
        samples.push(start.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    samples.sort();
    samples
}

#[tokio::main]
async fn main() {
    let raw = tokio::task::spawn_blocking(raw_verifications_per_sec)
        .await
        .unwrap();
    println!("raw argon2id verifications/s: {raw:.1}");

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_string_lossy().into_owned();
    let settings = Settings::from_lookup(|name| match name {
        "SURY_ADDR" => Some("127.0.0.1:0".into()),
        "SURY_DATA_DIR" => Some(data.clone()),
        "RUST_LOG" => Some("warn".into()),
        _ => None,
    })
    .unwrap();
    let app = Application::build(settings).await.unwrap();
    let base = format!("http://{}", app.addr());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let post = |path: &str, form: &[(&str, &str)]| {
        client
            .post(format!("{base}{path}"))
            .header("accept", "text/html")
            .header("sec-fetch-site", "same-origin")
            .form(form)
            .send()
    };
    // Accounts to sign in to, so the per-account limit never trips.
    for n in 0..CLIENTS {
        let email = format!("bench{n}@example.com");
        let res = post(
            "/sf/account/sign-up",
            &[("name", "Bench"), ("email", &email), ("password", PASSWORD)],
        )
        .await
        .unwrap();
        assert_eq!(res.status(), 302);
    }

    let quiet = home_latencies(&client, &base, Instant::now() + RUN).await;

    let stop = Arc::new(AtomicBool::new(false));
    let signed_in = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut flood = Vec::new();
    for n in 0..CLIENTS {
        let (client, base, stop, signed_in) = (
            client.clone(),
            base.clone(),
            stop.clone(),
            signed_in.clone(),
        );
        flood.push(tokio::spawn(async move {
            let email = format!("bench{n}@example.com");
            while !stop.load(Ordering::Relaxed) {
                let res = client
                    .post(format!("{base}/sf/account/sign-in"))
                    .header("accept", "text/html")
                    .header("sec-fetch-site", "same-origin")
                    .form(&[
                        ("email", email.as_str()),
                        ("password", PASSWORD),
                        ("next", "/"),
                    ])
                    .send()
                    .await
                    .unwrap();
                assert!(
                    res.headers().get_all("set-cookie").iter().count() >= 2,
                    "signed in"
                );
                signed_in.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let loaded = home_latencies(&client, &base, Instant::now() + RUN).await;
    stop.store(true, Ordering::Relaxed);
    for task in flood {
        task.await.unwrap();
    }
    let rate = signed_in.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64();
    println!(
        "sign-ins/s through the server ({CLIENTS} clients): {rate:.1} ({:.0}% of raw argon2id)",
        100.0 * rate / raw
    );
    println!(
        "home page, quiet:    p50 {:.1} ms, p99 {:.1} ms ({} requests)",
        percentile(&quiet, 0.5),
        percentile(&quiet, 0.99),
        quiet.len()
    );
    println!(
        "home page, flooded:  p50 {:.1} ms, p99 {:.1} ms ({} requests)",
        percentile(&loaded, 0.5),
        percentile(&loaded, 0.99),
        loaded.len()
    );
}
