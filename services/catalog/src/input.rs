//! Values that come from outside (URLs, forms), parsed once.

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
}

/// A category's display name: trimmed, 1 to 60 characters, printable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryName(String);

impl CategoryName {
    pub const MAX_CHARS: usize = 60;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let name = raw.trim();
        let count = name.chars().count();
        if count == 0 || count > Self::MAX_CHARS || name.chars().any(char::is_control) {
            return Err(InputError::BadCategoryName {
                max: Self::MAX_CHARS,
            });
        }
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
    use super::*;

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
}
