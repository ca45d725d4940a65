//! Postal addresses as typed into the address form, checked field by field
//! so the form can say what is wrong with each one at once.

use std::collections::BTreeMap;

use contracts::countries::country_name;
use contracts::identity::AddressFieldsV1;

use crate::{InputError, Phone};

/// An address that passed every check, normalised: trimmed, single spaces,
/// country and postal code upper case, postal code in its usual spacing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address(AddressFieldsV1);

/// Field name → what is wrong with it. Names are those of
/// [`AddressFieldsV1`].
pub type FieldErrors = BTreeMap<&'static str, InputError>;

impl Address {
    pub const MAX_RECIPIENT: usize = 80;
    pub const MAX_LINE: usize = 100;
    pub const MAX_CITY: usize = 60;

    pub fn parse(raw: &AddressFieldsV1) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut text =
            |field: &'static str, value: &str, max: usize, what: Option<&'static str>| {
                let value = tidy(value);
                let count = value.chars().count();
                let problem = if count == 0 {
                    what.map(|what| InputError::Missing { what })
                } else if count > max {
                    Some(InputError::TooLong { max })
                } else {
                    None
                };
                if let Some(problem) = problem {
                    errors.insert(field, problem);
                }
                value
            };
        let country = raw.country.trim().to_ascii_uppercase();
        let recipient = text(
            "recipient",
            &raw.recipient,
            Self::MAX_RECIPIENT,
            Some("the name of the person receiving the parcel"),
        );
        let line1 = text(
            "line1",
            &raw.line1,
            Self::MAX_LINE,
            Some("the street and house number"),
        );
        let line2 = text("line2", &raw.line2, Self::MAX_LINE, None);
        let city = text("city", &raw.city, Self::MAX_CITY, Some("the town or city"));
        let region_needed = matches!(country.as_str(), "US" | "CA" | "AU")
            .then_some("the state, province or territory");
        let region = text("region", &raw.region, Self::MAX_CITY, region_needed);
        if country_name(&country).is_none() {
            errors.insert("country", InputError::BadCountry);
        }
        let postal_code = match postal_code(&country, &raw.postal_code) {
            Ok(code) => code,
            Err(err) => {
                errors.insert("postal_code", err);
                String::new()
            }
        };
        let phone = match Phone::parse_optional(&raw.phone) {
            Ok(phone) => phone.map(|p| p.as_str().to_owned()).unwrap_or_default(),
            Err(err) => {
                errors.insert("phone", err);
                String::new()
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self(AddressFieldsV1 {
            recipient,
            line1,
            line2,
            city,
            region,
            postal_code,
            country,
            phone,
        }))
    }

    pub fn fields(&self) -> &AddressFieldsV1 {
        &self.0
    }
}

/// Trimmed, runs of whitespace (and control characters) made one space.
fn tidy(raw: &str) -> String {
    raw.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where no postal codes are used (or, for Ireland, many addresses have
/// none yet): the field may be left empty.
const OPTIONAL_POSTAL_CODE: &[&str] = &[
    "AE", "AG", "AO", "AW", "BF", "BI", "BJ", "BO", "BS", "BW", "BZ", "CD", "CF", "CG", "CI", "CK",
    "CM", "DJ", "DM", "ER", "FJ", "GA", "GD", "GH", "GM", "GQ", "GY", "HK", "IE", "JM", "KI", "KM",
    "KN", "KP", "LC", "ML", "MO", "MR", "MW", "NR", "NU", "QA", "RW", "SB", "SC", "SL", "SR", "SS",
    "ST", "SY", "TD", "TF", "TG", "TK", "TL", "TO", "TT", "TV", "UG", "VU", "YE", "ZW",
];

/// Postal code shapes of the countries most orders go to: `N` a digit,
/// `A` a letter, a space optional when typed, anything else literal. The
/// first shape's example is shown in the message.
fn shapes(country: &str) -> Option<(&'static [&'static str], &'static str)> {
    Some(match country {
        "US" => (&["NNNNN", "NNNNN-NNNN"], "94103"),
        "GB" | "IM" | "JE" | "GG" => (
            &[
                "AN NAA", "ANN NAA", "ANA NAA", "AAN NAA", "AANN NAA", "AANA NAA",
            ],
            "SW1A 1AA",
        ),
        "CA" => (&["ANA NAN"], "K1A 0B1"),
        "NL" => (&["NNNN AA"], "1012 AB"),
        "DE" | "FR" | "ES" | "IT" | "FI" | "MX" | "TR" | "HR" | "EE" | "MY" => {
            (&["NNNNN"], "75008")
        }
        "AU" | "AT" | "BE" | "CH" | "DK" | "NO" | "NZ" | "ZA" | "HU" | "BG" | "LU" => {
            (&["NNNN"], "8001")
        }
        "SE" => (&["NNN NN"], "114 55"),
        "PL" => (&["NN-NNN"], "00-950"),
        "PT" => (&["NNNN-NNN"], "1000-001"),
        "JP" => (&["NNN-NNNN"], "100-0001"),
        "BR" => (&["NNNNN-NNN"], "01310-100"),
        "IN" => (&["NNNNNN"], "110001"),
        _ => return None,
    })
}

fn postal_code(country: &str, raw: &str) -> Result<String, InputError> {
    let code = tidy(raw).to_uppercase();
    if code.is_empty() {
        return if OPTIONAL_POSTAL_CODE.contains(&country) {
            Ok(code)
        } else {
            Err(InputError::Missing {
                what: "the postal code",
            })
        };
    }
    match shapes(country) {
        Some((shapes, example)) => shapes
            .iter()
            .find_map(|shape| fit(shape, &code))
            .ok_or(InputError::BadPostalCode { example }),
        None => {
            let ok = code.chars().count() <= 10
                && code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
            if ok {
                Ok(code)
            } else {
                Err(InputError::BadPostalCode { example: "12345" })
            }
        }
    }
}

/// `code` written the way `shape` spells it, if it fits.
fn fit(shape: &str, code: &str) -> Option<String> {
    let mut out = String::with_capacity(shape.len());
    let mut input = code.chars().peekable();
    for want in shape.chars() {
        match want {
            ' ' => {
                input.next_if_eq(&' ');
                out.push(' ');
            }
            'N' => out.push(input.next().filter(char::is_ascii_digit)?),
            'A' => out.push(input.next().filter(char::is_ascii_uppercase)?),
            literal => out.push(input.next().filter(|c| *c == literal)?),
        }
    }
    input.next().is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uk() -> AddressFieldsV1 {
        AddressFieldsV1 {
            recipient: " Ann  Lee ".into(),
            line1: "10 Downing Street".into(),
            city: "London".into(),
            postal_code: "sw1a1aa".into(),
            country: "gb".into(),
            ..AddressFieldsV1::default()
        }
    }

    #[test]
    fn a_good_address_is_normalised() {
        let address = Address::parse(&uk()).unwrap();
        let fields = address.fields();
        assert_eq!(fields.recipient, "Ann Lee");
        assert_eq!(fields.postal_code, "SW1A 1AA");
        assert_eq!(fields.country, "GB");
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let errors = Address::parse(&AddressFieldsV1 {
            line2: "x".repeat(101),
            country: "ZZ".into(),
            phone: "call me".into(),
            ..AddressFieldsV1::default()
        })
        .unwrap_err();
        let fields: Vec<_> = errors.keys().copied().collect();
        assert_eq!(
            fields,
            [
                "city",
                "country",
                "line1",
                "line2",
                "phone",
                "postal_code",
                "recipient"
            ]
        );
        assert_eq!(errors["line2"], InputError::TooLong { max: 100 });
    }

    #[test]
    fn postal_codes_follow_the_country() {
        let code = |country: &str, raw: &str| postal_code(country, raw);
        assert_eq!(code("US", "94103-1234").unwrap(), "94103-1234");
        assert!(code("US", "9410").is_err());
        assert_eq!(code("NL", "1012ab").unwrap(), "1012 AB");
        assert_eq!(code("CA", "k1a 0b1").unwrap(), "K1A 0B1");
        assert_eq!(
            code("DE", "7500"),
            Err(InputError::BadPostalCode { example: "75008" })
        );
        assert_eq!(code("HK", "").unwrap(), "");
        assert!(code("GB", "").is_err());
        assert_eq!(code("AR", "c1002abc").unwrap(), "C1002ABC");
        assert!(code("AR", "c1002<b>").is_err());
    }

    #[test]
    fn states_are_needed_where_addresses_use_them() {
        let mut us = uk();
        us.country = "US".into();
        us.postal_code = "94103".into();
        let errors = Address::parse(&us).unwrap_err();
        assert!(matches!(errors["region"], InputError::Missing { .. }));
        us.region = "CA".into();
        assert!(Address::parse(&us).is_ok());
    }
}
