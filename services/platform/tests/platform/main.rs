//! One test binary for the shared platform: each module was a binary of its
//! own, and linking the whole dependency tree once per file was most of the
//! build. Tests that stop Redis or RabbitMQ, or time themselves, stay
//! binaries of their own beside this one.

#[path = "../support/mod.rs"]
mod support;

mod blob;
mod bus_contract;
mod mail;
mod outbox_replicas;
mod redis_cache;
