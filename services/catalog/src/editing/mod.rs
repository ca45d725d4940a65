//! Staff editing products: a new product as a grid of colours and sizes,
//! its details and status, more colours and sizes later. Input is checked
//! field by field and every problem is reported at once, so a form can
//! show each next to its field and keep the rest of what was typed.

use std::collections::HashSet;

use contracts::catalog::{AUDIENCES, NewProductV1, NewVariantsV1, ProductDetailsV1};
use sqlx::AnyConnection;

use crate::labels::{self, Labels};
use crate::text::{code, slugify};
use crate::{Catalog, Error, Money, NewProduct, NewVariant, Sku, Slug};

/// What is wrong, by field name (as in the request).
pub use catalog_api::FieldErrors;

const MAX_NAME: usize = 120;
// A refused form's typed values travel back in a cookie (4 KB at most):
// these keep a full description and care text within it.
const MAX_DESCRIPTION: usize = 1000;
const MAX_MATERIAL_CARE: usize = 300;
const MAX_COLOURS: usize = 12;
const MAX_SIZES: usize = 20;
const MAX_PREFIX: usize = 12;
const MAX_BRAND: usize = 60;
const MAX_TAG: usize = 30;
const MAX_TAGS: usize = 12;

/// Where a product stands: only `Active` ones are in the shop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Draft,
    Active,
    Archived,
}

impl Status {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "draft" => Some(Self::Draft),
            "active" => Some(Self::Active),
            "archived" => Some(Self::Archived),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Active => "active",
            Self::Archived => "archived",
        }
    }
}

/// Collects problems while a request is read.
#[derive(Default)]
pub(crate) struct Check(FieldErrors);

impl Check {
    pub(crate) fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_insert_with(|| message.into());
    }

    pub(crate) fn done<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self.0)
        }
    }

    /// The name of a `what` ("product", "category"): 2 to `max`
    /// printable characters.
    pub(crate) fn name(&mut self, raw: &str, what: &str, max: usize) -> String {
        let name = raw.trim();
        let length = name.chars().count();
        if !(2..=max).contains(&length) || name.chars().any(char::is_control) {
            self.fail(
                "name",
                format!("Give the {what} a name of 2 to {max} characters."),
            );
        }
        name.to_owned()
    }

    /// Free text of up to `max` characters: line breaks allowed, other
    /// control characters not.
    pub(crate) fn text(&mut self, field: &str, raw: &str, max: usize, what: &str) -> String {
        let text = raw.trim().replace("\r\n", "\n");
        if text.chars().count() > max {
            self.fail(field, format!("Keep the {what} to {max} characters."));
        } else if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            self.fail(
                field,
                format!("The {what} holds characters that cannot be shown."),
            );
        }
        text
    }

    /// A product's description and its material and care text.
    fn texts(&mut self, description: &str, material_care: &str) -> (String, String) {
        (
            self.text("description", description, MAX_DESCRIPTION, "description"),
            self.text(
                "material_care",
                material_care,
                MAX_MATERIAL_CARE,
                "material and care",
            ),
        )
    }

    /// The address staff typed, or one made from `name` when they left it
    /// empty; `example` shows the shape in the message.
    pub(crate) fn address(&mut self, typed: &str, name: &str, example: &str) -> Option<Slug> {
        let typed = typed.trim().to_ascii_lowercase();
        let text = if typed.is_empty() {
            slug_from(name)
        } else {
            typed
        };
        let slug = Slug::parse(&text).ok();
        if slug.is_none() {
            self.fail(
                "slug",
                format!(
                    "The address is lowercase letters, digits and single hyphens, like {example}."
                ),
            );
        }
        slug
    }

    /// Brand, audience and tags, as staff typed them.
    fn labels(&mut self, brand: &str, audience: &str, tags: &[String]) -> Labels {
        let brand = brand.trim();
        let brand = if brand.is_empty() {
            None
        } else if brand.chars().count() > MAX_BRAND
            || brand.chars().any(char::is_control)
            || slugify(brand).is_empty()
        {
            self.fail(
                "brand",
                format!("A brand is 1 to {MAX_BRAND} characters with a letter or digit."),
            );
            None
        } else {
            Some(brand.to_owned())
        };
        let audience = audience.trim();
        if !audience.is_empty() && !AUDIENCES.iter().any(|(key, _)| *key == audience) {
            self.fail("audience", "Choose who it is for from the list.");
        }
        let mut kept: Vec<String> = Vec::new();
        for tag in tags.iter().map(|t| t.trim().to_lowercase()) {
            if tag.is_empty() || kept.contains(&tag) {
                continue;
            }
            if tag.chars().count() > MAX_TAG
                || !tag
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == ' ' || c == '-')
            {
                self.fail(
                    "tags",
                    format!(
                        "Tags are words of up to {MAX_TAG} letters, digits, spaces or hyphens, separated by commas."
                    ),
                );
            }
            kept.push(tag);
        }
        if kept.len() > MAX_TAGS {
            self.fail("tags", format!("Give at most {MAX_TAGS} tags."));
        }
        Labels {
            brand,
            audience: audience.to_owned(),
            tags: kept,
        }
    }

    fn category(&mut self, raw: &str) -> Option<Slug> {
        let parsed = Slug::parse(raw.trim()).ok();
        if parsed.is_none() {
            self.fail("category", "Choose a category.");
        }
        parsed
    }

    fn price(&mut self, minor: i64) -> Option<Money> {
        let price = Money::from_minor(minor).ok().filter(|m| m.minor() > 0);
        if price.is_none() {
            self.fail("price", "Enter a price like 24.99 (more than 0).");
        }
        price
    }

    fn prefix(&mut self, raw: &str) -> String {
        let prefix = raw.trim().to_ascii_uppercase();
        // The prefix starts every SKU made from it, so SKUs' rules apply.
        if !(2..=MAX_PREFIX).contains(&prefix.len()) || !Sku::is_sku_text(&prefix) {
            self.fail(
                "sku_prefix",
                format!("The SKU prefix is 2 to {MAX_PREFIX} letters, digits and hyphens, like DRS-LINEN."),
            );
        }
        prefix
    }

    /// A list of distinct values (`Navy, Sand`), each with the letters and
    /// digits a SKU can be made of.
    fn values(
        &mut self,
        field: &str,
        raw: &[String],
        max: usize,
        max_chars: usize,
        what: &str,
    ) -> Vec<String> {
        let values: Vec<String> = raw
            .iter()
            .flat_map(|v| v.split(','))
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            self.fail(
                field,
                format!("Give at least one {what}, separated by commas."),
            );
        } else if values.len() > max {
            self.fail(field, format!("At most {max} {what}s at once."));
        } else if let Some(bad) = values.iter().find(|v| {
            v.chars().count() > max_chars || v.chars().any(|c| c.is_control()) || code(v).is_empty()
        }) {
            self.fail(
                field,
                format!(
                    "{bad:?} is not a {what}: up to {max_chars} characters, with a letter or digit."
                ),
            );
        } else {
            let mut seen = HashSet::new();
            if let Some(twice) = values.iter().find(|v| !seen.insert(code(v))) {
                self.fail(
                    field,
                    format!(
                        "{twice:?} is given twice (or would share its SKU with another {what})."
                    ),
                );
            }
        }
        values
    }
}

/// One variant per colour and size, SKUs `PREFIX-COLOUR-SIZE`.
fn variant_grid(
    check: &mut Check,
    prefix: &str,
    colours: &[String],
    sizes: &[String],
    price: Option<Money>,
) -> Vec<NewVariant> {
    let Some(price) = price else {
        return Vec::new();
    };
    let mut variants = Vec::new();
    for colour in colours {
        for size in sizes {
            match Sku::parse(&format!("{prefix}-{}-{}", code(colour), code(size))) {
                Ok(sku) => variants.push(NewVariant {
                    sku,
                    colour: colour.clone(),
                    size: size.clone(),
                    price,
                }),
                Err(_) => check.fail(
                    "sku_prefix",
                    format!(
                        "SKUs would be longer than {} characters: use a shorter prefix.",
                        Sku::MAX_LEN
                    ),
                ),
            }
        }
    }
    variants
}

/// `Linen wrap dress` → `linen-wrap-dress`: the address when staff leave
/// it empty.
pub(crate) fn slug_from(name: &str) -> String {
    let slug: String = slugify(name).chars().take(Slug::MAX_LEN).collect();
    slug.trim_end_matches('-').to_owned()
}

/// A new product, checked.
#[derive(Clone, Debug)]
pub struct ProductDraft {
    product: NewProduct,
    description: String,
    material_care: String,
    sku_prefix: String,
    labels: Labels,
}

impl ProductDraft {
    pub fn parse(raw: &NewProductV1) -> Result<Self, FieldErrors> {
        let mut check = Check::default();
        let name = check.name(&raw.name, "product", MAX_NAME);
        let slug = check.address(&raw.slug, &name, "linen-wrap-dress");
        let category = check.category(&raw.category);
        let (description, material_care) = check.texts(&raw.description, &raw.material_care);
        let sku_prefix = check.prefix(&raw.sku_prefix);
        let colours = check.values("colours", &raw.colours, MAX_COLOURS, 30, "colour");
        let sizes = check.values("sizes", &raw.sizes, MAX_SIZES, 12, "size");
        let price = check.price(raw.price_minor);
        let variants = variant_grid(&mut check, &sku_prefix, &colours, &sizes, price);
        let labels = check.labels(&raw.brand, &raw.audience, &raw.tags);
        check.done(|| Self {
            product: NewProduct {
                slug: slug.expect("checked"),
                name,
                category: category.expect("checked"),
                variants,
            },
            description,
            material_care,
            sku_prefix,
            labels,
        })
    }

    pub fn slug(&self) -> &Slug {
        &self.product.slug
    }
}

/// A product's details as staff edit them, checked.
#[derive(Clone, Debug)]
pub struct ProductDetails {
    name: String,
    category: Slug,
    description: String,
    material_care: String,
    status: Status,
    labels: Labels,
}

impl ProductDetails {
    pub fn parse(raw: &ProductDetailsV1) -> Result<Self, FieldErrors> {
        let mut check = Check::default();
        let name = check.name(&raw.name, "product", MAX_NAME);
        let category = check.category(&raw.category);
        let (description, material_care) = check.texts(&raw.description, &raw.material_care);
        let status = Status::parse(raw.status.trim());
        if status.is_none() {
            check.fail("status", "Choose draft, active or archived.");
        }
        let labels = check.labels(&raw.brand, &raw.audience, &raw.tags);
        check.done(|| Self {
            name,
            category: category.expect("checked"),
            description,
            material_care,
            status: status.expect("checked"),
            labels,
        })
    }
}

/// More colours or sizes for a product, checked.
#[derive(Clone, Debug)]
pub struct VariantGrid {
    colours: Vec<String>,
    sizes: Vec<String>,
    price: Money,
}

impl VariantGrid {
    pub fn parse(raw: &NewVariantsV1) -> Result<Self, FieldErrors> {
        let mut check = Check::default();
        let colours = check.values("colours", &raw.colours, MAX_COLOURS, 30, "colour");
        let sizes = check.values("sizes", &raw.sizes, MAX_SIZES, 12, "size");
        let price = check.price(raw.price_minor);
        check.done(|| Self {
            colours,
            sizes,
            price: price.expect("checked"),
        })
    }
}

/// Why an edit was refused: by field, for the form; or not found.
#[derive(Debug)]
pub enum EditError {
    Fields(FieldErrors),
    NoSuchProduct,
    /// Not about one field: the message says why.
    Refused(String),
    Failed(Error),
}

impl From<Error> for EditError {
    fn from(err: Error) -> Self {
        match err {
            Error::UnknownCategory(_) => Self::Fields(FieldErrors::from([(
                "category".into(),
                "Choose a category.".into(),
            )])),
            other => Self::Failed(other),
        }
    }
}

impl From<sqlx::Error> for EditError {
    fn from(err: sqlx::Error) -> Self {
        Self::Failed(Error::from(err))
    }
}

/// Maps an insert's unique violation on the address to a message on the
/// `slug` field ("Another collection has the address …").
pub(crate) fn slug_taken(what: &'static str, slug: &Slug) -> impl FnOnce(sqlx::Error) -> EditError {
    let message = format!("Another {what} has the address {}.", slug.as_str());
    move |err| {
        if err
            .as_database_error()
            .is_some_and(|e| e.is_unique_violation())
        {
            EditError::Fields(FieldErrors::from([("slug".to_owned(), message)]))
        } else {
            EditError::Failed(Error::from(err))
        }
    }
}

async fn category_id(conn: &mut AnyConnection, slug: &Slug) -> Result<String, Error> {
    sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1")
        .bind(slug.as_str())
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::UnknownCategory(slug.as_str().to_owned()))
}

mod commands;

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> NewProductV1 {
        NewProductV1 {
            name: "Linen wrap dress".into(),
            slug: String::new(),
            category: "women-dresses".into(),
            description: "Cool in summer.\n\nFully lined.".into(),
            material_care: "100% linen. Wash at 30°C.".into(),
            sku_prefix: "drs-lin".into(),
            colours: vec!["Navy, Sand".into()],
            sizes: vec!["8".into(), "10".into(), "12".into()],
            price_minor: 4900,
            ..Default::default()
        }
    }

    #[test]
    fn a_grid_makes_one_variant_per_colour_and_size() {
        let parsed = ProductDraft::parse(&draft()).unwrap();
        assert_eq!(parsed.product.slug.as_str(), "linen-wrap-dress");
        let skus: Vec<&str> = parsed
            .product
            .variants
            .iter()
            .map(|v| v.sku.as_str())
            .collect();
        assert_eq!(
            skus,
            [
                "DRS-LIN-NAVY-8",
                "DRS-LIN-NAVY-10",
                "DRS-LIN-NAVY-12",
                "DRS-LIN-SAND-8",
                "DRS-LIN-SAND-10",
                "DRS-LIN-SAND-12"
            ]
        );
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let raw = NewProductV1 {
            name: " ".into(),
            slug: "Not A Slug!".into(),
            category: String::new(),
            description: "x".repeat(MAX_DESCRIPTION + 1),
            material_care: "bell\u{7}".into(),
            sku_prefix: "-".into(),
            colours: vec![" , ".into()],
            sizes: vec!["M, m".into()],
            price_minor: 0,
            ..Default::default()
        };
        let errors = ProductDraft::parse(&raw).unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "category",
                "colours",
                "description",
                "material_care",
                "name",
                "price",
                "sizes",
                "sku_prefix",
                "slug"
            ]
        );
    }

    #[test]
    fn slugs_come_from_names_when_left_empty() {
        assert_eq!(
            slug_from("Kids' rain-jacket (2–3 y)"),
            "kids-rain-jacket-2-3-y"
        );
        assert_eq!(slug_from("Dress!!!"), "dress");
    }
}
