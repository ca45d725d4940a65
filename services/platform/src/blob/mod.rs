//! Media storage: files under a folder served at `/media` (embedded shape)
//! or objects in an S3 bucket with public links through a CDN base URL such
//! as CloudFront (distributed shape). Keys are checked before any I/O, so a
//! key can never leave the folder or the bucket prefix. The S3 store (and
//! the AWS SDK) come with the `s3` feature.

use std::path::PathBuf;

use thiserror::Error;

use crate::bus::BoxFuture;

#[cfg(feature = "s3")]
mod s3;
#[cfg(feature = "s3")]
pub use s3::{S3BlobStore, S3Config, testing};

#[derive(Debug, Error)]
pub enum BlobError {
    #[error("invalid media key {0:?}")]
    BadKey(String),
    #[error("no media stored under {0:?}")]
    NotFound(String),
    #[error("the media folder could not be used")]
    Io(#[source] std::io::Error),
    #[error("the object store failed: {0}")]
    S3(String),
}

/// `lowercase/path/with-dashes_and.dots`: 1 to 200 characters of
/// `[a-z0-9._-]` in segments separated by single slashes, no segment `.`
/// or `..`.
pub fn check_key(key: &str) -> Result<(), BlobError> {
    let ok = !key.is_empty()
        && key.len() <= 200
        && key.split('/').all(|segment| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        });
    if ok {
        Ok(())
    } else {
        Err(BlobError::BadKey(key.to_owned()))
    }
}

pub trait BlobStore: Send + Sync {
    /// Stores `bytes` under `key` and returns the public URL.
    fn put<'a>(
        &'a self,
        key: &'a str,
        bytes: Vec<u8>,
        content_type: &'a str,
    ) -> BoxFuture<'a, Result<String, BlobError>>;
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Vec<u8>, BlobError>>;
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), BlobError>>;
    /// Where shoppers' browsers fetch `key` from.
    fn public_url(&self, key: &str) -> String;
}

/// Files in a folder; the server serves it at `public_base` (`/media`).
pub struct LocalBlobStore {
    dir: PathBuf,
    public_base: String,
}

impl LocalBlobStore {
    pub fn new(dir: impl Into<PathBuf>, public_base: &str) -> Self {
        Self {
            dir: dir.into(),
            public_base: public_base.trim_end_matches('/').to_owned(),
        }
    }
}

impl BlobStore for LocalBlobStore {
    fn put<'a>(
        &'a self,
        key: &'a str,
        bytes: Vec<u8>,
        _content_type: &'a str,
    ) -> BoxFuture<'a, Result<String, BlobError>> {
        Box::pin(async move {
            check_key(key)?;
            let path = self.dir.join(key);
            if let Some(parent) = path.parent() {
                tokio::fs::create_dir_all(parent)
                    .await
                    .map_err(BlobError::Io)?;
            }
            let partial = path.with_extension("partial");
            tokio::fs::write(&partial, bytes)
                .await
                .map_err(BlobError::Io)?;
            tokio::fs::rename(&partial, &path)
                .await
                .map_err(BlobError::Io)?;
            Ok(self.public_url(key))
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Vec<u8>, BlobError>> {
        Box::pin(async move {
            check_key(key)?;
            match tokio::fs::read(self.dir.join(key)).await {
                Ok(bytes) => Ok(bytes),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    Err(BlobError::NotFound(key.into()))
                }
                Err(e) => Err(BlobError::Io(e)),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), BlobError>> {
        Box::pin(async move {
            check_key(key)?;
            match tokio::fs::remove_file(self.dir.join(key)).await {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(BlobError::Io(e)),
            }
        })
    }

    fn public_url(&self, key: &str) -> String {
        format!("{}/{key}", self.public_base)
    }
}

#[cfg(test)]
mod tests {
    use super::check_key;

    #[test]
    fn keys_stay_inside_the_store() {
        for ok in ["products/abc/640.webp", "a", "x-1_2.jpg"] {
            assert!(check_key(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "../etc/passwd",
            "a/../b",
            "/abs",
            "a//b",
            "A.jpg",
            "a b",
            "a/./b",
            "a/",
        ] {
            assert!(check_key(bad).is_err(), "{bad}");
        }
    }
}
