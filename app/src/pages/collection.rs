//! A collection's page ("Sale", "New in"): its products, filtered, sorted
//! and paged like a category's.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::api::{self, Shelf};
use crate::components::breadcrumb::Breadcrumb;
use crate::components::listing::Listing;
use crate::components::loaded::Loaded;

#[component]
pub fn CollectionPage() -> impl IntoView {
    let shelf = crate::pages::listing_resource(api::collection);
    let show = |shelf, _| view! { <CollectionView shelf /> };
    view! { <Loaded data=shelf show error_title="Not available" /> }
}

#[component]
fn CollectionView(shelf: Shelf) -> impl IntoView {
    let Shelf { collection, browse } = shelf;
    let base = format!("/collections/{}", collection.slug);
    let site = crate::pages::product::site_url();
    let canonical = match browse.listing.page {
        1 => format!("{site}{base}"),
        n => format!("{site}{base}?page={n}"),
    };
    view! {
        <Title text=collection.name.clone() />
        <Link rel="canonical" href=canonical />
        <Meta name="description" content=collection.description.clone() />
        <Breadcrumb trail=Vec::new() current=collection.name.clone() />
        <h1 class="mt-3 text-3xl font-bold wrap-anywhere">{collection.name}</h1>
        <p class="mt-2 text-stone-700">{collection.description}</p>
        <Listing
            listing=browse.listing
            problems=browse.problems
            base=base
            empty="This collection is being restocked: new pieces are on their way."
        />
    }
    .into_any()
}
