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
use crate::account::pages::flash_for;
use contracts::money::price;

use super::product_form::{ProductEditing, ProductPictures};

const INPUT: &str = "mt-1 block w-full rounded-md border border-stone-300 bg-white px-2 py-1.5 text-base focus:border-teal-800 focus:outline-2 focus:outline-teal-800";
const BUTTON: &str = "rounded-md border border-stone-300 px-3 py-1.5 text-sm font-medium hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-teal-800";

#[cfg(feature = "ssr")]
pub(super) mod edge {
    use crate::AppError;

    /// The catalog client and the staff member's token to call it with.
    pub fn staff_catalog() -> Result<(catalog_api::CatalogClient, String, String), AppError> {
        let who = crate::session::server::principal().ok_or(AppError::Unauthenticated)?;
        if who.role < contracts::identity::Role::Staff {
            return Err(AppError::Forbidden);
        }
        // Rare: a parallel request renewed the session a moment ago.
        let token = crate::session::server::access_token().ok_or_else(|| {
            AppError::BadInput("Your session was just renewed: please reload the page.".into())
        })?;
        // The storefront's client: a change made through it drops what it
        // made stale in the storefront's caches.
        let storefront = leptos::prelude::use_context::<storefront::StorefrontCatalog>()
            .ok_or_else(|| {
                tracing::error!("catalog missing from the server function context");
                AppError::Internal
            })?;
        Ok((storefront.client().clone(), token, who.user_id))
    }

    /// Back to the product's staff page with what happened.
    pub fn back(slug: &str, notice: Result<String, String>) -> Result<(), AppError> {
        back_keeping(slug, "admin-product", &[], notice)
    }

    /// [`back`], keeping what was typed in `form` (one variant's form,
    /// `admin-product/price/<SKU>`) when it was refused.
    pub fn back_keeping(
        slug: &str,
        form: &str,
        values: &[(&str, &str)],
        notice: Result<String, String>,
    ) -> Result<(), AppError> {
        use crate::account::api::edge::{back_to, one_error, onward};
        let page = format!("/admin/products/{}", platform::url_encode(slug));
        match notice {
            Ok(notice) => onward(&page, "admin-product", &notice),
            Err(message) => back_to(&page, form, values, one_error("form", message)),
        }
    }

    /// On to `page` with `notice`, or back to `form` on it with the
    /// catalog's field messages and what was typed.
    pub fn answer<T>(
        outcome: Result<T, catalog_api::Error>,
        page: &str,
        form: &str,
        values: &[(&str, &str)],
        notice: &str,
        context: &str,
    ) -> Result<(), AppError> {
        use crate::account::api::edge::{back_to, onward};
        match outcome {
            Ok(_) => onward(page, form, notice),
            Err(err) => match err.form_errors() {
                Some(fields) => back_to(page, form, values, fields),
                None => Err(AppError::internal(context, &err)),
            },
        }
    }

    /// The catalog's answer for staff: its message when it refused, our
    /// generic failure (logged) when it broke.
    pub fn refusal(err: catalog_api::Error, context: &str) -> Result<String, AppError> {
        // A refused field says best what is wrong with it.
        match err
            .form_errors()
            .and_then(|fields| fields.into_values().next())
        {
            Some(message) => Ok(message),
            None => Err(AppError::internal(context, &err)),
        }
    }
}

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
    let (catalog, token, _) = edge::staff_catalog()?;
    let Ok(sku) = catalog_api::Sku::parse(&sku) else {
        return edge::back(&slug, Err("No such variant.".into()));
    };
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
}

/// The price, and the price before a sale (`was`, empty when not on sale).
#[server(prefix = "/sf", endpoint = "admin/set-price")]
pub async fn set_price(
    slug: String,
    sku: String,
    price: String,
    was: String,
) -> Result<(), AppError> {
    let (catalog, token, _) = edge::staff_catalog()?;
    let Ok(sku) = catalog_api::Sku::parse(&sku) else {
        return edge::back(&slug, Err("No such variant.".into()));
    };
    let form = format!("admin-product/price/{}", sku.as_str());
    let back = |notice| {
        edge::back_keeping(
            &slug,
            &form,
            &[("price", price.as_str()), ("was", was.as_str())],
            notice,
        )
    };
    let Ok(minor) = catalog_api::Money::parse_major(&price).map(catalog_api::Money::minor) else {
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
}

/// A variant's barcode; empty removes it.
#[server(prefix = "/sf", endpoint = "admin/set-barcode")]
pub async fn set_barcode(slug: String, sku: String, barcode: String) -> Result<(), AppError> {
    let (catalog, token, _) = edge::staff_catalog()?;
    let Ok(sku) = catalog_api::Sku::parse(&sku) else {
        return edge::back(&slug, Err("No such variant.".into()));
    };
    let body = contracts::catalog::BarcodeV1 {
        barcode: barcode.clone(),
    };
    let outcome = match catalog.set_barcode(&token, &sku, &body).await {
        Ok(()) if barcode.trim().is_empty() => Ok(format!("{} has no barcode now.", sku.as_str())),
        Ok(()) => Ok(format!(
            "{} has the barcode {} now.",
            sku.as_str(),
            barcode.trim()
        )),
        Err(err) => Err(edge::refusal(err, "setting a barcode")?),
    };
    let form = format!("admin-product/barcode/{}", sku.as_str());
    edge::back_keeping(&slug, &form, &[("barcode", barcode.as_str())], outcome)
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
        <Suspense fallback=|| view! { <p class="mt-4 text-stone-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok((list, low)) => view! {
                        <LowStock low />
                        {list.is_empty().then(|| view! { <p class="mt-6 text-stone-700" data-testid="no-products">"No product matches."</p> })}
                        <div class="mt-6 overflow-x-auto">
                            <table class="w-full min-w-[32rem] border-collapse text-left" data-testid="admin-products">
                                <thead class="border-b border-stone-300 text-sm">
                                    <tr>
                                        <th scope="col" class="py-2 pr-3">"Product"</th>
                                        <th scope="col" class="py-2 pr-3">"Status"</th>
                                        <th scope="col" class="py-2 pr-3 text-right">"Variants"</th>
                                        <th scope="col" class="py-2 text-right">"On hand"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|p| view! {
                                        <tr class="border-b border-stone-200">
                                            <td class="py-2 pr-3"><a href=format!("/admin/products/{}", p.slug) class="font-semibold text-teal-800 underline underline-offset-4">{p.name}</a></td>
                                            <td class="py-2 pr-3">{p.status}</td>
                                            <td class="py-2 pr-3 text-right">{p.variants}</td>
                                            <td class="py-2 text-right">{p.on_hand}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(error) => super::orders::refusal(error, "/admin/products".into()),
                }
            })}
        </Suspense>
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
    let data = Resource::new(slug, product);
    let departments = Resource::new(|| (), |_| crate::api::departments());
    let flash = flash_for("admin-product");
    view! {
        <Suspense fallback=|| view! { <p class="text-stone-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let flash = flash.await;
                let departments = departments.await.unwrap_or_default();
                match data.await {
                    Ok((product, histories)) => {
                        let editing = product.clone();
                        view! {
                            <Banners flash=flash.clone() />
                            <StaffProduct product histories flash=flash.clone().unwrap_or_default()>
                                <ProductEditing product=editing.clone() departments flash=flash.clone().unwrap_or_default() />
                                <ProductPictures product=editing flash=flash.unwrap_or_default() />
                            </StaffProduct>
                        }.into_any()
                    }
                    Err(error) => super::orders::refusal(error, format!("/admin/products/{}", slug())),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffProduct(
    product: StaffProductV1,
    histories: Vec<Vec<StockAdjustment>>,
    flash: crate::session::Flash,
    children: Children,
) -> impl IntoView {
    let slug = product.slug.clone();
    view! {
        <Title text=product.name.clone() />
        <p><a href="/admin/products" class="text-sm font-medium text-teal-800 underline underline-offset-4">"All products"</a></p>
        <h1 class="mt-2 text-3xl font-bold">{product.name.clone()}</h1>
        <p class="mt-1 text-stone-700">{format!("{} · {} · ", product.status, product.category)}<a href=format!("/p/{}", product.slug) class="underline underline-offset-4">"shop page"</a></p>
        {children()}
        <h2 class="mt-8 text-xl font-semibold">"Variants, stock and prices"</h2>
        <ul class="mt-4 space-y-4" data-testid="staff-variants">
            {product.variants.into_iter().zip(histories).map(|(v, history)| {
                let id = v.sku.to_lowercase();
                let free = v.on_hand - v.reserved;
                // What was typed in this variant's refused form, else what is saved.
                let priced = flash.of(&format!("admin-product/price/{}", v.sku));
                let coded = flash.of(&format!("admin-product/barcode/{}", v.sku));
                let (price_typed, was_typed) = if priced.values.is_empty() {
                    (major(v.price_minor), v.compare_at_minor.map(major).unwrap_or_default())
                } else {
                    (priced.value("price"), priced.value("was"))
                };
                let barcode_typed = if coded.values.is_empty() {
                    v.barcode.clone().unwrap_or_default()
                } else {
                    coded.value("barcode")
                };
                view! {
                    <li class="rounded-lg border border-stone-200 bg-white p-4" data-testid="staff-variant" data-sku=v.sku.clone()>
                        <h2 class="font-semibold">{format!("{}, size {} · {}", v.colour, v.size, v.sku)}</h2>
                        <p class="mt-1 text-sm text-stone-700" data-testid="stock-line">
                            {format!("{} on hand, {} held for orders, {} free · {}", v.on_hand, v.reserved, free, price(v.price_minor))}
                            {v.compare_at_minor.map(|was| format!(" (sale; was {})", price(was)))}
                            {v.barcode.clone().map(|code| format!(" · barcode {code}"))}
                        </p>
                        <div class="mt-3 flex flex-wrap items-end gap-4">
                            <form method="post" action="/sf/admin/adjust-stock" class="flex flex-wrap items-end gap-2">
                                <input type="hidden" name="slug" value=slug.clone() />
                                <input type="hidden" name="sku" value=v.sku.clone() />
                                <div>
                                    <label for=format!("delta-{id}") class="block text-sm font-medium">"Items in (+) or out (−)"</label>
                                    <input id=format!("delta-{id}") name="delta" type="number" step="1" required=true class=INPUT />
                                </div>
                                <div>
                                    <label for=format!("reason-{id}") class="block text-sm font-medium">"Why"</label>
                                    <input id=format!("reason-{id}") name="reason" required=true maxlength="200" placeholder="delivery, recount, damaged…" class=INPUT />
                                </div>
                                <button type="submit" class=BUTTON>"Change stock"<span class="sr-only">{format!(" of {}", v.sku)}</span></button>
                            </form>
                            <form method="post" action="/sf/admin/set-price" class="flex items-end gap-2">
                                <input type="hidden" name="slug" value=slug.clone() />
                                <input type="hidden" name="sku" value=v.sku.clone() />
                                <div>
                                    <label for=format!("price-{id}") class="block text-sm font-medium">"Price (£, VAT included)"</label>
                                    <input id=format!("price-{id}") name="price" inputmode="decimal" required=true value=price_typed class=INPUT />
                                </div>
                                <div>
                                    <label for=format!("was-{id}") class="block text-sm font-medium">"Before sale (optional)"</label>
                                    <input id=format!("was-{id}") name="was" inputmode="decimal" value=was_typed class=INPUT />
                                </div>
                                <button type="submit" class=BUTTON>"Set price"<span class="sr-only">{format!(" of {}", v.sku)}</span></button>
                            </form>
                            <form method="post" action="/sf/admin/set-barcode" class="flex items-end gap-2">
                                <input type="hidden" name="slug" value=slug.clone() />
                                <input type="hidden" name="sku" value=v.sku.clone() />
                                <div>
                                    <label for=format!("barcode-{id}") class="block text-sm font-medium">"Barcode (EAN or UPC)"</label>
                                    <input id=format!("barcode-{id}") name="barcode" inputmode="numeric" autocomplete="off" value=barcode_typed class=INPUT />
                                </div>
                                <button type="submit" class=BUTTON>"Set barcode"<span class="sr-only">{format!(" of {}", v.sku)}</span></button>
                            </form>
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
