use contracts::catalog::CategoryHit;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::root::Departments;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let term = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let hits = Resource::new(
        move || term.get(),
        |q| async move {
            if q.trim().is_empty() {
                None
            } else {
                Some(api::search(q).await)
            }
        },
    );
    view! {
        <Title text="Search" />
        <Suspense fallback=|| view! { <p class="text-stone-600">"Searching…"</p> }>
            {move || Suspend::new(async move {
                match hits.await {
                    None => view! {
                        <h1 class="text-2xl font-bold">"Search"</h1>
                        <p class="mt-2 text-stone-700">"Type what you're looking for in the search box above."</p>
                    }.into_any(),
                    Some(Err(error)) => view! { <ErrorPanel error /> }.into_any(),
                    Some(Ok(hits)) => view! { <Results term=term.get_untracked() hits /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Results(term: String, hits: Vec<CategoryHit>) -> impl IntoView {
    let count = hits.len();
    view! {
        <h1 class="text-2xl font-bold">"Results for “" {term.clone()} "”"</h1>
        {if hits.is_empty() {
            view! { <NoResults term /> }.into_any()
        } else {
            view! {
                <p class="mt-1 text-stone-600">{format!("{count} {} found", if count == 1 { "category" } else { "categories" })}</p>
                <ul class="mt-4 divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white" data-testid="search-results">
                    {hits.into_iter().map(|hit| view! {
                        <li>
                            <a href=format!("/c/{}", hit.category.slug) class="block px-4 py-3 hover:bg-stone-50 focus-visible:outline-2 focus-visible:outline-teal-800">
                                <span class="block font-semibold">{hit.path}</span>
                                <span class="block text-sm text-stone-600">{hit.category.description}</span>
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn NoResults(term: String) -> impl IntoView {
    let departments = expect_context::<Departments>();
    view! {
        <p class="mt-2 text-stone-700" data-testid="no-results">
            "Nothing matches “" {term} "”. Check the spelling, try a shorter word, or start from a department:"
        </p>
        <Suspense>
            {move || Suspend::new(async move {
                view! {
                    <ul class="mt-4 flex flex-wrap gap-2">
                        {departments.await.unwrap_or_default().into_iter().map(|d| view! {
                            <li><a href=format!("/c/{}", d.category.slug) class="block rounded-full border border-stone-300 px-4 py-2 text-sm font-semibold hover:border-teal-800">{d.category.name}</a></li>
                        }).collect_view()}
                    </ul>
                }
            })}
        </Suspense>
    }
}
