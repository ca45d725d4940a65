//! A listing's controls: the filter and sort form, the count and the page
//! links. Everything lives in the query string, so a filtered page is a
//! plain GET form without JavaScript, shareable and crawlable; hydrated, the
//! form applies itself as soon as a choice changes.

use contracts::catalog::{FacetV1, ListingSortV1, ListingV1};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::product_cards::ProductCards;
use contracts::money::price;

/// The listing with its filter panel (`search` keeps the search term in
/// the form) and page links. `base` is the page's path without a query.
#[component]
pub fn Listing(
    listing: ListingV1,
    problems: Vec<(String, String)>,
    base: String,
    #[prop(optional)] search: Option<String>,
    /// Shown when nothing matches and nothing is filtered.
    empty: &'static str,
) -> impl IntoView {
    let query = use_query_map().get_untracked();
    let chosen = |key: &str| query.get_all(key).unwrap_or_default();
    let sizes = chosen("size");
    let colours = chosen("colour");
    let brands = chosen("brand");
    let typed = |key: &str| query.get(key).unwrap_or_default();
    let (min, max) = (typed("min"), typed("max"));
    let in_stock = matches!(typed("in_stock").as_str(), "1" | "on" | "true");
    let sort = ListingSortV1::from_token(&typed("sort")).unwrap_or_default();
    let filtered = !sizes.is_empty()
        || !colours.is_empty()
        || !brands.is_empty()
        || !min.is_empty()
        || !max.is_empty()
        || in_stock;
    let active = sizes.len()
        + colours.len()
        + brands.len()
        + usize::from(!min.is_empty() || !max.is_empty())
        + usize::from(in_stock);
    let problem = |field: &str| {
        problems
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, message)| message.clone())
    };
    let price_problem = problem("min").or_else(|| problem("max"));
    let other_problems: Vec<String> = problems
        .iter()
        .filter(|(f, _)| f != "min" && f != "max")
        .map(|(_, m)| m.clone())
        .collect();
    let clear = match &search {
        Some(q) => format!("{base}?q={}", contracts::url_encode(q)),
        None => base.clone(),
    };
    let form_action = base.clone();
    let total = listing.total;
    let pages = listing.pages();
    let page = listing.page;
    let raw_query = leptos_router::hooks::use_location().search.get_untracked();
    let count = match total {
        0 => "No products".to_owned(),
        1 => "1 product".to_owned(),
        n => format!("{n} products"),
    };
    let facets = listing.facets.clone();
    let described = if price_problem.is_some() {
        "price-hint price-error"
    } else {
        "price-hint"
    };
    let price_hint = match (facets.lowest_price_minor, facets.highest_price_minor) {
        (Some(low), Some(high)) => {
            format!("Prices here run from {} to {}.", price(low), price(high))
        }
        _ => String::new(),
    };
    view! {
        <div class="mt-8 grid gap-6 lg:grid-cols-[16rem_1fr] lg:items-start">
            <details class="rounded-lg border border-stone-200 bg-white" open=filtered || !problems.is_empty()>
                <summary class="cursor-pointer px-4 py-3 font-semibold focus-visible:outline-2 focus-visible:outline-teal-800">
                    {if active > 0 { format!("Filter and sort ({active} active)") } else { "Filter and sort".to_owned() }}
                </summary>
                <ApplyOnChange>
                    <form method="get" action=form_action class="space-y-5 border-t border-stone-200 px-4 py-4" aria-label="Filter and sort" data-testid="filters">
                        {search.clone().map(|q| view! { <input type="hidden" name="q" value=q /> })}
                        {(!other_problems.is_empty()).then(|| view! {
                            <ul role="alert" class="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900">
                                {other_problems.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                            </ul>
                        })}
                        <label class="block text-sm font-semibold">
                            "Sort by"
                            <select name="sort" class="mt-1 block w-full rounded-md border border-stone-400 bg-white px-2 py-2 font-normal">
                                {ListingSortV1::ALL.into_iter().map(|s| view! {
                                    <option value=s.token() selected=s == sort>{s.label()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <Choices legend="Size" name="size" facets=plain(&facets.sizes) chosen=sizes />
                        <Choices legend="Colour" name="colour" facets=plain(&facets.colours) chosen=colours />
                        <Choices legend="Brand" name="brand" facets=facets.brands.iter().map(|b| (b.slug.clone(), b.name.clone(), b.products)).collect() chosen=brands />
                        <fieldset>
                            <legend class="text-sm font-semibold">"Price"</legend>
                            <p class="text-xs text-stone-600" id="price-hint">{price_hint}</p>
                            <div class="mt-1 grid grid-cols-2 gap-2">
                                {[("From", "min", min), ("To", "max", max)].map(|(label, name, value)| view! {
                                    <label class="text-sm">
                                        {label}
                                        <input name=name inputmode="decimal" value=value autocomplete="off"
                                            aria-describedby=described aria-invalid=price_problem.is_some().then_some("true")
                                            class="mt-1 block w-full rounded-md border border-stone-400 px-2 py-1.5" />
                                    </label>
                                }).collect_view()}
                            </div>
                            {price_problem.map(|m| view! {
                                <p id="price-error" role="alert" class="mt-1 text-sm font-medium text-rose-800">{m}</p>
                            })}
                        </fieldset>
                        <label class="flex items-center gap-2 text-sm">
                            <input type="checkbox" name="in_stock" value="1" checked=in_stock class="size-4" />
                            "In stock only"
                        </label>
                        <div class="flex flex-wrap items-center gap-3">
                            <button type="submit" class="rounded-md bg-teal-900 px-4 py-2 font-semibold text-white hover:bg-teal-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-800">"Apply"</button>
                            <a href=clear class="text-sm font-medium text-teal-900 underline">"Clear all"</a>
                        </div>
                    </form>
                </ApplyOnChange>
            </details>
            <section aria-label="Products">
                <p class="mb-3 text-sm text-stone-700" data-testid="product-count" aria-live="polite">
                    {count}
                    {(pages > 1 && page <= pages).then(|| format!(", page {page} of {pages}"))}
                </p>
                {if listing.cards.is_empty() {
                    let message = if filtered {
                        "Nothing matches these filters. Try fewer, or clear them all."
                    } else if total > 0 {
                        "This page is past the end of the list."
                    } else {
                        empty
                    };
                    view! {
                        <p class="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700" data-testid="empty-listing">{message}</p>
                    }.into_any()
                } else {
                    view! { <ProductCards products=listing.cards /> }.into_any()
                }}
                <Pages base page pages raw_query />
            </section>
        </div>
    }
    // Erased here: the panel's concrete type is deep enough to overflow
    // the compiler's query depth in every page that shows a listing.
    .into_any()
}

/// Facets whose value is also their label (sizes, colours).
fn plain(facets: &[FacetV1]) -> Vec<(String, String, u64)> {
    facets
        .iter()
        .map(|f| (f.value.clone(), f.value.clone(), f.products))
        .collect()
}

/// Checkboxes for one facet: (value sent, label shown, products).
#[component]
fn Choices(
    legend: &'static str,
    name: &'static str,
    facets: Vec<(String, String, u64)>,
    chosen: Vec<String>,
) -> impl IntoView {
    (!facets.is_empty()).then(|| {
        view! {
            <fieldset>
                <legend class="text-sm font-semibold">{legend}</legend>
                <ul class="mt-1 flex flex-wrap gap-2">
                    {facets.into_iter().map(|(value, label, products)| {
                        let checked = chosen.contains(&value);
                        view! {
                            <li>
                                <label class="flex cursor-pointer items-center gap-1.5 rounded-md border border-stone-300 px-2 py-1 text-sm has-[:checked]:border-teal-900 has-[:checked]:bg-teal-50 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-teal-800">
                                    <input type="checkbox" name=name value=value checked=checked class="size-4" data-testid=format!("{name}-choice") />
                                    {label}
                                    <span class="text-stone-600">{format!("({products})")}</span>
                                </label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </fieldset>
        }
    })
}

/// Previous, numbered and next links, each the same query with another page.
#[component]
fn Pages(base: String, page: u32, pages: u32, raw_query: String) -> impl IntoView {
    let href = move |n: u32| {
        let mut pairs: Vec<&str> = raw_query
            .trim_start_matches('?')
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("page="))
            .collect();
        let page_pair = format!("page={n}");
        if n > 1 {
            pairs.push(&page_pair);
        }
        if pairs.is_empty() {
            base.clone()
        } else {
            format!("{base}?{}", pairs.join("&"))
        }
    };
    (pages > 1).then(|| {
        let link = "rounded-md border border-stone-300 px-3 py-2 text-sm font-medium hover:border-teal-800 focus-visible:outline-2 focus-visible:outline-teal-800";
        view! {
            <nav aria-label="Pages" class="mt-6">
                <ul class="flex flex-wrap items-center gap-2">
                    {(page > 1).then(|| view! { <li><a href=href(page.min(pages + 1) - 1) rel="prev" class=link>"Previous"</a></li> })}
                    {(1..=pages).map(|n| if n == page {
                        view! { <li><span aria-current="page" class="rounded-md bg-teal-900 px-3 py-2 text-sm font-semibold text-white">{n}</span></li> }.into_any()
                    } else {
                        view! { <li><a href=href(n) class=link aria-label=format!("Page {n}")>{n}</a></li> }.into_any()
                    }).collect_view()}
                    {(page < pages).then(|| view! { <li><a href=href(page + 1) rel="next" class=link>"Next"</a></li> })}
                </ul>
            </nav>
        }
    })
}

/// Submits the form inside as soon as a choice changes, so with
/// JavaScript a tick applies at once; without it, the Apply button does.
#[island]
pub fn ApplyOnChange(children: Children) -> impl IntoView {
    let on_change = move |_event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(form) = _event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("form").ok().flatten())
                .and_then(|form| form.dyn_into::<web_sys::HtmlFormElement>().ok())
            {
                let _ = form.request_submit();
            }
        }
    };
    view! { <div on:change=on_change>{children()}</div> }
}
