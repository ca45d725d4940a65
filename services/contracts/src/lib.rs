//! Contracts shared between SURY's services and the storefront.
//!
//! Plain serde types only: no I/O, no framework types. A change that breaks
//! a contract must break compilation, so consumers name these types rather
//! than re-declaring JSON shapes of their own.

pub mod api;
pub mod basket;
pub mod catalog;
pub mod countries;
pub mod identity;
pub mod money;
pub mod ordering;
