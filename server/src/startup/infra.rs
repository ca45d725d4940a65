//! The parts a process is built from before any service: the data
//! folder, the event bus, the mailer, media storage, the keys, the socket.

use std::net::SocketAddr;
use std::sync::Arc;

use identity::SigningKey;
use platform::bus::{EventBus, InProcessBus, RabbitBus, RabbitConfig};
use platform::mail::{FileMailer, Mailer, SmtpMailer};
use tokio::net::TcpListener;

use super::StartupError;
use crate::settings::Settings;

/// RabbitMQ when configured, else the in-process bus.
pub async fn event_bus(settings: &Settings) -> Result<Arc<dyn EventBus>, StartupError> {
    Ok(match &settings.amqp_url {
        Some(url) => {
            let config =
                RabbitConfig::new(url.expose().clone()).with_namespace(&settings.namespace);
            Arc::new(RabbitBus::connect(config).await?)
        }
        None => Arc::new(InProcessBus::new()),
    })
}

/// SMTP when configured, else `.eml` files in the data folder.
pub(super) fn mailer(settings: &Settings) -> Result<Arc<dyn Mailer>, StartupError> {
    Ok(match &settings.smtp {
        Some(smtp) => Arc::new(SmtpMailer::new(smtp)?),
        None => Arc::new(FileMailer::new(
            settings.data_dir.join("mail"),
            &settings.mail_from,
        )?),
    })
}

/// Identity's signing key: the configured file, or one made in the data
/// folder on first start.
pub fn signing_key(settings: &Settings) -> Result<SigningKey, identity::KeyError> {
    match &settings.identity.signing_key_file {
        Some(path) => {
            let pem = std::fs::read_to_string(path).map_err(identity::KeyError::Io)?;
            SigningKey::from_pem(&pem)
        }
        None => SigningKey::load_or_create(&settings.data_dir.join("identity-signing-key.pem")),
    }
}

/// Identity's public key from `SURY_IDENTITY_PUBLIC_KEY_FILE`, for a
/// service running apart from identity; `None` when it is not set.
pub(super) fn public_key_verifier(
    settings: &Settings,
) -> Result<Option<platform::auth::TokenVerifier>, StartupError> {
    let Some(path) = &settings.public_key_file else {
        return Ok(None);
    };
    let pem = std::fs::read_to_string(path).map_err(|source| StartupError::PublicKey {
        path: path.display().to_string(),
        source: Some(source),
    })?;
    platform::auth::TokenVerifier::new(&pem, identity::Config::ISSUER, identity::Config::AUDIENCE)
        .map(Some)
        .map_err(|_| StartupError::PublicKey {
            path: path.display().to_string(),
            source: None,
        })
}

/// Where product pictures are kept, as configured: a bucket (created if it
/// is missing, where the credentials allow) or the data directory's
/// `media` folder.
pub async fn media(settings: &Settings) -> catalog::Media {
    let store: Arc<dyn platform::blob::BlobStore> = match &settings.media {
        crate::settings::MediaSettings::S3(config) => {
            let store = platform::blob::S3BlobStore::new(config);
            if let Err(err) = store.ensure_bucket().await {
                tracing::warn!(error = %err, bucket = %config.bucket, "could not check or create the media bucket; uploads will fail until it exists");
            }
            Arc::new(store)
        }
        crate::settings::MediaSettings::Local { public_base } => Arc::new(
            platform::blob::LocalBlobStore::new(settings.data_dir.join("media"), public_base),
        ),
    };
    catalog::Media {
        store,
        max_upload_bytes: settings.max_upload_bytes,
    }
}

pub(super) async fn bind(addr: SocketAddr) -> Result<(TcpListener, SocketAddr), StartupError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| StartupError::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| StartupError::Bind { addr, source })?;
    Ok((listener, local))
}

pub(super) fn create_data_dir(settings: &Settings) -> Result<(), StartupError> {
    std::fs::create_dir_all(&settings.data_dir).map_err(|source| StartupError::DataDir {
        path: settings.data_dir.display().to_string(),
        source,
    })
}
