use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use crate::api::DepartmentsResource;
use crate::basket::mini::MiniBasket;

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <a
            href="#main"
            class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-teal-900 focus:shadow"
        >
            "Skip to content"
        </a>
        <header class="border-b border-stone-200 bg-white">
            <div class="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-3 px-4 py-3 sm:px-6 lg:px-8">
                <a href="/" class="order-1 text-2xl font-black tracking-[0.2em] text-teal-900" aria-label="SURY home">
                    "SURY"
                </a>
                <div class="order-3 w-full sm:order-2 sm:w-auto sm:flex-1">
                    <SearchBox />
                </div>
                <div class="order-2 ml-auto flex items-center gap-1 sm:order-3 sm:ml-0">
                    <AccountSlot />
                    <BasketSlot />
                </div>
            </div>
            <DepartmentNav />
        </header>
    }
}

#[component]
fn SearchBox() -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    // Keep the shopper's words in the box on the results page.
    let current = move || {
        if location.pathname.get() == "/search" {
            query.read().get("q").unwrap_or_default()
        } else {
            String::new()
        }
    };
    view! {
        <search>
            <form method="get" action="/search">
                <div class="flex">
                    <label for="site-search" class="sr-only">"Search the shop"</label>
                    <input
                        id="site-search"
                        name="q"
                        type="search"
                        maxlength="100"
                        placeholder="Search dresses, school uniform…"
                        autocomplete="off"
                        value=current
                        class="w-full min-w-0 rounded-l-md border border-stone-300 bg-white px-3 py-2 text-base placeholder:text-stone-500 focus:border-teal-800 focus:outline-2 focus:outline-teal-800"
                    />
                    <button
                        type="submit"
                        class="rounded-r-md border border-teal-900 bg-teal-900 px-4 py-2 font-medium text-white hover:bg-teal-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-800"
                    >
                        "Search"
                    </button>
                </div>
            </form>
        </search>
    }
}

/// "Sign in", or the signed-in person's first name linking to their account.
#[component]
fn AccountSlot() -> impl IntoView {
    let viewer = expect_context::<crate::account::pages::ViewerResource>();
    let class = "rounded-md px-3 py-2 text-sm font-medium text-stone-800 hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-teal-800";
    view! {
        <Suspense fallback=move || view! { <a href="/account" data-slot="account" class=class>"Account"</a> }>
            {move || Suspend::new(async move {
                match viewer.await.ok().flatten() {
                    Some(viewer) => {
                        let first = viewer.name.split_whitespace().next().unwrap_or("Account").to_owned();
                        view! {
                            <a href="/account" data-slot="account" data-signed-in="true" class=class>
                                <span class="sr-only">"Your account, "</span>{first}
                            </a>
                        }.into_any()
                    }
                    None => view! { <a href="/account/sign-in" data-slot="account" class=class>"Sign in"</a> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The mini-basket, with the count known when the page was made.
#[component]
fn BasketSlot() -> impl IntoView {
    let count = Resource::new(|| (), |_| crate::basket::api::basket_count());
    view! {
        <Suspense fallback=|| view! { <MiniBasket count=0 /> }>
            {move || Suspend::new(async move {
                let count = count.await.unwrap_or(0);
                view! { <MiniBasket count /> }
            })}
        </Suspense>
    }
}

#[component]
fn DepartmentNav() -> impl IntoView {
    let departments = expect_context::<DepartmentsResource>();
    view! {
        <nav aria-label="Departments" class="border-t border-stone-100">
            <ul class="mx-auto flex max-w-6xl gap-1 overflow-x-auto px-2 py-1 sm:px-6 lg:px-8">
                <Suspense>
                    {move || Suspend::new(async move {
                        // A failure here is shown by the page itself; the
                        // navigation just stays empty.
                        departments
                            .await
                            .unwrap_or_default()
                            .into_iter()
                            .map(|dept| {
                                view! {
                                    <li>
                                        <a
                                            href=format!("/c/{}", dept.category.slug)
                                            class="block whitespace-nowrap rounded-md px-3 py-2 text-sm font-semibold text-stone-800 hover:bg-stone-100 hover:text-teal-900 focus-visible:outline-2 focus-visible:outline-teal-800"
                                        >
                                            {dept.category.name}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()
                    })}
                </Suspense>
            </ul>
        </nav>
    }
}
