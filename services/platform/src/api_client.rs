//! The part every typed service client shares. In-process and over the
//! network a client sends the same `http::Request`s, to a `tower::Service`
//! that is either the service's own router or an HTTP connection, so tests
//! of one transport cover the other.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use contracts::api::ApiError;
use http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use serde::de::DeserializeOwned;
use thiserror::Error;
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;

/// Service answers are small; a larger body means something is wrong.
const MAX_RESPONSE: usize = 4 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum ClientError {
    #[error("could not reach the {service} service")]
    Unreachable {
        service: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("the service answered {status}: {message}")]
    Failed {
        status: StatusCode,
        code: String,
        message: String,
        /// Field by field, when a form's worth of input was refused.
        fields: BTreeMap<String, String>,
        /// How long to wait before trying again, when it said "too many".
        retry_after_secs: Option<u64>,
        /// What the refusal is about (see `ApiErrorDetail::details`); boxed
        /// so that every service's error stays small.
        details: Box<[String]>,
    },
    #[error("the service sent an answer that does not parse")]
    Malformed(#[source] serde_json::Error),
}

impl ClientError {
    /// The service's answer was `status`.
    pub fn is_status(&self, status: StatusCode) -> bool {
        matches!(self, Self::Failed { status: s, .. } if *s == status)
    }
}

type Transport = BoxCloneSyncService<Request<Body>, Response<Body>, ClientError>;

/// The answer to a request body over what a client sends.
fn too_large(max: usize) -> Response<Body> {
    let error = ApiError::new(
        "payload_too_large",
        format!("The request is larger than {} KB.", max / 1024),
    );
    Response::builder()
        .status(StatusCode::PAYLOAD_TOO_LARGE)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::to_vec(&error).expect("an error body serializes"),
        ))
        .expect("a response with a fixed status builds")
}

/// A connection to one service, in this process or at an address.
#[derive(Clone)]
pub struct ApiClient {
    service: &'static str,
    transport: Transport,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiClient({})", self.service)
    }
}

impl ApiClient {
    /// Calls `router` directly, in this process.
    pub fn in_process(service: &'static str, router: Router) -> Self {
        let router =
            ServiceExt::<Request<Body>>::map_err(router, |never: Infallible| match never {});
        Self {
            service,
            transport: BoxCloneSyncService::new(router),
        }
    }

    /// Calls the service at `base_url` (e.g. `http://10.0.0.5:3101`),
    /// sending request bodies of up to `max_request` bytes.
    pub fn remote(service: &'static str, base_url: &str, max_request: usize) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("an HTTP client without TLS always builds");
        let base = base_url.trim_end_matches('/').to_owned();
        let transport = tower::service_fn(move |request: Request<Body>| {
            let http = http.clone();
            let url = format!(
                "{base}{}",
                request
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/")
            );
            async move {
                let unreachable = |source: Box<dyn std::error::Error + Send + Sync>| {
                    ClientError::Unreachable { service, source }
                };
                let (parts, body) = request.into_parts();
                // A body this client would not send is the caller's mistake
                // (a gateway's client), not the service being away.
                let Ok(body) = to_bytes(body, max_request).await else {
                    return Ok(too_large(max_request));
                };
                // Errors leave the URL out: a query may carry a secret (an
                // order's link key) and errors end up in logs.
                let response = http
                    .request(parts.method, url)
                    .headers(parts.headers)
                    .body(body)
                    .send()
                    .await
                    .map_err(|e| unreachable(e.without_url().into()))?;
                let mut builder = Response::builder().status(response.status());
                for (name, value) in response.headers() {
                    builder = builder.header(name, value);
                }
                let bytes = response
                    .bytes()
                    .await
                    .map_err(|e| unreachable(e.without_url().into()))?;
                builder
                    .body(Body::from(bytes))
                    .map_err(|e| unreachable(e.into()))
            }
        });
        Self {
            service,
            transport: BoxCloneSyncService::new(transport),
        }
    }

    /// Sends any request as it is (the gateway forwards with it).
    pub async fn forward(&self, request: Request<Body>) -> Result<Response<Body>, ClientError> {
        self.transport.clone().oneshot(request).await
    }

    /// Sends a request with `headers` and a body of `content_type` when
    /// given, and reads the JSON answer; `204` reads as `null`. An answer
    /// other than 2xx is [`ClientError::Failed`] with the service's error.
    pub async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path_and_query: &str,
        headers: &[(HeaderName, HeaderValue)],
        body: Option<(Vec<u8>, &'static str)>,
    ) -> Result<T, ClientError> {
        let mut builder = Request::builder()
            .method(method)
            .uri(path_and_query)
            .header(http::header::ACCEPT, "application/json");
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        if let Some((_, content_type)) = &body {
            builder = builder.header(http::header::CONTENT_TYPE, *content_type);
        }
        let request = builder
            .body(
                body.map(|(bytes, _)| Body::from(bytes))
                    .unwrap_or_else(Body::empty),
            )
            .expect("a request with a valid path builds");
        let response = self.forward(request).await?;
        let status = response.status();
        let bytes = to_bytes(response.into_body(), MAX_RESPONSE)
            .await
            .map_err(|e| ClientError::Unreachable {
                service: self.service,
                source: e.into(),
            })?;
        if status == StatusCode::NO_CONTENT {
            serde_json::from_slice(b"null").map_err(ClientError::Malformed)
        } else if status.is_success() {
            serde_json::from_slice(&bytes).map_err(ClientError::Malformed)
        } else {
            let error = match serde_json::from_slice::<ApiError>(&bytes) {
                Ok(body) => body.error,
                Err(_) => ApiError::new("unknown", String::from_utf8_lossy(&bytes)).error,
            };
            Err(ClientError::Failed {
                status,
                code: error.code,
                message: error.message,
                fields: error.fields,
                retry_after_secs: error.retry_after_secs,
                details: error.details.into_boxed_slice(),
            })
        }
    }

    /// [`Self::send`] with `body` as JSON.
    pub async fn send_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path_and_query: &str,
        headers: &[(HeaderName, HeaderValue)],
        body: Option<&impl serde::Serialize>,
    ) -> Result<T, ClientError> {
        let body = body
            .map(|b| serde_json::to_vec(b).map(|bytes| (bytes, "application/json")))
            .transpose()
            .map_err(ClientError::Malformed)?;
        self.send(method, path_and_query, headers, body).await
    }

    /// `Authorization: Bearer <token>`, for [`Self::send`].
    pub fn bearer(token: &str) -> (HeaderName, HeaderValue) {
        // A token that cannot be a header value cannot be good either: it
        // goes as one the service will refuse.
        let value = HeaderValue::from_str(&format!("Bearer {token}"))
            .unwrap_or_else(|_| HeaderValue::from_static("Bearer invalid"));
        (http::header::AUTHORIZATION, value)
    }
}

/// What each service's error contract test shares: one stand-in service
/// reached through the real client in-process and over HTTP, and the check
/// that every error comes back as the variant it was sent as.
#[doc(hidden)]
pub mod testing {
    use std::fmt::{Debug, Display};
    use std::future::Future;

    use axum::Router;

    use super::ClientError;

    /// The client over `router` in this process, and over HTTP to the same
    /// router served on a free port.
    pub async fn both_transports<C>(
        router: Router,
        in_process: impl Fn(Router) -> C,
        remote: impl Fn(&str) -> C,
    ) -> Vec<(&'static str, C)> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("a bound port"));
        let served = router.clone();
        tokio::spawn(async move { axum::serve(listener, served).await });
        vec![("in-process", in_process(router)), ("http", remote(&url))]
    }

    /// Asks for error number `n` of `sent` through each client (`ask`
    /// returns the error the client gave back) and checks it is the same
    /// variant, with the same words.
    pub async fn every_error_round_trips<C, E, F, Fut>(
        clients: &[(&'static str, C)],
        sent: Vec<E>,
        ask: F,
    ) where
        C: Clone,
        E: Debug + Display,
        F: Fn(C, usize) -> Fut,
        Fut: Future<Output = E>,
    {
        for (transport, client) in clients {
            for (n, sent) in sent.iter().enumerate() {
                let got = ask(client.clone(), n).await;
                assert_eq!(
                    format!("{got:?}"),
                    format!("{sent:?}"),
                    "{transport}: {sent} came back as {got}"
                );
                assert_eq!(got.to_string(), sent.to_string(), "{transport}");
            }
        }
    }

    /// Asks for errors numbered `first..` (ours, not the person's: a
    /// database down, a corrupt row) through each client and checks each
    /// arrives as a failed service (500) whose message names none of
    /// `causes`: internals never leave the service.
    pub async fn internal_failures_stay_inside<C, E, F, Fut>(
        clients: &[(&'static str, C)],
        first: usize,
        sent: Vec<E>,
        ask: F,
        failure: impl Fn(&E) -> Option<&ClientError>,
        causes: &[&str],
    ) where
        C: Clone,
        E: Debug + Display,
        F: Fn(C, usize) -> Fut,
        Fut: Future<Output = E>,
    {
        for (transport, client) in clients {
            for (i, sent) in sent.iter().enumerate() {
                let got = ask(client.clone(), first + i).await;
                let Some(ClientError::Failed {
                    status, message, ..
                }) = failure(&got)
                else {
                    panic!("{transport}: {sent} came back as {got:?}");
                };
                assert_eq!(status.as_u16(), 500, "{transport}");
                for cause in causes {
                    assert!(!message.contains(cause), "{transport}: {message}");
                }
            }
        }
    }
}
