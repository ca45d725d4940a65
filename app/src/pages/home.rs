use contracts::catalog::Department;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::components::category_cards::CategoryCards;
use crate::components::error_panel::ErrorPanel;
use crate::root::Departments;

#[component]
pub fn HomePage() -> impl IntoView {
    let departments = expect_context::<Departments>();
    let query = use_query_map();
    let chosen = Memo::new(move |_| query.read().get("dept"));

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
            <Suspense fallback=|| view! { <p class="mt-4 text-stone-600">"Loading departments…"</p> }>
                {move || Suspend::new(async move {
                    match departments.await {
                        Ok(list) => view! { <DepartmentBrowser departments=list chosen /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Department switcher: plain links (`/?dept=men`) that reload the page
/// without JavaScript and switch in place once hydrated.
#[component]
fn DepartmentBrowser(departments: Vec<Department>, chosen: Memo<Option<String>>) -> impl IntoView {
    let departments = StoredValue::new(departments);
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

    let links = departments
        .get_value()
        .into_iter()
        .map(|dept| {
            let slug = dept.category.slug.clone();
            let is_current = move || selected_slug().as_deref() == Some(slug.as_str());
            view! {
                <li>
                    <a
                        href=format!("/?dept={}", dept.category.slug)
                        data-noscroll=""
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
    }
}
