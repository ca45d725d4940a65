//! Liveness and readiness, for a load balancer or an operator.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use platform::bus::EventBus;
use platform::shared_cache::Redis;
use serde::Serialize;

/// How long one dependency may take to answer before it counts as down.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// A check under way: `Err` says, in short, why it failed.
type Checking = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// One thing a process depends on, checked on every readiness request.
#[derive(Clone)]
pub struct Probe {
    name: &'static str,
    /// Only the services are required to serve pages: with the broker down
    /// events wait in the outbox, with Redis down reads go to the database,
    /// so those are reported but do not take the process out of a load
    /// balancer.
    required: bool,
    check: Arc<dyn Fn() -> Checking + Send + Sync>,
}

impl Probe {
    /// A service this process calls (or hosts): required. `check` asks it
    /// whether it is ready.
    pub fn service<F, E>(name: &'static str, check: impl Fn() -> F + Send + Sync + 'static) -> Self
    where
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: std::error::Error + 'static,
    {
        Self::new(name, true, move || {
            let checked = check();
            async move { checked.await.map_err(|err| not_ready(name, &err)) }
        })
    }

    /// The message broker, when events go through one: reported, not
    /// required.
    pub fn broker(bus: Arc<dyn EventBus>) -> Self {
        Self::new("broker", false, move || {
            let bus = bus.clone();
            async move { bus.check().await.map_err(|err| not_ready("broker", &err)) }
        })
    }

    /// The shared cache: reported, not required.
    pub fn redis(redis: Arc<Redis>) -> Self {
        Self::new("redis", false, move || {
            let redis = redis.clone();
            async move {
                if redis.ping().await {
                    Ok(())
                } else {
                    tracing::warn!(dependency = "redis", "not ready");
                    Err("redis did not answer".to_owned())
                }
            }
        })
    }

    fn new<F>(
        name: &'static str,
        required: bool,
        check: impl Fn() -> F + Send + Sync + 'static,
    ) -> Self
    where
        F: Future<Output = Result<(), String>> + Send + 'static,
    {
        Self {
            name,
            required,
            check: Arc::new(move || Box::pin(check())),
        }
    }

    async fn run(&self) -> Check {
        let (status, error) = match tokio::time::timeout(CHECK_TIMEOUT, (self.check)()).await {
            Ok(Ok(())) => ("up", None),
            Ok(Err(err)) => ("down", Some(err)),
            Err(_) => ("down", Some("timed out".to_owned())),
        };
        Check {
            status,
            required: self.required,
            error,
        }
    }
}

/// Logs why a dependency is not ready; the answer carries only the summary.
fn not_ready(name: &str, err: &(dyn std::error::Error + 'static)) -> String {
    tracing::warn!(dependency = name, error = %platform::error_chain(err), "not ready");
    err.to_string()
}

/// Everything a process's readiness depends on.
pub type Dependencies = Arc<Vec<Probe>>;

#[derive(Serialize)]
struct Report {
    status: &'static str,
    checks: BTreeMap<&'static str, Check>,
}

#[derive(Serialize)]
struct Check {
    status: &'static str,
    required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The process is up and answering.
pub async fn live() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "live" }))
}

/// Every dependency's state: 200 when all required ones are up, 503
/// otherwise. Errors are summarised; details stay in the log.
pub async fn ready(State(deps): State<Dependencies>) -> impl IntoResponse {
    let mut checks = BTreeMap::new();
    for probe in deps.iter() {
        checks.insert(probe.name, probe.run().await);
    }
    let ready = checks.values().all(|c| !c.required || c.status == "up");
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let report = Report {
        status: if ready { "ready" } else { "not_ready" },
        checks,
    };
    (status, Json(report))
}
