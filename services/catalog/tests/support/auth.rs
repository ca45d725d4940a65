//! Access tokens as identity signs them (Ed25519), for calling the staff
//! API, and the verifier the catalog checks them with.

// Each test binary uses a part of it.
#[allow(unused_imports)]
pub use platform::auth::testing::{Keys, keys, token};
