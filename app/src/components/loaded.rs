//! The frame of every page that loads its data on the server: its title,
//! then waiting for the data (and for what the last post of the page's form
//! left in the flash) to show it, or say why it could not be shown. One
//! place, so every page answers a failure the same way.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::AppError;
use crate::account::forms::flash_for;
use crate::components::error_panel::ErrorPanel;
use crate::session::Flash;

/// How a page answers a failure to load. An anonymous visitor is sent to
/// sign in and brought back to `back` afterwards; anyone else (or anyone,
/// when `back` is empty) sees the error panel, under `title` if one is
/// given (a page that failed has no title of its own).
fn refusal(error: AppError, back: &str, title: &'static str) -> AnyView {
    match error {
        AppError::Unauthenticated if !back.is_empty() => {
            view! { <Redirect path=format!("/account/sign-in?next={back}") /> }.into_any()
        }
        error => view! {
            {(!title.is_empty()).then(|| view! { <Title text=title /> })}
            <ErrorPanel error />
        }
        .into_any(),
    }
}

/// Waits for `data`, then draws it with `show`; a failure is answered by
/// [`refusal`]. `show` also gets what the last post of `flash` left (an
/// empty flash when the page has no form, or nothing was left).
#[component]
pub fn Loaded<T, V, S>(
    data: Resource<Result<T, AppError>>,
    show: S,
    /// The form whose flash `show` gets; empty: none is read.
    #[prop(optional)]
    flash: &'static str,
    /// Where an anonymous visitor comes back to after signing in; empty:
    /// they see the error like anyone else.
    #[prop(optional, into)]
    back: String,
    /// The page title over the error panel; empty: none.
    #[prop(optional)]
    error_title: &'static str,
    /// What shows while loading (rarely seen: pages render whole on the
    /// server).
    #[prop(default = "Loading…")]
    loading: &'static str,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    S: Fn(T, Flash) -> V + Send + Sync + 'static,
{
    let flash = (!flash.is_empty()).then(|| flash_for(flash));
    let show = Arc::new(show);
    view! {
        <Suspense fallback=move || view! { <p class="text-stone-600">{loading}</p> }>
            {move || {
                let (show, back) = (Arc::clone(&show), back.clone());
                Suspend::new(async move {
                    let flash = match flash {
                        Some(flash) => flash.await.unwrap_or_default(),
                        None => Flash::default(),
                    };
                    match data.await {
                        Ok(data) => show(data, flash).into_any(),
                        Err(error) => refusal(error, &back, error_title),
                    }
                })
            }}
        </Suspense>
    }
}

/// A page's title, the same in the browser tab and as its heading.
#[component]
pub fn PageTitle(text: &'static str) -> impl IntoView {
    view! {
        <Title text=text />
        <h1 class="text-3xl font-bold">{text}</h1>
    }
}
