//! Pieces the staff pages share: the link up to the page above, the
//! editing forms folded away until wanted, and the table of the lists
//! (products, orders) with its column headings, figures aligned right and
//! sideways scrolling on a narrow screen.

use leptos::prelude::*;

/// A staff list as a table. `columns` are (heading, right-aligned); the
/// rows (`<tr>`s) are the children.
#[component]
pub fn StaffTable(
    testid: &'static str,
    /// The narrowest the table gets before it scrolls (a Tailwind class).
    min_width: &'static str,
    columns: &'static [(&'static str, bool)],
    children: Children,
) -> impl IntoView {
    let last = columns.len().saturating_sub(1);
    view! {
        <div class="mt-6 overflow-x-auto">
            <table class=format!("w-full {min_width} border-collapse text-left") data-testid=testid>
                <thead class="border-b border-stone-300 text-sm">
                    <tr>
                        {columns.iter().enumerate().map(|(i, (heading, right))| {
                            view! { <th scope="col" class=heading_class(i == last, *right)>{*heading}</th> }
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// Every column but the last keeps a gap to its right.
fn heading_class(last: bool, right: bool) -> &'static str {
    match (last, right) {
        (false, false) => "py-2 pr-3",
        (false, true) => "py-2 pr-3 text-right",
        (true, false) => "py-2",
        (true, true) => "py-2 text-right",
    }
}

/// The link back up to the page this one belongs to ("All orders").
#[component]
pub fn UpLink(href: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <p><a href=href class="text-sm font-medium text-teal-800 underline underline-offset-4">{label}</a></p>
    }
}

/// A form that changes the item `slug`, folded away under `summary`; it
/// opens by itself when its last post was refused (`refused`), so the
/// messages show.
#[component]
pub fn FoldedForm(
    summary: &'static str,
    action: &'static str,
    testid: &'static str,
    slug: String,
    refused: bool,
    /// The space above it (a Tailwind class).
    #[prop(default = "mt-4")]
    margin: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <details class=format!("{margin} rounded-lg border border-stone-200 bg-white p-4") open=refused>
            <summary class="cursor-pointer font-semibold">{summary}</summary>
            <form method="post" action=action novalidate=true class="max-w-2xl" data-testid=testid>
                <input type="hidden" name="slug" value=slug />
                {children()}
            </form>
        </details>
    }
}
