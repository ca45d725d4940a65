//! Pages whose features arrive with later work; they say so plainly rather
//! than leaving the header's links dead.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn NotYet(title: &'static str, message: &'static str) -> impl IntoView {
    view! {
        <Title text=title />
        <section class="mx-auto max-w-xl py-8 text-center">
            <h1 class="text-2xl font-bold">{title}</h1>
            <p class="mt-3 text-stone-700">{message}</p>
            <p class="mt-6">
                <a href="/" class="font-medium text-teal-800 underline underline-offset-4">"Keep browsing"</a>
            </p>
        </section>
    }
}

#[component]
pub fn BasketPage() -> impl IntoView {
    view! { <NotYet title="Your basket" message="Your basket is empty. Online ordering opens soon." /> }
}
