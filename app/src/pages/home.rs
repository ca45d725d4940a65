use contracts::catalog::{Department, HomeV1};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::api::DepartmentsResource;
use crate::components::category_cards::CategoryCards;
use crate::components::loaded::Loaded;
use crate::components::product_cards::ProductCards;

#[component]
pub fn HomePage() -> impl IntoView {
    let departments = expect_context::<DepartmentsResource>();
    let query = use_query_map();
    let home = Resource::new(|| (), |_| crate::api::home());
    let switcher = move |departments, _| {
        let initial = query.read_untracked().get("dept");
        view! { <DepartmentSwitcher departments initial /> }
    };

    view! {
        <Title text="Clothing for the whole family" />
        <Meta name="description" content="SURY: clothing for women, men, kids and babies from a family business. Browse by department and find the right size for everyone." />
        <section class="rounded-2xl bg-teal-900 px-6 py-10 text-white sm:px-10 sm:py-14">
            <h1 class="max-w-2xl text-3xl font-bold leading-tight sm:text-4xl">
                "Clothes for the whole family"
            </h1>
            <p class="mt-3 max-w-xl text-teal-50 sm:text-lg">
                "From first bodysuits to school uniform and work-day staples: one shop, every size."
            </p>
        </section>

        <section aria-labelledby="departments-heading" class="mt-8">
            <h2 id="departments-heading" class="text-2xl font-bold">"Shop by department"</h2>
            <Loaded data=departments show=switcher loading="Loading departments…" />
        </section>

        <Loaded data=home show=|home, _| view! { <Shelves home /> } loading="Loading collections…" />
    }
}

/// Each collection with its first pieces and a link to the rest, then
/// the newest arrivals.
#[component]
fn Shelves(home: HomeV1) -> impl IntoView {
    let HomeV1 {
        shelves,
        new_arrivals,
    } = home;
    view! {
        {shelves
            .into_iter()
            .map(|shelf| {
                let heading = format!("shelf-{}", shelf.collection.slug);
                let labelled_by = heading.clone();
                view! {
                    <section aria-labelledby=labelled_by class="mt-10" data-testid="shelf">
                        <div class="mb-4 flex flex-wrap items-baseline justify-between gap-2">
                            // Staff name collections: a long word must wrap, not widen the page.
                            <h2 id=heading class="min-w-0 text-2xl font-bold wrap-anywhere">{shelf.collection.name.clone()}</h2>
                            <a
                                href=format!("/collections/{}", shelf.collection.slug)
                                class="min-w-0 text-sm font-medium text-teal-800 underline underline-offset-4 wrap-anywhere hover:text-teal-950"
                            >
                                {format!("See all of {}", shelf.collection.name)}
                            </a>
                        </div>
                        <ProductCards products=shelf.cards />
                    </section>
                }
            })
            .collect_view()}
        {(!new_arrivals.is_empty()).then(|| view! {
            <section aria-labelledby="new-arrivals-heading" class="mt-10" data-testid="new-arrivals">
                <h2 id="new-arrivals-heading" class="mb-4 text-2xl font-bold">"New arrivals"</h2>
                <ProductCards products=new_arrivals />
            </section>
        })}
    }
    .into_any()
}

/// Department switcher, an island: plain links (`/?dept=men`) that load a
/// new page without JavaScript, and switch in place (updating the address
/// and the back button) once the wasm has started.
#[island]
fn DepartmentSwitcher(departments: Vec<Department>, initial: Option<String>) -> impl IntoView {
    let departments = StoredValue::new(departments);
    let chosen = RwSignal::new(initial);
    let selected = Memo::new(move |_| {
        let wanted = chosen.get();
        departments.with_value(|all| {
            all.iter()
                .find(|d| Some(&d.category.slug) == wanted.as_ref())
                .or_else(|| all.first())
                .cloned()
        })
    });
    let selected_slug = move || selected.with(|d| d.as_ref().map(|d| d.category.slug.clone()));

    // Set only in the browser: tests wait for it before clicking.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    browser::follow_back_button(chosen);

    let links = departments
        .get_value()
        .into_iter()
        .map(|dept| {
            let slug = dept.category.slug.clone();
            let href = format!("/?dept={slug}");
            let is_current = {
                let slug = slug.clone();
                move || selected_slug().as_deref() == Some(slug.as_str())
            };
            let on_click = {
                let href = href.clone();
                move |ev: leptos::ev::MouseEvent| {
                    // Let the browser open new tabs and windows as usual.
                    if ev.button() != 0 || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() {
                        return;
                    }
                    ev.prevent_default();
                    chosen.set(Some(slug.clone()));
                    browser::push_url(&href);
                }
            };
            view! {
                <li>
                    <a
                        href=href
                        on:click=on_click
                        aria-current=move || is_current().then_some("true")
                        class="block rounded-full border border-stone-300 px-4 py-2 text-sm font-semibold text-stone-800 hover:border-teal-800 aria-[current=true]:border-teal-900 aria-[current=true]:bg-teal-900 aria-[current=true]:text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-800"
                    >
                        {dept.category.name}
                    </a>
                </li>
            }
        })
        .collect_view();

    view! {
        <div data-testid="department-switcher" data-ready=move || ready.get().then_some("true")>
            <ul class="mt-4 flex flex-wrap gap-2" aria-label="Choose a department">
                {links}
            </ul>
            <div aria-live="polite" class="mt-6">
                {move || {
                    selected
                        .get()
                        .map(|dept| {
                            view! {
                                <div data-testid="department-panel" data-department=dept.category.slug.clone()>
                                    <div class="flex flex-wrap items-baseline justify-between gap-2">
                                        <h3 class="text-xl font-semibold">{dept.category.name.clone()}</h3>
                                        <a
                                            href=format!("/c/{}", dept.category.slug)
                                            class="text-sm font-medium text-teal-800 underline underline-offset-4 hover:text-teal-950"
                                        >
                                            {format!("All of {}", dept.category.name)}
                                        </a>
                                    </div>
                                    <p class="mb-4 mt-1 text-stone-700">{dept.category.description}</p>
                                    <CategoryCards categories=dept.children />
                                </div>
                            }
                        })
                }}
            </div>
        </div>
    }
}

/// The browser's address bar and history, used by the island above.
mod browser {
    use leptos::prelude::*;

    /// Records `url` as a new history entry without loading it.
    pub fn push_url(url: &str) {
        #[cfg(feature = "hydrate")]
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = url;
    }

    /// Back and forward put the department named in the address back.
    pub fn follow_back_button(chosen: RwSignal<Option<String>>) {
        #[cfg(feature = "hydrate")]
        {
            let handle = window_event_listener(leptos::ev::popstate, move |_| {
                let search = window().location().search().unwrap_or_default();
                let dept = search
                    .trim_start_matches('?')
                    .split('&')
                    .find_map(|pair| pair.strip_prefix("dept="))
                    .map(str::to_owned);
                chosen.set(dept);
            });
            on_cleanup(move || handle.remove());
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = chosen;
    }
}
