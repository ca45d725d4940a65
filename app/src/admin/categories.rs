//! Staff growing the category tree: a new kind under a department (or a
//! new department), and each category's name, description and size chart.
//! Size charts are typed as lines of comma-separated values, the heading
//! line first, which is how they arrive from a supplier's spreadsheet.

use contracts::catalog::{SizeChartV1, StaffCategoryV1};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use leptos_meta::Title;

use crate::AppError;
use crate::account::forms::{Banners, Field, TextArea};
use crate::account::pages::flash_for;
use crate::session::Flash;

const PAGE: &str = "/admin/categories";
const SAVE: &str = "mt-4 rounded-md bg-teal-900 px-4 py-2.5 font-semibold text-white hover:bg-teal-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-800";
const CHART_HINT: &str = "One size per line, values separated by commas, the heading line first: UK size, Bust, Waist. Left empty, the department's chart applies.";

/// A chart as staff type it back into the form.
fn chart_text(chart: Option<&SizeChartV1>) -> String {
    chart.map_or_else(String::new, |chart| {
        std::iter::once(&chart.columns)
            .chain(&chart.rows)
            .map(|cells| cells.join(", "))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

#[server(prefix = "/sf", endpoint = "admin/categories", input = GetUrl)]
pub async fn categories() -> Result<Vec<StaffCategoryV1>, AppError> {
    let (catalog, token, _) = super::catalog::edge::staff_catalog()?;
    catalog
        .staff_categories(&token)
        .await
        .map_err(|e| AppError::internal("listing categories", &e))
}

#[cfg(feature = "ssr")]
mod edge {
    /// Lines of comma-separated cells; nothing typed is no chart.
    pub fn chart(text: &str) -> Option<contracts::catalog::SizeChartV1> {
        let mut lines = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|line| line.split(',').map(|c| c.trim().to_owned()).collect());
        let columns = lines.next()?;
        Some(contracts::catalog::SizeChartV1 {
            columns,
            rows: lines.collect(),
        })
    }

    pub use super::super::catalog::edge::answer;
}

#[server(prefix = "/sf", endpoint = "admin/create-category")]
pub async fn create_category(
    parent: String,
    name: String,
    slug: String,
    description: String,
    size_chart: String,
) -> Result<(), AppError> {
    let (catalog, token, _) = super::catalog::edge::staff_catalog()?;
    let details = contracts::catalog::CategoryDetailsV1 {
        name: name.clone(),
        slug: slug.clone(),
        parent: parent.clone(),
        description: description.clone(),
        size_chart: edge::chart(&size_chart),
    };
    edge::answer(
        catalog.create_category(&token, &details).await,
        PAGE,
        "admin-categories/new",
        &[
            ("parent", parent.as_str()),
            ("name", name.as_str()),
            ("slug", slug.as_str()),
            ("description", description.as_str()),
            ("size_chart", size_chart.as_str()),
        ],
        &format!("{} was added.", name.trim()),
        "creating a category",
    )
}

#[server(prefix = "/sf", endpoint = "admin/update-category")]
pub async fn update_category(
    slug: String,
    name: String,
    description: String,
    size_chart: String,
) -> Result<(), AppError> {
    let (catalog, token, _) = super::catalog::edge::staff_catalog()?;
    let parsed = catalog_api::Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let page = format!("{PAGE}/{}", platform::url_encode(&slug));
    let details = contracts::catalog::CategoryDetailsV1 {
        name: name.clone(),
        description: description.clone(),
        size_chart: edge::chart(&size_chart),
        ..Default::default()
    };
    edge::answer(
        catalog.update_category(&token, &parsed, &details).await,
        &page,
        "admin-category",
        &[
            ("name", name.as_str()),
            ("description", description.as_str()),
            ("size_chart", size_chart.as_str()),
        ],
        &format!("{} was saved.", name.trim()),
        "updating a category",
    )
}

#[component]
pub fn AdminCategoriesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| categories());
    let flash = flash_for("admin-categories");
    view! {
        <Title text="Categories" />
        <p><a href="/admin" class="text-sm font-medium text-teal-800 underline underline-offset-4">"Back office"</a></p>
        <h1 class="mt-2 text-3xl font-bold">"Categories and size charts"</h1>
        <Suspense fallback=|| view! { <p class="mt-4 text-stone-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let flash = flash.await.unwrap_or_default();
                match list.await {
                    Ok(list) => view! { <Tree list flash /> }.into_any(),
                    Err(error) => super::orders::refusal(error, PAGE.into()),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Tree(list: Vec<StaffCategoryV1>, flash: Flash) -> impl IntoView {
    let departments: Vec<(String, String)> = list
        .iter()
        .filter(|c| c.parent.is_none())
        .map(|c| (c.slug.clone(), c.name.clone()))
        .collect();
    let new = flash.of("admin-categories/new");
    let parent = new.value("parent");
    view! {
        <Banners flash=Some(flash.clone()) />
        <ul class="mt-6 space-y-1" data-testid="admin-categories">
            {list.into_iter().map(|category| {
                let indent = if category.parent.is_some() { "ml-6" } else { "mt-3 font-semibold" };
                view! {
                    <li class=indent data-testid="admin-category" data-slug=category.slug.clone()>
                        <a href=format!("{PAGE}/{}", category.slug) class="text-teal-800 underline underline-offset-4">{category.name}</a>
                        <span class="font-normal text-stone-700">
                            {format!(" · {} products{}", category.products, if category.size_chart.is_some() { " · own size chart" } else { "" })}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
        <section class="mt-8 max-w-2xl rounded-lg border border-stone-200 bg-white p-4" aria-labelledby="new-category-heading">
            <h2 id="new-category-heading" class="font-semibold">"New category"</h2>
            <form method="post" action="/sf/admin/create-category" novalidate=true data-testid="new-category">
                <div class="mt-4">
                    <label for="field-parent" class="block text-sm font-medium text-stone-800">"Department"</label>
                    <select id="field-parent" name="parent"
                        aria-invalid=new.error("parent").map(|_| "true")
                        aria-describedby=new.error("parent").map(|_| "field-parent-error")
                        class="mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base focus:border-teal-800 focus:outline-2 focus:outline-teal-800">
                        {departments.into_iter().map(|(slug, name)| {
                            let selected = parent == slug;
                            view! { <option value=slug selected=selected>{name}</option> }
                        }).collect_view()}
                        <option value="" selected=parent.is_empty() && !new.values.is_empty()>"None: a new department"</option>
                    </select>
                    {new.error("parent").map(|m| view! { <p id="field-parent-error" class="mt-1 text-sm font-medium text-rose-800" data-testid="error-parent">{m}</p> })}
                </div>
                <Field name="name" label="Name" value=new.value("name") error=new.error("name") />
                <Field name="slug" label="Address (optional)" hint="The end of its shop address, /c/…; left empty, it is made from the name." value=new.value("slug") error=new.error("slug") optional=true />
                <TextArea name="description" label="Description (optional)" value=new.value("description") error=new.error("description") rows=2 />
                <TextArea name="size_chart" label="Size chart (optional)" hint=CHART_HINT value=new.value("size_chart") error=new.error("size_chart") rows=6 />
                <button type="submit" class=SAVE>"Add category"</button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
pub fn AdminCategoryPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let list = Resource::new(|| (), |_| categories());
    let flash = flash_for("admin-category");
    view! {
        <Suspense fallback=|| view! { <p class="text-stone-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let flash = flash.await.unwrap_or_default();
                match list.await {
                    Ok(list) => match list.into_iter().find(|c| c.slug == slug()) {
                        Some(category) => view! { <CategoryForm category flash /> }.into_any(),
                        None => view! { <crate::components::error_panel::ErrorPanel error=AppError::NotFound /> }.into_any(),
                    },
                    Err(error) => super::orders::refusal(error, format!("{PAGE}/{}", slug())),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CategoryForm(category: StaffCategoryV1, flash: Flash) -> impl IntoView {
    let kept = flash.of("admin-category");
    let typed = |field: &str, saved: String| {
        if kept.values.is_empty() {
            saved
        } else {
            kept.value(field)
        }
    };
    let name = typed("name", category.name.clone());
    let description = typed("description", category.description.clone());
    let chart = typed("size_chart", chart_text(category.size_chart.as_ref()));
    view! {
        <Title text=category.name.clone() />
        <p><a href=PAGE class="text-sm font-medium text-teal-800 underline underline-offset-4">"All categories"</a></p>
        <h1 class="mt-2 text-3xl font-bold">{category.name.clone()}</h1>
        <p class="mt-1 text-stone-700">
            {format!("{} products · ", category.products)}
            <a href=format!("/c/{}", category.slug) class="underline underline-offset-4">{format!("/c/{}", category.slug)}</a>
        </p>
        <Banners flash=Some(flash.clone()) />
        <form method="post" action="/sf/admin/update-category" novalidate=true class="mt-4 max-w-2xl" data-testid="category-details">
            <input type="hidden" name="slug" value=category.slug.clone() />
            <Field name="name" label="Name" value=name error=kept.error("name") />
            <TextArea name="description" label="Description (optional)" value=description error=kept.error("description") rows=2 />
            <TextArea name="size_chart" label="Size chart (optional)" hint=CHART_HINT value=chart error=kept.error("size_chart") rows=8 />
            <button type="submit" class=SAVE>"Save"</button>
        </form>
    }
    .into_any()
}
