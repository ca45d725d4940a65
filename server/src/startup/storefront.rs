//! The storefront process: pages, server functions, the `/api/v1`
//! gateway and uploads, with every service it is not told the address of
//! hosted inside it (the embedded shape hosts them all).

use std::sync::Arc;

use app::session::server::CookiePolicy;
use app::{App, shell};
use axum::extract::FromRef;
use axum::routing::get;
use axum::{Router, middleware};
use basket::Baskets;
use catalog::{Catalog, CatalogClient};
use identity::{Identity, IdentityClient};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use ordering::Ordering;
use platform::shared_cache::Redis;
use storefront::StorefrontCatalog;

use super::hosting::{Host, embed};
use super::infra::bind;
use super::layers::{body_limit, outer_layers};
use super::{Application, StartupError};
use crate::health::Probe;
use crate::settings::Settings;
use crate::{health, server_fns, static_files};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub catalog: CatalogClient,
    /// The catalog as pages read it, through the storefront's caches.
    pub storefront: StorefrontCatalog,
    pub identity: IdentityClient,
    pub baskets: basket::BasketClient,
    pub ordering: ordering::OrderingClient,
    pub cookies: CookiePolicy,
    pub health: health::Dependencies,
}

impl Application {
    /// The storefront and gateway, with every service it is not told the
    /// address of running inside it.
    #[tracing::instrument(name = "startup", skip_all)]
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let mut host = Host::new(&settings, true).await?;
        let identity_client = embed::<Identity>(&mut host).await?;
        // Apart from identity, this process checks tokens with its public
        // key: a bad key file stops it here rather than at the first sign-in.
        host.verifier()?;
        let client = embed::<Catalog>(&mut host).await?;
        let redis = match &settings.redis_url {
            Some(url) => Some(Arc::new(Redis::open(url.expose())?)),
            None => None,
        };
        if let Some(redis) = &redis {
            host.probes.push(Probe::redis(redis.clone()));
        }
        let mut storefront = StorefrontCatalog::new(client).with_tree_cache(
            settings.storefront.catalog_tree_ttl,
            redis.clone(),
            &settings.namespace,
        );
        if !settings.storefront.product_cache_ttl.is_zero() {
            storefront = storefront.with_product_cache(
                settings.storefront.product_cache_ttl,
                settings.storefront.product_cache_entries,
                redis,
                &settings.namespace,
            );
        }
        storefront.follow_changes(host.bus.as_ref()).await?;
        // Changes made through it (staff's, through the gateway or the
        // back office, or by the services hosted here) drop what they made
        // stale in the storefront's caches.
        let client = storefront.client().clone();
        host.set_catalog(client.clone());
        let basket_client = embed::<Baskets>(&mut host).await?;
        let ordering_client = embed::<Ordering>(&mut host).await?;
        let (listener, addr) = bind(settings.addr).await?;

        let hashed = static_files::hashed_build();
        let leptos = LeptosOptions::builder()
            .output_name("sury")
            .site_root(settings.site_root.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .hash_files(hashed)
            .build();
        let health = Arc::new(host.probes.clone());
        let state = AppState {
            leptos,
            catalog: client,
            storefront,
            identity: identity_client,
            baskets: basket_client,
            ordering: ordering_client,
            cookies: CookiePolicy {
                secure: settings.cookies_secure(),
            },
            health,
        };
        let router = storefront_router(state, &settings, hashed);
        tracing::info!(
            %addr,
            remote_catalog = settings.catalog_url.is_some(),
            remote_basket = settings.basket_url.is_some(),
            remote_ordering = settings.ordering_url.is_some(),
            remote_identity = settings.identity_url.is_some(),
            "sury is listening"
        );
        Ok(host.finish(listener, addr, router))
    }
}

fn storefront_router(state: AppState, settings: &Settings, hashed: bool) -> Router {
    // What server functions and pages find in their context. leptos_routes
    // also mounts every server function (under /sf/) with it.
    let context = {
        let catalog = state.storefront.clone();
        let identity = state.identity.clone();
        let baskets = state.baskets.clone();
        let ordering = state.ordering.clone();
        let cookies = state.cookies;
        let site_url = app::SiteUrl(settings.public_url.clone());
        let media_origin = app::MediaOrigin(settings.media.origin());
        move || {
            provide_context(site_url.clone());
            provide_context(media_origin.clone());
            provide_context(catalog.clone());
            provide_context(identity.clone());
            provide_context(baskets.clone());
            provide_context(ordering.clone());
            provide_context(cookies);
        }
    };
    let session = crate::session::SessionState {
        identity: state.identity.clone(),
        cookies: state.cookies,
    };
    let origin = crate::session::PublicOrigin(settings.public_url.clone());
    let routes = generate_route_list(App);

    let router = Router::new()
        .route("/health/live", get(health::live))
        .route("/health/ready", get(health::ready))
        .route(
            "/sitemap.xml",
            get(crate::sitemap::sitemap).with_state(crate::sitemap::SitemapState {
                catalog: state.catalog.clone(),
                public_url: settings.public_url.clone(),
            }),
        )
        .merge(crate::gateway::routes(&state, &settings.cors_origins))
        .route(
            "/admin/products/{slug}/images",
            axum::routing::post(crate::uploads::add_image)
                .with_state(crate::uploads::UploadState {
                    catalog: state.catalog.clone(),
                    cookies: state.cookies,
                    max_upload_bytes: settings.max_upload_bytes,
                })
                // axum's own 2 MB default for multipart would cut a photo
                // off; `limit_body` holds this path to its ceiling.
                .layer(axum::extract::DefaultBodyLimit::max(body_limit(
                    "/admin/products/x/images",
                    settings.max_upload_bytes,
                ))),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos.clone();
            move || shell(options.clone())
        })
        .merge(static_files::pkg_routes(&settings.site_root, hashed))
        .merge(static_files::media_routes(&settings.data_dir.join("media")))
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(middleware::from_fn(server_fns::error_status))
        .layer(middleware::from_fn_with_state(
            session,
            crate::session::resolve,
        ))
        .layer(middleware::from_fn_with_state(
            origin,
            crate::session::same_origin_posts,
        ))
        // Outermost: no request sees the reactive owner another left behind.
        .layer(middleware::from_fn(crate::owner_isolation::isolate))
        .with_state(state);
    outer_layers(router, settings)
}
