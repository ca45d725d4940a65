//! Media storage in a folder and in a real S3-compatible server (s3s-fs,
//! started here; `make test` installs it).

use platform::blob::testing::start_s3;
use platform::blob::{BlobError, BlobStore, LocalBlobStore, S3BlobStore};

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
    let store = S3BlobStore::new(&s3.config(Some("https://d111.cloudfront.example/")));
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
    let store = S3BlobStore::new(&s3.config(None));
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
    let s3 = start_s3();
    let mut config = s3.config(None);
    config.endpoint = Some(format!("http://127.0.0.1:{port}"));
    let store = S3BlobStore::new(&config);
    let err = store.put("a.jpg", vec![1], "image/jpeg").await.unwrap_err();
    assert!(matches!(err, BlobError::S3(_)), "{err:?}");
}
