//! Staff arranging collections: make one, rename it, put products on it
//! by their address, move them up, take them off. Plain forms; every
//! server function checks the staff role.

use contracts::catalog::StaffCollectionV1;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::AppError;
use crate::account::forms::{Banners, Field, TextArea};
use crate::components::loaded::Loaded;
use crate::session::Flash;

use super::layout::{FoldedForm, UpLink};

const LIST: &str = "/admin/collections";
const SAVE: &str = "mt-4 rounded-md bg-teal-900 px-4 py-2.5 font-semibold text-white hover:bg-teal-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-800";
const SMALL: &str = "rounded-md border border-stone-300 px-3 py-1.5 text-sm font-medium hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-teal-800";

#[server(prefix = "/sf", endpoint = "admin/collections", input = GetUrl)]
pub async fn collections() -> Result<Vec<StaffCollectionV1>, AppError> {
    super::catalog_edge::read("listing collections", async |catalog, token| {
        catalog.staff_collections(token).await
    })
    .await
}

#[server(prefix = "/sf", endpoint = "admin/collection", input = GetUrl)]
pub async fn collection(slug: String) -> Result<StaffCollectionV1, AppError> {
    let (catalog, token, _) = super::catalog_edge::staff_catalog()?;
    let slug = catalog_api::Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    catalog
        .staff_collection(&token, &slug)
        .await
        .map_err(|e| AppError::internal("loading a collection", &e))?
        .ok_or(AppError::NotFound)
}

#[cfg(feature = "ssr")]
mod edge {
    use crate::AppError;

    pub fn page(slug: &str) -> String {
        format!("/admin/collections/{}", platform::url_encode(slug))
    }

    pub use super::super::catalog_edge::answer;

    pub fn slug(raw: &str) -> Result<catalog_api::Slug, AppError> {
        catalog_api::Slug::parse(raw).map_err(|_| AppError::NotFound)
    }

    /// What was typed in a refused collection form (the slug only where
    /// it can be typed: in a new one).
    pub fn typed(
        details: &contracts::catalog::CollectionDetailsV1,
        with_slug: bool,
    ) -> Vec<(&'static str, &str)> {
        let mut typed = vec![("name", details.name.as_str())];
        if with_slug {
            typed.push(("slug", details.slug.as_str()));
        }
        typed.push(("description", details.description.as_str()));
        typed
    }

    /// What staff do with a product on a collection's page.
    #[derive(Clone, Copy)]
    pub enum Arrange {
        Add,
        TakeOut,
        MoveUp,
    }

    /// Does `step` with `product` on the collection `slug`, then goes
    /// back to the collection's page with what happened. `product` is the
    /// product's address; when adding, a pasted shop link works as well.
    pub async fn arrange(slug: &str, product: &str, step: Arrange) -> Result<(), AppError> {
        let (catalog, token, _) = super::super::catalog_edge::staff_catalog()?;
        let parsed = self::slug(slug)?;
        // …/p/linen-wrap-dress is the product linen-wrap-dress.
        let address = product
            .trim()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        let named = || self::slug(product);
        let outcome = match step {
            Arrange::Add => catalog.shelve(&token, &parsed, address).await,
            Arrange::TakeOut => catalog.unshelve(&token, &parsed, &named()?).await,
            Arrange::MoveUp => catalog.move_earlier(&token, &parsed, &named()?).await,
        };
        let (notice, context) = match step {
            Arrange::Add => (
                format!("{address} is in the collection."),
                "adding to a collection",
            ),
            Arrange::TakeOut => (
                format!("{product} was taken out of the collection."),
                "removing from a collection",
            ),
            Arrange::MoveUp => (format!("{product} moved up."), "reordering a collection"),
        };
        // What was typed is kept only where it can be typed: when adding.
        let typed = match step {
            Arrange::Add => vec![("product", product)],
            Arrange::TakeOut | Arrange::MoveUp => Vec::new(),
        };
        answer(
            outcome,
            &page(slug),
            "admin-collection/products",
            &typed,
            &notice,
            context,
        )
    }
}

/// A new collection, its fields as the form names them.
#[server(prefix = "/sf", endpoint = "admin/create-collection")]
pub async fn create_collection(
    #[server(flatten)] details: contracts::catalog::CollectionDetailsV1,
) -> Result<(), AppError> {
    let (catalog, token, _) = super::catalog_edge::staff_catalog()?;
    match catalog.create_collection(&token, &details).await {
        Ok(made) => edge::answer(
            Ok(()),
            &edge::page(&made.slug),
            "admin-collection",
            &[],
            "Collection made: add products to it below.",
            "",
        ),
        Err(err) => edge::answer::<()>(
            Err(err),
            LIST,
            "admin-collections/new",
            &edge::typed(&details, true),
            "",
            "creating a collection",
        ),
    }
}

/// A collection's name and description; `slug` names the collection.
#[server(prefix = "/sf", endpoint = "admin/update-collection")]
pub async fn update_collection(
    #[server(flatten)] details: contracts::catalog::CollectionDetailsV1,
) -> Result<(), AppError> {
    let (catalog, token, _) = super::catalog_edge::staff_catalog()?;
    let parsed = edge::slug(&details.slug)?;
    edge::answer(
        catalog.update_collection(&token, &parsed, &details).await,
        &edge::page(&details.slug),
        "admin-collection/details",
        &edge::typed(&details, false),
        "Saved.",
        "updating a collection",
    )
}

#[server(prefix = "/sf", endpoint = "admin/shelve")]
pub async fn shelve(slug: String, product: String) -> Result<(), AppError> {
    edge::arrange(&slug, &product, edge::Arrange::Add).await
}

#[server(prefix = "/sf", endpoint = "admin/unshelve")]
pub async fn unshelve(slug: String, product: String) -> Result<(), AppError> {
    edge::arrange(&slug, &product, edge::Arrange::TakeOut).await
}

#[server(prefix = "/sf", endpoint = "admin/move-earlier")]
pub async fn move_earlier(slug: String, product: String) -> Result<(), AppError> {
    edge::arrange(&slug, &product, edge::Arrange::MoveUp).await
}

#[component]
pub fn AdminCollectionsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| collections());
    let show = |list: Vec<StaffCollectionV1>, flash| {
        view! {
            <ul class="mt-6 space-y-2" data-testid="admin-collections">
                {list.into_iter().map(|c| view! {
                    <li>
                        <a href=format!("/admin/collections/{}", c.slug) class="font-semibold text-teal-800 underline underline-offset-4">{c.name}</a>
                        {format!(" · {} products · /collections/{}", c.products.len(), c.slug)}
                    </li>
                }).collect_view()}
            </ul>
            <NewCollection flash />
        }
    };
    view! {
        <Title text="Collections" />
        <UpLink href="/admin" label="Back office" />
        <h1 class="mt-2 text-3xl font-bold">"Collections"</h1>
        <p class="mt-2 max-w-prose text-stone-700">"Hand-picked shelves shoppers see on the home page, each with a page of its own. Empty ones stay off the home page."</p>
        <Loaded data=list flash="admin-collections/new" back=LIST show />
    }
}

#[component]
fn NewCollection(flash: Flash) -> impl IntoView {
    let kept = flash.of("admin-collections/new");
    view! {
        <section class="mt-8 max-w-2xl rounded-lg border border-stone-200 bg-white p-4" aria-labelledby="new-collection-heading">
            <h2 id="new-collection-heading" class="font-semibold">"New collection"</h2>
            <Banners flash=Some(flash.clone()) />
            <form method="post" action="/sf/admin/create-collection" novalidate=true data-testid="new-collection">
                <Field name="name" label="Name" value=kept.value("name") error=kept.error("name") />
                <Field name="slug" label="Address (optional)" hint="The end of its shop address, /collections/…; left empty, it is made from the name." value=kept.value("slug") error=kept.error("slug") optional=true />
                <TextArea name="description" label="Description (optional)" value=kept.value("description") error=kept.error("description") rows=2 />
                <button type="submit" class=SAVE>"Make collection"</button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
pub fn AdminCollectionPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let data = Resource::new(slug, collection);
    let back = format!(
        "{LIST}/{}",
        params.read_untracked().get("slug").unwrap_or_default()
    );
    let show = |collection, flash| view! { <CollectionEditor collection flash /> };
    view! { <Loaded data flash="admin-collection" back show /> }
}

#[component]
fn CollectionEditor(collection: StaffCollectionV1, flash: Flash) -> impl IntoView {
    let details = flash.of("admin-collection/details");
    let adding = flash.of("admin-collection/products");
    let slug = collection.slug.clone();
    let count = collection.products.len();
    view! {
        <Title text=collection.name.clone() />
        <UpLink href=LIST label="All collections" />
        <h1 class="mt-2 text-3xl font-bold">{collection.name.clone()}</h1>
        <p class="mt-1 text-stone-700">
            <a href=format!("/collections/{}", collection.slug) class="underline underline-offset-4">{format!("/collections/{}", collection.slug)}</a>
        </p>
        <Banners flash=Some(flash.clone()) />
        <section class="mt-6 rounded-lg border border-stone-200 bg-white p-4" aria-labelledby="shelf-heading">
            <h2 id="shelf-heading" class="font-semibold">{format!("Products, in the order shoppers see them ({count})")}</h2>
            {if collection.products.is_empty() {
                view! { <p class="mt-2 text-sm text-stone-700">"Nothing here yet: this collection stays off the home page until it has a product in the shop."</p> }.into_any()
            } else {
                view! {
                    <ol class="mt-3 space-y-2" data-testid="shelved">
                        {collection.products.into_iter().enumerate().map(|(i, p)| {
                            let (slug_a, slug_b) = (slug.clone(), slug.clone());
                            let (p_a, p_b) = (p.slug.clone(), p.slug.clone());
                            view! {
                                <li class="flex flex-wrap items-center gap-3 border-b border-stone-200 pb-2" data-testid="shelved-product" data-slug=p.slug.clone()>
                                    <span class="min-w-40 flex-1">
                                        <a href=format!("/admin/products/{}", p.slug) class="font-medium text-teal-800 underline underline-offset-4">{p.name.clone()}</a>
                                        {(p.status != "active").then(|| format!(" · {} (not shown until active)", p.status))}
                                    </span>
                                    {(i > 0).then(|| view! {
                                        <form method="post" action="/sf/admin/move-earlier">
                                            <input type="hidden" name="slug" value=slug_a />
                                            <input type="hidden" name="product" value=p_a />
                                            <button type="submit" class=SMALL>"Move up"<span class="sr-only">{format!(" {}", p.name)}</span></button>
                                        </form>
                                    })}
                                    <form method="post" action="/sf/admin/unshelve">
                                        <input type="hidden" name="slug" value=slug_b />
                                        <input type="hidden" name="product" value=p_b />
                                        <button type="submit" class="text-sm font-medium text-rose-800 underline underline-offset-4">"Take out"<span class="sr-only">{format!(" {}", p.name)}</span></button>
                                    </form>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <form method="post" action="/sf/admin/shelve" novalidate=true class="max-w-2xl" data-testid="shelve">
                <input type="hidden" name="slug" value=slug.clone() />
                <Field name="product" label="Add a product" hint="Its address, like women-linen-wrap-dress (or paste its shop link)." value=adding.value("product") error=adding.error("product") />
                <button type="submit" class=SAVE>"Add to collection"</button>
            </form>
        </section>
        <FoldedForm summary="Name and description" action="/sf/admin/update-collection" testid="collection-details" slug=slug.clone() refused=!details.errors.is_empty()>
            <Field name="name" label="Name" value=details.typed_or("name", &collection.name) error=details.error("name") />
            <TextArea name="description" label="Description (optional)" value=details.typed_or("description", &collection.description) error=details.error("description") rows=2 />
            <button type="submit" class=SAVE>"Save"</button>
        </FoldedForm>
    }
    .into_any()
}
