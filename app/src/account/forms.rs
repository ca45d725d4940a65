//! The pieces every account form is made of: labelled fields whose error
//! is tied to the input for screen readers, and message banners.

use leptos::prelude::*;

use crate::session::Flash;

#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(default = String::new())] value: String,
    #[prop(default = None)] error: Option<String>,
    /// May be left empty (the label should say so).
    #[prop(optional)]
    optional: bool,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = described_by(&id, error.is_some(), !hint.is_empty());
    let invalid = error.is_some().then_some("true");
    let border = border(error.is_some());
    view! {
        <div class="mt-4">
            <label for=id.clone() class="block text-sm font-medium text-stone-800">{label}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                aria-invalid=invalid
                aria-describedby=described
                required=!optional
                class=format!("mt-1 block w-full rounded-md border {border} bg-white px-3 py-2 text-base focus:border-teal-800 focus:outline-2 focus:outline-teal-800")
            />
            {(!hint.is_empty()).then(|| view! { <p id=hint_id class="mt-1 text-sm text-stone-600">{hint}</p> })}
            {error.map(|message| view! {
                <p id=error_id class="mt-1 text-sm font-medium text-rose-800" data-testid=format!("error-{name}")>{message}</p>
            })}
        </div>
    }
}

/// Where a field's error and hint are, for `aria-describedby`.
fn described_by(id: &str, error: bool, hint: bool) -> Option<String> {
    let parts: Vec<String> = [(error, "error"), (hint, "hint")]
        .into_iter()
        .filter(|(shown, _)| *shown)
        .map(|(_, what)| format!("{id}-{what}"))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A field's border: red when it has an error.
fn border(error: bool) -> &'static str {
    if error {
        "border-rose-700"
    } else {
        "border-stone-300"
    }
}

/// Several lines of text, labelled like [`Field`].
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(default = String::new())] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let id = format!("field-{name}");
    let described = described_by(&id, error.is_some(), !hint.is_empty());
    let border = border(error.is_some());
    view! {
        <div class="mt-4">
            <label for=id.clone() class="block text-sm font-medium text-stone-800">{label}</label>
            <textarea
                id=id.clone()
                name=name
                rows=rows
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=described
                class=format!("mt-1 block w-full rounded-md border {border} bg-white px-3 py-2 text-base focus:border-teal-800 focus:outline-2 focus:outline-teal-800")
            >
                {value}
            </textarea>
            {(!hint.is_empty()).then(|| view! { <p id=format!("{id}-hint") class="mt-1 text-sm text-stone-600">{hint}</p> })}
            {error.map(|message| view! {
                <p id=format!("{id}-error") class="mt-1 text-sm font-medium text-rose-800" data-testid=format!("error-{name}")>{message}</p>
            })}
        </div>
    }
}

/// The form-wide message and the notice a flash carries, if any.
#[component]
pub fn Banners(flash: Option<Flash>) -> impl IntoView {
    let flash = flash.unwrap_or_default();
    let error = flash.error("form");
    view! {
        {flash.notice.map(|notice| view! {
            <p role="status" data-testid="notice" class="mb-4 rounded-md border border-teal-200 bg-teal-50 px-4 py-3 text-teal-950">{notice}</p>
        })}
        {error.map(|message| view! {
            <p role="alert" data-testid="form-error" class="mb-4 rounded-md border border-rose-200 bg-rose-50 px-4 py-3 text-rose-900">{message}</p>
        })}
    }
}

#[component]
pub fn Submit(label: &'static str) -> impl IntoView {
    view! {
        <button
            type="submit"
            class="mt-6 w-full rounded-md bg-teal-900 px-4 py-2.5 font-semibold text-white hover:bg-teal-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-800"
        >
            {label}
        </button>
    }
}

/// A narrow card for one form, titled.
#[component]
pub fn Card(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="mx-auto max-w-md rounded-lg border border-stone-200 bg-white p-6 shadow-sm sm:p-8">
            <h1 class="mb-4 text-2xl font-bold text-stone-900">{title}</h1>
            {children()}
        </section>
    }
}
