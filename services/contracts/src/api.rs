//! The error body every service API answers a failed request with.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: ApiErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorDetail {
    /// Stable, machine-readable: `not_found`, `bad_request`, `internal`…
    pub code: String,
    /// For people; never holds internals.
    pub message: String,
    /// What is wrong with each field of the request, by field name, when
    /// a form's worth of input was refused (422).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// Seconds to wait before trying again, when the answer is "too many
    /// attempts" (429); also sent as `Retry-After`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    /// What a refusal is about, when its code alone does not say (the
    /// items that ran short, the state an order is in), so a typed client
    /// can rebuild the service's own error.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            error: ApiErrorDetail {
                code: code.to_owned(),
                message: message.into(),
                fields: BTreeMap::new(),
                retry_after_secs: None,
                details: Vec::new(),
            },
        }
    }

    /// The same refusal with what it is about.
    pub fn with_details(mut self, details: Vec<String>) -> Self {
        self.error.details = details;
        self
    }

    /// A refusal naming each field that was wrong.
    pub fn fields(message: impl Into<String>, fields: BTreeMap<String, String>) -> Self {
        let mut error = Self::new("invalid_fields", message);
        error.error.fields = fields;
        error
    }
}
