//! Storefront pages under load, side by side with nginx serving the very
//! same HTML bytes from disk: the ratio is the figure. Not a test: run it
//! and copy the table into docs/benchmarks.md.
//!
//!     apt-get install -y wrk nginx   # once
//!     cargo build --release -p server && cargo run --release -p server --example page_bench
//!
//! For each shape (embedded: one process on SQLite; distributed: the
//! catalog as its own process on PostgreSQL, the storefront reaching it
//! over HTTP, Redis and RabbitMQ configured) and each cache setting (warm:
//! the product cache on and every page read once before measuring; cold:
//! `SURY_PRODUCT_CACHE_TTL_SECS=0`, so every request reads the catalog), a
//! category listing (`/c/women`, a department: its categories' products)
//! and a product page are requested by `wrk` with 32 connections, and then
//! the HTML the shop returned, saved to files, is requested from nginx the
//! same way. Three rounds; the medians are printed.

// Shared with the fault tests, which use more of it.
#[allow(dead_code)]
#[path = "../tests/support/distributed_shop.rs"]
mod distributed_shop;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use distributed_shop::{Namespace, Process, REDIS, common_vars, free_port, start_catalog};

const ROUNDS: usize = 3;
const SECONDS: u32 = 8;
const CONNECTIONS: u32 = 32;

#[derive(Clone, Copy, Default)]
struct Figures {
    per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn millis(raw: &str) -> f64 {
    let (number, factor) = if let Some(n) = raw.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = raw.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = raw.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (raw, 1.0)
    };
    number.parse::<f64>().unwrap_or(f64::NAN) * factor
}

/// `wrk --latency` against `url`, after a short warm-up.
fn wrk(url: &str) -> Figures {
    let run = |seconds: u32| {
        let out = Command::new("wrk")
            .args([
                "-t1",
                &format!("-c{CONNECTIONS}"),
                &format!("-d{seconds}s"),
                "--latency",
                url,
            ])
            .output()
            .expect("wrk runs (apt-get install wrk)");
        assert!(
            out.status.success(),
            "wrk failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(1);
    let text = run(SECONDS);
    assert!(
        !text.contains("Non-2xx"),
        "{url} answered with errors under load:\n{text}"
    );
    let mut figures = Figures::default();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", rate] => figures.per_sec = rate.parse().unwrap_or(f64::NAN),
            ["50%", value] => figures.p50_ms = millis(value),
            ["99%", value] => figures.p99_ms = millis(value),
            _ => {}
        }
    }
    figures
}

/// nginx serving `root`, with as many workers as cores, no access log.
struct Nginx {
    child: Child,
    port: u16,
}

impl Nginx {
    fn start(root: &Path) -> Self {
        let port = free_port();
        let config = root.join("nginx.conf");
        std::fs::write(
            &config,
            format!(
                "worker_processes auto;\ndaemon off;\npid {dir}/nginx.pid;\nerror_log {dir}/error.log;\n\
                 events {{ worker_connections 1024; }}\n\
                 http {{ access_log off; client_body_temp_path {dir}; proxy_temp_path {dir}; fastcgi_temp_path {dir}; uwsgi_temp_path {dir}; scgi_temp_path {dir};\n\
                 server {{ listen 127.0.0.1:{port}; root {dir}; location / {{ default_type text/html; }} }} }}\n",
                dir = root.display()
            ),
        )
        .unwrap();
        let child = Command::new("nginx")
            .args([
                "-c",
                &config.display().to_string(),
                "-p",
                &root.display().to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx runs (apt-get install nginx)");
        std::thread::sleep(Duration::from_millis(500));
        Self { child, port }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running shop: its processes and what they keep on disk.
struct Running {
    storefront: Process,
    _catalog: Option<Process>,
    _namespace: Option<Namespace>,
    _dirs: Vec<tempfile::TempDir>,
}

fn cache_var(warm: bool) -> (String, String) {
    let ttl = if warm { "300" } else { "0" };
    ("SURY_PRODUCT_CACHE_TTL_SECS".into(), ttl.into())
}

async fn embedded(bin: &Path, warm: bool) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let vars = vec![cache_var(warm), ("RUST_LOG".into(), "error".into())];
    let storefront = Process::start(bin, &[], dir.path(), vars, free_port()).await;
    Running {
        storefront,
        _catalog: None,
        _namespace: None,
        _dirs: vec![dir],
    }
}

async fn distributed(bin: &Path, warm: bool) -> Running {
    let namespace = Namespace::new();
    let catalog_db = platform::db::testing::fresh_postgres_url().await;
    let (catalog, catalog_dir) = start_catalog(bin, &namespace, &catalog_db).await;
    let staff = catalog::Catalog::open(&catalog_db).await.unwrap();
    staff.seed_demo().await.unwrap();
    staff.close().await;
    let store_dir = tempfile::tempdir().unwrap();
    let mut vars = common_vars(&namespace);
    vars.extend([
        ("SURY_CATALOG_URL".to_owned(), catalog.url()),
        ("SURY_REDIS_URL".to_owned(), REDIS.to_owned()),
        (
            "SURY_IDENTITY_DATABASE_URL".to_owned(),
            platform::db::testing::fresh_postgres_url().await,
        ),
        (
            "SURY_ORDERING_DATABASE_URL".to_owned(),
            platform::db::testing::fresh_postgres_url().await,
        ),
        cache_var(warm),
    ]);
    let storefront = Process::start(bin, &[], store_dir.path(), vars, free_port()).await;
    Running {
        storefront,
        _catalog: Some(catalog),
        _namespace: Some(namespace),
        _dirs: vec![catalog_dir, store_dir],
    }
}

/// The first published product's page.
async fn a_product(base: &str) -> String {
    let body = reqwest::get(format!("{base}/api/v1/catalog/products"))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let slugs: Vec<String> = serde_json::from_slice(&body).unwrap();
    format!("/p/{}", slugs[0])
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn binary() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let bin = PathBuf::from(target).join("release/server");
    assert!(
        bin.exists(),
        "build it first: cargo build --release -p server"
    );
    bin
}

#[tokio::main]
async fn main() {
    let bin = binary();
    let mut rows = Vec::new();
    for shape in ["embedded", "distributed"] {
        for warm in [true, false] {
            let mut shop_runs: [Vec<Figures>; 2] = Default::default();
            let mut nginx_runs: [Vec<Figures>; 2] = Default::default();
            let mut sizes = [0usize; 2];
            for round in 0..ROUNDS {
                eprintln!(
                    "{shape}, cache {}, round {}",
                    if warm { "warm" } else { "cold" },
                    round + 1
                );
                let running = match shape {
                    "embedded" => embedded(&bin, warm).await,
                    _ => distributed(&bin, warm).await,
                };
                let base = running.storefront.url();
                let pages = ["/c/women".to_owned(), a_product(&base).await];
                let root = tempfile::tempdir().unwrap();
                for (i, page) in pages.iter().enumerate() {
                    let response = reqwest::get(format!("{base}{page}")).await.unwrap();
                    assert_eq!(response.status(), 200, "{page}");
                    let html = response.bytes().await.unwrap();
                    sizes[i] = html.len();
                    std::fs::write(root.path().join(format!("page{i}.html")), &html).unwrap();
                }
                let nginx = Nginx::start(root.path());
                for (i, page) in pages.iter().enumerate() {
                    shop_runs[i].push(wrk(&format!("{base}{page}")));
                    nginx_runs[i].push(wrk(&format!(
                        "http://127.0.0.1:{}/page{i}.html",
                        nginx.port
                    )));
                }
                drop(nginx);
                drop(running);
            }
            for (i, page) in ["listing /c/women", "product page"].iter().enumerate() {
                let pick = |runs: &Vec<Figures>, f: fn(&Figures) -> f64| {
                    median(runs.iter().map(f).collect())
                };
                let shop = &shop_runs[i];
                let nginx = &nginx_runs[i];
                let (s_rps, n_rps) = (pick(shop, |f| f.per_sec), pick(nginx, |f| f.per_sec));
                rows.push(format!(
                    "| {shape} | {} | {page} ({} B) | {:.0} | {:.2} | {:.2} | {:.0} | {:.2} | {:.2} | {:.3} |",
                    if warm { "warm" } else { "cold (cache off)" },
                    sizes[i],
                    s_rps,
                    pick(shop, |f| f.p50_ms),
                    pick(shop, |f| f.p99_ms),
                    n_rps,
                    pick(nginx, |f| f.p50_ms),
                    pick(nginx, |f| f.p99_ms),
                    s_rps / n_rps,
                ));
            }
        }
    }
    println!(
        "| shape | cache | page | SURY req/s | p50 ms | p99 ms | nginx req/s | p50 ms | p99 ms | SURY / nginx |"
    );
    println!("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in rows {
        println!("{row}");
    }
}
