//! Accounts: sign up, sign in and out, email verification, password
//! recovery, the account page with profile and email change, the address
//! book, and the staff gate for `/admin`.
//!
//! Every form is a plain HTML form posting to a server function, which
//! answers with a redirect: the next page on success, the same form on a
//! mistake, with what was typed (never a password) and a message per field
//! carried back in a short-lived cookie. So everything works with
//! JavaScript off, and the same way with it on.

pub mod addresses;
pub mod api;
pub(crate) mod forms;
pub mod pages;
