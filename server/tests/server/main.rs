//! One test binary for the server and the shop it serves: each module was a
//! binary of its own, and linking the whole dependency tree once per file
//! was most of the build. Tests that stop Redis or RabbitMQ, or time
//! themselves, stay binaries of their own beside this one.

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod concurrency;
mod distributed;
mod distributed_mail_media;
mod operations;
mod pages;
