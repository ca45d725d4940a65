//! The basket page: each line at today's price with what the shopper must
//! know about it, quantities to change, and the way to checkout. Plain
//! forms throughout, so it all works without JavaScript.

use contracts::basket::{BasketLineV1, BasketV1, LineState};
use leptos::prelude::*;

use crate::account::forms::Banners;
use crate::components::loaded::{Loaded, PageTitle};
use contracts::money::price;

#[component]
pub fn BasketPage() -> impl IntoView {
    let basket = Resource::new(|| (), |_| super::api::basket_view());
    let show = |basket, flash| view! { <div class="mt-4"><Banners flash=Some(flash) /></div><BasketView basket /> };
    view! {
        <PageTitle text="Your basket" />
        <Loaded data=basket flash="basket" show />
    }
}

#[component]
fn BasketView(basket: BasketV1) -> impl IntoView {
    if basket.lines.is_empty() {
        return view! {
            <p class="mt-6 text-stone-700" data-testid="basket-empty">"Your basket is empty."</p>
            <p class="mt-4"><a href="/" class="font-medium text-teal-800 underline underline-offset-4">"Start shopping"</a></p>
        }
        .into_any();
    }
    let ready = basket.ready_for_checkout();
    let subtotal = basket.subtotal_minor;
    let count = basket.count;
    view! {
        <div class="mt-6 grid gap-8 lg:grid-cols-[1fr_20rem]">
            <ul class="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white" data-testid="basket-lines">
                {basket.lines.into_iter().map(|line| view! { <Line line /> }).collect_view()}
            </ul>
            <section aria-labelledby="summary-heading" class="h-fit rounded-lg border border-stone-200 bg-white p-5">
                <h2 id="summary-heading" class="text-lg font-semibold">"Summary"</h2>
                <dl class="mt-3 flex justify-between">
                    <dt>{if count == 1 { "1 item".to_owned() } else { format!("{count} items") }}</dt>
                    <dd class="font-semibold" data-testid="subtotal">{price(subtotal)}</dd>
                </dl>
                <p class="mt-2 text-sm text-stone-600">"Prices include VAT. Delivery is chosen at checkout."</p>
                {if ready {
                    view! {
                        <a href="/checkout" class="mt-5 block rounded-md bg-teal-900 px-4 py-2.5 text-center font-semibold text-white hover:bg-teal-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-800">
                            "Go to checkout"
                        </a>
                    }.into_any()
                } else {
                    view! {
                        <p class="mt-5 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="not-ready">
                            "Some lines need a look before checkout: see the notes beside them."
                        </p>
                    }.into_any()
                }}
            </section>
        </div>
    }
    .into_any()
}

#[component]
fn Line(line: BasketLineV1) -> impl IntoView {
    let note = match &line.state {
        LineState::Ok => None,
        LineState::PriceChanged { was_minor } => Some(format!(
            "The price has changed from {} to {}.",
            price(*was_minor),
            price(line.unit_price_minor)
        )),
        LineState::OnlyLeft { available } => Some(format!(
            "Only {available} left: lower the quantity to buy them."
        )),
        LineState::SoldOut => Some("Sold out: remove it to check out.".to_owned()),
        LineState::Unavailable => Some("No longer sold: remove it to check out.".to_owned()),
    };
    let quantity_id = format!("quantity-{}", line.sku);
    let what = if line.colour.is_empty() {
        line.product_name.clone()
    } else {
        format!("{}, {}, size {}", line.product_name, line.colour, line.size)
    };
    let buyable = matches!(
        line.state,
        LineState::Ok | LineState::PriceChanged { .. } | LineState::OnlyLeft { .. }
    );
    view! {
        <li class="flex flex-wrap items-start gap-4 p-4" data-testid="basket-line" data-sku=line.sku.clone()>
            <div class="min-w-0 flex-1">
                {if line.product_slug.is_empty() {
                    view! { <p class="font-semibold">{line.product_name.clone()}</p> }.into_any()
                } else {
                    view! {
                        <a href=format!("/p/{}", line.product_slug) class="font-semibold text-stone-900 underline-offset-4 hover:underline">
                            {line.product_name.clone()}
                        </a>
                    }.into_any()
                }}
                <p class="text-sm text-stone-700">
                    {(!line.colour.is_empty()).then(|| format!("{} · size {} · ", line.colour, line.size))}
                    {(line.unit_price_minor > 0).then(|| format!("{} each", price(line.unit_price_minor)))}
                </p>
                {note.map(|note| view! {
                    <p class="mt-1 text-sm font-medium text-amber-900" data-testid="line-note">{note}</p>
                })}
            </div>
            {buyable.then(|| view! {
                <form method="post" action="/sf/basket/update" class="flex items-end gap-2">
                    <input type="hidden" name="sku" value=line.sku.clone() />
                    <div>
                        <label for=quantity_id.clone() class="block text-xs font-medium text-stone-700">
                            "Quantity"<span class="sr-only">{format!(" of {what}")}</span>
                        </label>
                        <input
                            id=quantity_id
                            name="quantity"
                            type="number"
                            inputmode="numeric"
                            min="0"
                            max="99"
                            value=line.quantity.to_string()
                            class="mt-1 w-20 rounded-md border border-stone-300 bg-white px-2 py-1.5 text-base focus:border-teal-800 focus:outline-2 focus:outline-teal-800"
                        />
                    </div>
                    <button type="submit" class="rounded-md border border-stone-300 px-3 py-1.5 text-sm font-medium hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-teal-800">
                        "Update"<span class="sr-only">{format!(" {what}")}</span>
                    </button>
                </form>
            })}
            <form method="post" action="/sf/basket/remove">
                <input type="hidden" name="sku" value=line.sku.clone() />
                <button type="submit" class="rounded-md px-3 py-1.5 text-sm font-medium text-rose-800 underline underline-offset-4 hover:bg-rose-50 focus-visible:outline-2 focus-visible:outline-teal-800">
                    "Remove"<span class="sr-only">{format!(" {what}")}</span>
                </button>
            </form>
            <p class="w-24 text-right font-semibold" data-testid="line-total">
                {(line.line_total_minor > 0).then(|| price(line.line_total_minor))}
            </p>
        </li>
    }
}
