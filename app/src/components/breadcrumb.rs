//! The trail from Home to a page, for category and product pages.

use contracts::catalog::CategorySummary;
use leptos::prelude::*;

/// `trail` is root first; `current` (if given) is the page itself, not a link.
#[component]
pub fn Breadcrumb(
    trail: Vec<CategorySummary>,
    #[prop(optional)] current: Option<String>,
) -> impl IntoView {
    view! {
        <nav aria-label="Breadcrumb" class="text-sm text-stone-600">
            <ol class="flex flex-wrap gap-1">
                <li><a href="/" class="hover:text-teal-900 hover:underline">"Home"</a></li>
                {trail
                    .into_iter()
                    .map(|crumb| view! {
                        <li aria-hidden="true">"›"</li>
                        <li><a href=format!("/c/{}", crumb.slug) class="hover:text-teal-900 hover:underline">{crumb.name}</a></li>
                    })
                    .collect_view()}
                {current.map(|name| view! {
                    <li aria-hidden="true">"›"</li>
                    <li><span aria-current="page" class="font-medium text-stone-900">{name}</span></li>
                })}
            </ol>
        </nav>
    }
}
