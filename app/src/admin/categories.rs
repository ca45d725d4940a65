//! Staff growing the category tree: a new kind under a department (or a
//! new department), and each category's name, description and size chart.
//! Size charts are typed as lines of comma-separated values, the heading
//! line first, which is how they arrive from a supplier's spreadsheet.

use contracts::catalog::{SizeChartV1, StaffCategoryV1};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use leptos_meta::Title;

use crate::AppError;
use crate::account::forms::{Banners, Field, SelectField, TextArea};
use crate::components::loaded::Loaded;
use crate::session::Flash;

use super::layout::UpLink;

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
    let list = async |catalog: &catalog_api::CatalogClient, token: &str| {
        catalog.staff_categories(token).await
    };
    super::catalog_edge::read("listing categories", list).await
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

    pub use super::super::catalog_edge::answer;
}

/// What both category forms have, as typed: the size chart is lines of
/// comma-separated cells, the heading line first.
// Only the server makes these (from a post); the browser never calls.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CategoryForm {
    pub name: String,
    pub description: String,
    pub size_chart: String,
}

#[cfg(feature = "ssr")]
impl CategoryForm {
    /// The details the catalog takes; nothing typed in the chart is no chart.
    fn details(&self) -> contracts::catalog::CategoryDetailsV1 {
        contracts::catalog::CategoryDetailsV1 {
            name: self.name.clone(),
            description: self.description.clone(),
            size_chart: edge::chart(&self.size_chart),
            ..Default::default()
        }
    }

    /// What was typed, for a refused form to show again.
    fn typed(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("name", self.name.as_str()),
            ("description", self.description.as_str()),
            ("size_chart", self.size_chart.as_str()),
        ]
    }
}

/// A new category under `parent` (empty: a new department).
#[server(prefix = "/sf", endpoint = "admin/create-category")]
pub async fn create_category(
    parent: String,
    slug: String,
    #[server(flatten)] form: CategoryForm,
) -> Result<(), AppError> {
    let (catalog, token, _) = super::catalog_edge::staff_catalog()?;
    let details = contracts::catalog::CategoryDetailsV1 {
        slug: slug.clone(),
        parent: parent.clone(),
        ..form.details()
    };
    let mut typed = form.typed();
    typed.extend([("parent", parent.as_str()), ("slug", slug.as_str())]);
    edge::answer(
        catalog.create_category(&token, &details).await,
        PAGE,
        "admin-categories/new",
        &typed,
        &format!("{} was added.", form.name.trim()),
        "creating a category",
    )
}

/// The category `slug`'s name, description and size chart.
#[server(prefix = "/sf", endpoint = "admin/update-category")]
pub async fn update_category(
    slug: String,
    #[server(flatten)] form: CategoryForm,
) -> Result<(), AppError> {
    let (catalog, token, _) = super::catalog_edge::staff_catalog()?;
    let parsed = catalog_api::Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    edge::answer(
        catalog
            .update_category(&token, &parsed, &form.details())
            .await,
        &format!("{PAGE}/{}", platform::url_encode(&slug)),
        "admin-category",
        &form.typed(),
        &format!("{} was saved.", form.name.trim()),
        "updating a category",
    )
}

#[component]
pub fn AdminCategoriesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| categories());
    view! {
        <Title text="Categories" />
        <UpLink href="/admin" label="Back office" />
        <h1 class="mt-2 text-3xl font-bold">"Categories and size charts"</h1>
        <Loaded data=list flash="admin-categories" back=PAGE show=|list, flash| view! { <Tree list flash /> } />
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
    // "None" is chosen only when a refused form chose it.
    let new_department = parent.is_empty() && !new.values.is_empty();
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
                <SelectField name="parent" label="Department" error=new.error("parent")>
                    {departments.into_iter().map(|(slug, name)| {
                        let selected = parent == slug;
                        view! { <option value=slug selected=selected>{name}</option> }
                    }).collect_view()}
                    <option value="" selected=new_department>"None: a new department"</option>
                </SelectField>
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
    // The category named in the address, if there is one.
    let category = Resource::new(slug, |slug| async move {
        categories()
            .await?
            .into_iter()
            .find(|c| c.slug == slug)
            .ok_or(AppError::NotFound)
    });
    let back = format!(
        "{PAGE}/{}",
        params.read_untracked().get("slug").unwrap_or_default()
    );
    let show = |category, flash| view! { <CategoryForm category flash /> };
    view! { <Loaded data=category flash="admin-category" back show /> }
}

#[component]
fn CategoryForm(category: StaffCategoryV1, flash: Flash) -> impl IntoView {
    let kept = flash.of("admin-category");
    let name = kept.typed_or("name", &category.name);
    let description = kept.typed_or("description", &category.description);
    let chart = kept.typed_or("size_chart", &chart_text(category.size_chart.as_ref()));
    view! {
        <Title text=category.name.clone() />
        <UpLink href=PAGE label="All categories" />
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
