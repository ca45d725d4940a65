//! The catalog's values as they come from outside (URLs, forms, other
//! services' requests), parsed once: whoever holds a `Sku` or a `Money`
//! holds a valid one.

use std::fmt;

use thiserror::Error;

/// Why a value from outside was refused. The messages are written for
/// shoppers: they are shown next to the field or on the page.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum InputError {
    #[error("That address doesn't name a category.")]
    BadSlug,
    #[error("Type at least one letter or number to search.")]
    EmptySearch,
    #[error("Search terms can be at most {max} characters long.")]
    SearchTooLong { max: usize },
    #[error("A category name needs 1 to {max} characters, without control characters.")]
    BadCategoryName { max: usize },
    #[error("A SKU is 3 to {max} capital letters, digits and hyphens, like DRS-1042-RED-M.")]
    BadSku { max: usize },
    #[error(
        "Give a reason (1 to {max} characters), e.g. \"delivery from supplier\" or \"damaged\"."
    )]
    BadReason { max: usize },
    #[error("Enter a price between 0 and {max_major} in the shop's currency.")]
    BadPrice { max_major: i64 },
    #[error("Choose a quantity from 1 to {max}.")]
    BadQuantity { max: i64 },
    #[error("A barcode is 8, 12, 13 or 14 digits (EAN or UPC).")]
    BadBarcodeShape,
    #[error("That barcode's last digit doesn't match: check it for a typo.")]
    BadBarcodeCheckDigit,
}

/// A GTIN as printed under a barcode: EAN-8, UPC-A, EAN-13 or GTIN-14,
/// its check digit verified, so a mistyped digit is caught at the desk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Barcode(String);

impl Barcode {
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        // Scanners and people add spaces between digit groups.
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if !matches!(digits.len(), 8 | 12 | 13 | 14) || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(InputError::BadBarcodeShape);
        }
        let values: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let (body, check) = values.split_at(values.len() - 1);
        // GS1: from the right of the body, weights 3, 1, 3, 1…
        let sum: u32 = body
            .iter()
            .rev()
            .enumerate()
            .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
            .sum();
        if (10 - sum % 10) % 10 != check[0] {
            return Err(InputError::BadBarcodeCheckDigit);
        }
        Ok(Self(digits))
    }

    /// The body's GS1 check digit appended: for making demo barcodes.
    pub fn with_check_digit(body: &str) -> String {
        let sum: u32 = body
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 0 { d * 3 } else { d }
            })
            .sum();
        format!("{body}{}", (10 - sum % 10) % 10)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How many of one variant a basket line or order line holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity(i64);

impl Quantity {
    /// A family shop's order, not a wholesaler's.
    pub const MAX: i64 = 99;

    pub fn new(count: i64) -> Result<Self, InputError> {
        if (1..=Self::MAX).contains(&count) {
            Ok(Self(count))
        } else {
            Err(InputError::BadQuantity { max: Self::MAX })
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// A stock-keeping unit: one colour and size of one product. Upper-cased
/// at the edge, so `drs-1-m` and `DRS-1-M` are the same variant.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sku(String);

impl Sku {
    pub const MAX_LEN: usize = 32;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let sku = raw.trim().to_ascii_uppercase();
        if !(3..=Self::MAX_LEN).contains(&sku.len()) || !Self::is_sku_text(&sku) {
            return Err(InputError::BadSku { max: Self::MAX_LEN });
        }
        Ok(Self(sku))
    }

    /// Whether `text` is made as SKUs are: upper-case letters, digits and
    /// hyphens, neither first nor last. (Parts of SKUs, like the prefix
    /// staff give a new product, follow the same rule.)
    pub fn is_sku_text(text: &str) -> bool {
        text.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
            && !text.starts_with('-')
            && !text.ends_with('-')
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An amount of money in minor units (cents, pence). Never negative;
/// capped so no sum of a basket's lines can overflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money(i64);

impl Money {
    /// 1,000,000.00 in the shop's currency: more than any garment costs.
    pub const MAX_MINOR: i64 = 100_000_000;

    pub fn from_minor(minor: i64) -> Result<Self, InputError> {
        if (0..=Self::MAX_MINOR).contains(&minor) {
            Ok(Self(minor))
        } else {
            Err(InputError::BadPrice {
                max_major: Self::MAX_MINOR / 100,
            })
        }
    }

    pub fn minor(self) -> i64 {
        self.0
    }

    /// An amount as staff and shoppers type it: `24.99`, `24.9`, `24` or
    /// `£24.99`. Anything else (commas, signs, exponents, a third decimal)
    /// is refused rather than guessed at.
    pub fn parse_major(raw: &str) -> Result<Self, InputError> {
        let bad = || InputError::BadPrice {
            max_major: Self::MAX_MINOR / 100,
        };
        let raw = raw.trim().trim_start_matches('£');
        let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || whole.len() > 9
            || fraction.len() > 2
            || !digits(whole)
            || !digits(fraction)
        {
            return Err(bad());
        }
        let pence = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| bad())? * 10,
            _ => fraction.parse::<i64>().map_err(|_| bad())?,
        };
        Self::from_minor(whole.parse::<i64>().map_err(|_| bad())? * 100 + pence)
    }
}

/// `raw` trimmed, when that is 1 to `max` characters with none a control
/// character: a one-line text shown as it was typed.
fn printable(raw: &str, max: usize) -> Option<&str> {
    let text = raw.trim();
    let count = text.chars().count();
    (count > 0 && count <= max && !text.chars().any(char::is_control)).then_some(text)
}

/// Why stock changed, for the audit trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockReason(String);

impl StockReason {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let reason = printable(raw, Self::MAX_CHARS).ok_or(InputError::BadReason {
            max: Self::MAX_CHARS,
        })?;
        Ok(Self(reason.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A category's display name: trimmed, 1 to 60 characters, printable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryName(String);

impl CategoryName {
    pub const MAX_CHARS: usize = 60;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let name = printable(raw, Self::MAX_CHARS).ok_or(InputError::BadCategoryName {
            max: Self::MAX_CHARS,
        })?;
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A category's URL name: 1 to 64 lowercase ASCII letters, digits and
/// single hyphens, neither starting nor ending with a hyphen.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let ok = !raw.is_empty()
            && raw.len() <= Self::MAX_LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--");
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InputError::BadSlug)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a shopper typed into the search box: trimmed, inner runs of
/// white space folded to one space, and bounded in length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchTerm(String);

impl SearchTerm {
    /// Counted in characters, not bytes, so accented names are not penalised.
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let folded = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if !folded.chars().any(char::is_alphanumeric) {
            return Err(InputError::EmptySearch);
        }
        if folded.chars().count() > Self::MAX_CHARS {
            return Err(InputError::SearchTooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(folded))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn barcodes_are_checked_by_their_last_digit() {
        use super::{Barcode, InputError};
        // Real EAN-13 and UPC-A codes.
        assert_eq!(
            Barcode::parse("4006381333931").unwrap().as_str(),
            "4006381333931"
        );
        assert!(Barcode::parse("0 36000 29145 2").is_ok());
        assert_eq!(
            Barcode::parse("4006381333932"),
            Err(InputError::BadBarcodeCheckDigit)
        );
        assert_eq!(
            Barcode::parse("40063813339"),
            Err(InputError::BadBarcodeShape)
        );
        assert_eq!(
            Barcode::parse("400638133393a"),
            Err(InputError::BadBarcodeShape)
        );
        let made = Barcode::with_check_digit("500000000001");
        assert!(Barcode::parse(&made).is_ok(), "{made}");
    }

    use super::*;

    #[test]
    fn amounts_parse_as_typed_and_nothing_else() {
        assert_eq!(Money::parse_major("24.99").unwrap().minor(), 2499);
        assert_eq!(Money::parse_major(" £24.9 ").unwrap().minor(), 2490);
        assert_eq!(Money::parse_major("24").unwrap().minor(), 2400);
        for bad in ["", "-1", "24.999", "24,99", "abc", ".5", "1e3", "2000000"] {
            assert!(Money::parse_major(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn slugs_accept_url_names() {
        for ok in ["women", "women-dresses", "age-0-2"] {
            assert_eq!(Slug::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn slugs_refuse_anything_else() {
        let too_long = "a".repeat(Slug::MAX_LEN + 1);
        for bad in [
            "", "Women", "-women", "women-", "wo--men", "wo men", "../etc", "é", &too_long,
        ] {
            assert_eq!(Slug::parse(bad), Err(InputError::BadSlug), "{bad:?}");
        }
    }

    #[test]
    fn category_names_are_trimmed_bounded_and_printable() {
        assert_eq!(CategoryName::parse("  Ladies ").unwrap().as_str(), "Ladies");
        let too_long = "x".repeat(CategoryName::MAX_CHARS + 1);
        for bad in ["", "   ", "Tab\there", &too_long] {
            assert!(CategoryName::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn search_terms_are_trimmed_and_folded() {
        let term = SearchTerm::parse("  summer \t dress\n").unwrap();
        assert_eq!(term.as_str(), "summer dress");
    }

    #[test]
    fn search_terms_need_a_letter_or_digit() {
        for bad in ["", "   ", "%%", "'--"] {
            assert_eq!(
                SearchTerm::parse(bad),
                Err(InputError::EmptySearch),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn search_term_length_counts_characters() {
        let at_limit = "é".repeat(SearchTerm::MAX_CHARS);
        assert!(SearchTerm::parse(&at_limit).is_ok());
        let over = "é".repeat(SearchTerm::MAX_CHARS + 1);
        assert_eq!(
            SearchTerm::parse(&over),
            Err(InputError::SearchTooLong {
                max: SearchTerm::MAX_CHARS
            })
        );
    }

    #[test]
    fn skus_prices_and_reasons_are_checked_at_the_edge() {
        assert_eq!(
            Sku::parse(" drs-1042-red-m ").unwrap().as_str(),
            "DRS-1042-RED-M"
        );
        for bad in [
            "",
            "AB",
            "-DRS",
            "DRS-",
            "DRS 1",
            "DRS_1",
            "DRS'1",
            &"A".repeat(33),
        ] {
            assert!(Sku::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(Money::from_minor(3499).unwrap().minor(), 3499);
        assert!(Money::from_minor(-1).is_err());
        assert!(Money::from_minor(Money::MAX_MINOR + 1).is_err());
        assert!(StockReason::parse("  ").is_err());
        assert!(StockReason::parse(&"x".repeat(201)).is_err());
        assert_eq!(StockReason::parse(" recount ").unwrap().as_str(), "recount");
        assert!(
            Quantity::new(0).is_err() && Quantity::new(-3).is_err() && Quantity::new(100).is_err()
        );
        assert_eq!(Quantity::new(2).unwrap().get(), 2);
    }
}
