//! Typed configuration: defaults first, then `SURY_*` environment
//! variables, validated before anything starts. An error names the variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use platform::config::Vars;
use platform::secret::Secret;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines, for a terminal.
    Text,
    /// One JSON object a line, for a log collector.
    Json,
}

/// Where product pictures are kept.
#[derive(Clone, Debug)]
pub enum MediaSettings {
    /// A folder in the data directory, linked as `public_base/<key>`
    /// (`/media`, served by the storefront, or a CDN in front of it).
    Local { public_base: String },
    /// An S3 bucket (any S3-compatible endpoint), linked through
    /// `SURY_MEDIA_BASE_URL` (a CDN such as CloudFront) when set. Its
    /// `Debug` leaves the secret key out.
    S3(platform::blob::S3Config),
}

impl MediaSettings {
    /// The origin pictures are linked from when it is not this site's
    /// (`https://d111.cloudfront.net`), for the pages' image policy.
    pub fn origin(&self) -> Option<String> {
        let base = match self {
            Self::Local { public_base } => public_base.clone(),
            Self::S3(config) => match (&config.public_base_url, &config.endpoint) {
                (Some(cdn), _) => cdn.clone(),
                (None, Some(endpoint)) => endpoint.clone(),
                (None, None) => format!(
                    "https://{}.s3.{}.amazonaws.com",
                    config.bucket, config.region
                ),
            },
        };
        let rest = base
            .strip_prefix("https://")
            .or_else(|| base.strip_prefix("http://"))?;
        let host = rest.split('/').next().unwrap_or(rest);
        Some(format!("{}{host}", &base[..base.len() - rest.len()]))
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    /// Where to listen. Port 0 picks a free port (tests use this).
    pub addr: SocketAddr,
    /// Where the embedded shape keeps its SQLite files.
    pub data_dir: PathBuf,
    /// The site cargo-leptos built: `pkg/` with the wasm, JS and CSS.
    pub site_root: PathBuf,
    /// Where a separately running catalog service answers; unset, the
    /// catalog runs inside this process.
    pub catalog_url: Option<String>,
    /// Where a separately running basket service answers; unset, baskets
    /// are kept inside this process.
    pub basket_url: Option<String>,
    /// Where a separately running ordering service answers; unset,
    /// ordering runs inside this process.
    pub ordering_url: Option<String>,
    /// Where a separately running identity service answers; unset,
    /// identity runs inside this process.
    pub identity_url: Option<String>,
    /// `amqp://…`: events go through RabbitMQ. Unset: through an
    /// in-process bus (embedded shape). Holds a password: never logged.
    pub amqp_url: Option<Secret<String>>,
    /// `redis://…`: a cache shared by every replica, under the in-process
    /// one. Unset: in-process only. Holds a password: never logged.
    pub redis_url: Option<Secret<String>>,
    /// Prefix of this shop's Redis keys and RabbitMQ exchanges and queues,
    /// so shops or test runs can share one Redis and one broker.
    pub namespace: String,
    /// Where product pictures are kept: S3 when configured, else a folder
    /// in `data_dir` served at `/media`.
    pub media: MediaSettings,
    /// The largest picture staff may upload, in bytes.
    pub max_upload_bytes: usize,
    /// The address shoppers use. `https://` turns on HSTS. Emailed links
    /// start with it.
    pub public_url: String,
    /// Identity's public key (SPKI PEM), for processes that only check
    /// tokens (`server catalog`). Unset there: requests carrying a token
    /// are refused.
    pub public_key_file: Option<PathBuf>,
    /// Plain-http development on this machine only: session cookies
    /// without `Secure` (and so without the `__Host-` prefix).
    pub insecure_dev_cookies: bool,
    /// `smtp://[user:password@]host:port` (STARTTLS required) or
    /// `smtp+insecure://host:port` (a local test server). Unset: mail is
    /// written to `data_dir/mail` and its links logged.
    pub smtp: Option<platform::mail::SmtpConfig>,
    /// The sender of the shop's emails.
    pub mail_from: String,
    pub log_format: LogFormat,
    /// Origins (`https://app.example.com`) whose scripts may call
    /// `/api/v1/…` with a bearer token. Empty: none (same origin only).
    pub cors_origins: Vec<http::HeaderValue>,
    /// Each service's own section, parsed by the service.
    pub identity: identity::Settings,
    pub catalog: catalog::Settings,
    pub basket: basket::Settings,
    pub ordering: ordering::Settings,
    /// The storefront's caches.
    pub storefront: storefront::Settings,
}

pub use platform::config::ConfigError;

/// Services talk plain HTTP on the shop's private network (the clients
/// are built without TLS); an `https://` service URL could never work, so
/// it is refused at start rather than at the first call.
const SERVICE_SCHEMES: &[&str] = &["http://"];

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds settings from any source of variables, so tests need not
    /// touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let vars = Vars::new(&lookup);
        let addr = vars.socket_addr("SURY_ADDR", "127.0.0.1:3000")?;
        let public_url = vars.url(
            "SURY_PUBLIC_URL",
            "http://127.0.0.1:3000",
            &["http://", "https://"],
        )?;

        let log_format = match vars.get("SURY_LOG_FORMAT", "text").as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(ConfigError {
                    variable: "SURY_LOG_FORMAT",
                    problem: format!("expected \"text\" or \"json\", got {other:?}"),
                });
            }
        };

        let data_dir: PathBuf = vars.get("SURY_DATA_DIR", "data").into();
        let catalog_url = vars.optional_url("SURY_CATALOG_URL", SERVICE_SCHEMES)?;
        let basket_url = vars.optional_url("SURY_BASKET_URL", SERVICE_SCHEMES)?;
        let ordering_url = vars.optional_url("SURY_ORDERING_URL", SERVICE_SCHEMES)?;
        let identity_url = vars.optional_url("SURY_IDENTITY_URL", SERVICE_SCHEMES)?;
        let amqp_url = vars.optional_url("SURY_AMQP_URL", &["amqp://", "amqps://"])?;
        let redis_url = vars.optional_url("SURY_REDIS_URL", &["redis://", "rediss://"])?;

        let public_key_file = vars
            .optional("SURY_IDENTITY_PUBLIC_KEY_FILE")
            .map(PathBuf::from);
        let insecure_dev_cookies = match vars.get("SURY_INSECURE_DEV_COOKIES", "false").as_str() {
            "false" | "0" | "no" => false,
            "true" | "1" | "yes" => {
                let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
                    .iter()
                    .any(|origin| {
                        public_url
                            .strip_prefix(origin)
                            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
                    });
                if !local {
                    return Err(ConfigError {
                        variable: "SURY_INSECURE_DEV_COOKIES",
                        problem: "only allowed when SURY_PUBLIC_URL is plain http on this machine (localhost, 127.0.0.1, [::1])".into(),
                    });
                }
                true
            }
            other => {
                return Err(ConfigError {
                    variable: "SURY_INSECURE_DEV_COOKIES",
                    problem: format!("expected true or false, got {other:?}"),
                });
            }
        };
        let max_upload_bytes =
            vars.bounded("SURY_UPLOAD_MAX_MB", "10", 1..=50)? as usize * 1_000_000;
        let media_base_url = vars
            .optional_url("SURY_MEDIA_BASE_URL", &["https://", "http://"])?
            .map(|url| url.trim_end_matches('/').to_owned());
        let media = match vars.optional("SURY_S3_BUCKET") {
            None => MediaSettings::Local {
                public_base: media_base_url.unwrap_or_else(|| "/media".into()),
            },
            Some(bucket) => {
                let required = |name: &'static str| {
                    vars.optional(name).ok_or_else(|| ConfigError {
                        variable: name,
                        problem: "required when SURY_S3_BUCKET is set".into(),
                    })
                };
                MediaSettings::S3(platform::blob::S3Config {
                    bucket,
                    region: vars.get("SURY_S3_REGION", "us-east-1"),
                    endpoint: vars.optional_url("SURY_S3_ENDPOINT", &["https://", "http://"])?,
                    access_key: required("SURY_S3_ACCESS_KEY_ID")?,
                    secret_key: Secret::new(required("SURY_S3_SECRET_ACCESS_KEY")?),
                    public_base_url: media_base_url,
                })
            }
        };
        let mail_from = vars.get("SURY_MAIL_FROM", "SURY <shop@localhost>");
        if !mail_from.contains('@') {
            return Err(ConfigError {
                variable: "SURY_MAIL_FROM",
                problem: format!(
                    "expected an address such as \"SURY <shop@example.com>\", got {mail_from:?}"
                ),
            });
        }
        let smtp = vars
            .optional("SURY_SMTP_URL")
            .map(|url| smtp_config(&url, &mail_from))
            .transpose()?;
        let cors_origins = vars
            .optional("SURY_CORS_ORIGINS")
            .map(|list| cors_origins(&list))
            .transpose()?
            .unwrap_or_default();

        Ok(Self {
            addr,
            public_key_file,
            insecure_dev_cookies,
            smtp,
            mail_from,
            amqp_url: amqp_url.map(Secret::new),
            redis_url: redis_url.map(Secret::new),
            namespace: vars.get("SURY_NAMESPACE", "sury"),
            media,
            max_upload_bytes,
            catalog_url,
            basket_url,
            ordering_url,
            identity_url,
            site_root: vars.get("SURY_SITE_ROOT", "target/site").into(),
            public_url: public_url.trim_end_matches('/').to_owned(),
            log_format,
            cors_origins,
            identity: identity::Settings::from_vars(&vars, &data_dir)?,
            catalog: catalog::Settings::from_vars(&vars, &data_dir)?,
            basket: basket::Settings::from_vars(&vars, &data_dir)?,
            ordering: ordering::Settings::from_vars(&vars, &data_dir)?,
            storefront: storefront::Settings::from_vars(&vars)?,
            data_dir,
        })
    }

    /// The secure-cookie policy the storefront writes cookies with.
    pub fn cookies_secure(&self) -> bool {
        !self.insecure_dev_cookies
    }

    pub fn serves_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// A comma-separated list of origins: scheme, host and optional port,
/// nothing else (no path, no wildcard: each origin is named).
fn cors_origins(list: &str) -> Result<Vec<http::HeaderValue>, ConfigError> {
    let bad = |problem: String| ConfigError {
        variable: "SURY_CORS_ORIGINS",
        problem,
    };
    list.split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let origin = origin.trim_end_matches('/');
            let host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"))
                .ok_or_else(|| bad(format!("{origin:?} is not an http(s) origin")))?;
            let host_ok = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
            if !host_ok {
                return Err(bad(format!(
                    "{origin:?} must be scheme://host[:port], without path or wildcard"
                )));
            }
            http::HeaderValue::from_str(origin).map_err(|_| bad(format!("{origin:?} is not valid")))
        })
        .collect()
}

/// Parses `smtp://[user:password@]host:port` or `smtp+insecure://host:port`.
/// The error never repeats the URL: it may hold a password.
fn smtp_config(url: &str, from: &str) -> Result<platform::mail::SmtpConfig, ConfigError> {
    let bad = |problem: &str| ConfigError {
        variable: "SURY_SMTP_URL",
        problem: problem.into(),
    };
    let (tls, rest) = if let Some(rest) = url.strip_prefix("smtp+insecure://") {
        (false, rest)
    } else if let Some(rest) = url.strip_prefix("smtp://") {
        (true, rest)
    } else {
        return Err(bad(
            "expected a URL starting with smtp:// or smtp+insecure://",
        ));
    };
    let rest = rest.trim_end_matches('/');
    let (credentials, address) = match rest.rsplit_once('@') {
        Some((credentials, address)) => (Some(credentials), address),
        None => (None, rest),
    };
    let (username, password) = match credentials {
        Some(credentials) => {
            let (user, password) = credentials
                .split_once(':')
                .ok_or_else(|| bad("expected user:password before the @"))?;
            (
                Some(user.to_owned()),
                Some(Secret::new(password.to_owned())),
            )
        }
        None => (None, None),
    };
    let (host, port) = address
        .rsplit_once(':')
        .ok_or_else(|| bad("expected host:port, e.g. smtp://mail.example.com:587"))?;
    let port = port
        .parse::<u16>()
        .map_err(|_| bad("the port must be a number from 1 to 65535"))?;
    if host.is_empty() || port == 0 {
        return Err(bad("expected host:port, e.g. smtp://mail.example.com:587"));
    }
    Ok(platform::mail::SmtpConfig {
        host: host.to_owned(),
        port,
        tls,
        username,
        password,
        from: from.to_owned(),
    })
}

#[cfg(test)]
mod tests;
