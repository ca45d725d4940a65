//! Health, request ids, limits, configuration and shutdown.

use crate::support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::spawn_app;

#[tokio::test]
async fn liveness_and_readiness_report_json() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/health/live").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "live");

    let (status, body) = app.get_json("/health/ready").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ready");
    assert_eq!(body["checks"]["catalog"]["status"], "up");
    assert_eq!(body["checks"]["identity"]["status"], "up");
}

#[tokio::test]
async fn readiness_fails_when_the_catalog_database_is_gone() {
    let app = support::spawn_app_without_catalog_database().await;
    let (status, body) = app.get_json("/health/ready").await;
    assert_eq!(status, 503);
    assert_eq!(body["status"], "not_ready");
    assert_eq!(body["checks"]["catalog"]["status"], "down");
    // Liveness is about the process, which is fine.
    assert_eq!(app.get("/health/live").await.status(), 200);
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_a_given_one() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    let id = res.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");

    let res = app
        .client
        .get(app.url("/health/live"))
        .header("x-request-id", "support-ticket-42")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "support-ticket-42");
}

#[tokio::test]
async fn server_functions_answer_json_and_refuse_bad_or_oversized_input() {
    let app = spawn_app().await;
    let (status, found) = app.get_json("/sf/search?q=dresses&query=").await;
    assert_eq!(status, 200);
    assert_eq!(found["categories"].as_array().unwrap().len(), 3);
    assert!(found["products"]["listing"]["total"].as_u64().unwrap() > 0);

    let res = app.get("/sf/search").await;
    assert!(
        res.status().is_client_error(),
        "missing argument: {}",
        res.status()
    );

    let (status, text) = app.get_page("/sf/search?q=%25%25&query=").await;
    assert_eq!(status, 400);
    assert!(text.contains("Type at least one letter"), "{text}");

    let huge = "q=".to_string() + &"a".repeat(300 * 1024);
    let form = Some("application/x-www-form-urlencoded");
    let res = app.post_raw("/sf/search", form, huge).await;
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn shutdown_lets_the_server_finish_and_close() {
    let app = spawn_app().await;
    assert_eq!(app.get("/health/live").await.status(), 200);
    let addr = app.addr;
    tokio::time::timeout(Duration::from_secs(10), app.stop())
        .await
        .expect("stops promptly")
        .expect("stops cleanly");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
}

#[test]
fn the_binary_exits_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let mut child = support::spawn_binary(&[], port, dir.path(), &[], Stdio::null());
    drop(support::connect_when_listening(port));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("server ignored SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status}");
}

#[test]
fn a_bad_setting_stops_the_binary_and_names_the_variable() {
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("SURY_ADDR", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SURY_ADDR"), "{stderr}");
}

#[test]
fn json_logs_carry_the_request_id_of_the_request_they_belong_to() {
    use std::io::{BufRead, BufReader, Read, Write};

    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let mut child = support::spawn_binary(
        &[],
        port,
        dir.path(),
        &[("SURY_LOG_FORMAT", "json"), ("RUST_LOG", "info")],
        Stdio::piped(),
    );
    let mut stream = support::connect_when_listening(port);
    write!(
        stream,
        "GET /c/pets HTTP/1.1\r\nHost: localhost\r\nx-request-id: trace-me-7\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 404"), "{response}");
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();

    let lines: Vec<serde_json::Value> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|line| serde_json::from_str(&line.unwrap()).expect("every line is JSON"))
        .collect();
    let of_request: Vec<_> = lines
        .iter()
        .filter(|line| line["span"]["request_id"] == "trace-me-7")
        .collect();
    assert!(
        of_request
            .iter()
            .any(|line| line["fields"]["status"] == 404),
        "no response line for the request: {lines:#?}"
    );
}

#[test]
fn settings_can_come_from_a_dot_env_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), "SURY_LOG_FORMAT=yaml\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(dir.path())
        .env_remove("SURY_LOG_FORMAT")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SURY_LOG_FORMAT"), "{stderr}");

    // The environment wins over the file: the file's address is unusable,
    // so the server listening on the environment's one proves who won.
    std::fs::write(
        dir.path().join(".env"),
        "SURY_ADDR=not-an-address\nSURY_LOG_FORMAT=yaml\n",
    )
    .unwrap();
    let port = support::free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(dir.path())
        .env("SURY_ADDR", format!("127.0.0.1:{port}"))
        .env("SURY_DATA_DIR", dir.path().join("data"))
        .env("SURY_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let listening = loop {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break true;
        }
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            break false;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    assert!(
        listening,
        "the file's settings won over the environment's: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A browser's preflight for a cross-origin API call with a bearer token.
async fn preflight(app: &support::TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(
            reqwest::Method::OPTIONS,
            app.url("/api/v1/catalog/departments"),
        )
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn only_configured_origins_may_call_the_api_from_their_pages() {
    let app = support::spawn_app_with(&[("SURY_CORS_ORIGINS", "https://app.example.com")]).await;
    let res = preflight(&app, "https://app.example.com").await;
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    let allowed = res.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");
    // Tokens only: the storefront's cookies never ride along cross-origin.
    assert!(
        res.headers()
            .get("access-control-allow-credentials")
            .is_none()
    );
    let res = preflight(&app, "https://evil.example").await;
    assert!(res.headers().get("access-control-allow-origin").is_none());
    app.stop().await.unwrap();

    let plain = support::spawn_app().await;
    let res = preflight(&plain, "https://app.example.com").await;
    assert!(
        res.headers().get("access-control-allow-origin").is_none(),
        "no CORS unless configured"
    );
}
