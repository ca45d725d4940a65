//! Builds the application: opens the services, wires the routes, binds.

use std::future::Future;
use std::io;
use std::net::SocketAddr;

use app::{App, shell};
use axum::extract::FromRef;
use axum::routing::get;
use axum::{Router, middleware};
use catalog::Catalog;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use thiserror::Error;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::settings::Settings;
use crate::{headers, health, server_fns, static_files, telemetry};

/// Server functions take small forms; anything larger is refused early.
const MAX_REQUEST_BODY: usize = 256 * 1024;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub catalog: Catalog,
}

#[derive(Debug, Error)]
pub enum StartupError {
    #[error("could not create the data directory {path}")]
    DataDir {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("could not open the catalog")]
    Catalog(#[from] catalog::Error),
    #[error("could not listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    catalog: Catalog,
    addr: SocketAddr,
}

impl Application {
    #[tracing::instrument(name = "startup", skip_all)]
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        std::fs::create_dir_all(&settings.data_dir).map_err(|source| StartupError::DataDir {
            path: settings.data_dir.display().to_string(),
            source,
        })?;
        let catalog = Catalog::open(&settings.catalog_database_url).await?;

        let listener =
            TcpListener::bind(settings.addr)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: settings.addr,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: settings.addr,
            source,
        })?;

        let hashed = static_files::hashed_build();
        let leptos = LeptosOptions::builder()
            .output_name("sury")
            .site_root(settings.site_root.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .hash_files(hashed)
            .build();
        let state = AppState {
            leptos,
            catalog: catalog.clone(),
        };
        let router = router(state, &settings, hashed);
        tracing::info!(%addr, data_dir = %settings.data_dir.display(), "sury is listening");
        Ok(Self {
            listener,
            router,
            catalog,
            addr,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The catalog this application serves from (tests use it to break
    /// the database on purpose).
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Serves until `shutdown` resolves, then lets requests in flight finish
    /// and closes the databases.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        let served = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await;
        self.catalog.close().await;
        tracing::info!("sury stopped");
        served
    }
}

fn router(state: AppState, settings: &Settings, hashed: bool) -> Router {
    // What server functions and pages find in their context. leptos_routes
    // also mounts every server function (under /sf/) with it.
    let context = {
        let catalog = state.catalog.clone();
        move || provide_context(catalog.clone())
    };
    let routes = generate_route_list(App);

    let router = Router::new()
        .route("/health/live", get(health::live))
        .route("/health/ready", get(health::ready))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos.clone();
            move || shell(options.clone())
        })
        .merge(static_files::pkg_routes(&settings.site_root, hashed))
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(middleware::from_fn(server_fns::error_status))
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY))
        .layer(CompressionLayer::new())
        .with_state(state);

    // Outermost last: the id is set before the span that logs it is made,
    // and copied onto the response for the shopper to quote.
    headers::apply(router, settings.serves_https())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(telemetry::request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}
