//! The back office's front page (`/admin`): who is signed in, the way to
//! each part, sales per day as a chart, what waits for action, and the
//! best sellers.

use contracts::money::price;
use contracts::ordering::DashboardV1;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::account::api;
use crate::components::loaded::Loaded;

/// The back office's home. The server decides who may see it: anonymous
/// visitors are sent to sign in, customers get 403.
#[component]
pub fn AdminPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| api::admin_overview());
    let show = |staff: crate::session::Viewer, _| {
        view! {
            <section>
                <h1 class="text-2xl font-bold">"Back office"</h1>
                <p class="mt-2 text-stone-700" data-testid="admin-greeting">
                    {format!("Signed in as {} ({})", staff.name, staff.role.as_str())}
                </p>
                <nav aria-label="Back office" class="mt-4">
                    {PARTS.iter().enumerate().map(|(i, (href, label))| view! {
                        {(i > 0).then_some(" · ")}
                        <a href=*href class="font-medium text-teal-800 underline underline-offset-4">{*label}</a>
                    }).collect_view()}
                </nav>
                <Dashboard />
            </section>
        }
    };
    view! {
        <Title text="Back office" />
        <Loaded data=overview back="/admin" show />
    }
}

/// The parts of the back office, each with its own pages.
const PARTS: [(&str, &str); 4] = [
    ("/admin/orders", "All orders"),
    ("/admin/products", "Products and stock"),
    ("/admin/collections", "Collections"),
    ("/admin/categories", "Categories"),
];

const CARD: &str = "rounded-lg border border-stone-200 bg-white p-5";

#[component]
pub fn Dashboard() -> impl IntoView {
    let board = Resource::new(|| (), |_| super::api::dashboard());
    view! { <Loaded data=board show=|board, _| view! { <Board board /> } /> }
}

#[component]
fn Board(board: DashboardV1) -> impl IntoView {
    let waiting = [
        ("To pack", board.to_pack, "/admin/orders?status=confirmed"),
        (
            "Awaiting payment",
            board.awaiting_payment,
            "/admin/orders?status=confirmed",
        ),
        (
            "In transit",
            board.in_transit,
            "/admin/orders?status=shipped",
        ),
    ];
    view! {
        <ul class="mt-6 grid gap-4 sm:grid-cols-3" aria-label="Orders waiting for action">
            {waiting.into_iter().map(|(label, n, href)| view! {
                <li class=CARD>
                    <a href=href class="block text-stone-900 hover:text-teal-900">
                        <span class="block text-3xl font-bold" data-testid=format!("waiting-{}", label.to_lowercase().replace(' ', "-"))>{n}</span>
                        <span class="text-sm font-medium underline underline-offset-4">{label}</span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
        <section class=format!("mt-6 {CARD}") aria-labelledby="sales-heading">
            <h2 id="sales-heading" class="text-lg font-semibold">"Sales, last 14 days"</h2>
            <SalesChart days=board.sales_per_day />
        </section>
        <section class=format!("mt-6 {CARD}") aria-labelledby="top-heading">
            <h2 id="top-heading" class="text-lg font-semibold">"Best sellers, last 14 days"</h2>
            <BestSellers top=board.top_products />
        </section>
    }
}

/// Each product with the units sold, best first.
#[component]
fn BestSellers(top: Vec<(String, i64)>) -> impl IntoView {
    if top.is_empty() {
        return view! { <p class="mt-2 text-stone-600">"No sales yet."</p> }.into_any();
    }
    view! {
        <ol class="mt-2 list-decimal pl-6" data-testid="top-products">
            {top.into_iter().map(|(name, units)| view! { <li>{format!("{name}: {units} sold")}</li> }).collect_view()}
        </ol>
    }
    .into_any()
}

/// Bars drawn in SVG (no script needed), with the same figures in a table
/// for screen readers and anyone who wants the numbers.
#[component]
fn SalesChart(days: Vec<(String, i64, i64)>) -> impl IntoView {
    let peak = days
        .iter()
        .map(|(_, _, sales)| *sales)
        .max()
        .unwrap_or(0)
        .max(1);
    let width = 14 * 24;
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, (day, _, sales))| {
            let height = (sales * 100 / peak).max(if *sales > 0 { 2 } else { 0 });
            view! {
                <rect x=(i * 24 + 3).to_string() y=(110 - height).to_string() width="18" height=height.to_string() class="fill-teal-800">
                    <title>{format!("{day}: {}", price(*sales))}</title>
                </rect>
            }
        })
        .collect_view();
    let total: i64 = days.iter().map(|(_, _, s)| s).sum();
    view! {
        <svg viewBox=format!("0 0 {width} 112") class="mt-4 h-40 w-full" role="img" aria-label=format!("Sales per day; {} in all", price(total))>
            <line x1="0" y1="110.5" x2=width.to_string() y2="110.5" class="stroke-stone-300" />
            {bars}
        </svg>
        <details class="mt-3">
            <summary class="cursor-pointer text-sm font-medium text-teal-800">"The figures"</summary>
            <table class="mt-2 w-full text-left text-sm" data-testid="sales-table">
                <thead><tr><th scope="col">"Day"</th><th scope="col">"Orders"</th><th scope="col">"Sales"</th></tr></thead>
                <tbody>
                    {days.into_iter().rev().map(|(day, orders, sales)| view! {
                        <tr><td>{day}</td><td>{orders}</td><td>{price(sales)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}
