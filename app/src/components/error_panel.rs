use leptos::prelude::*;

use crate::AppError;

/// Sets the status of the response being rendered. No-op in the browser.
pub fn set_response_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        response.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// A failed load, shown in place of the content it stopped. Shows the
/// shopper-facing message only and serves the page with a matching status.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    set_response_status(error.status());
    let heading = match error {
        AppError::NotFound => "Page not found",
        AppError::Unauthenticated => "Please sign in",
        AppError::Forbidden => "Staff only",
        AppError::BadInput(_) => "Please check what you typed",
        AppError::Unreachable | AppError::Internal => "Sorry, that didn't work",
    };
    view! {
        <section
            role="alert"
            data-testid="error-panel"
            class="mx-auto my-8 max-w-xl rounded-lg border border-rose-200 bg-white p-6 text-center shadow-sm"
        >
            <h1 class="text-xl font-semibold text-rose-800">{heading}</h1>
            <p class="mt-2 text-stone-700">{error.to_string()}</p>
            <p class="mt-4">
                <a href="/" class="font-medium text-teal-800 underline underline-offset-4 hover:text-teal-950">
                    "Back to the shop"
                </a>
            </p>
        </section>
    }
}
