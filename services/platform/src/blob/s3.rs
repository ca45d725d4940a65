//! Media in an S3 bucket, with public links through a CDN base URL.

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;

use super::{BlobError, BlobStore, check_key};
use crate::bus::BoxFuture;

/// S3 settings. The secret key is a secret: `Debug` shows a placeholder.
#[derive(Clone, Debug)]
pub struct S3Config {
    pub bucket: String,
    pub region: String,
    /// Any S3-compatible endpoint; `None` for AWS itself.
    pub endpoint: Option<String>,
    pub access_key: String,
    pub secret_key: crate::secret::Secret<String>,
    /// Public links start here (a CDN such as CloudFront); without it,
    /// path-style links to the endpoint.
    pub public_base_url: Option<String>,
}

pub struct S3BlobStore {
    client: aws_sdk_s3::Client,
    bucket: String,
    public_base: String,
}

impl S3BlobStore {
    pub fn new(config: &S3Config) -> Self {
        let credentials = Credentials::new(
            config.access_key.clone(),
            config.secret_key.expose().clone(),
            None,
            None,
            "sury-settings",
        );
        let mut builder = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(config.region.clone()))
            .credentials_provider(credentials);
        if let Some(endpoint) = &config.endpoint {
            // S3-compatible servers address buckets by path, not host name.
            builder = builder.endpoint_url(endpoint).force_path_style(true);
        }
        let public_base = match (&config.public_base_url, &config.endpoint) {
            (Some(cdn), _) => cdn.trim_end_matches('/').to_owned(),
            (None, Some(endpoint)) => {
                format!("{}/{}", endpoint.trim_end_matches('/'), config.bucket)
            }
            (None, None) => format!(
                "https://{}.s3.{}.amazonaws.com",
                config.bucket, config.region
            ),
        };
        Self {
            client: aws_sdk_s3::Client::from_conf(builder.build()),
            bucket: config.bucket.clone(),
            public_base,
        }
    }

    /// Creates the bucket if it does not exist (tests and first starts).
    pub async fn ensure_bucket(&self) -> Result<(), BlobError> {
        if self
            .client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .is_ok()
        {
            return Ok(());
        }
        self.client
            .create_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| BlobError::S3(aws_sdk_s3::error::DisplayErrorContext(e).to_string()))
    }
}

fn s3_error<E: std::error::Error>(err: E) -> BlobError {
    BlobError::S3(aws_sdk_s3::error::DisplayErrorContext(err).to_string())
}

impl BlobStore for S3BlobStore {
    fn put<'a>(
        &'a self,
        key: &'a str,
        bytes: Vec<u8>,
        content_type: &'a str,
    ) -> BoxFuture<'a, Result<String, BlobError>> {
        Box::pin(async move {
            check_key(key)?;
            self.client
                .put_object()
                .bucket(&self.bucket)
                .key(key)
                .content_type(content_type)
                // Keys name immutable content (a new image gets a new key).
                .cache_control("public, max-age=31536000, immutable")
                .body(ByteStream::from(bytes))
                .send()
                .await
                .map_err(s3_error)?;
            Ok(self.public_url(key))
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Vec<u8>, BlobError>> {
        Box::pin(async move {
            check_key(key)?;
            let object = self
                .client
                .get_object()
                .bucket(&self.bucket)
                .key(key)
                .send()
                .await
                .map_err(|e| match e.as_service_error() {
                    Some(service) if service.is_no_such_key() => BlobError::NotFound(key.into()),
                    _ => s3_error(e),
                })?;
            let bytes = object.body.collect().await.map_err(s3_error)?;
            Ok(bytes.into_bytes().to_vec())
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), BlobError>> {
        Box::pin(async move {
            check_key(key)?;
            self.client
                .delete_object()
                .bucket(&self.bucket)
                .key(key)
                .send()
                .await
                .map(|_| ())
                .map_err(s3_error)
        })
    }

    fn public_url(&self, key: &str) -> String {
        format!("{}/{key}", self.public_base)
    }
}

/// A real S3-compatible server (s3s-fs, which `make test` installs) for
/// tests, stopped when dropped.
#[doc(hidden)]
pub mod testing {
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    use super::S3Config;

    pub struct S3Server {
        child: Child,
        pub endpoint: String,
        _dir: tempfile::TempDir,
    }

    impl Drop for S3Server {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    impl S3Server {
        /// Settings for a bucket on this server, with public links under
        /// `cdn` when given.
        pub fn config(&self, cdn: Option<&str>) -> S3Config {
            S3Config {
                bucket: "sury-media".into(),
                region: "us-east-1".into(),
                endpoint: Some(self.endpoint.clone()),
                access_key: "AKTEST".into(),
                secret_key: "SKTEST-not-a-real-secret".to_owned().into(),
                public_base_url: cdn.map(str::to_owned),
            }
        }
    }

    pub fn start_s3() -> S3Server {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("s3s-fs")
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", "AKTEST", "--secret-key", "SKTEST-not-a-real-secret"])
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
}
