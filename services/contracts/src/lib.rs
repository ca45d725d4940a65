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
pub mod text;

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(super::url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }
}
