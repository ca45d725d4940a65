//! Orders end to end in the distributed shape, against PostgreSQL's own
//! commit rate. Not a test: run it and copy the figures into
//! docs/benchmarks.md.
//!
//!     cargo build --release -p server && cargo run --release -p server --example order_bench
//!
//! Each round, on this machine:
//! 1. PostgreSQL alone: single-row INSERT commits per second from as many
//!    connections as there are shoppers (the floor every order stands on:
//!    a checkout commits several such transactions in three services).
//! 2. The shop: the catalog and the storefront as separate processes on
//!    PostgreSQL, baskets in Redis, events over RabbitMQ; shoppers add to a
//!    basket, open checkout and place the order over HTTP, as the browser's
//!    forms do, in a loop. Confirmed orders per second with as many shoppers
//!    as PostgreSQL had connections (saturated: the saga's queue grows), and
//!    the time from posting "Place order" to the order being confirmed (p50,
//!    p99, from the order's own history) both then and with one shopper at
//!    a time.

// Shared with the fault tests, which use more of it.
#[allow(dead_code)]
#[path = "../tests/support/distributed_shop.rs"]
mod distributed_shop;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use distributed_shop::{Outcome, checkout};

const RUN: Duration = Duration::from_secs(10);
const SHOPPERS: usize = 8;
const ROUNDS: usize = 3;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

async fn postgres_commits_per_sec() -> f64 {
    let url = platform::db::testing::fresh_postgres_url().await;
    let pool = platform::db::connect(&url, SHOPPERS as u32).await.unwrap();
    sqlx::query("CREATE TABLE bench (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)")
        .execute(&pool)
        .await
        .unwrap();
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..SHOPPERS)
        .map(|_| {
            let (pool, done) = (pool.clone(), done.clone());
            tokio::spawn(async move {
                while start.elapsed() < RUN {
                    sqlx::query("INSERT INTO bench (body) VALUES ($1)")
                        .bind("an order's worth of text")
                        .execute(&pool)
                        .await
                        .unwrap();
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let rate = done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64();
    pool.close().await;
    rate
}

struct Orders {
    per_sec: f64,
    p50_ms: i64,
    p99_ms: i64,
    count: usize,
}

async fn orders(bin: &std::path::Path, shoppers: usize) -> Orders {
    let shop = distributed_shop::shop(bin, 5).await;
    let base = shop.storefront.url();
    // Warm up: connections, caches, queues.
    for n in 0..10 {
        checkout(&base, &shop.plenty, 1_000_000 + n).await;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let start_ms = now_ms();
    let tasks: Vec<_> = (0..shoppers)
        .map(|shopper| {
            let (base, sku, stop) = (base.clone(), shop.plenty.clone(), stop.clone());
            tokio::spawn(async move {
                let mut placed = Vec::new();
                let mut n = shopper * 100_000;
                while !stop.load(Ordering::Relaxed) {
                    let sent = now_ms();
                    if let Outcome::Accepted(id) = checkout(&base, &sku, n).await {
                        placed.push((id, sent));
                    }
                    n += 1;
                }
                placed
            })
        })
        .collect();
    tokio::time::sleep(RUN).await;
    stop.store(true, Ordering::Relaxed);
    let mut placed = Vec::new();
    for task in tasks {
        placed.extend(task.await.unwrap());
    }
    // Until every order placed is confirmed.
    let pool = platform::db::connect(&shop.ordering_db, 2).await.unwrap();
    let confirmed: Vec<(String, i64)> = loop {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT order_id, at_ms FROM order_history WHERE what LIKE 'Confirmed%'",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        if rows.len() >= placed.len() + 10 {
            break rows;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let at: std::collections::HashMap<String, i64> = confirmed.into_iter().collect();
    let mut latencies: Vec<i64> = placed.iter().map(|(id, sent)| at[id] - sent).collect();
    latencies.sort_unstable();
    let last = placed
        .iter()
        .map(|(id, _)| at[id])
        .max()
        .unwrap_or(start_ms);
    let pick = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    Orders {
        per_sec: placed.len() as f64 / ((last - start_ms) as f64 / 1000.0),
        p50_ms: pick(0.50),
        p99_ms: pick(0.99),
        count: placed.len(),
    }
}

#[tokio::main]
async fn main() {
    let bin = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(|examples| examples.parent())
        .map(|dir| dir.join("server"))
        .unwrap();
    assert!(
        bin.exists(),
        "build the server first: cargo build --release -p server ({} is missing)",
        bin.display()
    );
    println!(
        "| round | PostgreSQL commits/s | confirmed orders/s ({SHOPPERS} shoppers) | ratio | place → confirmed p50 / p99, saturated | orders | one shopper: orders/s | one shopper: p50 / p99 |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for round in 1..=ROUNDS {
        let pg = postgres_commits_per_sec().await;
        let busy = orders(&bin, SHOPPERS).await;
        let alone = orders(&bin, 1).await;
        println!(
            "| {round} | {pg:.0} | {:.1} | {:.2}% | {} / {} ms | {} | {:.1} | {} / {} ms |",
            busy.per_sec,
            100.0 * busy.per_sec / pg,
            busy.p50_ms,
            busy.p99_ms,
            busy.count,
            alone.per_sec,
            alone.p50_ms,
            alone.p99_ms,
        );
    }
}
