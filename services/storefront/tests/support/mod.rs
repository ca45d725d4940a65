//! What the storefront's test binaries share.
#![allow(dead_code)]

pub mod shop;
