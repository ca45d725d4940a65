//! Every answer of the catalog API that is not what was asked, as one
//! enum: the catalog's handlers answer with it and its client returns it,
//! so a caller matches on the variant the catalog meant, in-process and
//! over HTTP alike (`services/catalog/tests/catalog/errors.rs` checks each
//! round trip on both transports).

use std::collections::BTreeMap;

use thiserror::Error;

/// A field's name and what is wrong with what was typed there.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, Error)]
pub enum Error {
    /// No such product, category, collection, variant or picture.
    #[error("{0}")]
    NotFound(String),
    /// The request is not one the endpoint takes (a bad query value, a
    /// body that is not the JSON it reads).
    #[error("{0}")]
    BadRequest(String),
    /// Well formed, but what the catalog holds forbids it: taking out more
    /// stock than is free, deleting a category that has products.
    #[error("{0}")]
    Refused(String),
    /// A form's worth of input, by field.
    #[error("Some fields need another look.")]
    Fields(FieldErrors),
    /// An upload over the limit, said for its field.
    #[error("The file is too large.")]
    TooLarge(FieldErrors),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("This is for shop staff only.")]
    Forbidden,
    /// The catalog's database is not answering.
    #[error("{0}")]
    Unavailable(String),
    /// The catalog failed; the cause is in its log, not in the answer.
    #[error("The catalog failed; the cause is in its log.")]
    Internal,
    /// The catalog could not be reached, or answered what no catalog says.
    #[cfg(feature = "client")]
    #[error("could not ask the catalog")]
    Service(#[source] platform::api_client::ClientError),
}

impl Error {
    /// Nothing by that name: the one refusal readers often turn into
    /// "show nothing".
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound(_))
    }

    /// What to show beside a staff member's form: the refusal by field,
    /// under `form` when it is not about one field. `None` when the fault
    /// is ours (the catalog failed or could not be reached), which the form
    /// cannot fix.
    pub fn form_errors(&self) -> Option<FieldErrors> {
        let form = |message: String| FieldErrors::from([("form".to_owned(), message)]);
        match self {
            Self::Fields(fields) | Self::TooLarge(fields) if !fields.is_empty() => {
                Some(fields.clone())
            }
            Self::Fields(_)
            | Self::TooLarge(_)
            | Self::NotFound(_)
            | Self::BadRequest(_)
            | Self::Refused(_)
            | Self::Unauthenticated(_)
            | Self::Forbidden => Some(form(self.to_string())),
            // A refusal from something between (the gateway's body limit).
            #[cfg(feature = "client")]
            Self::Service(platform::api_client::ClientError::Failed {
                status,
                message,
                fields,
                ..
            }) if status.is_client_error() => Some(if fields.is_empty() {
                form(message.clone())
            } else {
                fields.clone()
            }),
            _ => None,
        }
    }
}

#[cfg(feature = "client")]
mod wire {
    use axum::response::{IntoResponse, Response};
    use http::StatusCode;
    use platform::api_client::ClientError;
    use platform::edge::ApiFailure;

    use super::Error;

    /// The codes of the catalog's answers, for both directions.
    const NOT_FOUND: &str = "not_found";
    const BAD_REQUEST: &str = "bad_request";
    const REFUSED: &str = "refused";
    const INVALID_FIELDS: &str = "invalid_fields";
    const UNAUTHENTICATED: &str = "unauthenticated";
    const FORBIDDEN: &str = "forbidden";
    const UNAVAILABLE: &str = "unavailable";
    const INTERNAL: &str = "internal";

    impl From<Error> for ApiFailure {
        fn from(err: Error) -> Self {
            let message = err.to_string();
            match err {
                Error::NotFound(_) => ApiFailure::not_found(message),
                Error::BadRequest(_) => ApiFailure::bad_request(message),
                Error::Refused(_) => ApiFailure::refused(REFUSED, message),
                Error::Fields(fields) => ApiFailure::fields(fields),
                Error::TooLarge(fields) => ApiFailure::too_large(fields),
                Error::Unauthenticated(_) => ApiFailure::unauthenticated(message),
                Error::Forbidden => ApiFailure::forbidden(),
                Error::Unavailable(_) => ApiFailure::unavailable(message),
                Error::Internal => ApiFailure::internal("catalog"),
                // A caller passing on what it could not reach: the catalog
                // it stands in for failed.
                Error::Service(_) => ApiFailure::internal("catalog"),
            }
        }
    }

    impl IntoResponse for Error {
        fn into_response(self) -> Response {
            ApiFailure::from(self).into_response()
        }
    }

    /// The catalog's answer as the [`Error`] it was sent as; anything else
    /// is a failure to reach or understand it.
    impl From<ClientError> for Error {
        fn from(err: ClientError) -> Self {
            let ClientError::Failed {
                status,
                code,
                message,
                fields,
                ..
            } = &err
            else {
                return Self::Service(err);
            };
            let message = message.clone();
            match (*status, code.as_str()) {
                (StatusCode::NOT_FOUND, NOT_FOUND) => Self::NotFound(message),
                // 400, or 413, 415 and 422 for a body the edge refused.
                (_, BAD_REQUEST) if status.is_client_error() => Self::BadRequest(message),
                (StatusCode::UNPROCESSABLE_ENTITY, REFUSED) => Self::Refused(message),
                (StatusCode::UNPROCESSABLE_ENTITY, INVALID_FIELDS) => Self::Fields(fields.clone()),
                (StatusCode::PAYLOAD_TOO_LARGE, INVALID_FIELDS) => Self::TooLarge(fields.clone()),
                (StatusCode::UNAUTHORIZED, UNAUTHENTICATED) => Self::Unauthenticated(message),
                (StatusCode::FORBIDDEN, FORBIDDEN) => Self::Forbidden,
                (StatusCode::SERVICE_UNAVAILABLE, UNAVAILABLE) => Self::Unavailable(message),
                (StatusCode::INTERNAL_SERVER_ERROR, INTERNAL) => Self::Internal,
                _ => Self::Service(err),
            }
        }
    }
}
