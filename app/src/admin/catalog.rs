//! Staff catalog pages: every product with its stock, and one product's
//! variants with stock in and out (with a reason, for the audit trail) and
//! prices. The catalog checks the staff member's token itself; these pages
//! check the role first too.

use contracts::catalog::{LowStockV1, StaffProductSummaryV1, StaffProductV1, StockAdjustment};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::AppError;
use crate::account::forms::Banners;
use crate::components::loaded::Loaded;
use crate::session::Flash;
use contracts::money::price;

#[cfg(feature = "ssr")]
use super::catalog_edge as edge;
use super::layout::{StaffTable, UpLink};
use super::product_form::{ProductEditing, ProductPictures};

const INPUT: &str = "mt-1 block w-full rounded-md border border-stone-300 bg-white px-2 py-1.5 text-base focus:border-teal-800 focus:outline-2 focus:outline-teal-800";
const BUTTON: &str = "rounded-md border border-stone-300 px-3 py-1.5 text-sm font-medium hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-teal-800";

/// Products matching the list's search and status, and the variants
/// running low.
#[server(prefix = "/sf", endpoint = "admin/products", input = GetUrl)]
pub async fn products(
    q: String,
    status: String,
) -> Result<(Vec<StaffProductSummaryV1>, Vec<LowStockV1>), AppError> {
    let (catalog, token, _) = edge::staff_catalog()?;
    if !matches!(status.as_str(), "" | "draft" | "active" | "archived") {
        return Err(AppError::BadInput("No such product status.".into()));
    }
    let q: String = q.trim().chars().take(100).collect();
    let list = catalog
        .staff_products(&token, &q, &status)
        .await
        .map_err(|e| AppError::internal("listing products for staff", &e))?;
    let low = catalog
        .low_stock(&token)
        .await
        .map_err(|e| AppError::internal("listing low stock", &e))?;
    Ok((list, low))
}

/// A product with each variant's stock history (newest first, last 5).
#[server(prefix = "/sf", endpoint = "admin/product", input = GetUrl)]
pub async fn product(
    slug: String,
) -> Result<(StaffProductV1, Vec<Vec<StockAdjustment>>), AppError> {
    let (catalog, token, _) = edge::staff_catalog()?;
    let slug = catalog_api::Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let product = catalog
        .staff_product(&token, &slug)
        .await
        .map_err(|e| AppError::internal("loading a product for staff", &e))?
        .ok_or(AppError::NotFound)?;
    let mut histories = Vec::new();
    for variant in &product.variants {
        let sku = catalog_api::Sku::parse(&variant.sku).map_err(|_| AppError::Internal)?;
        let mut history = catalog
            .stock_history(&token, &sku)
            .await
            .map_err(|e| AppError::internal("reading stock history", &e))?;
        history.reverse();
        history.truncate(5);
        histories.push(history);
    }
    Ok((product, histories))
}

#[server(prefix = "/sf", endpoint = "admin/adjust-stock")]
pub async fn adjust_stock(
    slug: String,
    sku: String,
    delta: String,
    reason: String,
) -> Result<(), AppError> {
    edge::on_variant(&slug, &sku, async |catalog, token, sku| {
        let Some(delta) = delta
            .trim()
            .trim_start_matches('+')
            .parse::<i64>()
            .ok()
            .filter(|d| *d != 0)
        else {
            return edge::back(
                &slug,
                Err("Give the number of items in (like 12) or out (like -3).".into()),
            );
        };
        let change = contracts::catalog::StockChangeV1 { delta, reason };
        let outcome = match catalog.adjust_stock(&token, &sku, &change).await {
            Ok(level) => Ok(format!("{}: {} on hand now.", sku.as_str(), level.on_hand)),
            Err(err) => Err(edge::refusal(err, "adjusting stock")?),
        };
        edge::back(&slug, outcome)
    })
    .await
}

/// The price, and the price before a sale (`was`, empty when not on sale).
#[server(prefix = "/sf", endpoint = "admin/set-price")]
pub async fn set_price(
    slug: String,
    sku: String,
    price: String,
    was: String,
) -> Result<(), AppError> {
    let kept = [("price", price.as_str()), ("was", was.as_str())];
    edge::on_variant(&slug, &sku, async |catalog, token, sku| {
        let form = format!("admin-product/price/{}", sku.as_str());
        let back = |notice| edge::back_keeping(&slug, (&form, &kept), notice);
        let Ok(minor) = catalog_api::Money::parse_major(&price).map(catalog_api::Money::minor)
        else {
            return back(Err("Give the price like 24.99.".into()));
        };
        let compare_at_minor = match was.trim() {
            "" => None,
            typed => match catalog_api::Money::parse_major(typed) {
                Ok(was) => Some(was.minor()),
                Err(_) => {
                    return back(Err(
                        "Give the price before the sale like 39.99, or leave it empty.".into(),
                    ));
                }
            },
        };
        let body = contracts::catalog::PriceV1 {
            price_minor: minor,
            compare_at_minor,
        };
        let money = contracts::money::price;
        let outcome = match catalog.set_price(&token, &sku, &body).await {
            Ok(()) => Ok(match compare_at_minor {
                Some(was) => format!(
                    "{} now costs {}, down from {}.",
                    sku.as_str(),
                    money(minor),
                    money(was)
                ),
                None => format!("{} now costs {}.", sku.as_str(), money(minor)),
            }),
            Err(err) => Err(edge::refusal(err, "setting a price")?),
        };
        back(outcome)
    })
    .await
}

/// A variant's barcode; empty removes it.
#[server(prefix = "/sf", endpoint = "admin/set-barcode")]
pub async fn set_barcode(slug: String, sku: String, barcode: String) -> Result<(), AppError> {
    edge::on_variant(&slug, &sku, async |catalog, token, sku| {
        let body = contracts::catalog::BarcodeV1 {
            barcode: barcode.clone(),
        };
        let outcome = match catalog.set_barcode(&token, &sku, &body).await {
            Ok(()) if barcode.trim().is_empty() => {
                Ok(format!("{} has no barcode now.", sku.as_str()))
            }
            Ok(()) => Ok(format!(
                "{} has the barcode {} now.",
                sku.as_str(),
                barcode.trim()
            )),
            Err(err) => Err(edge::refusal(err, "setting a barcode")?),
        };
        let form = format!("admin-product/barcode/{}", sku.as_str());
        edge::back_keeping(&slug, (&form, &[("barcode", barcode.as_str())]), outcome)
    })
    .await
}

#[component]
pub fn AdminProductsPage() -> impl IntoView {
    let query = use_query_map();
    let typed = move |name: &str| query.read_untracked().get(name).unwrap_or_default();
    let (q, status) = (typed("q"), typed("status"));
    let list = Resource::new(
        move || {
            (
                query.read().get("q").unwrap_or_default(),
                query.read().get("status").unwrap_or_default(),
            )
        },
        |(q, status)| products(q, status),
    );
    let statuses = [
        ("", "Any status"),
        ("draft", "Draft"),
        ("active", "Active"),
        ("archived", "Archived"),
    ];
    view! {
        <Title text="Products" />
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-3xl font-bold">"Products"</h1>
            <a href=super::product_form::NEW_PAGE class="rounded-md bg-teal-900 px-4 py-2 font-semibold text-white hover:bg-teal-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-800">"New product"</a>
        </div>
        <form method="get" action="/admin/products" role="search" class="mt-4 flex flex-wrap items-end gap-3" data-testid="product-filters">
            <div>
                <label for="products-q" class="block text-sm font-medium">"Name or address"</label>
                <input id="products-q" name="q" type="search" maxlength="100" value=q class=INPUT />
            </div>
            <div>
                <label for="products-status" class="block text-sm font-medium">"Status"</label>
                <select id="products-status" name="status" class=INPUT>
                    {statuses.into_iter().map(|(value, label)| view! {
                        <option value=value selected=status == value>{label}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class=BUTTON>"Show"</button>
        </form>
        <Loaded data=list back="/admin/products" show=|(list, low), _| view! { <LowStock low /><ProductTable list /> } />
    }
}

/// The product list's columns: (heading, right-aligned).
const PRODUCT_COLUMNS: [(&str, bool); 4] = [
    ("Product", false),
    ("Status", false),
    ("Variants", true),
    ("On hand", true),
];

#[component]
fn ProductTable(list: Vec<StaffProductSummaryV1>) -> impl IntoView {
    view! {
        {list.is_empty().then(|| view! { <p class="mt-6 text-stone-700" data-testid="no-products">"No product matches."</p> })}
        <StaffTable testid="admin-products" min_width="min-w-[32rem]" columns=&PRODUCT_COLUMNS>
            {list.into_iter().map(|p| view! {
                <tr class="border-b border-stone-200">
                    <td class="py-2 pr-3"><a href=format!("/admin/products/{}", p.slug) class="font-semibold text-teal-800 underline underline-offset-4">{p.name}</a></td>
                    <td class="py-2 pr-3">{p.status}</td>
                    <td class="py-2 pr-3 text-right">{p.variants}</td>
                    <td class="py-2 text-right">{p.on_hand}</td>
                </tr>
            }).collect_view()}
        </StaffTable>
    }
}

/// Sizes about to sell out, each linking to its product's stock form.
#[component]
fn LowStock(low: Vec<LowStockV1>) -> impl IntoView {
    (!low.is_empty()).then(|| view! {
        <details class="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="low-stock">
            <summary class="cursor-pointer font-semibold">{format!("Running low: {} sizes with 3 or fewer left", low.len())}</summary>
            <ul class="mt-2 space-y-1 text-sm">
                {low.into_iter().map(|v| view! {
                    <li>
                        <a href=format!("/admin/products/{}", v.slug) class="font-medium text-teal-800 underline underline-offset-4">{v.name}</a>
                        {format!(" · {}, size {} · {} · {} left", v.colour, v.size, v.sku, v.free)}
                    </li>
                }).collect_view()}
            </ul>
        </details>
    })
}

/// `2450` as typed back into a form: `24.50`.
fn major(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

#[component]
pub fn AdminProductPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let back = format!(
        "/admin/products/{}",
        params.read_untracked().get("slug").unwrap_or_default()
    );
    let data = Resource::new(slug, |slug| async move {
        // The categories only fill the editing form's choice: without
        // them the page still shows.
        let departments = crate::api::departments().await.unwrap_or_default();
        let (product, histories) = product(slug).await?;
        Ok((product, histories, departments))
    });
    let show = |(product, histories, departments): (StaffProductV1, _, _), flash: Flash| {
        let editing = product.clone();
        view! {
            <Banners flash=Some(flash.clone()) />
            <StaffProduct product histories flash=flash.clone()>
                <ProductEditing product=editing.clone() departments flash=flash.clone() />
                <ProductPictures product=editing flash />
            </StaffProduct>
        }
    };
    view! { <Loaded data flash="admin-product" back show /> }
}

#[component]
fn StaffProduct(
    product: StaffProductV1,
    histories: Vec<Vec<StockAdjustment>>,
    flash: Flash,
    children: Children,
) -> impl IntoView {
    let slug = product.slug.clone();
    view! {
        <Title text=product.name.clone() />
        <UpLink href="/admin/products" label="All products" />
        <h1 class="mt-2 text-3xl font-bold">{product.name.clone()}</h1>
        <p class="mt-1 text-stone-700">{format!("{} · {} · ", product.status, product.category)}<a href=format!("/p/{}", product.slug) class="underline underline-offset-4">"shop page"</a></p>
        {children()}
        <h2 class="mt-8 text-xl font-semibold">"Variants, stock and prices"</h2>
        <ul class="mt-4 space-y-4" data-testid="staff-variants">
            {product.variants.into_iter().zip(histories).map(|(v, history)| {
                let id = v.sku.to_lowercase();
                let [delta_id, reason_id, price_id, was_id, barcode_id] =
                    ["delta", "reason", "price", "was", "barcode"].map(|field| format!("{field}-{id}"));
                let free = v.on_hand - v.reserved;
                // What was typed in this variant's refused form, else what is saved.
                let priced = flash.of(&format!("admin-product/price/{}", v.sku));
                let coded = flash.of(&format!("admin-product/barcode/{}", v.sku));
                let price_typed = priced.typed_or("price", &major(v.price_minor));
                let was_typed = priced.typed_or("was", &v.compare_at_minor.map(major).unwrap_or_default());
                let barcode_typed = coded.typed_or("barcode", &v.barcode.clone().unwrap_or_default());
                view! {
                    <li class="rounded-lg border border-stone-200 bg-white p-4" data-testid="staff-variant" data-sku=v.sku.clone()>
                        <h2 class="font-semibold">{format!("{}, size {} · {}", v.colour, v.size, v.sku)}</h2>
                        <p class="mt-1 text-sm text-stone-700" data-testid="stock-line">
                            {format!("{} on hand, {} held for orders, {} free · {}", v.on_hand, v.reserved, free, price(v.price_minor))}
                            {v.compare_at_minor.map(|was| format!(" (sale; was {})", price(was)))}
                            {v.barcode.clone().map(|code| format!(" · barcode {code}"))}
                        </p>
                        <div class="mt-3 flex flex-wrap items-end gap-4">
                            <VariantForm action="/sf/admin/adjust-stock" wrap=true slug=slug.clone() sku=v.sku.clone() button="Change stock">
                                <Labelled id=delta_id.clone() label="Items in (+) or out (−)">
                                    <input id=delta_id name="delta" type="number" step="1" required=true class=INPUT />
                                </Labelled>
                                <Labelled id=reason_id.clone() label="Why">
                                    <input id=reason_id name="reason" required=true maxlength="200" placeholder="delivery, recount, damaged…" class=INPUT />
                                </Labelled>
                            </VariantForm>
                            <VariantForm action="/sf/admin/set-price" slug=slug.clone() sku=v.sku.clone() button="Set price">
                                <Labelled id=price_id.clone() label="Price (£, VAT included)">
                                    <input id=price_id name="price" inputmode="decimal" required=true value=price_typed class=INPUT />
                                </Labelled>
                                <Labelled id=was_id.clone() label="Before sale (optional)">
                                    <input id=was_id name="was" inputmode="decimal" value=was_typed class=INPUT />
                                </Labelled>
                            </VariantForm>
                            <VariantForm action="/sf/admin/set-barcode" slug=slug.clone() sku=v.sku.clone() button="Set barcode">
                                <Labelled id=barcode_id.clone() label="Barcode (EAN or UPC)">
                                    <input id=barcode_id name="barcode" inputmode="numeric" autocomplete="off" value=barcode_typed class=INPUT />
                                </Labelled>
                            </VariantForm>
                        </div>
                        {(!history.is_empty()).then(|| view! {
                            <details class="mt-3">
                                <summary class="cursor-pointer text-sm font-medium text-teal-800">"Recent stock changes"</summary>
                                <ul class="mt-2 space-y-1 text-sm">
                                    {history.into_iter().map(|h| view! {
                                        <li>{format!("{} · {:+} → {} · {} · {}", contracts::ordering::date_time(h.at_ms), h.delta, h.on_hand_after, h.reason, h.actor)}</li>
                                    }).collect_view()}
                                </ul>
                            </details>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// One of a variant's forms: which product and SKU it changes, its fields,
/// and a button that names the SKU to screen readers.
#[component]
fn VariantForm(
    action: &'static str,
    /// Lets the fields wrap onto a second line on a narrow screen.
    #[prop(optional)]
    wrap: bool,
    slug: String,
    sku: String,
    button: &'static str,
    children: Children,
) -> impl IntoView {
    let class = if wrap {
        "flex flex-wrap items-end gap-2"
    } else {
        "flex items-end gap-2"
    };
    view! {
        <form method="post" action=action class=class>
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="sku" value=sku.clone() />
            {children()}
            <button type="submit" class=BUTTON>{button}<span class="sr-only">{format!(" of {sku}")}</span></button>
        </form>
    }
}

/// A variant form's field: its label over the input (the child, whose id
/// is `id`).
#[component]
fn Labelled(id: String, label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div>
            <label for=id class="block text-sm font-medium">{label}</label>
            {children()}
        </div>
    }
}
