//! A product page: what it is, its price, and which colours and sizes can
//! be bought right now.

use contracts::catalog::{ProductDetailV1, SizeChartV1, VariantV1};
use contracts::money::price;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api;
use crate::basket::add::AddToBasket;
use crate::components::breadcrumb::Breadcrumb;
use crate::components::loaded::Loaded;
use crate::components::picture::Gallery;
use crate::components::product_cards::ProductCards;

/// The shop's public address, for canonical links (the server provides it).
pub(crate) fn site_url() -> String {
    use_context::<SiteUrl>()
        .map(|url| url.0)
        .unwrap_or_default()
}

/// The address shoppers use (`SURY_PUBLIC_URL`), without a trailing slash.
#[derive(Clone, Debug)]
pub struct SiteUrl(pub String);

/// Product pages render on the server only (they hold no island), so the
/// browser build needs no JSON encoder for them.
#[cfg(not(feature = "ssr"))]
fn structured_data(_: &str, _: &str, _: Option<&str>, _: &[(String, Vec<VariantV1>)]) -> String {
    String::new()
}

/// schema.org `Product` with an `AggregateOffer`, for search engines. Made
/// with serde and kept from closing its `<script>` early.
#[cfg(feature = "ssr")]
fn structured_data(
    name: &str,
    url: &str,
    brand: Option<&str>,
    colours: &[(String, Vec<VariantV1>)],
) -> String {
    let variants = || colours.iter().flat_map(|(_, sizes)| sizes.iter());
    let low = variants().map(|v| v.price_minor).min().unwrap_or(0);
    let high = variants().map(|v| v.price_minor).max().unwrap_or(0);
    let in_stock = variants().any(|v| v.available > 0);
    let mut data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        "url": url,
        "offers": {
            "@type": "AggregateOffer",
            "priceCurrency": contracts::money::CURRENCY.0,
            "lowPrice": contracts::money::decimal(low),
            "highPrice": contracts::money::decimal(high),
            "offerCount": variants().count(),
            "availability": if in_stock { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
        },
    });
    if let Some(brand) = brand {
        data["brand"] = serde_json::json!({ "@type": "Brand", "name": brand });
    }
    data.to_string().replace("</", "<\\/")
}

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let product = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        api::product,
    );
    // With what the last add-to-basket post (without JavaScript) left to say.
    let show = |product, flash| view! { <ProductView product flash /> };
    view! { <Loaded data=product flash="product" show error_title="Not available" /> }
}

#[component]
fn ProductView(product: ProductDetailV1, flash: crate::session::Flash) -> impl IntoView {
    let ProductDetailV1 {
        slug,
        name,
        breadcrumb,
        variants,
        description: about,
        material_care,
        images,
        brand,
        audience: _,
        tags: _,
        size_chart,
        related,
    } = product;
    // The price before a sale, of the cheapest reduced size.
    let was = variants
        .iter()
        .filter_map(|v| v.compare_at_minor.filter(|was| *was > v.price_minor))
        .min();
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
    let description = match about.split("\n\n").next().filter(|p| !p.trim().is_empty()) {
        Some(first) => first.chars().take(160).collect(),
        None => format!("{name}: {shown_price}. Sizes and colours in stock at SURY."),
    };
    let url = format!("{}/p/{slug}", site_url());
    // Shared links show the first picture (an absolute address).
    let og_image = images.first().map(|image| {
        if image.src.starts_with('/') {
            format!("{}{}", site_url(), image.src)
        } else {
            image.src.clone()
        }
    });
    let structured = structured_data(
        &name,
        &url,
        brand.as_ref().map(|b| b.name.as_str()),
        &colours,
    );
    // "More from" the brand: its pieces in this department.
    let brand_link = brand
        .zip(breadcrumb.first())
        .map(|(b, department)| (format!("/c/{}?brand={}", department.slug, b.slug), b.name));
    view! {
        <Title text=name.clone() />
        <Meta name="description" content=description />
        <Link rel="canonical" href=url.clone() />
        <Meta property="og:type" content="product" />
        <Meta property="og:title" content=name.clone() />
        <Meta property="og:url" content=url />
        {og_image.map(|image| view! { <Meta property="og:image" content=image /> })}
        <script type="application/ld+json" inner_html=structured />
        <Breadcrumb trail=breadcrumb />
        <Gallery images colour=use_query_map().read_untracked().get("colour") slug=slug.clone() />
        {brand_link.clone().map(|(_, brand)| view! {
            <p class="mt-3 text-sm font-medium uppercase tracking-wide text-stone-700" data-testid="brand">{brand}</p>
        })}
        <h1 class="mt-1 text-3xl font-bold">{name}</h1>
        <p class="mt-2 text-xl text-stone-900" data-testid="price">
            {match was {
                Some(was) => view! {
                    <span class="font-semibold text-rose-800">{shown_price}</span>
                    " "
                    <s class="text-base text-stone-600" data-testid="was-price"><span class="sr-only">"was "</span>{price(was)}</s>
                    " "
                    <span class="ml-1 rounded bg-rose-800 px-2 py-0.5 align-middle text-sm font-semibold text-white">"Sale"</span>
                }.into_any(),
                None => view! { <span>{shown_price}</span> }.into_any(),
            }}
        </p>
        <AddToBasket
            back=format!("/p/{slug}")
            colours
            notice=flash.notice.clone()
            error=flash.error("form")
            chosen=flash.values.get("sku").cloned()
        />
        {size_chart.map(|chart| view! { <SizeGuide chart /> })}
        <About about material_care />
        {brand_link.map(|(href, brand)| view! {
            <p class="mt-6">
                <a href=href class="font-medium text-teal-900 underline underline-offset-4 hover:text-teal-950">{format!("More from {brand}")}</a>
            </p>
        })}
        {(!related.is_empty()).then(|| view! {
            <section class="mt-10" aria-labelledby="related-heading" data-testid="related">
                <h2 id="related-heading" class="mb-4 text-xl font-semibold">"You may also like"</h2>
                <ProductCards products=related />
            </section>
        })}
    }
    .into_any()
}

/// The size chart, folded away until asked for: a real table (headers
/// for sizes and measurements), scrolling sideways on a narrow phone.
#[component]
fn SizeGuide(chart: SizeChartV1) -> impl IntoView {
    let SizeChartV1 { columns, rows } = chart;
    view! {
        <details class="mt-6 max-w-prose rounded-lg border border-stone-200 bg-white" data-testid="size-chart">
            <summary class="cursor-pointer px-4 py-3 font-semibold focus-visible:outline-2 focus-visible:outline-teal-800">"Size guide"</summary>
            <div class="overflow-x-auto border-t border-stone-200 px-4 py-3">
                <table class="w-full text-left text-sm">
                    <caption class="pb-2 text-left text-stone-700">"Body measurements for each size."</caption>
                    <thead>
                        <tr>
                            {columns.into_iter().map(|c| view! { <th scope="col" class="border-b border-stone-300 py-1.5 pr-4 font-semibold">{c}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let mut cells = row.into_iter();
                            let size = cells.next().unwrap_or_default();
                            view! {
                                <tr>
                                    <th scope="row" class="border-b border-stone-200 py-1.5 pr-4 font-semibold">{size}</th>
                                    {cells.map(|c| view! { <td class="border-b border-stone-200 py-1.5 pr-4">{c}</td> }).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

/// The description, paragraph by paragraph, and material and care.
#[component]
fn About(about: String, material_care: String) -> impl IntoView {
    let paragraphs: Vec<String> = about
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    (!paragraphs.is_empty() || !material_care.is_empty()).then(|| {
        view! {
            <section class="mt-8 max-w-prose" aria-labelledby="about-heading" data-testid="about">
                <h2 id="about-heading" class="text-xl font-semibold">"About this piece"</h2>
                {paragraphs.into_iter().map(|p| view! { <p class="mt-3 whitespace-pre-line text-stone-800">{p}</p> }).collect_view()}
                {(!material_care.is_empty()).then(|| view! {
                    <h3 class="mt-5 font-semibold">"Material and care"</h3>
                    <p class="mt-2 whitespace-pre-line text-stone-800" data-testid="material-care">{material_care}</p>
                })}
            </section>
        }
    })
}
