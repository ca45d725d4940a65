//! A product page: what it is, its price, and which colours and sizes can
//! be bought right now.

use contracts::catalog::{ProductDetailV1, VariantV1};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::error_panel::ErrorPanel;

/// Prices are kept in minor units. One currency per shop: its setting
/// arrives with checkout (VAT and delivery are configured there too).
pub fn price(minor: i64) -> String {
    format!("£{}.{:02}", minor / 100, minor % 100)
}

/// At or below this many left, the page says so.
const FEW_LEFT: i64 = 3;

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let product = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        api::product,
    );
    view! {
        <Suspense fallback=|| view! { <p class="text-stone-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match product.await {
                    Ok(product) => view! { <ProductView product /> }.into_any(),
                    Err(error) => view! { <Title text="Not available" /><ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductView(product: ProductDetailV1) -> impl IntoView {
    let ProductDetailV1 {
        name,
        breadcrumb,
        variants,
        ..
    } = product;
    let lowest = variants.iter().map(|v| v.price_minor).min().unwrap_or(0);
    let highest = variants.iter().map(|v| v.price_minor).max().unwrap_or(0);
    let shown_price = if lowest == highest {
        price(lowest)
    } else {
        format!("{} to {}", price(lowest), price(highest))
    };
    // Colours in the order staff arranged them, each with its sizes.
    let mut colours: Vec<(String, Vec<VariantV1>)> = Vec::new();
    for variant in variants {
        match colours
            .iter_mut()
            .find(|(colour, _)| *colour == variant.colour)
        {
            Some((_, sizes)) => sizes.push(variant),
            None => colours.push((variant.colour.clone(), vec![variant])),
        }
    }
    let description = format!("{name}: {shown_price}. Sizes and colours in stock at SURY.");
    view! {
        <Title text=name.clone() />
        <Meta name="description" content=description />
        <nav aria-label="Breadcrumb" class="text-sm text-stone-600">
            <ol class="flex flex-wrap gap-1">
                <li><a href="/" class="hover:text-teal-900 hover:underline">"Home"</a></li>
                {breadcrumb
                    .into_iter()
                    .map(|crumb| view! {
                        <li aria-hidden="true">"›"</li>
                        <li><a href=format!("/c/{}", crumb.slug) class="hover:text-teal-900 hover:underline">{crumb.name}</a></li>
                    })
                    .collect_view()}
            </ol>
        </nav>
        <h1 class="mt-3 text-3xl font-bold">{name}</h1>
        <p class="mt-2 text-xl text-stone-900" data-testid="price">{shown_price}</p>
        {colours
            .into_iter()
            .map(|(colour, sizes)| {
                let heading_id = format!("colour-{}", colour.to_lowercase().replace(' ', "-"));
                let labelled_by = heading_id.clone();
                view! {
                    <section aria-labelledby=labelled_by class="mt-6" data-testid="colour">
                        <h2 id=heading_id class="text-lg font-semibold">{colour}</h2>
                        <ul class="mt-2 flex flex-wrap gap-2">
                            {sizes.into_iter().map(|v| {
                                let (state, class) = match v.available {
                                    0 => ("sold out", "border-stone-200 bg-stone-100 text-stone-600 line-through"),
                                    n if n <= FEW_LEFT => ("only a few left", "border-amber-700 bg-white text-stone-900"),
                                    _ => ("in stock", "border-stone-300 bg-white text-stone-900"),
                                };
                                view! {
                                    <li
                                        class=format!("rounded-md border px-3 py-2 text-sm {class}")
                                        data-testid="size"
                                        data-available=v.available.to_string()
                                    >
                                        {v.size}
                                        <span class="sr-only">{format!(", {state}")}</span>
                                        {(v.available > 0 && v.available <= FEW_LEFT).then(|| view! {
                                            <span aria-hidden="true" class="ml-1 text-amber-800">"·"</span>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }
            })
            .collect_view()}
        <p class="mt-6 text-sm text-stone-600">"Sizes crossed out are sold out. Adding to your basket arrives with the basket."</p>
    }
}
