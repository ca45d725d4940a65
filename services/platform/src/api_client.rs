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

    /// What the service refused with, when it answered at all: what each
    /// client reads back into its service's own error.
    pub fn refusal(&self) -> Option<Refusal<'_>> {
        match self {
            Self::Failed {
                status,
                code,
                message,
                fields,
                retry_after_secs,
                details,
            } => Some(Refusal {
                status: *status,
                code,
                message,
                fields,
                retry_after_secs: *retry_after_secs,
                details,
            }),
            _ => None,
        }
    }
}

/// A service's answer other than 2xx, borrowed from [`ClientError::Failed`].
#[derive(Clone, Copy, Debug)]
pub struct Refusal<'a> {
    pub status: StatusCode,
    pub code: &'a str,
    pub message: &'a str,
    pub fields: &'a BTreeMap<String, String>,
    pub retry_after_secs: Option<u64>,
    pub details: &'a [String],
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

    /// Sends `request` and reads the JSON answer; `204` reads as `null`. An
    /// answer other than 2xx is [`ClientError::Failed`] with the service's
    /// error.
    pub async fn exchange<T: DeserializeOwned>(
        &self,
        request: Request<Body>,
    ) -> Result<T, ClientError> {
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

    /// `Authorization: Bearer <token>`, for [`ServiceClient::send`].
    pub fn bearer(token: &str) -> (HeaderName, HeaderValue) {
        // A token that cannot be a header value cannot be good either: it
        // goes as one the service will refuse.
        let value = HeaderValue::from_str(&format!("Bearer {token}"))
            .unwrap_or_else(|_| HeaderValue::from_static("Bearer invalid"));
        (http::header::AUTHORIZATION, value)
    }
}

/// Which service a client talks to: its name (for errors), where its API
/// lives, and how its refusals read back as its own error type.
pub struct Service<E> {
    pub name: &'static str,
    /// The path every request of the client starts with.
    pub prefix: &'static str,
    pub answer: fn(ClientError) -> E,
}

// By hand: a derive would ask the same of `E`, which is never held.
impl<E> Clone for Service<E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for Service<E> {}

/// What every service's typed client holds: the connection to the service
/// and how to read its answers, so that a client only says which requests
/// it sends and what they mean.
pub struct ServiceClient<E> {
    api: ApiClient,
    prefix: &'static str,
    answer: fn(ClientError) -> E,
}

impl<E> Clone for ServiceClient<E> {
    fn clone(&self) -> Self {
        Self {
            api: self.api.clone(),
            ..*self
        }
    }
}

impl<E> std::fmt::Debug for ServiceClient<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.api.fmt(f)
    }
}

impl<E> ServiceClient<E> {
    /// Calls `router` in this process as if it were `service`'s API (its
    /// own router, or a stand-in answering chosen errors in a test).
    pub fn in_process(service: Service<E>, router: Router) -> Self {
        Self::over(service, ApiClient::in_process(service.name, router))
    }

    /// Calls `service` at `base_url`: see [`ApiClient::remote`].
    pub fn remote(service: Service<E>, base_url: &str, max_request: usize) -> Self {
        let api = ApiClient::remote(service.name, base_url, max_request);
        Self::over(service, api)
    }

    fn over(service: Service<E>, api: ApiClient) -> Self {
        Self {
            api,
            prefix: service.prefix,
            answer: service.answer,
        }
    }

    /// Sends any request as it is (the gateway forwards with it).
    pub async fn forward(&self, request: Request<Body>) -> Result<Response<Body>, ClientError> {
        self.api.forward(request).await
    }

    /// Sends a request to `path_and_query` under the service's prefix,
    /// with `headers` and a body of `content_type` when given, and reads
    /// the JSON answer (see [`ApiClient::exchange`]); a refusal reads as
    /// the service's error.
    pub async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path_and_query: &str,
        headers: &[(HeaderName, HeaderValue)],
        body: Option<(Vec<u8>, &'static str)>,
    ) -> Result<T, E> {
        let mut builder = Request::builder()
            .method(method)
            .uri(format!("{}{path_and_query}", self.prefix))
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
        self.api.exchange(request).await.map_err(self.answer)
    }

    /// [`Self::send`] with `body` as JSON.
    pub async fn send_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path_and_query: &str,
        headers: &[(HeaderName, HeaderValue)],
        body: Option<&impl serde::Serialize>,
    ) -> Result<T, E> {
        let body = body
            .map(|b| serde_json::to_vec(b).map(|bytes| (bytes, "application/json")))
            .transpose()
            .map_err(|e| (self.answer)(ClientError::Malformed(e)))?;
        self.send(method, path_and_query, headers, body).await
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
    use axum::extract::Path;
    use axum::response::Response;
    use axum::routing::{MethodFilter, on};

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

    /// A service's errors, for its contract test: those a caller can meet
    /// and, after them, the service's own failures (a database down, a
    /// corrupt row), which must reach no caller with their cause.
    pub struct Errors<E> {
        pub answerable: fn() -> Vec<E>,
        pub internal: fn() -> Vec<E>,
        /// Words of the internal failures that must not leave the service.
        pub causes: &'static [&'static str],
    }

    impl<E> Clone for Errors<E> {
        fn clone(&self) -> Self {
            *self
        }
    }

    impl<E> Copy for Errors<E> {}

    impl<E: std::error::Error + 'static> Errors<E> {
        /// A stand-in service answering `method path` with error number
        /// `n`, written by the service's own `respond`: `path`'s last
        /// parameter ends in the number (`err-3`, `ERR-3`, `3`).
        pub fn stand_in(
            self,
            method: MethodFilter,
            path: &str,
            respond: fn(E) -> Response,
        ) -> Router {
            let answer = move |Path(params): Path<Vec<String>>| async move {
                let last = params.last().expect("a path parameter");
                let n = last
                    .trim_start_matches(|c: char| !c.is_ascii_digit())
                    .parse()
                    .expect("an error number");
                respond(self.nth(n))
            };
            Router::new().route(path, on(method, answer))
        }

        /// Error number `n`: the answerable ones first, then the internal.
        pub fn nth(&self, n: usize) -> E {
            (self.answerable)()
                .into_iter()
                .chain((self.internal)())
                .nth(n)
                .unwrap_or_else(|| panic!("no error {n}"))
        }

        /// Asks for every error through each client (`ask` returns what the
        /// client gave back): each answerable one arrives as the same
        /// variant with the same words, each internal one as a failed
        /// service call (the error's source) that names no cause.
        pub async fn check<C, F, Fut>(&self, clients: &[(&'static str, C)], ask: F)
        where
            C: Clone,
            F: Fn(C, usize) -> Fut,
            Fut: Future<Output = E>,
        {
            let answerable = (self.answerable)();
            let first_internal = answerable.len();
            every_error_round_trips(clients, answerable, &ask).await;
            internal_failures_stay_inside(
                clients,
                first_internal,
                (self.internal)(),
                &ask,
                |got: &E| std::error::Error::source(got).and_then(|cause| cause.downcast_ref()),
                self.causes,
            )
            .await;
        }
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
        each_answer(clients, 0, &sent, ask, |transport, sent, got| {
            assert_eq!(
                format!("{got:?}"),
                format!("{sent:?}"),
                "{transport}: {sent} came back as {got}"
            );
            assert_eq!(got.to_string(), sent.to_string(), "{transport}");
        })
        .await
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
        each_answer(clients, first, &sent, ask, |transport, sent, got| {
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
        })
        .await
    }

    /// Asks for errors numbered `first..` (one for each of `sent`) through
    /// each client, and hands `check` the transport, the error sent and
    /// the one that came back.
    async fn each_answer<C, E, F, Fut>(
        clients: &[(&'static str, C)],
        first: usize,
        sent: &[E],
        ask: F,
        check: impl Fn(&str, &E, E),
    ) where
        C: Clone,
        F: Fn(C, usize) -> Fut,
        Fut: Future<Output = E>,
    {
        for (transport, client) in clients {
            for (i, sent) in sent.iter().enumerate() {
                check(transport, sent, ask(client.clone(), first + i).await);
            }
        }
    }
}
