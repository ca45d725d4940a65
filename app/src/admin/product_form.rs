//! Staff making and editing products: a new product as a grid of colours
//! and sizes, its details and status, and more colours or sizes later.
//! Every field is checked by the catalog; a refusal comes back with each
//! field's message and everything that was typed.

use contracts::catalog::{Department, StaffProductV1};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::account::forms::{Banners, Field, TextArea};
use crate::account::pages::flash_for;
use crate::components::picture::Picture;

use super::upload::UploadWithProgress;
use crate::session::Flash;

pub const NEW_PAGE: &str = "/admin/products/new";

/// Plain form posts arrive as one argument per field, more than clippy
/// likes; the exception is kept to this module.
pub mod save {
    #![allow(clippy::too_many_arguments)]

    use leptos::prelude::*;

    use crate::AppError;

    #[cfg(feature = "ssr")]
    mod edge {
        use std::collections::BTreeMap;

        use crate::AppError;
        use crate::account::api::edge::{back_to, onward};

        /// Comma-separated values as typed (`Navy, Sand`).
        pub fn list(raw: &str) -> Vec<String> {
            raw.split(',')
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect()
        }

        /// `24.99` in minor units. One that does not parse is noted in
        /// `errors` and sent as 0, which the catalog refuses too, so it
        /// still checks every other field.
        pub fn price(raw: &str, errors: &mut BTreeMap<String, String>) -> i64 {
            catalog_api::Money::parse_major(raw)
                .map(catalog_api::Money::minor)
                .unwrap_or_else(|_| {
                    errors.insert(
                        "price".into(),
                        "Enter a price like 24.99 (more than 0).".into(),
                    );
                    0
                })
        }

        /// Where the catalog's answer leads: on, or back with the fields.
        /// `outcome` is where to go on success, with the flash form the
        /// page there reads; `form` is the one refused on `page`.
        pub fn answer(
            outcome: Result<(String, &str), catalog_api::Error>,
            page: &str,
            form: &str,
            values: &[(&str, &str)],
            local: BTreeMap<String, String>,
            context: &str,
        ) -> Result<(), AppError> {
            match outcome {
                Ok((onward_to, done_form)) => onward(&onward_to, done_form, "Saved."),
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

    #[server(prefix = "/sf", endpoint = "admin/create-product")]
    pub async fn create_product(
        name: String,
        slug: String,
        category: String,
        description: String,
        material_care: String,
        sku_prefix: String,
        colours: String,
        sizes: String,
        price: String,
        brand: String,
        audience: String,
        tags: String,
    ) -> Result<(), AppError> {
        use std::collections::BTreeMap;

        let (catalog, token, _) = super::super::catalog::edge::staff_catalog()?;
        let values = [
            ("brand", brand.as_str()),
            ("audience", audience.as_str()),
            ("tags", tags.as_str()),
            ("name", name.as_str()),
            ("slug", slug.as_str()),
            ("category", category.as_str()),
            ("description", description.as_str()),
            ("material_care", material_care.as_str()),
            ("sku_prefix", sku_prefix.as_str()),
            ("colours", colours.as_str()),
            ("sizes", sizes.as_str()),
            ("price", price.as_str()),
        ];
        let mut errors = BTreeMap::new();
        let price_minor = edge::price(&price, &mut errors);
        let product = contracts::catalog::NewProductV1 {
            name: name.clone(),
            slug: slug.clone(),
            category: category.clone(),
            description: description.clone(),
            material_care: material_care.clone(),
            sku_prefix: sku_prefix.clone(),
            colours: edge::list(&colours),
            sizes: edge::list(&sizes),
            price_minor,
            brand: brand.clone(),
            audience: audience.clone(),
            tags: edge::list(&tags),
        };
        let outcome = catalog.create_product(&token, &product).await.map(|made| {
            let page = format!("/admin/products/{}", platform::url_encode(&made.slug));
            (page, "admin-product")
        });
        edge::answer(
            outcome,
            super::NEW_PAGE,
            "admin-new-product",
            &values,
            errors,
            "creating a product",
        )
    }

    #[server(prefix = "/sf", endpoint = "admin/update-product")]
    pub async fn update_product(
        slug: String,
        name: String,
        category: String,
        description: String,
        material_care: String,
        status: String,
        brand: String,
        audience: String,
        tags: String,
    ) -> Result<(), AppError> {
        let (catalog, token, _) = super::super::catalog::edge::staff_catalog()?;
        let parsed = catalog_api::Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
        let page = format!("/admin/products/{}", platform::url_encode(&slug));
        let values = [
            ("name", name.as_str()),
            ("category", category.as_str()),
            ("description", description.as_str()),
            ("material_care", material_care.as_str()),
            ("status", status.as_str()),
            ("brand", brand.as_str()),
            ("audience", audience.as_str()),
            ("tags", tags.as_str()),
        ];
        let details = contracts::catalog::ProductDetailsV1 {
            name: name.clone(),
            category: category.clone(),
            description: description.clone(),
            material_care: material_care.clone(),
            status: status.clone(),
            brand: brand.clone(),
            audience: audience.clone(),
            tags: edge::list(&tags),
        };
        let outcome = catalog
            .update_product(&token, &parsed, &details)
            .await
            .map(|_| (page.clone(), "admin-product/details"));
        edge::answer(
            outcome,
            &page,
            "admin-product/details",
            &values,
            Default::default(),
            "updating a product",
        )
    }

    #[server(prefix = "/sf", endpoint = "admin/add-variants")]
    pub async fn add_variants(
        slug: String,
        colours: String,
        sizes: String,
        price: String,
    ) -> Result<(), AppError> {
        use std::collections::BTreeMap;

        let (catalog, token, _) = super::super::catalog::edge::staff_catalog()?;
        let parsed = catalog_api::Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
        let page = format!("/admin/products/{}", platform::url_encode(&slug));
        let values = [
            ("colours", colours.as_str()),
            ("sizes", sizes.as_str()),
            ("price", price.as_str()),
        ];
        let mut errors = BTreeMap::new();
        let price_minor = edge::price(&price, &mut errors);
        let grid = contracts::catalog::NewVariantsV1 {
            colours: edge::list(&colours),
            sizes: edge::list(&sizes),
            price_minor,
        };
        let outcome = catalog
            .add_variants(&token, &parsed, &grid)
            .await
            .map(|_| (page.clone(), "admin-product/variants"));
        edge::answer(
            outcome,
            &page,
            "admin-product/variants",
            &values,
            errors,
            "adding variants",
        )
    }
}

/// The categories to choose from, for staff only: the page is refused to
/// anyone else, like every back-office page.
#[server(prefix = "/sf", endpoint = "admin/new-product", input = leptos::server_fn::codec::GetUrl)]
pub async fn new_product_choices() -> Result<Vec<Department>, crate::AppError> {
    super::catalog::edge::staff_catalog()?;
    crate::api::departments().await
}

#[server(prefix = "/sf", endpoint = "admin/delete-image")]
pub async fn delete_image(slug: String, id: String) -> Result<(), crate::AppError> {
    use crate::account::api::edge::{back_to, one_error, onward};

    let (catalog, token, _) = super::catalog::edge::staff_catalog()?;
    let page = format!("/admin/products/{}", platform::url_encode(&slug));
    match catalog.delete_image(&token, &id).await {
        Ok(()) => onward(&page, "admin-product/images", "Picture removed."),
        Err(err) => {
            let message = super::catalog::edge::refusal(err, "deleting a picture")?;
            back_to(
                &page,
                "admin-product/images",
                &[],
                one_error("form", message),
            )
        }
    }
}

/// A `<select>` of every category, grouped by department.
#[component]
fn CategorySelect(
    departments: Vec<Department>,
    chosen: String,
    error: Option<String>,
) -> impl IntoView {
    view! {
        <div class="mt-4">
            <label for="field-category" class="block text-sm font-medium text-stone-800">"Category"</label>
            <select
                id="field-category"
                name="category"
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=error.is_some().then_some("field-category-error")
                class="mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base focus:border-teal-800 focus:outline-2 focus:outline-teal-800"
            >
                <option value="" selected=chosen.is_empty()>"Choose…"</option>
                {departments.into_iter().map(|d| {
                    let chosen = chosen.clone();
                    let top = d.category.slug.clone();
                    view! {
                        <optgroup label=d.category.name.clone()>
                            <option value=top.clone() selected=chosen == top>{format!("{} (all)", d.category.name)}</option>
                            {d.children.into_iter().map(|c| {
                                let selected = chosen == c.slug;
                                view! { <option value=c.slug selected=selected>{format!("{} · {}", d.category.name, c.name)}</option> }
                            }).collect_view()}
                        </optgroup>
                    }
                }).collect_view()}
            </select>
            {error.map(|message| view! {
                <p id="field-category-error" class="mt-1 text-sm font-medium text-rose-800" data-testid="error-category">{message}</p>
            })}
        </div>
    }
}

/// Brand, who it is for and tags: the same three fields on both forms.
#[component]
fn LabelFields(
    brand: String,
    audience: String,
    tags: String,
    errors: [Option<String>; 3],
) -> impl IntoView {
    let [brand_error, audience_error, tags_error] = errors;
    view! {
        <Field name="brand" label="Brand (optional)" hint="Like Hale & Co; a name not used before adds that brand." value=brand error=brand_error optional=true />
        <div class="mt-4">
            <label for="field-audience" class="block text-sm font-medium text-stone-800">"Who it is for"</label>
            <select
                id="field-audience"
                name="audience"
                aria-invalid=audience_error.is_some().then_some("true")
                aria-describedby=audience_error.is_some().then_some("field-audience-error")
                class="mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base focus:border-teal-800 focus:outline-2 focus:outline-teal-800"
            >
                <option value="" selected=audience.is_empty()>"Not said"</option>
                {contracts::catalog::AUDIENCES.into_iter().map(|(key, label)| {
                    view! { <option value=key selected=audience == key>{label}</option> }
                }).collect_view()}
            </select>
            {audience_error.map(|message| view! {
                <p id="field-audience-error" class="mt-1 text-sm font-medium text-rose-800" data-testid="error-audience">{message}</p>
            })}
        </div>
        <Field name="tags" label="Tags (optional)" hint="Words shoppers search by, separated by commas: summer, organic cotton" value=tags error=tags_error optional=true />
    }
    .into_any()
}

const SAVE: &str = "mt-6 rounded-md bg-teal-900 px-4 py-2.5 font-semibold text-white hover:bg-teal-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-800";

#[component]
pub fn AdminNewProductPage() -> impl IntoView {
    let flash = flash_for("admin-new-product");
    let departments = Resource::new(|| (), |_| new_product_choices());
    view! {
        <Title text="New product" />
        <p><a href="/admin/products" class="text-sm font-medium text-teal-800 underline underline-offset-4">"All products"</a></p>
        <h1 class="mt-2 text-3xl font-bold">"New product"</h1>
        <Suspense fallback=|| view! { <p class="mt-4 text-stone-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let flash = flash.await.unwrap_or_default();
                match departments.await {
                    Ok(departments) => view! { <NewProductForm departments flash /> }.into_any(),
                    Err(error) => super::orders::refusal(error, NEW_PAGE.into()),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewProductForm(departments: Vec<Department>, flash: Flash) -> impl IntoView {
    let kept = flash.of("admin-new-product");
    let v = |field: &str| kept.value(field);
    let e = |field: &str| kept.error(field);
    view! {
        <Banners flash=Some(flash.clone()) />
        <form method="post" action="/sf/admin/create-product" novalidate=true class="mt-4 max-w-2xl" data-testid="new-product">
            <Field name="name" label="Name" value=v("name") error=e("name") />
            <Field name="slug" label="Address (optional)" hint="The end of its shop address, /p/…; left empty, it is made from the name." value=v("slug") error=e("slug") optional=true />
            <CategorySelect departments chosen=v("category") error=e("category") />
            <TextArea name="description" label="Description (optional)" hint="Up to 1000 characters; a blank line starts a new paragraph." value=v("description") error=e("description") rows=5 />
            <TextArea name="material_care" label="Material and care (optional)" value=v("material_care") error=e("material_care") rows=2 />
            <LabelFields brand=v("brand") audience=v("audience") tags=v("tags") errors=[e("brand"), e("audience"), e("tags")] />
            <fieldset class="mt-6 rounded-lg border border-stone-200 p-4">
                <legend class="px-1 font-semibold">"Variants: one for every colour and size"</legend>
                <Field name="sku_prefix" label="SKU prefix" hint="Like DRS-LINEN: each SKU is the prefix, the colour and the size (DRS-LINEN-NAVY-10)." value=v("sku_prefix") error=e("sku_prefix") />
                <Field name="colours" label="Colours" hint="Separated by commas: Navy, Sand" value=v("colours") error=e("colours") />
                <Field name="sizes" label="Sizes" hint="Separated by commas: 8, 10, 12 or S, M, L" value=v("sizes") error=e("sizes") />
                <Field name="price" label="Price of each (£, VAT included)" hint="Like 24.99" value=v("price") error=e("price") />
            </fieldset>
            <button type="submit" class=SAVE>"Save as draft"</button>
        </form>
    }
    // Erased: the whole form's concrete type is too deep for the
    // compiler's query limit in the page that shows it.
    .into_any()
}

/// The details form and the grid form of a product's staff page.
#[component]
pub fn ProductEditing(
    product: StaffProductV1,
    departments: Vec<Department>,
    flash: Flash,
) -> impl IntoView {
    let details = flash.of("admin-product/details");
    let grid = flash.of("admin-product/variants");
    // What was typed when a save was refused, else what is saved.
    let value = |field: &str, saved: &str| {
        if details.values.is_empty() {
            saved.to_owned()
        } else {
            details.value(field)
        }
    };
    let status = value("status", &product.status);
    let statuses = [
        ("draft", "Draft: only staff see it"),
        ("active", "Active: in the shop"),
        ("archived", "Archived: off the shop, kept for orders"),
    ];
    view! {
        <details class="mt-6 rounded-lg border border-stone-200 bg-white p-4" open=!details.errors.is_empty()>
            <summary class="cursor-pointer font-semibold">"Details and status"</summary>
            <form method="post" action="/sf/admin/update-product" novalidate=true class="max-w-2xl" data-testid="product-details">
                <input type="hidden" name="slug" value=product.slug.clone() />
                <Field name="name" label="Name" value=value("name", &product.name) error=details.error("name") />
                <CategorySelect departments chosen=value("category", &product.category) error=details.error("category") />
                <TextArea name="description" label="Description (optional)" hint="Up to 1000 characters; a blank line starts a new paragraph." value=value("description", &product.description) error=details.error("description") rows=5 />
                <TextArea name="material_care" label="Material and care (optional)" value=value("material_care", &product.material_care) error=details.error("material_care") rows=2 />
                <LabelFields
                    brand=value("brand", &product.brand)
                    audience=value("audience", &product.audience)
                    tags=value("tags", &product.tags.join(", "))
                    errors=[details.error("brand"), details.error("audience"), details.error("tags")]
                />
                <fieldset class="mt-4">
                    <legend class="text-sm font-medium text-stone-800">"Status"</legend>
                    {statuses.into_iter().map(|(value, label)| view! {
                        <label class="mt-2 flex items-center gap-2">
                            <input type="radio" name="status" value=value checked=status == value />
                            {label}
                        </label>
                    }).collect_view()}
                    {details.error("status").map(|m| view! { <p class="mt-1 text-sm font-medium text-rose-800" data-testid="error-status">{m}</p> })}
                </fieldset>
                <button type="submit" class=SAVE>"Save details"</button>
            </form>
        </details>
        <details class="mt-4 rounded-lg border border-stone-200 bg-white p-4" open=!grid.errors.is_empty()>
            <summary class="cursor-pointer font-semibold">"Add colours or sizes"</summary>
            <form method="post" action="/sf/admin/add-variants" novalidate=true class="max-w-2xl" data-testid="add-variants">
                <input type="hidden" name="slug" value=product.slug.clone() />
                <p class="mt-2 text-sm text-stone-700">"Every colour given is made in every size given; combinations the product has already are left as they are."</p>
                <Field name="colours" label="Colours" hint="Separated by commas" value=grid.value("colours") error=grid.error("colours") />
                <Field name="sizes" label="Sizes" hint="Separated by commas" value=grid.value("sizes") error=grid.error("sizes") />
                <Field name="price" label="Price of each (£, VAT included)" value=grid.value("price") error=grid.error("price") />
                <button type="submit" class=SAVE>"Add variants"</button>
            </form>
        </details>
    }
    // Erased: the whole form's concrete type is too deep for the
    // compiler's query limit in the page that shows it.
    .into_any()
}

/// The product's pictures, each removable, and the upload form: a plain
/// multipart post to the storefront (which hands it to the catalog), with
/// a progress bar when scripts run.
#[component]
pub fn ProductPictures(product: StaffProductV1, flash: Flash) -> impl IntoView {
    let kept = flash.of("admin-product/images");
    let mut colours: Vec<String> = Vec::new();
    for variant in &product.variants {
        if !colours.contains(&variant.colour) {
            colours.push(variant.colour.clone());
        }
    }
    let chosen = kept.value("colour");
    let action = format!("/admin/products/{}/images", product.slug);
    let slug = product.slug.clone();
    view! {
        <section class="mt-4 rounded-lg border border-stone-200 bg-white p-4" aria-labelledby="pictures-heading">
            <h2 id="pictures-heading" class="font-semibold">"Pictures"</h2>
            {if product.images.is_empty() {
                view! { <p class="mt-2 text-sm text-stone-700">"No pictures yet: shoppers see the name only."</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="staff-pictures">
                        {product.images.into_iter().map(|image| {
                            let id = image.id.clone();
                            let label = format!("{}: {}", image.colour, image.alt);
                            view! {
                                <li class="text-sm">
                                    <Picture image sizes="10rem" class="aspect-[4/5] rounded-md" />
                                    <p class="mt-1">{label.clone()}</p>
                                    <form method="post" action="/sf/admin/delete-image">
                                        <input type="hidden" name="slug" value=slug.clone() />
                                        <input type="hidden" name="id" value=id />
                                        <button type="submit" class="mt-1 text-sm font-medium text-rose-800 underline underline-offset-4">
                                            "Remove"<span class="sr-only">{format!(" the picture {label}")}</span>
                                        </button>
                                    </form>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <UploadWithProgress action=action done=format!("/admin/products/{slug}")>
                <div class="mt-2">
                    <label for="field-picture-colour" class="block text-sm font-medium text-stone-800">"Colour it shows"</label>
                    <select id="field-picture-colour" name="colour" aria-invalid=kept.error("colour").map(|_| "true") aria-describedby=kept.error("colour").map(|_| "field-picture-colour-error") class="mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base focus:border-teal-800 focus:outline-2 focus:outline-teal-800">
                        {colours.into_iter().map(|colour| {
                            let selected = colour == chosen;
                            let value = colour.clone();
                            view! { <option value=value selected=selected>{colour}</option> }
                        }).collect_view()}
                    </select>
                    {kept.error("colour").map(|m| view! { <p id="field-picture-colour-error" class="mt-1 text-sm font-medium text-rose-800" data-testid="error-colour">{m}</p> })}
                </div>
                <Field name="alt" label="What it shows" hint="For people who cannot see it: \"The navy dress from the side, belted\"." value=kept.value("alt") error=kept.error("alt") />
                <div class="mt-4">
                    <label for="field-file" class="block text-sm font-medium text-stone-800">"Picture (JPEG, PNG or WebP)"</label>
                    <input id="field-file" name="file" type="file" accept="image/jpeg,image/png,image/webp" aria-invalid=kept.error("file").map(|_| "true") aria-describedby=kept.error("file").map(|_| "field-file-error") class="mt-1 block w-full text-base" />
                    {kept.error("file").map(|m| view! { <p id="field-file-error" class="mt-1 text-sm font-medium text-rose-800" data-testid="error-file">{m}</p> })}
                </div>
                <button type="submit" class=SAVE>"Upload picture"</button>
            </UploadWithProgress>
        </section>
    }
    // Erased: the whole form's concrete type is too deep for the
    // compiler's query limit in the page that shows it.
    .into_any()
}
