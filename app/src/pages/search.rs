use contracts::catalog::CategoryHit;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_location, use_query_map};

use crate::api::DepartmentsResource;
use crate::api::{self, Found};
use crate::components::error_panel::ErrorPanel;
use crate::components::listing::Listing;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let search = use_location().search;
    let term = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let found = Resource::new(
        move || (term.get(), search.get()),
        |(q, raw)| async move {
            if q.trim().is_empty() {
                None
            } else {
                Some(api::search(q, raw).await)
            }
        },
    );
    view! {
        <Title text="Search" />
        // Result pages change with the stock; they are not for indexes.
        <Meta name="robots" content="noindex" />
        <Suspense fallback=|| view! { <p class="text-stone-600">"Searching…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    None => view! {
                        <h1 class="text-2xl font-bold">"Search"</h1>
                        <p class="mt-2 text-stone-700">"Type what you're looking for in the search box above."</p>
                    }.into_any(),
                    Some(Err(error)) => view! { <ErrorPanel error /> }.into_any(),
                    Some(Ok(found)) => view! { <Results term=term.get_untracked() found /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Results(term: String, found: Found) -> impl IntoView {
    let Found {
        categories,
        products,
        problems,
    } = found;
    let searched = products.corrected.clone().unwrap_or_else(|| term.clone());
    let nothing = categories.is_empty() && products.listing.total == 0 && problems.is_empty();
    view! {
        <Title text=format!("Search: {term}") />
        <h1 class="text-2xl font-bold">"Results for “" {searched.clone()} "”"</h1>
        {products.corrected.clone().map(|_| view! {
            <p class="mt-1 text-stone-700" data-testid="corrected">
                "No products match “" {term.clone()} "”, so these are for “" {searched.clone()} "”."
            </p>
        })}
        {(!categories.is_empty()).then(|| view! { <Categories hits=categories /> })}
        {if nothing {
            view! { <NoResults term suggestions=products.suggestions /> }.into_any()
        } else {
            view! {
                <Listing
                    listing=products.listing
                    problems
                    base="/search".to_owned()
                    search=term
                    empty="No products match these words."
                />
            }.into_any()
        }}
    }
}

#[component]
fn Categories(hits: Vec<CategoryHit>) -> impl IntoView {
    view! {
        <section aria-labelledby="category-hits" class="mt-4">
            <h2 id="category-hits" class="text-sm font-semibold text-stone-700">"Categories"</h2>
            <ul class="mt-2 flex flex-wrap gap-2" data-testid="search-results">
                {hits.into_iter().map(|hit| view! {
                    <li>
                        <a href=format!("/c/{}", hit.category.slug) class="block rounded-full border border-stone-300 bg-white px-4 py-2 text-sm font-semibold hover:border-teal-800 focus-visible:outline-2 focus-visible:outline-teal-800">
                            {hit.path}
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn NoResults(term: String, suggestions: Vec<String>) -> impl IntoView {
    let departments = expect_context::<DepartmentsResource>();
    view! {
        <p class="mt-2 text-stone-700" data-testid="no-results">
            "Nothing matches “" {term} "”. Check the spelling, try a shorter word, or start from a department:"
        </p>
        {(!suggestions.is_empty()).then(|| view! {
            <p class="mt-3 text-stone-700" data-testid="suggestions">
                "Did you mean: "
                {suggestions.into_iter().enumerate().map(|(i, word)| view! {
                    {(i > 0).then_some(", ")}
                    <a href=format!("/search?q={word}") class="font-semibold text-teal-900 underline">{word.clone()}</a>
                }).collect_view()}
                "?"
            </p>
        })}
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
