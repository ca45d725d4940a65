//! The server side shared by the staff catalog pages (products, categories,
//! collections): the catalog client with the staff member's token, and the
//! answers their forms redirect with.

use crate::AppError;

/// The catalog client and the staff member's token to call it with.
pub fn staff_catalog() -> Result<(catalog_api::CatalogClient, String, String), AppError> {
    let who = super::api::edge::staff()?;
    // Rare: a parallel request renewed the session a moment ago.
    let token = crate::session::server::access_token().ok_or_else(|| {
        AppError::BadInput("Your session was just renewed: please reload the page.".into())
    })?;
    // The storefront's client: a change made through it drops what it
    // made stale in the storefront's caches.
    let storefront: storefront::StorefrontCatalog = crate::services::client("catalog")?;
    Ok((storefront.client().clone(), token, who.user_id))
}

/// What `read` finds with the staff catalog client and token; a failure
/// is ours, logged as happening while `context`.
pub async fn read<T>(
    context: &str,
    read: impl AsyncFnOnce(&catalog_api::CatalogClient, &str) -> Result<T, catalog_api::Error>,
) -> Result<T, AppError> {
    let (catalog, token, _) = staff_catalog()?;
    read(&catalog, &token)
        .await
        .map_err(|e| AppError::internal(context, &e))
}

/// Runs `change` on the variant `sku` with the staff catalog client and
/// token; an SKU that does not parse goes back to the product `slug`
/// saying there is no such variant.
pub async fn on_variant(
    slug: &str,
    sku: &str,
    change: impl AsyncFnOnce(
        catalog_api::CatalogClient,
        String,
        catalog_api::Sku,
    ) -> Result<(), AppError>,
) -> Result<(), AppError> {
    let (catalog, token, _) = staff_catalog()?;
    match catalog_api::Sku::parse(sku) {
        Ok(sku) => change(catalog, token, sku).await,
        Err(_) => back(slug, Err("No such variant.".into())),
    }
}

/// Back to the product's staff page with what happened.
pub fn back(slug: &str, notice: Result<String, String>) -> Result<(), AppError> {
    back_keeping(slug, ("admin-product", &[]), notice)
}

/// A refused variant form (`admin-product/price/<SKU>`) and what was typed
/// in it, kept for the page to show again.
pub type Kept<'a> = (&'a str, &'a [(&'a str, &'a str)]);

/// [`back`], keeping what was typed in a form when it was refused.
pub fn back_keeping(
    slug: &str,
    (form, values): Kept<'_>,
    notice: Result<String, String>,
) -> Result<(), AppError> {
    use crate::account::api::edge::{back_to, one_error, onward};
    let page = format!("/admin/products/{}", platform::url_encode(slug));
    match notice {
        Ok(notice) => onward(&page, "admin-product", &notice),
        Err(message) => back_to(&page, form, values, one_error("form", message)),
    }
}

/// On to `page` with `notice`, or back to `form` on it with the
/// catalog's field messages and what was typed.
pub fn answer<T>(
    outcome: Result<T, catalog_api::Error>,
    page: &str,
    form: &str,
    values: &[(&str, &str)],
    notice: &str,
    context: &str,
) -> Result<(), AppError> {
    use crate::account::api::edge::{back_to, onward};
    match outcome {
        Ok(_) => onward(page, form, notice),
        Err(err) => match err.form_errors() {
            Some(fields) => back_to(page, form, values, fields),
            None => Err(AppError::internal(context, &err)),
        },
    }
}

/// The catalog's answer for staff: its message when it refused, our
/// generic failure (logged) when it broke.
pub fn refusal(err: catalog_api::Error, context: &str) -> Result<String, AppError> {
    // A refused field says best what is wrong with it.
    match err
        .form_errors()
        .and_then(|fields| fields.into_values().next())
    {
        Some(message) => Ok(message),
        None => Err(AppError::internal(context, &err)),
    }
}
