use contracts::catalog::{CategoryDetail, CategorySummary};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::api::{self, Browse};
use crate::components::breadcrumb::Breadcrumb;
use crate::components::category_cards::CategoryCards;
use crate::components::listing::Listing;
use crate::components::loaded::Loaded;

#[component]
pub fn CategoryPage() -> impl IntoView {
    // The category and a page of its products, as the query string asks.
    let data = crate::pages::listing_resource(|slug, query| async move {
        let detail = api::category(slug.clone()).await;
        let products = api::listing(slug, query).await;
        Ok((detail?, products?))
    });
    let show = |(detail, products): (CategoryDetail, Browse), _| {
        let CategoryDetail {
            category,
            ancestors,
            children,
        } = detail;
        view! { <CategoryView category ancestors children products /> }
    };
    view! { <Loaded data show error_title="Not available" /> }
}

#[component]
fn CategoryView(
    category: CategorySummary,
    /// The departments above it, outermost first.
    ancestors: Vec<CategorySummary>,
    children: Vec<CategorySummary>,
    products: Browse,
) -> impl IntoView {
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
