//! One test binary for the catalog: each module was a binary of its own,
//! and linking the whole dependency tree once per file was most of the
//! build. Tests that stop Redis or RabbitMQ, or time themselves, stay
//! binaries of their own beside this one.

#[path = "../support/mod.rs"]
mod support;

mod browsing;
mod categories;
mod client;
mod editing;
mod errors;
mod images;
mod inventory;
mod saga;
mod shelves;
mod staff_api;
