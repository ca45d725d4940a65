use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// What a server function tells the page when it fails. Each message is
/// written for a shopper; causes stay in the server's log, never in a page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
pub enum AppError {
    #[error("We couldn't find that page.")]
    NotFound,
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("This page is for shop staff only.")]
    Forbidden,
    #[error("{0}")]
    BadInput(String),
    #[error("We couldn't reach the shop. Check your connection and try again.")]
    Unreachable,
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
}

impl AppError {
    /// The HTTP status a page showing this error is served with.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::BadInput(_) => 400,
            Self::Unreachable => 503,
            Self::Internal => 500,
        }
    }

    /// Logs an unexpected failure with its whole cause chain and returns
    /// the message-free `Internal` for the page.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, err: &(dyn std::error::Error + 'static)) -> Self {
        let chain = platform::error_chain(err);
        // Server functions run outside the request's span, so the id
        // is taken from the request itself.
        let request_id = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "-".into());
        tracing::error!(%request_id, error = %chain, "{context}");
        Self::Internal
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => Self::Unreachable,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                Self::BadInput("Some of what was sent was missing or malformed.".into())
            }
            _ => Self::Internal,
        }
    }
}
