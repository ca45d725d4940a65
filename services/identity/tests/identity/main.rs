//! One test binary for the identity service: each module was a binary of
//! its own, and linking the whole dependency tree once per file was most of
//! the build. Tests that stop Redis or RabbitMQ, or time themselves, stay
//! binaries of their own beside this one.

mod accounts;
mod api;
mod errors;
mod profile;
mod support;
mod tokens;
