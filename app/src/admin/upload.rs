//! The picture upload form's progress bar. Without JavaScript the form
//! posts and the page comes back with the outcome; with it, the island
//! sends the same form in the background, shows how much has gone, and
//! opens the product's page again when the picture is in.

use leptos::prelude::*;

#[island]
pub fn UploadWithProgress(
    /// Where the form posts.
    action: String,
    /// The page to show once the picture is in.
    done: String,
    children: Children,
) -> impl IntoView {
    let percent = RwSignal::new(None::<u32>);
    let problem = RwSignal::new(None::<String>);
    let form = NodeRef::<leptos::html::Form>::new();
    let on_submit = {
        let action = action.clone();
        move |ev: leptos::ev::SubmitEvent| {
            #[cfg(feature = "hydrate")]
            {
                ev.prevent_default();
                if let Some(element) = form.get() {
                    problem.set(None);
                    if send(&element, &action, &done, percent, problem).is_err() {
                        // The browser cannot send it this way: post the form.
                        let _ = element.submit();
                    }
                }
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (ev, &action, &done);
        }
    };
    view! {
        <form
            node_ref=form
            method="post"
            action=action
            enctype="multipart/form-data"
            novalidate=true
            class="mt-4 max-w-2xl"
            data-testid="upload-picture"
            on:submit=on_submit
        >
            {children()}
            <div aria-live="polite" class="mt-3">
                {move || percent.get().map(|p| view! {
                    <label class="block text-sm text-stone-700">
                        {format!("Uploading: {p}%")}
                        <progress class="mt-1 block w-full" max="100" value=p data-testid="upload-progress"></progress>
                    </label>
                })}
            </div>
            {move || problem.get().map(|message| view! {
                <p role="alert" class="mt-3 rounded-md border border-rose-200 bg-rose-50 px-4 py-3 text-rose-900" data-testid="upload-error">{message}</p>
            })}
        </form>
    }
}

/// Sends the form with `XMLHttpRequest`, whose upload reports progress
/// (`fetch` does not).
#[cfg(feature = "hydrate")]
fn send(
    element: &web_sys::HtmlFormElement,
    action: &str,
    done: &str,
    percent: RwSignal<Option<u32>>,
    problem: RwSignal<Option<String>>,
) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let data = web_sys::FormData::new_with_form(element)?;
    let request = web_sys::XmlHttpRequest::new()?;
    request.open("POST", action)?;
    request.set_request_header("Accept", "application/json")?;
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                percent.set(Some((e.loaded() / e.total() * 100.0).round() as u32));
            }
        });
    request
        .upload()?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let answered = request.clone();
    let done = done.to_owned();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        let body = answered.response_text().ok().flatten().unwrap_or_default();
        match outcome(&body) {
            Ok(()) => {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().assign(&done);
                }
            }
            Err(message) => {
                percent.set(None);
                problem.set(Some(message));
            }
        }
    });
    request.set_onload(Some(on_load.as_ref().unchecked_ref()));
    let on_error = Closure::<dyn FnMut()>::new(move || {
        percent.set(None);
        problem.set(Some(
            "The upload stopped: check the connection and try again.".into(),
        ));
    });
    request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    request.send_with_opt_form_data(Some(&data))?;
    // They live as long as the request, which the browser keeps.
    on_progress.forget();
    on_load.forget();
    on_error.forget();
    percent.set(Some(0));
    Ok(())
}

/// The server's answer (`{"added":false,"errors":{"file":"…"}}`): done, or
/// its messages as one text.
#[cfg(feature = "hydrate")]
fn outcome(body: &str) -> Result<(), String> {
    #[derive(serde::Deserialize)]
    struct Outcome {
        added: bool,
        errors: std::collections::BTreeMap<String, String>,
    }
    match serde_json::from_str::<Outcome>(body) {
        Ok(outcome) if outcome.added => Ok(()),
        Ok(outcome) if !outcome.errors.is_empty() => {
            Err(outcome.errors.into_values().collect::<Vec<_>>().join(" "))
        }
        _ => Err("The picture could not be added; try again.".into()),
    }
}
