//! Values that must never reach a log: connection URLs with passwords,
//! keys. `Debug` and `Display` print a placeholder; the value is read
//! with [`Secret::expose`], which makes each use easy to find.

use std::fmt;
use std::path::Path;

#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The value itself: pass it where it is needed, never to a log.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Writes a key made on first start to `path`, readable by its owner
/// only. It fails if the file is already there, so two processes starting
/// at once cannot replace each other's key.
pub fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neither_debug_nor_display_shows_the_value() {
        let url = Secret::new("amqp://sury:hunter2@broker:5672/%2f".to_owned());
        for shown in [
            format!("{url:?}"),
            format!("{url}"),
            format!("{:#?}", Some(&url)),
        ] {
            assert!(!shown.contains("hunter2"), "{shown}");
            assert!(shown.contains("redacted"), "{shown}");
        }
        assert_eq!(url.expose(), "amqp://sury:hunter2@broker:5672/%2f");
    }
}
