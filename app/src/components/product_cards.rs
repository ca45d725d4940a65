//! A grid of product cards linking to their pages.

use contracts::catalog::ProductCardV1;
use leptos::prelude::*;

use crate::components::picture::Picture;
use contracts::money::price;

/// "from £31.00", and when reduced, the price before the sale struck
/// through and said in words for screen readers.
#[component]
pub fn SalePrice(from: i64, was: Option<i64>) -> impl IntoView {
    match was {
        Some(was) => view! {
            <span class="mt-1 block text-stone-800" data-testid="card-price">
                <span class="font-semibold text-rose-800">{format!("from {}", price(from))}</span>
                " "
                <s class="text-sm text-stone-600"><span class="sr-only">"was "</span>{price(was)}</s>
                " "
                <span class="ml-1 rounded bg-rose-800 px-1.5 py-0.5 text-xs font-semibold text-white">"Sale"</span>
            </span>
        }
        .into_any(),
        None => view! {
            <span class="mt-1 block text-stone-800" data-testid="card-price">{format!("from {}", price(from))}</span>
        }
        .into_any(),
    }
}

#[component]
pub fn ProductCards(products: Vec<ProductCardV1>) -> impl IntoView {
    view! {
        <ul class="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4" data-testid="products">
            {products
                .into_iter()
                .map(|card| {
                    let colours = match card.colours.len() {
                        1 => card.colours[0].clone(),
                        n => format!("{n} colours"),
                    };
                    view! {
                        <li class="rounded-lg border border-stone-200 bg-white p-4 hover:border-teal-800">
                            <a href=format!("/p/{}", card.slug) class="block focus-visible:outline-2 focus-visible:outline-teal-800">
                                {card.image.map(|image| view! {
                                    <Picture image sizes="(min-width: 1024px) 14rem, (min-width: 640px) 30vw, 45vw" decorative=true class="mb-3 aspect-[4/5] rounded-md" />
                                })}
                                {card.brand.map(|brand| view! {
                                    <span class="block text-xs font-medium uppercase tracking-wide text-stone-600">{brand}</span>
                                })}
                                <span class="block font-semibold text-stone-900 wrap-anywhere">{card.name}</span>
                                <SalePrice from=card.price_from_minor was=card.compare_at_minor />
                                <span class="mt-1 block text-sm text-stone-600">{colours}</span>
                                {(!card.in_stock).then(|| view! {
                                    <span class="mt-1 block text-sm font-medium text-rose-800">"Sold out"</span>
                                })}
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
