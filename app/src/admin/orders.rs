//! Staff order pages: the list (filtered by status and date), one order
//! with what can be done to it next, and its packing slip.

use contracts::money::price;
use contracts::ordering::{
    DeliveryMethod, OrderStatus, OrderSummaryV1, OrderV1, PaymentMethod, PaymentStatus,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::layout::{StaffTable, UpLink};
use crate::AppError;
use crate::account::forms::Banners;
use crate::components::loaded::{Loaded, PageTitle};

const CARD: &str = "mt-6 rounded-lg border border-stone-200 bg-white p-5";
const BUTTON: &str = "rounded-md bg-teal-900 px-4 py-2 font-semibold text-white hover:bg-teal-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-800";
const QUIET: &str = "rounded-md border border-stone-300 px-4 py-2 font-medium hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-teal-800";
const INPUT: &str = "mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base focus:border-teal-800 focus:outline-2 focus:outline-teal-800";

const STATUSES: [(&str, &str); 6] = [
    ("", "Any"),
    ("submitted", "Checking stock"),
    ("confirmed", "Confirmed"),
    ("shipped", "Shipped"),
    ("delivered", "Delivered"),
    ("cancelled", "Cancelled"),
];

fn status_label(status: OrderStatus) -> &'static str {
    STATUSES
        .iter()
        .find(|(value, _)| *value == status.as_str())
        .map_or("", |(_, label)| label)
}

fn payment_label(payment: PaymentStatus, method: Option<PaymentMethod>) -> String {
    let method = match method {
        Some(PaymentMethod::CashOnDelivery) => " (cash on delivery)",
        Some(PaymentMethod::BankTransfer) => " (bank transfer)",
        None => "",
    };
    match payment {
        PaymentStatus::Paid => format!("Paid{method}"),
        PaymentStatus::Unpaid => format!("Unpaid{method}"),
    }
}

#[component]
pub fn AdminOrdersPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |name: &str| query.read().get(name).unwrap_or_default();
    let list = Resource::new(
        move || (field("status"), field("from"), field("to")),
        |(status, from, to)| super::api::orders(status, from, to),
    );
    view! {
        <PageTitle text="Orders" />
        <form method="get" action="/admin/orders" class="mt-4 flex flex-wrap items-end gap-3" aria-label="Filter orders">
            <div>
                <label for="filter-status" class="block text-sm font-medium">"Status"</label>
                <select id="filter-status" name="status" class=INPUT>
                    {move || {
                        let current = field("status");
                        STATUSES.iter().map(|(value, label)| view! {
                            <option value=*value selected=current == *value>{*label}</option>
                        }).collect_view()
                    }}
                </select>
            </div>
            <div>
                <label for="filter-from" class="block text-sm font-medium">"Placed from"</label>
                <input id="filter-from" name="from" type="date" value=move || field("from") class=INPUT />
            </div>
            <div>
                <label for="filter-to" class="block text-sm font-medium">"to"</label>
                <input id="filter-to" name="to" type="date" value=move || field("to") class=INPUT />
            </div>
            <button type="submit" class=QUIET>"Show"</button>
        </form>
        <Loaded data=list back="/admin/orders" show=|list, _| view! { <OrderTable list /> } />
    }
}

/// The orders found, a row each; a sentence when none match.
#[component]
fn OrderTable(list: Vec<OrderSummaryV1>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="mt-6 text-stone-700">"No orders match."</p> }.into_any();
    }
    view! {
        <StaffTable testid="admin-orders" min_width="min-w-[36rem]" columns=&ORDER_COLUMNS>
            {list.into_iter().map(|o| view! {
                <tr class="border-b border-stone-200">
                    <td class="py-2 pr-3"><a href=format!("/admin/orders/{}", o.id) class="font-semibold text-teal-800 underline underline-offset-4">{o.reference}</a></td>
                    <td class="py-2 pr-3 text-sm">{contracts::ordering::date_time(o.placed_at_ms)}</td>
                    <td class="py-2 pr-3">{status_label(o.status)}</td>
                    <td class="py-2 pr-3">{payment_label(o.payment, None)}</td>
                    <td class="py-2 pr-3 text-right">{o.items}</td>
                    <td class="py-2 text-right">{price(o.total_minor)}</td>
                </tr>
            }).collect_view()}
        </StaffTable>
    }
    .into_any()
}

/// The order list's columns: (heading, right-aligned).
const ORDER_COLUMNS: [(&str, bool); 6] = [
    ("Order", false),
    ("Placed", false),
    ("Status", false),
    ("Payment", false),
    ("Items", true),
    ("Total", true),
];

#[component]
pub fn AdminOrderPage() -> impl IntoView {
    let (order, back) = order_and_page("");
    let show = |order, flash| view! { <Banners flash=Some(flash) /><StaffOrder order /> };
    view! { <Loaded data=order flash="admin-order" back show /> }
}

#[component]
fn StaffOrder(order: OrderV1) -> impl IntoView {
    let id = order.id.clone();
    let status = order.status;
    let can_pay = order.payment == PaymentStatus::Unpaid && status != OrderStatus::Cancelled;
    let can_ship = status == OrderStatus::Confirmed
        && (order.payment == PaymentStatus::Paid
            || order.payment_method == PaymentMethod::CashOnDelivery);
    let hidden = move || view! { <input type="hidden" name="id" value=id.clone() /> };
    view! {
        <Title text=format!("Order {}", order.reference) />
        <UpLink href="/admin/orders" label="All orders" />
        <h1 class="mt-2 text-3xl font-bold">{format!("Order {}", order.reference)}</h1>
        <p class="mt-2 text-lg" data-testid="admin-status">
            {status_label(status)} " · " {payment_label(order.payment, Some(order.payment_method))}
        </p>
        <div class="grid gap-x-6 lg:grid-cols-2">
            <section class=CARD aria-labelledby="customer-heading">
                <h2 id="customer-heading" class="text-lg font-semibold">"Customer"</h2>
                <p class="mt-2">{order.name.clone()}<br />{order.email.clone()}</p>
                {match order.delivery_method {
                    DeliveryMethod::Pickup => view! { <p class="mt-2 font-medium">"Picks up in the shop"</p> }.into_any(),
                    DeliveryMethod::Standard => view! {
                        <address class="mt-2 not-italic">{order.address.clone().into_iter().map(|l| view! { <span class="block">{l}</span> }).collect_view()}</address>
                    }.into_any(),
                }}
            </section>
            <section class=CARD aria-labelledby="lines-heading">
                <h2 id="lines-heading" class="text-lg font-semibold">"Items"</h2>
                <ul class="mt-2 space-y-1">
                    {order.lines.clone().into_iter().map(|l| view! {
                        <li class="flex justify-between gap-3"><span>{format!("{} × {} ({}, {}) · {}", l.quantity, l.product_name, l.colour, l.size, l.sku)}</span><span>{price(l.unit_price_minor * l.quantity)}</span></li>
                    }).collect_view()}
                </ul>
                <p class="mt-2 text-right font-semibold">{format!("Total {}", price(order.totals.total_minor))}</p>
            </section>
        </div>
        <section class=CARD aria-labelledby="actions-heading">
            <h2 id="actions-heading" class="text-lg font-semibold">"Next steps"</h2>
            <div class="mt-3 flex flex-wrap items-end gap-4">
                {can_pay.then(|| view! {
                    <form method="post" action="/sf/admin/record-payment">{hidden()}<button type="submit" class=BUTTON>"Record payment"</button></form>
                })}
                {can_ship.then(|| view! {
                    <form method="post" action="/sf/admin/ship" class="flex flex-wrap items-end gap-3">
                        {hidden()}
                        <div><label for="carrier" class="block text-sm font-medium">"Carrier"</label><input id="carrier" name="carrier" required=true maxlength="60" class=INPUT /></div>
                        <div><label for="tracking" class="block text-sm font-medium">"Tracking number"</label><input id="tracking" name="tracking" required=true maxlength="60" class=INPUT /></div>
                        <button type="submit" class=BUTTON>"Mark shipped"</button>
                    </form>
                })}
                {(status == OrderStatus::Shipped).then(|| view! {
                    <form method="post" action="/sf/admin/deliver">{hidden()}<button type="submit" class=BUTTON>"Mark delivered"</button></form>
                })}
                <a href=format!("/admin/orders/{}/slip", order.id) class=QUIET>"Packing slip"</a>
            </div>
            {status.can_cancel().then(|| view! {
                <form method="post" action="/sf/admin/cancel" class="mt-6 flex flex-wrap items-end gap-3 border-t border-stone-200 pt-4">
                    {hidden()}
                    <div class="grow"><label for="reason" class="block text-sm font-medium">"Reason for cancelling (the customer sees it)"</label><input id="reason" name="reason" maxlength="200" class=INPUT /></div>
                    <button type="submit" class=QUIET>"Cancel order"</button>
                </form>
            })}
        </section>
        <section class=CARD aria-labelledby="history-heading">
            <h2 id="history-heading" class="text-lg font-semibold">"History"</h2>
            <ol class="mt-2 space-y-1">
                {order.timeline.into_iter().map(|t| view! {
                    <li><span class="text-sm text-stone-600">{contracts::ordering::date_time(t.at_ms)}</span>" · "{t.what}</li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// A page to print and put in the parcel: no prices, no site chrome.
#[component]
pub fn PackingSlipPage() -> impl IntoView {
    let (order, back) = order_and_page("/slip");
    view! {
        <Loaded data=order back show=|order, _| view! { <PackingSlip order /> } />
    }
}

#[component]
fn PackingSlip(order: OrderV1) -> impl IntoView {
    view! {
        <Title text=format!("Packing slip {}", order.reference) />
        <article class="mx-auto max-w-2xl bg-white p-6 print:p-0" data-testid="packing-slip">
            <h1 class="text-2xl font-bold">{format!("SURY · order {}", order.reference)}</h1>
            <p class="mt-1 text-sm">{format!("Placed {}", contracts::ordering::date_time(order.placed_at_ms))}</p>
            <h2 class="mt-4 font-semibold">{if order.delivery_method == DeliveryMethod::Pickup { "For pick-up by" } else { "Deliver to" }}</h2>
            <address class="not-italic">
                {if order.address.is_empty() { vec![order.name.clone()] } else { order.address.clone() }.into_iter().map(|l| view! { <span class="block">{l}</span> }).collect_view()}
            </address>
            <table class="mt-4 w-full border-collapse text-left">
                <thead><tr class="border-b border-stone-400"><th scope="col" class="py-1">"Item"</th><th scope="col" class="py-1">"SKU"</th><th scope="col" class="py-1 text-right">"Qty"</th><th scope="col" class="py-1 text-right">"Packed"</th></tr></thead>
                <tbody>
                    {order.lines.into_iter().map(|l| view! {
                        <tr class="border-b border-stone-200">
                            <td class="py-1">{format!("{} ({}, {})", l.product_name, l.colour, l.size)}</td>
                            <td class="py-1">{l.sku}</td>
                            <td class="py-1 text-right">{l.quantity}</td>
                            <td class="py-1 text-right" aria-label="tick when packed">"☐"</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="mt-4 text-sm">{match (order.payment, order.payment_method) {
                (PaymentStatus::Paid, _) => "Paid.".to_owned(),
                (_, PaymentMethod::CashOnDelivery) => format!("Collect {} on delivery.", price(order.totals.total_minor)),
                (_, PaymentMethod::BankTransfer) => "Not paid yet: do not send.".to_owned(),
            }}</p>
            <p class="mt-6 text-sm text-stone-600 print:hidden">"Print this page from your browser (Ctrl+P or ⌘P)."</p>
        </article>
    }
}

/// The order named in the address, and the staff page (`/admin/orders/<id>`
/// and then `tail`) to come back to after signing in.
fn order_and_page(tail: &str) -> (Resource<Result<OrderV1, AppError>>, String) {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let back = format!(
        "/admin/orders/{}{tail}",
        params.read_untracked().get("id").unwrap_or_default()
    );
    (Resource::new(id, super::api::order), back)
}
