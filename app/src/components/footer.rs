use leptos::prelude::*;

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="mt-12 border-t border-stone-200 bg-white">
            <div class="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-8 text-sm text-stone-600 sm:flex-row sm:justify-between sm:px-6 lg:px-8">
                <p>
                    <span class="font-semibold text-stone-800">"SURY"</span>
                    " · Clothing for the whole family, from a family business."
                </p>
                <p>"Prices include VAT."</p>
            </div>
        </footer>
    }
}
