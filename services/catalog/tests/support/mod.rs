//! What the catalog's test binaries share; each uses part of it.
#![allow(dead_code)]

pub mod auth;
pub mod fixtures;
pub mod serving;
