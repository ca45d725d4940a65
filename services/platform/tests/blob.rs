//! Media storage in a folder and in a real S3-compatible server (s3s-fs,
//! started here; `make test` installs it).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use platform::blob::{BlobError, BlobStore, LocalBlobStore, S3BlobStore, S3Config};

struct S3Server {
    child: Child,
    endpoint: String,
    _dir: tempfile::TempDir,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_s3() -> S3Server {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let child = Command::new("s3s-fs")
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args([
            "--access-key",
            "AKTEST",
            "--secret-key",
            "SKTEST-not-a-real-secret",
        ])
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "s3s-fs could not start ({e}): `make test` installs it with cargo install s3s-fs"
            )
        });
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "s3s-fs did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    S3Server {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
        _dir: dir,
    }
}

fn config(endpoint: &str, cdn: Option<&str>) -> S3Config {
    S3Config {
        bucket: "sury-media".into(),
        region: "us-east-1".into(),
        endpoint: Some(endpoint.into()),
        access_key: "AKTEST".into(),
        secret_key: "SKTEST-not-a-real-secret".into(),
        public_base_url: cdn.map(str::to_owned),
    }
}

async fn round_trip(store: &dyn BlobStore, expected_url: &str) {
    let jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    let url = store
        .put("products/kids-raincoat/640.jpg", jpeg.clone(), "image/jpeg")
        .await
        .unwrap();
    assert_eq!(url, expected_url);
    assert_eq!(
        store.get("products/kids-raincoat/640.jpg").await.unwrap(),
        jpeg
    );
    store
        .delete("products/kids-raincoat/640.jpg")
        .await
        .unwrap();
    assert!(matches!(
        store.get("products/kids-raincoat/640.jpg").await,
        Err(BlobError::NotFound(_))
    ));
    for bad in ["../escape.jpg", "products/../../x", "UPPER.jpg"] {
        assert!(matches!(
            store.put(bad, vec![1], "image/jpeg").await,
            Err(BlobError::BadKey(_))
        ));
    }
}

#[tokio::test]
async fn a_folder_store_round_trips_and_links_under_media() {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalBlobStore::new(dir.path(), "/media/");
    round_trip(&store, "/media/products/kids-raincoat/640.jpg").await;
    assert!(!dir.path().parent().unwrap().join("escape.jpg").exists());
}

#[tokio::test]
async fn an_s3_store_round_trips_and_links_through_the_cdn() {
    let s3 = start_s3();
    let store = S3BlobStore::new(&config(
        &s3.endpoint,
        Some("https://d111.cloudfront.example/"),
    ));
    store.ensure_bucket().await.unwrap();
    store.ensure_bucket().await.unwrap(); // twice is fine
    round_trip(
        &store,
        "https://d111.cloudfront.example/products/kids-raincoat/640.jpg",
    )
    .await;
}

#[tokio::test]
async fn without_a_cdn_links_point_at_the_bucket() {
    let s3 = start_s3();
    let store = S3BlobStore::new(&config(&s3.endpoint, None));
    assert_eq!(
        store.public_url("a/b.jpg"),
        format!("{}/sury-media/a/b.jpg", s3.endpoint)
    );
}

#[tokio::test]
async fn an_unreachable_object_store_is_an_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let store = S3BlobStore::new(&config(&format!("http://127.0.0.1:{port}"), None));
    let err = store.put("a.jpg", vec![1], "image/jpeg").await.unwrap_err();
    assert!(matches!(err, BlobError::S3(_)), "{err:?}");
}
