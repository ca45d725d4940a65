//! Values that come from forms, parsed once. Messages are written for the
//! person filling the form and name the field they belong to.

use std::collections::HashSet;
use std::sync::LazyLock;

use thiserror::Error;

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum InputError {
    #[error("Enter an email address like name@example.com.")]
    BadEmail,
    #[error("Use at least {min} characters.")]
    PasswordTooShort { min: usize },
    #[error("Use at most {max} characters.")]
    PasswordTooLong { max: usize },
    #[error("That password is one of the most common ones; choose another.")]
    CommonPassword,
    #[error("Don't use your email address as your password.")]
    PasswordIsEmail,
    #[error("Enter your name (up to {max} characters).")]
    BadName { max: usize },
    #[error("Enter a phone number of 7 to 15 digits, like +44 20 7946 0958.")]
    BadPhone,
    #[error("Enter {what}.")]
    Missing { what: &'static str },
    #[error("Use at most {max} characters.")]
    TooLong { max: usize },
    #[error("Enter a postal code like {example}.")]
    BadPostalCode { example: &'static str },
    #[error("Choose a country from the list.")]
    BadCountry,
    #[error("That is already your email address.")]
    SameEmail,
}

/// An email address, trimmed and lower-cased, so one address is one
/// account however it is typed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let email = raw.trim().to_lowercase();
        let Some((local, domain)) = email.split_once('@') else {
            return Err(InputError::BadEmail);
        };
        let labels_ok = domain.split('.').count() >= 2
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        if email.len() > Self::MAX_LEN || !labels_ok || !local_ok {
            return Err(InputError::BadEmail);
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A name to greet someone by: trimmed, 1 to 80 printable characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let name = contracts::text::one_line(raw, Self::MAX_CHARS);
        let max = Self::MAX_CHARS;
        name.map(|name| Self(name.to_owned()))
            .ok_or(InputError::BadName { max })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number as people write it (`+44 20 7946 0958`, `(555) 010-1234`):
/// kept as typed, checked for 7 to 15 digits (E.164's limit) and nothing
/// but digits, spaces and `+-().`, with `+` only in front.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub const MAX_CHARS: usize = 24;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let phone = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let chars_ok = phone
            .char_indices()
            .all(|(i, c)| c.is_ascii_digit() || " -().".contains(c) || (c == '+' && i == 0));
        if !chars_ok || !(7..=15).contains(&digits) || phone.chars().count() > Self::MAX_CHARS {
            return Err(InputError::BadPhone);
        }
        Ok(Self(phone))
    }

    /// An empty field means no phone number.
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, InputError> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            Self::parse(raw).map(Some)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/common-passwords.txt")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .collect()
});

/// A password someone is choosing: long enough, not a well-known one.
/// Taken as typed (spaces count). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

impl NewPassword {
    pub const MIN_CHARS: usize = 8;
    /// Long passphrases are welcome; the cap only keeps hashing bounded.
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str, email: Option<&Email>) -> Result<Self, InputError> {
        let count = raw.chars().count();
        if count < Self::MIN_CHARS {
            return Err(InputError::PasswordTooShort {
                min: Self::MIN_CHARS,
            });
        }
        if count > Self::MAX_CHARS {
            return Err(InputError::PasswordTooLong {
                max: Self::MAX_CHARS,
            });
        }
        let lower = raw.to_lowercase();
        if COMMON.contains(lower.as_str()) {
            return Err(InputError::CommonPassword);
        }
        if email.is_some_and(|email| lower == email.as_str()) {
            return Err(InputError::PasswordIsEmail);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ann.Lee@Example.COM ").unwrap().as_str(),
            "ann.lee@example.com"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "ann@@example.com",
            "ann lee@example.com",
            "ann@exa mple.com",
            "ann@-example.com",
            ".ann@example.com",
            "ann..lee@example.com",
        ] {
            assert_eq!(Email::parse(bad), Err(InputError::BadEmail), "{bad:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(InputError::BadEmail));
    }

    #[test]
    fn passwords_follow_the_rules() {
        let email = Email::parse("ann@example.com").unwrap();
        assert!(NewPassword::parse("correct horse battery", Some(&email)).is_ok());
        assert_eq!(
            NewPassword::parse("short1!", None),
            Err(InputError::PasswordTooShort { min: 8 })
        );
        for common in ["password", "Password1", "qwertyuiop", "iloveyou1"] {
            assert_eq!(
                NewPassword::parse(common, None),
                Err(InputError::CommonPassword),
                "{common}"
            );
        }
        assert_eq!(
            NewPassword::parse("ANN@example.com", Some(&email)),
            Err(InputError::PasswordIsEmail)
        );
        // No maximum below 64 characters: a 64-character passphrase is fine.
        assert!(NewPassword::parse(&"abcdefgh".repeat(8), None).is_ok());
        assert!(NewPassword::parse(&"x".repeat(257), None).is_err());
        assert_eq!(
            format!("{:?}", NewPassword::parse("my secret pass", None).unwrap()),
            "NewPassword(…)"
        );
    }

    #[test]
    fn phones_are_digits_with_the_usual_punctuation() {
        assert_eq!(
            Phone::parse("  +44 20  7946 0958 ").unwrap().as_str(),
            "+44 20 7946 0958"
        );
        assert!(Phone::parse("(555) 010-1234").is_ok());
        assert_eq!(Phone::parse_optional("  "), Ok(None));
        for bad in [
            "12345",
            "phone me",
            "44+20 7946 0958",
            "+1 234 567 890 123 456",
            "555-0101 ext 2",
        ] {
            assert_eq!(Phone::parse(bad), Err(InputError::BadPhone), "{bad:?}");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(PersonName::parse("  Ann ").unwrap().as_str(), "Ann");
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"a".repeat(81)).is_err());
        assert!(PersonName::parse("Ann\u{7}").is_err());
    }
}
