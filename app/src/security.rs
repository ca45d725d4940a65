//! The Content-Security-Policy of every rendered page.

use leptos::config::LeptosOptions;

/// Where product pictures are served from when not this site
/// (`https://d111.cloudfront.net`): the server provides it.
#[derive(Clone, Debug, Default)]
pub struct MediaOrigin(pub Option<String>);

/// Only the page's own scripts run: files from this origin plus the inline
/// bootstrap scripts Leptos stamps with this response's nonce.
/// `wasm-unsafe-eval` lets the browser compile our wasm, nothing more.
pub fn content_security_policy(nonce: &str, options: &LeptosOptions) -> String {
    // Product pictures may come from a CDN or a bucket of their own.
    let mut images = String::from("'self' data:");
    if let Some(MediaOrigin(Some(origin))) = leptos::prelude::use_context::<MediaOrigin>() {
        images.push(' ');
        images.push_str(&origin);
    }
    let mut connect = String::from("'self'");
    // `cargo leptos watch` reloads the page over a websocket of its own.
    if std::env::var_os("LEPTOS_WATCH").is_some() {
        let port = options.reload_external_port.unwrap_or(options.reload_port);
        connect.push_str(&format!(" ws://127.0.0.1:{port} ws://localhost:{port}"));
    }
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src {images}; font-src 'self'; connect-src {connect}; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_allows_only_own_and_nonced_scripts() {
        let options = LeptosOptions::builder().output_name("sury").build();
        let csp = content_security_policy("abc123", &options);
        assert!(csp.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("object-src 'none'"));
    }
}
