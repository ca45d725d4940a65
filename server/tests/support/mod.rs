//! Spawns the real application on a free port with a fresh data directory.
// Each test binary uses a different part of this module.
#![allow(dead_code)]

pub mod browser;
pub mod distributed_shop;

use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};

use server::settings::Settings;
use server::startup::Application;
use tokio::sync::oneshot;

/// Every test's server runs on this one runtime, as in production. Leptos
/// keeps process-wide executor state, and servers spread over the separate
/// runtimes `#[tokio::test]` makes were seen to stall now and then.
static SERVER_RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("server runtime")
});

/// One test app serves at a time within a test binary. With several
/// leptos apps rendering at once in one process (production has one), a
/// page request now and then never gets its answer: seen 3 times in 8 runs
/// of the server tests on 2026-12-07, always `/account` (in the concurrency
/// test and in `an_expired_access_cookie_is_renewed_from_the_refresh_cookie`)
/// while `/health/live` of the same app still answered; seen again on
/// 2026-12-08 in 2 of the first 3 runs of a probe (four apps at once, each
/// signing people in and opening `/account`, `/` and `/search`) on a
/// machine loaded by builds, on `/account` and on `/search`; after the
/// app's pages came to await their resources in one `Suspend` (`Loaded`),
/// 9 runs in a row were clean, 6 of them with both cores busy. But the
/// server tests without this mutex still stalled in 2 of 4 runs on the
/// same code, in the two tests named above: the stall is not fixed. The
/// headers and cookies that crossed between concurrent requests were a
/// different bug, fixed in `server/src/owner_isolation.rs`; one app under
/// hundreds of concurrent requests does not stall (the concurrency test,
/// and the browser suite with two workers). Until the stall is understood,
/// test apps take turns.
static ONE_APP_AT_A_TIME: LazyLock<Arc<tokio::sync::Mutex<()>>> =
    LazyLock::new(|| Arc::new(tokio::sync::Mutex::new(())));

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    /// Present when the catalog runs inside the app (the default).
    pub catalog_handle: Option<catalog::Catalog>,
    pub identity: Option<identity::Identity>,
    stop: Option<oneshot::Sender<()>>,
    pub stopped: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _data_dir: tempfile::TempDir,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl TestApp {
    /// The in-process catalog, to break its database on purpose.
    pub fn catalog(&self) -> &catalog::Catalog {
        self.catalog_handle.as_ref().expect("in-process catalog")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    /// A request carrying `body` as it is, labelled `content_type` when
    /// given; the caller adds what else it needs and sends it.
    pub fn with_body(
        &self,
        method: reqwest::Method,
        path: &str,
        content_type: Option<&str>,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::RequestBuilder {
        let request = self.client.request(method, self.url(path)).body(body);
        match content_type {
            Some(content_type) => request.header("content-type", content_type),
            None => request,
        }
    }

    /// A POST of `body` as it is, labelled `content_type` when given.
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: Option<&str>,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.with_body(reqwest::Method::POST, path, content_type, body)
            .send()
            .await
            .expect("request sent")
    }

    /// A JSON body posted to `path`, as an app (not a browser) sends it.
    pub async fn post_json(&self, path: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.post_raw(path, Some("application/json"), body).await
    }

    /// A GET's status and body text.
    pub async fn get_page(&self, path: &str) -> (reqwest::StatusCode, String) {
        let res = self.get(path).await;
        (res.status(), res.text().await.expect("a body"))
    }

    /// A GET's body text, whatever its status.
    pub async fn get_text(&self, path: &str) -> String {
        self.get_page(path).await.1
    }

    /// A GET's status and body read as JSON.
    pub async fn get_json(&self, path: &str) -> (reqwest::StatusCode, serde_json::Value) {
        browser::json_of(self.get(path).await).await
    }

    /// An account with `role`, made through the in-process identity
    /// service as `server grant-role` makes it: whether it is new.
    pub async fn grant_role(
        &self,
        email: &str,
        name: &str,
        password: &str,
        role: contracts::identity::Role,
    ) -> bool {
        self.identity
            .as_ref()
            .expect("in-process identity")
            .grant_role(
                &identity::Email::parse(email).unwrap(),
                &identity::PersonName::parse(name).unwrap(),
                &identity::NewPassword::parse(password, None).unwrap(),
                role,
            )
            .await
            .unwrap()
    }

    /// A new staff member's access token, as an app of the shop's staff
    /// gets it from identity.
    pub async fn staff_token(&self, email: &str, name: &str) -> String {
        let role = contracts::identity::Role::Staff;
        let created = self.grant_role(email, name, browser::PASSWORD, role).await;
        assert!(created, "a new staff account");
        self.identity
            .as_ref()
            .expect("in-process identity")
            .sign_in(email, browser::PASSWORD, "192.0.2.9")
            .await
            .unwrap()
            .access_token
    }

    /// A GET with `path` sent byte for byte (no normalising of `..` or
    /// percent escapes, as HTTP clients do): the status and the body.
    pub async fn raw_get(&self, path: &str) -> (u16, Vec<u8>) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        let mut stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .expect("connect");
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.expect("send");
        let mut response = Vec::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(30),
            stream.read_to_end(&mut response),
        )
        .await
        .expect("a response in time")
        .expect("read");
        let head_end = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete head");
        let head = String::from_utf8_lossy(&response[..head_end]);
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .expect("a status line");
        (status, response[head_end + 4..].to_vec())
    }

    /// Sends the shutdown signal and waits for the server to finish.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.stopped.take().unwrap().await.expect("server task")
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

pub async fn spawn_app_with(vars: &[(&str, &str)]) -> TestApp {
    let turn = ONE_APP_AT_A_TIME.clone().lock_owned().await;
    let data_dir = tempfile::tempdir().expect("temp dir");
    let data_path = data_dir.path().to_string_lossy().into_owned();
    let mut all: Vec<(String, String)> = vec![
        ("SURY_ADDR".into(), "127.0.0.1:0".into()),
        ("SURY_DATA_DIR".into(), data_path),
    ];
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let settings = Settings::from_lookup(|name| {
        all.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    })
    .expect("valid test settings");
    let app = SERVER_RUNTIME
        .spawn(Application::build(settings))
        .await
        .expect("build task")
        .expect("app builds");
    let addr = app.addr();
    let catalog_handle = app.catalog().cloned();
    let identity = app.identity().cloned();
    let (stop, stopped_rx) = oneshot::channel::<()>();
    let stopped = SERVER_RUNTIME.spawn(app.run_until_stopped(async move {
        let _ = stopped_rx.await;
    }));
    TestApp {
        addr,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // A stalled response fails its test instead of hanging the run.
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap(),
        catalog_handle,
        identity,
        stop: Some(stop),
        stopped: Some(stopped),
        _data_dir: data_dir,
        _turn: turn,
    }
}

/// An app whose catalog database has gone away after it started, as when
/// the database server dies under a running shop.
pub async fn spawn_app_without_catalog_database() -> TestApp {
    let app = spawn_app().await;
    app.catalog().close().await;
    app
}

/// A bearer token refused as RFC 6750 has it: 401, naming the token
/// invalid.
pub fn assert_invalid_token(res: &reqwest::Response) {
    assert_eq!(res.status(), 401);
    assert_eq!(
        res.headers()["www-authenticate"],
        "Bearer error=\"invalid_token\""
    );
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Starts the real `server` binary with `args`, listening on `port` and
/// keeping its data in `data_dir`; `stdout` as given.
pub fn spawn_binary(
    args: &[&str],
    port: u16,
    data_dir: &std::path::Path,
    vars: &[(&str, &str)],
    stdout: std::process::Stdio,
) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("SURY_ADDR", format!("127.0.0.1:{port}"))
        .env("SURY_CATALOG_ADDR", format!("127.0.0.1:{port}"))
        .env("SURY_DATA_DIR", data_dir)
        .envs(vars.iter().copied())
        .stdout(stdout)
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("server binary starts")
}

/// Waits until something accepts connections on `port`.
pub fn connect_when_listening(port: u16) -> std::net::TcpStream {
    let started = std::time::Instant::now();
    loop {
        if let Ok(stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            return stream;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "nothing listens on port {port}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
