//! SURY's server: the single entry point. It renders the storefront,
//! answers server functions, serves static files and reports health.

pub mod cli;
pub mod gateway;
pub mod headers;
pub mod health;
pub mod owner_isolation;
pub mod server_fns;
pub mod session;
pub mod settings;
pub mod sitemap;
pub mod startup;
pub mod static_files;
pub mod telemetry;
pub mod uploads;
