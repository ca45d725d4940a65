//! The identity service: accounts, sign-in, email verification, password
//! recovery, addresses and staff roles. Built by the Identity issue; the
//! crate exists now so the workspace has its final shape.
