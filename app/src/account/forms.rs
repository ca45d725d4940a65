//! The pieces every form is made of: labelled fields (a line, several
//! lines, a choice) whose hint and error are tied to the control for
//! screen readers, message banners, and the card a one-form page is.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::Title;

use super::api;
use crate::session::Flash;

/// What the last post of `form` left in its flash cookie: the values typed
/// and a message per field, read once when the page renders.
pub(crate) fn flash_for(form: &'static str) -> Resource<Option<Flash>> {
    Resource::new(
        || (),
        move |_| async move { api::form_flash(form.into()).await.ok().flatten() },
    )
}

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
    /// Several lines of text (a `<textarea>` this many rows high) rather
    /// than one; see [`TextArea`].
    #[prop(optional)]
    lines: Option<u32>,
) -> impl IntoView {
    let frame = Frame::new(name, None, hint, &error);
    let id = frame.id.clone();
    let (invalid, described) = (frame.invalid, frame.described.clone());
    let class = control_class(frame.border);
    let control = match lines {
        Some(rows) => view! {
            <textarea id=id name=name rows=rows aria-invalid=invalid aria-describedby=described class=class>
                {value}
            </textarea>
        }
        .into_any(),
        None => view! {
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                aria-invalid=invalid
                aria-describedby=described
                required=!optional
                class=class
            />
        }
        .into_any(),
    };
    view! { <Labelled frame label error>{control}</Labelled> }
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
    view! { <Field name label hint value error lines=rows /> }
}

/// A labelled choice (`<select>`, the options its children), its error
/// tied to it like a [`Field`]'s.
#[component]
pub fn SelectField(
    name: &'static str,
    label: &'static str,
    /// The element's id when not `field-<name>`.
    #[prop(optional)]
    id: Option<&'static str>,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(default = None)] error: Option<String>,
    children: Children,
) -> impl IntoView {
    let frame = Frame::new(name, id, "", &error);
    view! {
        <Labelled frame=frame.clone() label error>
            <select
                id=frame.id
                name=name
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                required=required
                aria-invalid=frame.invalid
                aria-describedby=frame.described
                // A choice's border stays grey: its message says what is wrong.
                class=control_class("border-stone-300")
            >
                {children()}
            </select>
        </Labelled>
    }
}

/// What a field's label, control, hint and error say about each other:
/// the control's id, the ids that describe it (for screen readers), and
/// its look, red-bordered when it has an error.
#[derive(Clone)]
struct Frame {
    name: &'static str,
    id: String,
    hint: &'static str,
    invalid: Option<&'static str>,
    described: Option<String>,
    /// Red when the field has an error.
    border: &'static str,
}

impl Frame {
    fn new(
        name: &'static str,
        id: Option<&'static str>,
        hint: &'static str,
        error: &Option<String>,
    ) -> Self {
        let id = id.map_or_else(|| format!("field-{name}"), str::to_owned);
        let parts: Vec<String> = [(error.is_some(), "error"), (!hint.is_empty(), "hint")]
            .into_iter()
            .filter(|(shown, _)| *shown)
            .map(|(_, what)| format!("{id}-{what}"))
            .collect();
        Self {
            name,
            described: (!parts.is_empty()).then(|| parts.join(" ")),
            id,
            hint,
            invalid: error.is_some().then_some("true"),
            border: if error.is_some() {
                "border-rose-700"
            } else {
                "border-stone-300"
            },
        }
    }
}

/// The look of a field's control, with its border colour.
fn control_class(border: &str) -> String {
    format!(
        "mt-1 block w-full rounded-md border {border} bg-white px-3 py-2 text-base focus:border-teal-800 focus:outline-2 focus:outline-teal-800"
    )
}

/// The label over a field's control (the child), then its hint and its
/// error, with the ids the control's `aria-describedby` names.
#[component]
fn Labelled(
    frame: Frame,
    label: &'static str,
    error: Option<String>,
    children: Children,
) -> impl IntoView {
    let Frame { name, id, hint, .. } = frame;
    view! {
        <div class="mt-4">
            <label for=id.clone() class="block text-sm font-medium text-stone-800">{label}</label>
            {children()}
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

/// A page of one titled [`Card`] holding a form: the message and notice
/// the last post of `form` left, then `body` drawn with that flash (the
/// values typed, a message per field); the children follow (links on).
#[component]
pub fn FlashCard<B, V>(
    title: &'static str,
    /// The browser tab's title, when it differs from the card's.
    #[prop(optional)]
    tab: &'static str,
    form: &'static str,
    body: B,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView
where
    B: Fn(Flash) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let flash = flash_for(form);
    let body = Arc::new(body);
    let tab = if tab.is_empty() { title } else { tab };
    view! {
        <Title text=tab />
        <Card title>
            <Suspense>
                {move || {
                    let body = Arc::clone(&body);
                    Suspend::new(async move {
                        let flash = flash.await.unwrap_or_default();
                        view! { <Banners flash=Some(flash.clone()) />{body(flash)} }
                    })
                }}
            </Suspense>
            {children.map(|children| children())}
        </Card>
    }
}
