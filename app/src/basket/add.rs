//! Choosing a size and adding it to the basket, on the product page. A
//! plain form that posts and comes back without JavaScript; with it, the
//! island adds in place, says so, and updates the mini-basket.

use contracts::catalog::VariantV1;
use leptos::prelude::*;

/// At or below this many left, the page says so.
const FEW_LEFT: i64 = 3;

#[island]
pub fn AddToBasket(
    /// Where the no-JavaScript form comes back to.
    back: String,
    /// Each colour with its sizes, in the order staff arranged them.
    colours: Vec<(String, Vec<VariantV1>)>,
    /// What the last no-JavaScript post left to say.
    notice: Option<String>,
    error: Option<String>,
    /// The size chosen before a refused post, chosen again.
    chosen: Option<String>,
) -> impl IntoView {
    let status = RwSignal::new(notice);
    let problem = RwSignal::new(error);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            ev.prevent_default();
            let Some(element) = form.get() else { return };
            let Ok(data) = web_sys::FormData::new_with_form(&element) else {
                return;
            };
            let field = |name: &str| data.get(name).as_string().unwrap_or_default();
            let (sku, quantity) = (field("sku"), field("quantity"));
            busy.set(true);
            status.set(None);
            problem.set(None);
            leptos::task::spawn_local(async move {
                match super::api::add_now(sku, quantity).await {
                    Ok(added) => {
                        status.set(Some(added.message));
                        super::mini::announce_count(added.count);
                    }
                    Err(err) => problem.set(Some(err.to_string())),
                }
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let colours = colours
        .into_iter()
        .map(|(colour, sizes)| {
            let sizes = sizes
                .into_iter()
                .map(|v| {
                    let (state, tone) = match v.available {
                        n if n <= 0 => ("sold out", "border-stone-200 bg-stone-100 text-stone-600 line-through"),
                        n if n <= FEW_LEFT => ("only a few left", "border-amber-700 bg-white text-stone-900"),
                        _ => ("in stock", "border-stone-300 bg-white text-stone-900"),
                    };
                    let checked = chosen.as_deref() == Some(v.sku.as_str());
                    view! {
                        <li>
                            <label
                                data-testid="size"
                                data-available=v.available.to_string()
                                class=format!("block cursor-pointer rounded-md border px-3 py-2 text-sm has-[:checked]:border-teal-900 has-[:checked]:bg-teal-900 has-[:checked]:text-white has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-teal-800 has-[:disabled]:cursor-not-allowed {tone}")
                            >
                                <input
                                    type="radio"
                                    name="sku"
                                    value=v.sku.clone()
                                    required=true
                                    checked=checked
                                    disabled=v.available <= 0
                                    class="sr-only"
                                />
                                {format!("{} ", v.size)}
                                <span class="sr-only">{format!("{}, {state}", v.colour)}</span>
                                {(v.available > 0 && v.available <= FEW_LEFT).then(|| view! {
                                    <span aria-hidden="true" class="text-amber-800">"·"</span>
                                })}
                            </label>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="mt-6" data-testid="colour">
                    <legend class="text-lg font-semibold">{colour}</legend>
                    <ul class="mt-2 flex flex-wrap gap-2">{sizes}</ul>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <form
            node_ref=form
            method="post"
            action="/sf/basket/add"
            on:submit=on_submit
            data-testid="add-to-basket"
        >
            <input type="hidden" name="back" value=back />
            {colours}
            <p class="mt-3 text-sm text-stone-600">"Sizes crossed out are sold out; a dot means only a few are left."</p>
            <div class="mt-6 flex flex-wrap items-end gap-3">
                <div>
                    <label for="quantity" class="block text-sm font-medium text-stone-800">"Quantity"</label>
                    <input
                        id="quantity"
                        name="quantity"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max="99"
                        value="1"
                        required=true
                        class="mt-1 block w-20 rounded-md border border-stone-300 bg-white px-3 py-2 text-base focus:border-teal-800 focus:outline-2 focus:outline-teal-800"
                    />
                </div>
                <button
                    type="submit"
                    disabled=move || busy.get()
                    class="rounded-md bg-teal-900 px-6 py-2.5 font-semibold text-white hover:bg-teal-800 disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-800"
                >
                    "Add to basket"
                </button>
            </div>
            <div aria-live="polite" class="mt-4">
                {move || status.get().map(|message| view! {
                    <p data-testid="notice" class="rounded-md border border-teal-200 bg-teal-50 px-4 py-3 text-teal-950">
                        {message} " " <a href="/basket" class="font-medium underline underline-offset-4">"See your basket"</a>
                    </p>
                })}
                {move || problem.get().map(|message| view! {
                    <p data-testid="form-error" class="rounded-md border border-rose-200 bg-rose-50 px-4 py-3 text-rose-900">{message}</p>
                })}
            </div>
        </form>
    }
}
