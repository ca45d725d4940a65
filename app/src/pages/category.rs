use contracts::catalog::{CategoryDetail, ProductCardV1};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::breadcrumb::Breadcrumb;
use crate::components::category_cards::CategoryCards;
use crate::components::error_panel::ErrorPanel;
use crate::components::product_cards::ProductCards;

#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    let detail = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        api::category,
    );
    let products = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        api::products_in,
    );
    view! {
        <Suspense fallback=|| view! { <p class="text-stone-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (detail.await, products.await) {
                    (Ok(detail), Ok(products)) => view! { <CategoryView detail products /> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <Title text="Not available" /><ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CategoryView(detail: CategoryDetail, products: Vec<ProductCardV1>) -> impl IntoView {
    let CategoryDetail {
        category,
        ancestors,
        children,
    } = detail;
    let title = match ancestors.last() {
        Some(parent) => format!("{} {}", parent.name, category.name),
        None => category.name.clone(),
    };
    view! {
        <Title text=title />
        <Meta name="description" content=category.description.clone() />
        <Breadcrumb trail=ancestors current=category.name.clone() />
        <h1 class="mt-3 text-3xl font-bold">{category.name}</h1>
        <p class="mt-2 text-stone-700">{category.description}</p>
        {(!children.is_empty()).then(|| view! {
            <div class="mt-6"><CategoryCards categories=children /></div>
        })}
        <section aria-label="Products" class="mt-8">
            {if products.is_empty() {
                view! {
                    <p class="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">
                        "Nothing here yet: new pieces for this range are on their way."
                    </p>
                }
                .into_any()
            } else {
                view! { <ProductCards products /> }.into_any()
            }}
        </section>
    }
}
