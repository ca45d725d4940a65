//! A listing's filters, sort and page: one query-string grammar for the
//! storefront's shareable URLs and the API, so a link and an API call mean
//! the same.

use contracts::catalog::ListingSortV1;

use crate::{Money, Slug};

/// A listing's filters, sort and page, parsed once at the edge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListingQuery {
    pub sizes: Vec<String>,
    pub colours: Vec<String>,
    /// Brands by slug.
    pub brands: Vec<String>,
    pub min: Option<Money>,
    pub max: Option<Money>,
    pub in_stock: bool,
    pub sort: ListingSortV1,
    pub page: u32,
}

/// A value in the query string that was left out, and why, in words for
/// the shopper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

impl ListingQuery {
    pub const PER_PAGE: u32 = 12;
    /// Far past any real listing: deeper pages are a crawler's loop.
    pub const MAX_PAGE: u32 = 500;
    const MAX_VALUES: usize = 30;
    const MAX_VALUE_CHARS: usize = 40;

    /// Reads `size`, `colour`, `brand` (each repeatable), `min`, `max` (amounts as
    /// typed, `19.99`), `in_stock`, `sort` and `page`; other keys (`q`,
    /// tracking tags) are not its business. A bad value is left out and
    /// reported, so the rest of the listing still works.
    pub fn parse(query: &str) -> (Self, Vec<Problem>) {
        let mut parsed = Self::default();
        let mut problems = Vec::new();
        let mut problem = |field, message: &str| {
            problems.push(Problem {
                field,
                message: message.to_owned(),
            })
        };
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim();
            match key.as_ref() {
                "size" | "colour" | "brand" if value.is_empty() => {}
                "size" | "colour" | "brand" => {
                    let (field, list) = match key.as_ref() {
                        "size" => ("size", &mut parsed.sizes),
                        "colour" => ("colour", &mut parsed.colours),
                        _ => ("brand", &mut parsed.brands),
                    };
                    let malformed = field == "brand" && Slug::parse(value).is_err();
                    if malformed
                        || value.chars().count() > Self::MAX_VALUE_CHARS
                        || value.chars().any(char::is_control)
                        || list.len() == Self::MAX_VALUES
                    {
                        problem(field, "That choice isn't one this shop offers.");
                    } else if !list.iter().any(|v| v == value) {
                        list.push(value.to_owned());
                    }
                }
                "min" | "max" if value.is_empty() => {}
                "min" | "max" => match Money::parse_major(value) {
                    Ok(amount) if key == "min" => parsed.min = Some(amount),
                    Ok(amount) => parsed.max = Some(amount),
                    Err(_) => problem(
                        if key == "min" { "min" } else { "max" },
                        "Give prices as amounts like 20 or 19.99.",
                    ),
                },
                "in_stock" => parsed.in_stock = matches!(value, "1" | "on" | "true"),
                "sort" if value.is_empty() => {}
                "sort" => match ListingSortV1::from_token(value) {
                    Some(sort) => parsed.sort = sort,
                    None => problem("sort", "That is not a way this shop sorts."),
                },
                "page" if value.is_empty() => {}
                "page" => match value.parse::<u32>() {
                    Ok(page) if (1..=Self::MAX_PAGE).contains(&page) => parsed.page = page,
                    _ => problem("page", "That page doesn't exist."),
                },
                _ => {}
            }
        }
        if let (Some(min), Some(max)) = (parsed.min, parsed.max)
            && min.minor() > max.minor()
        {
            problem("max", "The highest price is below the lowest.");
            parsed.min = None;
            parsed.max = None;
        }
        parsed.page = parsed.page.max(1);
        (parsed, problems)
    }

    /// The canonical query string (without `?`): what pagination links and
    /// the typed client send. Defaults are left out, so the first page of
    /// an unfiltered listing is the bare URL.
    pub fn to_query(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for size in &self.sizes {
            out.append_pair("size", size);
        }
        for colour in &self.colours {
            out.append_pair("colour", colour);
        }
        for brand in &self.brands {
            out.append_pair("brand", brand);
        }
        let major = |m: Money| format!("{}.{:02}", m.minor() / 100, m.minor() % 100);
        if let Some(min) = self.min {
            out.append_pair("min", &major(min));
        }
        if let Some(max) = self.max {
            out.append_pair("max", &major(max));
        }
        if self.in_stock {
            out.append_pair("in_stock", "1");
        }
        if self.sort != ListingSortV1::default() {
            out.append_pair("sort", self.sort.token());
        }
        if self.page > 1 {
            out.append_pair("page", &self.page.to_string());
        }
        out.finish()
    }

    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }

    /// How many products come before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.max(1) - 1) * u64::from(Self::PER_PAGE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_link_reads_back_the_same() {
        let (query, problems) = ListingQuery::parse(
            "size=10&size=12&colour=Navy+blue&brand=little-wren&min=20&max=49.5&in_stock=1&sort=price-asc&page=2&utm_source=x",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(query.sizes, ["10", "12"]);
        assert_eq!(query.colours, ["Navy blue"]);
        assert_eq!(query.brands, ["little-wren"]);
        assert_eq!(query.min.map(Money::minor), Some(2000));
        assert_eq!(query.max.map(Money::minor), Some(4950));
        assert!(query.in_stock);
        assert_eq!(query.sort, ListingSortV1::PriceAsc);
        assert_eq!(query.page, 2);
        let again = ListingQuery::parse(&query.to_query());
        assert_eq!(again, (query, Vec::new()));
    }

    #[test]
    fn bad_values_are_reported_and_left_out() {
        let (query, problems) = ListingQuery::parse("min=abc&sort=cheapest&page=0&size=10");
        assert_eq!(query.sizes, ["10"]);
        assert_eq!(
            (query.min, query.sort, query.page),
            (None, ListingSortV1::Newest, 1)
        );
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["min", "sort", "page"]);

        let (query, problems) = ListingQuery::parse("min=50&max=20");
        assert_eq!((query.min, query.max), (None, None));
        assert_eq!(problems[0].field, "max");
    }

    #[test]
    fn an_unfiltered_first_page_is_the_bare_url() {
        assert_eq!(ListingQuery::parse("page=1&sort=newest").0.to_query(), "");
    }
}
