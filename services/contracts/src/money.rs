//! Amounts of money as the shop shows them. Amounts travel in minor units
//! (pence); refunds and discounts are negative, so the sign is part of the
//! text: `-£1.50`, never `£-1.-50`.

/// The shop's one currency (ISO 4217 code, symbol).
pub const CURRENCY: (&str, &str) = ("GBP", "£");

/// `2499` -> `24.99`, `-150` -> `-1.50`: plain digits, for machine-read
/// places such as structured data.
pub fn decimal(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// `2499` -> `£24.99`, `-150` -> `-£1.50`: as shoppers and staff read it.
pub fn price(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}{}.{:02}", CURRENCY.1, abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_written_whatever_their_sign() {
        assert_eq!(price(2499), "£24.99");
        assert_eq!(price(5), "£0.05");
        assert_eq!(price(0), "£0.00");
        assert_eq!(price(-150), "-£1.50");
        assert_eq!(price(-5), "-£0.05");
        assert_eq!(price(i64::MIN), "-£92233720368547758.08");
        assert_eq!(decimal(-150), "-1.50");
        assert_eq!(decimal(100_000_000), "1000000.00");
    }
}
