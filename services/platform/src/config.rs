//! Reading configuration from variables, the same way for every service:
//! each value parsed once, at start, and every error naming its variable.
//! A value that may hold a password (a database or broker URL) is never
//! repeated in an error.

use std::fmt;
use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::path::Path;
use std::time::Duration;

use crate::secret::Secret;

/// A variable that is missing or wrong, and what is wrong with it.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl ConfigError {
    pub fn new(variable: &'static str, problem: impl Into<String>) -> Self {
        Self {
            variable,
            problem: problem.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.variable, self.problem)
    }
}

impl std::error::Error for ConfigError {}

/// The variables a process was started with (the environment, or a map in
/// tests). Empty values count as unset.
pub struct Vars<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
}

impl<'a> Vars<'a> {
    pub fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Self { lookup }
    }

    pub fn optional(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|v| !v.trim().is_empty())
    }

    pub fn get(&self, name: &str, default: &str) -> String {
        self.optional(name).unwrap_or_else(|| default.to_owned())
    }

    pub fn path(&self, name: &str) -> Option<std::path::PathBuf> {
        self.optional(name).map(Into::into)
    }

    pub fn socket_addr(
        &self,
        name: &'static str,
        default: &str,
    ) -> Result<SocketAddr, ConfigError> {
        let raw = self.get(name, default);
        raw.parse().map_err(|_| {
            ConfigError::new(
                name,
                format!("expected an IP address and port such as {default}, got {raw:?}"),
            )
        })
    }

    /// A whole number in `range`.
    pub fn bounded(
        &self,
        name: &'static str,
        default: &str,
        range: RangeInclusive<u64>,
    ) -> Result<u64, ConfigError> {
        let raw = self.get(name, default);
        raw.parse::<u64>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| {
                ConfigError::new(
                    name,
                    format!(
                        "expected a whole number from {} to {}, got {raw:?}",
                        range.start(),
                        range.end()
                    ),
                )
            })
    }

    /// Whole seconds in `range`.
    pub fn seconds(
        &self,
        name: &'static str,
        default: &str,
        range: RangeInclusive<u64>,
    ) -> Result<Duration, ConfigError> {
        self.bounded(name, default, range).map(Duration::from_secs)
    }

    /// Whole days in `range`.
    pub fn days(
        &self,
        name: &'static str,
        default: &str,
        range: RangeInclusive<u64>,
    ) -> Result<Duration, ConfigError> {
        self.bounded(name, default, range)
            .map(|days| Duration::from_secs(days * 24 * 3600))
    }

    /// A URL starting with one of `schemes`, when set. URLs may hold
    /// passwords: an error names the problem, not the value.
    pub fn optional_url(
        &self,
        name: &'static str,
        schemes: &[&str],
    ) -> Result<Option<String>, ConfigError> {
        self.optional(name)
            .map(|url| with_scheme(name, url, schemes))
            .transpose()
    }

    /// [`Self::optional_url`] with a default.
    pub fn url(
        &self,
        name: &'static str,
        default: &str,
        schemes: &[&str],
    ) -> Result<String, ConfigError> {
        with_scheme(name, self.get(name, default), schemes)
    }

    /// A service's database: `sqlite://…` (by default a file `file` in
    /// `data_dir`) or `postgres://…`. Holds a password: kept secret.
    pub fn database_url(
        &self,
        name: &'static str,
        data_dir: &Path,
        file: &str,
    ) -> Result<Secret<String>, ConfigError> {
        let url = self.get(name, &crate::db::sqlite_url(&data_dir.join(file)));
        crate::db::Backend::of(&url)
            .map_err(|_| ConfigError::new(name, "expected a sqlite:// or postgres:// URL"))?;
        Ok(Secret::new(url))
    }
}

fn with_scheme(name: &'static str, url: String, schemes: &[&str]) -> Result<String, ConfigError> {
    let ok = schemes
        .iter()
        .any(|scheme| url.starts_with(scheme) && url.len() > scheme.len());
    if ok {
        Ok(url)
    } else {
        Err(ConfigError::new(
            name,
            format!("expected a URL starting with {}", schemes.join(" or ")),
        ))
    }
}
