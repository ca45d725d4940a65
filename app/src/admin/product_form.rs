//! Staff making and editing products: a new product as a grid of colours
//! and sizes, its details and status, and more colours or sizes later.
//! Every field is checked by the catalog; a refusal comes back with each
//! field's message and everything that was typed.

use contracts::catalog::{Department, StaffProductV1};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::account::forms::{Banners, Field, SelectField, TextArea};
use crate::components::loaded::Loaded;
use crate::components::picture::Picture;

use super::layout::{FoldedForm, UpLink};
use super::upload::UploadWithProgress;
use crate::session::Flash;

pub const NEW_PAGE: &str = "/admin/products/new";

/// The categories to choose from, for staff only: the page is refused to
/// anyone else, like every back-office page.
#[server(prefix = "/sf", endpoint = "admin/new-product", input = leptos::server_fn::codec::GetUrl)]
pub async fn new_product_choices() -> Result<Vec<Department>, crate::AppError> {
    super::catalog_edge::staff_catalog()?;
    crate::api::departments().await
}

#[server(prefix = "/sf", endpoint = "admin/delete-image")]
pub async fn delete_image(slug: String, id: String) -> Result<(), crate::AppError> {
    use crate::account::api::edge::{back_to, one_error, onward};

    let (catalog, token, _) = super::catalog_edge::staff_catalog()?;
    let page = format!("/admin/products/{}", platform::url_encode(&slug));
    match catalog.delete_image(&token, &id).await {
        Ok(()) => onward(&page, "admin-product/images", "Picture removed."),
        Err(err) => {
            let message = super::catalog_edge::refusal(err, "deleting a picture")?;
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
        <SelectField name="category" label="Category" error>
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
        </SelectField>
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
        <SelectField name="audience" label="Who it is for" error=audience_error>
            <option value="" selected=audience.is_empty()>"Not said"</option>
            {contracts::catalog::AUDIENCES.into_iter().map(|(key, label)| {
                view! { <option value=key selected=audience == key>{label}</option> }
            }).collect_view()}
        </SelectField>
        <Field name="tags" label="Tags (optional)" hint="Words shoppers search by, separated by commas: summer, organic cotton" value=tags error=tags_error optional=true />
    }
    .into_any()
}

const SAVE: &str = "mt-6 rounded-md bg-teal-900 px-4 py-2.5 font-semibold text-white hover:bg-teal-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-800";

#[component]
pub fn AdminNewProductPage() -> impl IntoView {
    let departments = Resource::new(|| (), |_| new_product_choices());
    let show = |departments, flash| view! { <NewProductForm departments flash /> };
    view! {
        <Title text="New product" />
        <UpLink href="/admin/products" label="All products" />
        <h1 class="mt-2 text-3xl font-bold">"New product"</h1>
        <Loaded data=departments flash="admin-new-product" back=NEW_PAGE show />
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
    let typed = details.clone();
    let value = move |field: &str, saved: &str| typed.typed_or(field, saved);
    let status = value("status", &product.status);
    let statuses = [
        ("draft", "Draft: only staff see it"),
        ("active", "Active: in the shop"),
        ("archived", "Archived: off the shop, kept for orders"),
    ];
    view! {
        <FoldedForm summary="Details and status" action="/sf/admin/update-product" testid="product-details" slug=product.slug.clone() refused=!details.errors.is_empty() margin="mt-6">
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
        </FoldedForm>
        <FoldedForm summary="Add colours or sizes" action="/sf/admin/add-variants" testid="add-variants" slug=product.slug.clone() refused=!grid.errors.is_empty()>
            <p class="mt-2 text-sm text-stone-700">"Every colour given is made in every size given; combinations the product has already are left as they are."</p>
            <Field name="colours" label="Colours" hint="Separated by commas" value=grid.value("colours") error=grid.error("colours") />
            <Field name="sizes" label="Sizes" hint="Separated by commas" value=grid.value("sizes") error=grid.error("sizes") />
            <Field name="price" label="Price of each (£, VAT included)" value=grid.value("price") error=grid.error("price") />
            <button type="submit" class=SAVE>"Add variants"</button>
        </FoldedForm>
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
                <SelectField name="colour" id="field-picture-colour" label="Colour it shows" error=kept.error("colour")>
                    {colours.into_iter().map(|colour| {
                        let selected = colour == chosen;
                        let value = colour.clone();
                        view! { <option value=value selected=selected>{colour}</option> }
                    }).collect_view()}
                </SelectField>
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
