//! The posts of the product forms: a new product, its details, and more
//! colours or sizes. Every field is checked by the catalog; a refusal
//! comes back with each field's message and everything that was typed.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;
#[cfg(feature = "ssr")]
use crate::account::api::edge::as_strs;

/// The fields of a product's details form, as typed. The new-product form
/// has them too.
// Only the server makes these (from a post); the browser never calls.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailsForm {
    pub name: String,
    pub category: String,
    pub description: String,
    pub material_care: String,
    pub brand: String,
    pub audience: String,
    /// Comma-separated (`summer, organic cotton`).
    pub tags: String,
}

/// Colours and sizes to make every combination of, at one price, as typed.
/// The new-product form has them too.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridForm {
    /// Comma-separated (`Navy, Sand`).
    pub colours: String,
    /// Comma-separated (`8, 10, 12`).
    pub sizes: String,
    /// `24.99`.
    pub price: String,
}

#[server(prefix = "/sf", endpoint = "admin/create-product")]
pub async fn create_product(
    #[server(flatten)] details: DetailsForm,
    slug: String,
    sku_prefix: String,
    #[server(flatten)] grid: GridForm,
) -> Result<(), AppError> {
    let (catalog, token, _) = super::catalog_edge::staff_catalog()?;
    let mut typed = edge::typed(&details);
    typed.extend(edge::typed(&grid));
    typed.extend([
        ("slug".into(), slug.clone()),
        ("sku_prefix".into(), sku_prefix.clone()),
    ]);
    let values = as_strs(&typed);
    let mut errors = Default::default();
    let contracts::catalog::NewVariantsV1 {
        colours,
        sizes,
        price_minor,
    } = edge::grid(&grid, &mut errors);
    let product = contracts::catalog::NewProductV1 {
        name: details.name.clone(),
        slug: slug.clone(),
        category: details.category.clone(),
        description: details.description.clone(),
        material_care: details.material_care.clone(),
        sku_prefix: sku_prefix.clone(),
        colours,
        sizes,
        price_minor,
        brand: details.brand.clone(),
        audience: details.audience.clone(),
        tags: edge::list(&details.tags),
    };
    let outcome = catalog.create_product(&token, &product).await.map(|made| {
        let page = format!("/admin/products/{}", platform::url_encode(&made.slug));
        Some((page, "admin-product"))
    });
    edge::answer(
        outcome,
        super::product_form::NEW_PAGE,
        "admin-new-product",
        &values,
        errors,
        "creating a product",
    )
}

#[server(prefix = "/sf", endpoint = "admin/update-product")]
pub async fn update_product(
    slug: String,
    #[server(flatten)] details: DetailsForm,
    status: String,
) -> Result<(), AppError> {
    let (catalog, token, parsed, page) = edge::staff_product(&slug)?;
    let mut typed = edge::typed(&details);
    typed.push(("status".into(), status.clone()));
    let values = as_strs(&typed);
    let changed = contracts::catalog::ProductDetailsV1 {
        name: details.name.clone(),
        category: details.category.clone(),
        description: details.description.clone(),
        material_care: details.material_care.clone(),
        status: status.clone(),
        brand: details.brand.clone(),
        audience: details.audience.clone(),
        tags: edge::list(&details.tags),
    };
    let saved = catalog.update_product(&token, &parsed, &changed);
    edge::answer(
        saved.await.map(|_| None),
        &page,
        "admin-product/details",
        &values,
        Default::default(),
        "updating a product",
    )
}

#[server(prefix = "/sf", endpoint = "admin/add-variants")]
pub async fn add_variants(slug: String, #[server(flatten)] grid: GridForm) -> Result<(), AppError> {
    let (catalog, token, parsed, page) = edge::staff_product(&slug)?;
    let mut errors = Default::default();
    let made = edge::grid(&grid, &mut errors);
    let added = catalog.add_variants(&token, &parsed, &made);
    edge::answer(
        added.await.map(|_| None),
        &page,
        "admin-product/variants",
        &as_strs(&edge::typed(&grid)),
        errors,
        "adding variants",
    )
}

#[cfg(feature = "ssr")]
mod edge {
    use std::collections::BTreeMap;

    use super::GridForm;
    use crate::AppError;
    use crate::account::api::edge::{back_to, onward};

    /// The staff catalog client and token, the product `slug` names and
    /// its staff page; a malformed slug is no product at all.
    pub fn staff_product(
        slug: &str,
    ) -> Result<
        (
            catalog_api::CatalogClient,
            String,
            catalog_api::Slug,
            String,
        ),
        AppError,
    > {
        let (catalog, token, _) = super::super::catalog_edge::staff_catalog()?;
        let parsed = catalog_api::Slug::parse(slug).map_err(|_| AppError::NotFound)?;
        let page = format!("/admin/products/{}", platform::url_encode(slug));
        Ok((catalog, token, parsed, page))
    }

    /// Every field of a posted form as it was typed, for the form to show
    /// again when refused.
    pub fn typed(form: &impl serde::Serialize) -> Vec<(String, String)> {
        match serde_json::to_value(form) {
            Ok(serde_json::Value::Object(fields)) => fields
                .into_iter()
                .map(|(name, value)| (name, value.as_str().unwrap_or_default().to_owned()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Comma-separated values as typed (`Navy, Sand`).
    pub fn list(raw: &str) -> Vec<String> {
        raw.split(',')
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// The variants a grid asks for. A price that does not parse is noted
    /// in `errors` and sent as 0, which the catalog refuses too, so it
    /// still checks every other field.
    pub fn grid(
        grid: &GridForm,
        errors: &mut BTreeMap<String, String>,
    ) -> contracts::catalog::NewVariantsV1 {
        let price = catalog_api::Money::parse_major(&grid.price)
            .map(catalog_api::Money::minor)
            .unwrap_or_else(|_| {
                errors.insert(
                    "price".into(),
                    "Enter a price like 24.99 (more than 0).".into(),
                );
                0
            });
        contracts::catalog::NewVariantsV1 {
            colours: list(&grid.colours),
            sizes: list(&grid.sizes),
            price_minor: price,
        }
    }

    /// Where the catalog's answer leads: on, or back with the fields.
    /// On success the answer says where to go next, with the flash form
    /// the page there reads (nothing: stay on `page`, with `form`); `form`
    /// is the one refused on `page`.
    pub fn answer(
        outcome: Result<Option<(String, &str)>, catalog_api::Error>,
        page: &str,
        form: &str,
        values: &[(&str, &str)],
        local: BTreeMap<String, String>,
        context: &str,
    ) -> Result<(), AppError> {
        match outcome {
            Ok(Some((onward_to, done_form))) => onward(&onward_to, done_form, "Saved."),
            Ok(None) => onward(page, form, "Saved."),
            Err(err) => match err.form_errors() {
                Some(mut fields) => {
                    // What was found here says it in the form's own terms.
                    fields.extend(local);
                    back_to(page, form, values, fields)
                }
                None => Err(AppError::internal(context, &err)),
            },
        }
    }
}
