//! Checkout on one page: who, how it travels, where to, how to pay, and
//! what it all costs. One plain form (so it works without JavaScript),
//! checked field by field on the server.

use contracts::identity::AddressV1;
use leptos::prelude::*;

use super::api::{CheckoutV, Offer, checkout_view};
use crate::account::addresses::{AddressFields, AddressLines};
use crate::account::forms::{Banners, Field, Submit};
use crate::components::loaded::{Loaded, PageTitle};
use crate::session::Flash;
use contracts::money::price;

const SECTION: &str = "mt-6 rounded-lg border border-stone-200 bg-white p-5";
const LINK: &str = "font-medium text-teal-800 underline underline-offset-4 hover:text-teal-950";

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| checkout_view());
    view! {
        <PageTitle text="Checkout" />
        <Loaded data flash="checkout" show=|data, flash| view! { <Checkout data flash /> } />
    }
}

#[component]
fn Checkout(data: CheckoutV, flash: Flash) -> impl IntoView {
    if data.basket.lines.is_empty() {
        return view! {
            <p class="mt-6 text-stone-700" data-testid="basket-empty">"Your basket is empty."</p>
            <p class="mt-4"><a href="/" class=LINK>"Start shopping"</a></p>
        }
        .into_any();
    }
    if !data.basket.ready_for_checkout() {
        return view! {
            <p class="mt-6 text-stone-700" data-testid="not-ready">
                "Something in your basket has changed. "
                <a href="/basket" class=LINK>"Check your basket"</a>
                " before ordering."
            </p>
        }
        .into_any();
    }
    if let Some(member) = data.member.as_ref().filter(|m| !m.email_verified) {
        return view! {
            <section class=SECTION data-testid="verify-first">
                <h2 class="text-lg font-semibold">"Please confirm your email address first"</h2>
                <p class="mt-2 text-stone-700">
                    {format!("We sent a link to {} when you signed up. Open it, then come back here: your basket is kept.", member.email)}
                </p>
                <form method="post" action="/sf/account/resend-verification" class="mt-4">
                    <button type="submit" class="rounded-md border border-stone-300 px-4 py-2 font-medium hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-teal-800">
                        "Send a new link"
                    </button>
                </form>
            </section>
        }
        .into_any();
    }
    let CheckoutV {
        basket,
        member,
        offer,
        key,
    } = data;
    let addresses = member
        .as_ref()
        .map(|m| m.addresses.clone())
        .unwrap_or_default();
    let default_address = addresses
        .iter()
        .find(|a| a.default_shipping)
        .map(|a| a.id.clone())
        .unwrap_or_else(|| "new".into());
    let address_id = flash.typed_or("address_id", &default_address);
    let values = flash.clone();
    let value = move |field: &str, _: &str| values.value(field);
    let errors = flash.clone();
    let error = move |field: &str| errors.error(field);
    let Offer {
        standard,
        pickup,
        free_delivery_from_minor,
        bank_details,
    } = offer;
    let standard_label = if standard.delivery_minor == 0 {
        "Delivery to your door: free".to_owned()
    } else {
        format!(
            "Delivery to your door: {} (free from {})",
            price(standard.delivery_minor),
            price(free_delivery_from_minor)
        )
    };
    let deliveries = vec![
        ("standard", standard_label, String::new()),
        (
            "pickup",
            "Pick up in the shop: free".to_owned(),
            "We email you when it's ready.".to_owned(),
        ),
    ];
    let payments = vec![
        (
            "cash_on_delivery",
            "Cash on delivery (or in the shop)".to_owned(),
            "Pay when you receive your order.".to_owned(),
        ),
        (
            "bank_transfer",
            "Bank transfer".to_owned(),
            format!(
                "After ordering, pay to {bank_details} with your order number as the reference."
            ),
        ),
    ];
    view! {
        <div class="mt-4"><Banners flash=Some(flash.clone()) /></div>
        <form method="post" action="/sf/checkout/place" novalidate class="grid gap-x-8 lg:grid-cols-[1fr_22rem]">
            <input type="hidden" name="key" value=key />
            <input type="hidden" name="expected_subtotal" value=basket.subtotal_minor.to_string() />
            <div>
                <section class=SECTION aria-labelledby="who-heading">
                    <h2 id="who-heading" class="text-lg font-semibold">"Your details"</h2>
                    {match member {
                        Some(member) => view! {
                            <p class="mt-2 text-stone-700" data-testid="ordering-as">
                                {format!("Ordering as {} ({}).", member.name, member.email)}
                            </p>
                        }.into_any(),
                        None => view! {
                            <p class="mt-2 text-sm text-stone-600">
                                "No account needed. Have one? "
                                <a href="/account/sign-in?next=/checkout" class=LINK>"Sign in"</a>
                                " and your basket comes with you."
                            </p>
                            <Field name="name" label="Your name" autocomplete="name" value=flash.value("name") error=flash.error("name") />
                            <Field name="email" label="Email for the order confirmation" kind="email" autocomplete="email" value=flash.value("email") error=flash.error("email") />
                        }.into_any(),
                    }}
                </section>
                <Choice name="delivery" legend="Delivery" fallback="standard" flash=flash.clone() options=deliveries />
                <section class=SECTION aria-labelledby="address-heading">
                    <h2 id="address-heading" class="text-lg font-semibold">"Delivery address"</h2>
                    <p class="mt-1 text-sm text-stone-600">"Not needed when you pick up in the shop."</p>
                    <SavedAddresses addresses chosen=address_id error=flash.error("address_id") />
                    <AddressFields value error stored=Default::default() />
                </section>
                <Choice name="payment" legend="Payment" flash=flash.clone() options=payments />
            </div>
            <section aria-labelledby="summary-heading" class=format!("{SECTION} h-fit")>
                <h2 id="summary-heading" class="text-lg font-semibold">"Your order"</h2>
                <ul class="mt-3 space-y-2 text-sm" data-testid="checkout-lines">
                    {basket.lines.into_iter().map(|l| view! {
                        <li class="flex justify-between gap-3">
                            <span>{format!("{} × {} ({}, {})", l.quantity, l.product_name, l.colour, l.size)}</span>
                            <span>{price(l.line_total_minor)}</span>
                        </li>
                    }).collect_view()}
                </ul>
                <dl class="mt-4 space-y-1 border-t border-stone-200 pt-3 text-sm">
                    <div class="flex justify-between"><dt>"Subtotal"</dt><dd data-testid="subtotal">{price(standard.subtotal_minor)}</dd></div>
                    <div class="flex justify-between"><dt>"Total with delivery"</dt><dd class="font-semibold" data-testid="total-standard">{price(standard.total_minor)}</dd></div>
                    <div class="flex justify-between"><dt>"Total to pick up"</dt><dd class="font-semibold" data-testid="total-pickup">{price(pickup.total_minor)}</dd></div>
                </dl>
                <p class="mt-2 text-xs text-stone-600">
                    {format!("Prices include VAT at {}% ({} of the total with delivery).", standard.vat_percent, price(standard.vat_minor))}
                </p>
                <Submit label="Place order" />
            </section>
        </form>
    }
    .into_any()
}

/// A section of the form with a labelled group of radio buttons, one per
/// option (value, label, hint). The one chosen is what was typed when the
/// form was refused (`flash`), else `fallback`.
#[component]
fn Choice(
    name: &'static str,
    legend: &'static str,
    #[prop(optional)] fallback: &'static str,
    flash: Flash,
    options: Vec<(&'static str, String, String)>,
) -> impl IntoView {
    let chosen = flash.typed_or(name, fallback);
    let error = flash.error(name);
    let error_id = format!("{name}-error");
    let described = error.is_some().then(|| error_id.clone());
    view! {
        <section class=SECTION>
            <fieldset aria-describedby=described>
                <legend class="text-lg font-semibold">{legend}</legend>
                {error.map(|message| view! {
                    <p id=error_id class="mt-1 text-sm font-medium text-rose-800" data-testid=format!("error-{name}")>{message}</p>
                })}
                <div class="mt-2 space-y-2">
                    {options.into_iter().map(|(value, label, hint)| {
                        let id = format!("{name}-{value}");
                        view! {
                            <div class="flex items-start gap-3">
                                <input id=id.clone() type="radio" name=name value=value checked=chosen == value class="mt-1 h-5 w-5 accent-teal-800" />
                                <label for=id>
                                    <span class="block font-medium text-stone-900">{label}</span>
                                    {(!hint.is_empty()).then(|| view! { <span class="block text-sm text-stone-600">{hint}</span> })}
                                </label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </section>
    }
}

/// A member's saved addresses to choose from, or "a new address" (the
/// fields below).
#[component]
fn SavedAddresses(
    addresses: Vec<AddressV1>,
    chosen: String,
    error: Option<String>,
) -> impl IntoView {
    if addresses.is_empty() {
        return view! { <input type="hidden" name="address_id" value="new" /> }.into_any();
    }
    view! {
        <fieldset class="mt-3">
            <legend class="text-sm font-medium text-stone-800">"Send it to"</legend>
            {error.map(|message| view! {
                <p class="mt-1 text-sm font-medium text-rose-800" data-testid="error-address_id">{message}</p>
            })}
            <div class="mt-2 space-y-2">
                {addresses.into_iter().map(|a| {
                    let id = format!("address-{}", a.id);
                    view! {
                        <div class="flex items-start gap-3 rounded-md border border-stone-200 p-3">
                            <input id=id.clone() type="radio" name="address_id" value=a.id.clone() checked=chosen == a.id class="mt-1 h-5 w-5 accent-teal-800" />
                            <label for=id><AddressLines fields=a.fields /></label>
                        </div>
                    }
                }).collect_view()}
                <div class="flex items-start gap-3 rounded-md border border-stone-200 p-3">
                    <input id="address-new" type="radio" name="address_id" value="new" checked=chosen == "new" class="mt-1 h-5 w-5 accent-teal-800" />
                    <label for="address-new" class="font-medium">"A new address (fill in below)"</label>
                </div>
            </div>
        </fieldset>
    }
    .into_any()
}
