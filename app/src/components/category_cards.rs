use contracts::catalog::CategorySummary;
use leptos::prelude::*;

/// A responsive grid of category links.
#[component]
pub fn CategoryCards(categories: Vec<CategorySummary>) -> impl IntoView {
    view! {
        <ul class="grid grid-cols-1 gap-3 min-[480px]:grid-cols-2 lg:grid-cols-3" data-testid="category-cards">
            {categories
                .into_iter()
                .map(|category| {
                    view! {
                        <li>
                            <a
                                href=format!("/c/{}", category.slug)
                                class="block h-full rounded-lg border border-stone-200 bg-white p-4 shadow-sm transition hover:border-teal-700 hover:shadow focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-800"
                            >
                                <span class="block text-lg font-semibold text-stone-900">{category.name}</span>
                                <span class="mt-1 block text-sm text-stone-600">{category.description}</span>
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
