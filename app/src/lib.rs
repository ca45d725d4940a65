//! SURY's storefront: Leptos components, routes and server functions.
//!
//! Built twice: with `ssr` into the server binary, with `hydrate` into the
//! wasm bundle the browser loads. Server-only code sits behind
//! `#[cfg(feature = "ssr")]`.
#![recursion_limit = "256"]

mod account;
mod admin;
pub mod api;
mod basket;
mod checkout;
mod components;
mod error;
mod pages;
mod root;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
mod services;
pub mod session;

pub use error::AppError;
pub use pages::product::SiteUrl;
pub use root::{App, shell};
#[cfg(feature = "ssr")]
pub use security::MediaOrigin;

/// The wasm entry point. Pages are islands: the server renders everything,
/// and only components marked `#[island]` come alive in the browser.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Tells tests (and styles) that the wasm loaded and started.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
