//! Liveness and readiness, for a load balancer or an operator.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Serialize;

use catalog::CatalogClient;

/// How long one dependency may take to answer before it counts as down.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Serialize)]
struct Report {
    status: &'static str,
    checks: BTreeMap<&'static str, Check>,
}

#[derive(Serialize)]
struct Check {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The process is up and answering.
pub async fn live() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "live" }))
}

/// Every dependency answered: 200 when all are up, 503 otherwise, with each
/// dependency's state. Errors are summarised; details stay in the log.
pub async fn ready(State(catalog): State<CatalogClient>) -> impl IntoResponse {
    let catalog = match tokio::time::timeout(CHECK_TIMEOUT, catalog.ready()).await {
        Ok(Ok(())) => Check {
            status: "up",
            error: None,
        },
        Ok(Err(err)) => {
            tracing::warn!(error = %crate::telemetry::chain(&err), "catalog not ready");
            Check {
                status: "down",
                error: Some(err.to_string()),
            }
        }
        Err(_) => Check {
            status: "down",
            error: Some("timed out".into()),
        },
    };
    let checks = BTreeMap::from([("catalog", catalog)]);
    let all_up = checks.values().all(|c| c.status == "up");
    let status = if all_up {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let report = Report {
        status: if all_up { "ready" } else { "not_ready" },
        checks,
    };
    (status, Json(report))
}
