//! A product page: what it is, its price, and which colours and sizes can
//! be bought right now.

use contracts::catalog::{ProductDetailV1, VariantV1};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api;
use crate::basket::add::AddToBasket;
use crate::components::breadcrumb::Breadcrumb;
use crate::components::error_panel::ErrorPanel;
use crate::components::picture::Gallery;

/// One currency per shop (ISO 4217 code, symbol). Its setting arrives with
/// checkout, where VAT and delivery are configured too.
const CURRENCY: (&str, &str) = ("GBP", "£");

/// Prices are kept in minor units.
pub fn price(minor: i64) -> String {
    format!("{}{}", CURRENCY.1, decimal(minor))
}

fn decimal(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

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
fn structured_data(_: &str, _: &str, _: &[(String, Vec<VariantV1>)]) -> String {
    String::new()
}

/// schema.org `Product` with an `AggregateOffer`, for search engines. Made
/// with serde and kept from closing its `<script>` early.
#[cfg(feature = "ssr")]
fn structured_data(name: &str, url: &str, colours: &[(String, Vec<VariantV1>)]) -> String {
    let variants = || colours.iter().flat_map(|(_, sizes)| sizes.iter());
    let low = variants().map(|v| v.price_minor).min().unwrap_or(0);
    let high = variants().map(|v| v.price_minor).max().unwrap_or(0);
    let in_stock = variants().any(|v| v.available > 0);
    let data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        "url": url,
        "offers": {
            "@type": "AggregateOffer",
            "priceCurrency": CURRENCY.0,
            "lowPrice": decimal(low),
            "highPrice": decimal(high),
            "offerCount": variants().count(),
            "availability": if in_stock { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
        },
    });
    data.to_string().replace("</", "<\\/")
}

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let product = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        api::product,
    );
    // What the last add-to-basket post (without JavaScript) left to say.
    let flash = crate::account::pages::flash_for("product");
    view! {
        <Suspense fallback=|| view! { <p class="text-stone-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match product.await {
                    Ok(product) => view! { <ProductView product flash /> }.into_any(),
                    Err(error) => view! { <Title text="Not available" /><ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductView(
    product: ProductDetailV1,
    flash: Resource<Option<crate::session::Flash>>,
) -> impl IntoView {
    let ProductDetailV1 {
        slug,
        name,
        breadcrumb,
        variants,
        description: about,
        material_care,
        images,
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
    let structured = structured_data(&name, &url, &colours);
    let back = StoredValue::new(format!("/p/{slug}"));
    let colours = StoredValue::new(colours);
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
        <h1 class="mt-3 text-3xl font-bold">{name}</h1>
        <p class="mt-2 text-xl text-stone-900" data-testid="price">{shown_price}</p>
        <Suspense>
            {move || Suspend::new(async move {
                let flash = flash.await.unwrap_or_default();
                view! {
                    <AddToBasket
                        back=back.get_value()
                        colours=colours.get_value()
                        notice=flash.notice.clone()
                        error=flash.error("form")
                        chosen=flash.values.get("sku").cloned()
                    />
                }
            })}
        </Suspense>
        <About about material_care />
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
