//! The shopper's orders: one order with its status and timeline (reached
//! from the confirmation redirect, the email link or order history), and
//! the list of a member's orders.

use contracts::ordering::{
    DeliveryMethod, OrderStatus, OrderSummaryV1, OrderV1, PaymentMethod, PaymentStatus,
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{OrderPageV, my_orders, order_view};
use crate::account::forms::Banners;
use crate::components::loaded::{Loaded, PageTitle};
use contracts::money::price;

const SECTION: &str = "mt-6 rounded-lg border border-stone-200 bg-white p-5";
const BUTTON: &str = "rounded-md border border-stone-300 px-4 py-2 font-medium hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-teal-800";

fn status_words(status: OrderStatus) -> (&'static str, &'static str) {
    match status {
        OrderStatus::Submitted => (
            "Checking stock",
            "We're setting your items aside. This page refreshes by itself.",
        ),
        OrderStatus::Confirmed => ("Confirmed", "Your items are set aside for you."),
        OrderStatus::Shipped => ("Shipped", "Your order is on its way."),
        OrderStatus::Delivered => ("Delivered", "Your order has arrived."),
        OrderStatus::Cancelled => (
            "Cancelled",
            "This order was cancelled; nothing will be charged.",
        ),
    }
}

fn when(ms: i64) -> String {
    contracts::ordering::date_time(ms)
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let order = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().get("key").unwrap_or_default(),
            )
        },
        |(id, key)| order_view(id, key),
    );
    let show = |page, flash| view! { <Banners flash=Some(flash) /><OrderView page /> };
    view! { <Loaded data=order flash="order" show error_title="Order" /> }
}

#[component]
fn OrderView(page: OrderPageV) -> impl IntoView {
    let OrderPageV {
        order,
        bank_details,
        transfer_days,
        key,
    } = page;
    let OrderV1 {
        id,
        reference,
        status,
        payment,
        payment_method,
        delivery_method,
        address,
        lines,
        totals,
        cancel_reason,
        carrier,
        tracking,
        timeline,
        ..
    } = order;
    let (headline, explanation) = status_words(status);
    let payment_note = match (payment, payment_method) {
        (PaymentStatus::Paid, _) => "Paid. Thank you.".to_owned(),
        (_, PaymentMethod::CashOnDelivery) => "You pay when you receive it.".to_owned(),
        (_, PaymentMethod::BankTransfer) if status != OrderStatus::Cancelled => format!(
            "Please pay {} by bank transfer to {bank_details}, with {reference} as the reference, within {transfer_days} days.",
            price(totals.total_minor)
        ),
        _ => "Not paid.".to_owned(),
    };
    let can_cancel = status.can_cancel();
    view! {
        <Title text=format!("Order {reference}") />
        // Without JavaScript too, the page looks again while stock is checked.
        {(status == OrderStatus::Submitted).then(|| view! { <Meta http_equiv="refresh" content="2" /> })}
        <h1 class="text-3xl font-bold">{format!("Order {reference}")}</h1>
        <p class="mt-3 text-xl font-semibold" data-testid="order-status" data-status=status.as_str()>{headline}</p>
        <p class="text-stone-700">{explanation}</p>
        {cancel_reason.map(|reason| view! { <p class="mt-1 text-stone-700" data-testid="cancel-reason">{format!("Why: {reason}.")}</p> })}
        {tracking.map(|number| view! {
            <p class="mt-1 text-stone-700" data-testid="tracking">{format!("{} tracking number: {number}", carrier.unwrap_or_default())}</p>
        })}
        <section class=SECTION aria-labelledby="items-heading">
            <h2 id="items-heading" class="text-lg font-semibold">"Items"</h2>
            <ul class="mt-3 space-y-2" data-testid="order-lines">
                {lines.into_iter().map(|l| view! {
                    <li class="flex justify-between gap-3">
                        <span>{format!("{} × {} ({}, size {})", l.quantity, l.product_name, l.colour, l.size)}</span>
                        <span>{price(l.unit_price_minor * l.quantity)}</span>
                    </li>
                }).collect_view()}
            </ul>
            <dl class="mt-4 space-y-1 border-t border-stone-200 pt-3">
                <div class="flex justify-between"><dt>"Subtotal"</dt><dd>{price(totals.subtotal_minor)}</dd></div>
                <div class="flex justify-between"><dt>"Delivery"</dt><dd>{if totals.delivery_minor == 0 { "Free".to_owned() } else { price(totals.delivery_minor) }}</dd></div>
                <div class="flex justify-between font-semibold"><dt>"Total"</dt><dd data-testid="order-total">{price(totals.total_minor)}</dd></div>
            </dl>
            <p class="mt-1 text-sm text-stone-600">{format!("Includes {} VAT at {}%.", price(totals.vat_minor), totals.vat_percent)}</p>
        </section>
        <section class=SECTION aria-labelledby="payment-heading">
            <h2 id="payment-heading" class="text-lg font-semibold">"Payment and delivery"</h2>
            <p class="mt-2" data-testid="payment-note">{payment_note}</p>
            {match delivery_method {
                DeliveryMethod::Pickup => view! { <p class="mt-2">"To pick up in the shop."</p> }.into_any(),
                DeliveryMethod::Standard => view! {
                    <address class="mt-2 not-italic leading-relaxed">
                        {address.into_iter().map(|line| view! { <span class="block">{line}</span> }).collect_view()}
                    </address>
                }.into_any(),
            }}
        </section>
        <section class=SECTION aria-labelledby="history-heading">
            <h2 id="history-heading" class="text-lg font-semibold">"History"</h2>
            <ol class="mt-3 space-y-2" data-testid="timeline">
                {timeline.into_iter().map(|step| view! {
                    <li><span class="block text-sm text-stone-600">{when(step.at_ms)}</span>{step.what}</li>
                }).collect_view()}
            </ol>
        </section>
        <div class="mt-6 flex flex-wrap gap-3">
            {can_cancel.then(|| view! {
                <form method="post" action="/sf/orders/cancel">
                    <input type="hidden" name="id" value=id.clone() />
                    <input type="hidden" name="key" value=key.clone() />
                    <button type="submit" class=BUTTON>"Cancel this order"</button>
                </form>
            })}
            <form method="post" action="/sf/orders/buy-again">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="key" value=key />
                <button type="submit" class=BUTTON>"Buy again"</button>
            </form>
        </div>
    }
}

#[component]
pub fn OrdersPage() -> impl IntoView {
    let orders = Resource::new(|| (), |_| my_orders());
    view! {
        <PageTitle text="Your orders" />
        <Loaded data=orders show=|list, _| view! { <OrderList list /> } />
    }
}

#[component]
fn OrderList(list: Vec<OrderSummaryV1>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="mt-6 text-stone-700">"You haven't ordered yet."</p> }.into_any();
    }
    view! {
        <ul class="mt-6 divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white" data-testid="orders">
            {list.into_iter().map(|o| view! {
                <li class="flex flex-wrap items-center justify-between gap-3 p-4">
                    <a href=format!("/orders/{}", o.id) class="font-semibold text-teal-800 underline underline-offset-4">{o.reference}</a>
                    <span class="text-sm text-stone-600">{when(o.placed_at_ms)}</span>
                    <span>{status_words(o.status).0}</span>
                    <span class="font-semibold">{price(o.total_minor)}</span>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
