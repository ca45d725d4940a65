//! The header's mini-basket: a link with the number of items, rendered on
//! the server, kept current in the browser when something is added in
//! place (the adding island announces the new count on `window`).

use leptos::prelude::*;

/// The `window` event that carries a basket's new item count.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub const COUNT_EVENT: &str = "sury-basket-count";

/// Tells the mini-basket the basket now holds `count` items.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn announce_count(count: i64) {
    #[cfg(feature = "hydrate")]
    {
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&wasm_bindgen::JsValue::from_f64(count as f64));
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(COUNT_EVENT, &init) {
            let _ = window().dispatch_event(&event);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = count;
}

#[island]
pub fn MiniBasket(count: i64) -> impl IntoView {
    let count = RwSignal::new(count);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = window_event_listener_untyped(COUNT_EVENT, move |event| {
            if let Some(n) = event
                .dyn_ref::<web_sys::CustomEvent>()
                .and_then(|e| e.detail().as_f64())
            {
                count.set(n as i64);
            }
        });
        on_cleanup(move || handle.remove());
    }
    let label = move || match count.get() {
        0 => "Basket, empty".to_owned(),
        1 => "Basket, 1 item".to_owned(),
        n => format!("Basket, {n} items"),
    };
    view! {
        <a
            href="/basket"
            data-slot="basket"
            aria-label=label
            class="flex items-center gap-1.5 rounded-md px-3 py-2 text-sm font-medium text-stone-800 hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-teal-800"
        >
            "Basket"
            <span
                data-testid="basket-count"
                class=move || {
                    if count.get() > 0 {
                        "min-w-6 rounded-full bg-teal-900 px-1.5 text-center text-xs font-bold leading-6 text-white"
                    } else {
                        "hidden"
                    }
                }
            >
                {move || count.get()}
            </span>
        </a>
    }
}
