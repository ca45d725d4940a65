use contracts::catalog::CategoryDetail;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_location, use_params_map};

use crate::api::{self, Browse};
use crate::components::breadcrumb::Breadcrumb;
use crate::components::category_cards::CategoryCards;
use crate::components::error_panel::ErrorPanel;
use crate::components::listing::Listing;

#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    let detail = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        api::category,
    );
    let search = use_location().search;
    let products = Resource::new(
        move || (params.read().get("slug").unwrap_or_default(), search.get()),
        |(slug, query)| api::listing(slug, query),
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
fn CategoryView(detail: CategoryDetail, products: Browse) -> impl IntoView {
    let CategoryDetail {
        category,
        ancestors,
        children,
    } = detail;
    let title = match ancestors.last() {
        Some(parent) => format!("{} {}", parent.name, category.name),
        None => category.name.clone(),
    };
    let base = format!("/c/{}", category.slug);
    // Filtered and sorted variants are the same page to a search engine:
    // the canonical link is the bare category, or its page in the list.
    let page = products.listing.page;
    let site = crate::pages::product::site_url();
    let canonical = match page {
        1 => format!("{site}{base}"),
        n => format!("{site}{base}?page={n}"),
    };
    view! {
        <Title text=title />
        <Link rel="canonical" href=canonical />
        <Meta name="description" content=category.description.clone() />
        <Breadcrumb trail=ancestors current=category.name.clone() />
        <h1 class="mt-3 text-3xl font-bold">{category.name}</h1>
        <p class="mt-2 text-stone-700">{category.description}</p>
        {(!children.is_empty()).then(|| view! {
            <div class="mt-6"><CategoryCards categories=children /></div>
        })}
        <Listing
            listing=products.listing
            problems=products.problems
            base=base
            empty="Nothing here yet: new pieces for this range are on their way."
        />
    }
    .into_any()
}
