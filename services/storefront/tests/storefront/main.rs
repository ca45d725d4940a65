//! One test binary for the storefront's caches. The test that stops Redis
//! is a binary of its own beside this one (`product_cache_redis_down`).

#[path = "../support/mod.rs"]
mod support;

mod product_cache;
