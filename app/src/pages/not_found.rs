use leptos::prelude::*;
use leptos_meta::Title;

use crate::AppError;
use crate::components::error_panel::ErrorPanel;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text="Page not found" />
        <ErrorPanel error=AppError::NotFound />
    }
}
