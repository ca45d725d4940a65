//! One test binary for the basket service: each module was a binary of its
//! own, and linking the whole dependency tree once per file was most of the
//! build. Tests that stop Redis or RabbitMQ, or time themselves, stay
//! binaries of their own beside this one.

mod api;
mod baskets;
mod errors;
mod support;
