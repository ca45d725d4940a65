//! Liveness and readiness, for a load balancer or an operator.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use catalog::CatalogClient;
use platform::bus::EventBus;
use platform::shared_cache::Redis;
use serde::Serialize;

/// How long one dependency may take to answer before it counts as down.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// What a process depends on. Only the services are required to serve pages:
/// with the broker down events wait in the outbox, with Redis down reads go
/// to the database, so those are reported but do not take the process out
/// of a load balancer.
#[derive(Clone)]
pub struct Dependencies {
    /// Set where the catalog is read (every process but identity's).
    pub catalog: Option<CatalogClient>,
    /// Set where baskets are served from (the storefront, the basket
    /// service).
    pub basket: Option<basket::BasketClient>,
    /// Set where orders are served from.
    pub ordering: Option<ordering::OrderingClient>,
    /// Set where sessions are checked (the storefront, the identity
    /// service).
    pub identity: Option<identity::IdentityClient>,
    /// Set when events go through a broker (RabbitMQ).
    pub broker: Option<Arc<dyn EventBus>>,
    pub redis: Option<Arc<Redis>>,
}

impl Dependencies {
    /// A service process's: the catalog it reads (itself, for the
    /// catalog) and the broker when there is one; the caller adds itself.
    pub fn of_service(catalog: Option<CatalogClient>, broker: Option<Arc<dyn EventBus>>) -> Self {
        Self {
            catalog,
            basket: None,
            ordering: None,
            identity: None,
            broker,
            redis: None,
        }
    }
}

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

async fn check<E: std::error::Error + 'static>(
    name: &str,
    required: bool,
    probe: impl Future<Output = Result<(), E>>,
) -> Check {
    let (status, error) = match tokio::time::timeout(CHECK_TIMEOUT, probe).await {
        Ok(Ok(())) => ("up", None),
        Ok(Err(err)) => {
            tracing::warn!(dependency = name, error = %platform::error_chain(&err), "not ready");
            ("down", Some(err.to_string()))
        }
        Err(_) => ("down", Some("timed out".to_owned())),
    };
    Check {
        status,
        required,
        error,
    }
}

#[derive(Debug, thiserror::Error)]
#[error("redis did not answer")]
struct RedisDown;

/// The process is up and answering.
pub async fn live() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "live" }))
}

/// Every dependency's state: 200 when all required ones are up, 503
/// otherwise. Errors are summarised; details stay in the log.
pub async fn ready(State(deps): State<Dependencies>) -> impl IntoResponse {
    let mut checks = BTreeMap::new();
    if let Some(catalog) = &deps.catalog {
        checks.insert("catalog", check("catalog", true, catalog.ready()).await);
    }
    if let Some(basket) = &deps.basket {
        checks.insert("basket", check("basket", true, basket.check_ready()).await);
    }
    if let Some(ordering) = &deps.ordering {
        checks.insert(
            "ordering",
            check("ordering", true, ordering.check_ready()).await,
        );
    }
    if let Some(identity) = &deps.identity {
        checks.insert(
            "identity",
            check("identity", true, identity.check_ready()).await,
        );
    }
    if let Some(broker) = &deps.broker {
        checks.insert("broker", check("broker", false, broker.check()).await);
    }
    if let Some(redis) = &deps.redis {
        let probe = async {
            if redis.ping().await {
                Ok(())
            } else {
                Err(RedisDown)
            }
        };
        checks.insert("redis", check("redis", false, probe).await);
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
