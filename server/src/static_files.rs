//! The built site: `pkg/` (wasm, JS, CSS) and `public/` assets.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, Response, header};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Names carry a content hash when cargo-leptos was asked for it, so a
/// changed file gets a new URL and browsers may keep the old one forever.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Unhashed builds (`cargo leptos watch`) must be re-checked every load.
const REVALIDATE: &str = "no-cache";

/// True when cargo-leptos wrote `hash.txt` beside this executable, which is
/// where Leptos reads the hashed file names from.
pub fn hashed_build() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|path| path.exists())
}

/// `dir` at `path`, with `cache_control` on successful answers only: a
/// 404 must not be cached for a year.
fn files_at<S: Clone + Send + Sync + 'static>(
    path: &str,
    dir: ServeDir,
    cache_control: &'static str,
) -> Router<S> {
    let cache = HeaderValue::from_static(cache_control);
    Router::new().nest_service(
        path,
        tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                move |res: &Response<_>| res.status().is_success().then(|| cache.clone()),
            ))
            .service(dir),
    )
}

/// Serves `<site_root>/pkg` with precompressed `.br`/`.gz` variants when
/// present and the cache policy above.
pub fn pkg_routes<S: Clone + Send + Sync + 'static>(site_root: &Path, hashed: bool) -> Router<S> {
    let dir = ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    files_at("/pkg", dir, if hashed { IMMUTABLE } else { REVALIDATE })
}

/// Uploaded media of the embedded shape (`platform::blob::LocalBlobStore`
/// writes there). Keys never change content, so browsers may keep them; a
/// missing file is a plain 404, and `..` never leaves the folder (ServeDir
/// refuses it).
pub fn media_routes<S: Clone + Send + Sync + 'static>(media_dir: &Path) -> Router<S> {
    files_at("/media", ServeDir::new(media_dir), IMMUTABLE)
}
