use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::account::addresses::{AddressBookPage, AddressFormPage};
use crate::account::pages::{
    AccountPage, CheckEmailPage, ConfirmEmailPage, ForgotPage, ResetPage, SignInPage, SignUpPage,
    VerifyPage, ViewerResource,
};
use crate::admin::catalog::{AdminProductPage, AdminProductsPage};
use crate::admin::categories::{AdminCategoriesPage, AdminCategoryPage};
use crate::admin::collections::{AdminCollectionPage, AdminCollectionsPage};
use crate::admin::dashboard::AdminPage;
use crate::admin::orders::{AdminOrderPage, AdminOrdersPage, PackingSlipPage};
use crate::admin::product_form::AdminNewProductPage;
use crate::api::{self, DepartmentsResource};
use crate::basket::page::BasketPage;
use crate::checkout::orders::{OrderPage, OrdersPage};
use crate::checkout::page::CheckoutPage;
use crate::components::footer::SiteFooter;
use crate::components::header::SiteHeader;
use crate::pages::category::CategoryPage;
use crate::pages::collection::CollectionPage;
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFound;
use crate::pages::product::ProductPage;
use crate::pages::search::SearchPage;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        let csp = crate::security::content_security_policy(&nonce, &options);
        if let Ok(value) = http::HeaderValue::from_str(&csp) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#134e4a" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options=options.clone() islands=true />
                <HashedStylesheet options=options id="leptos" />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-stone-50 text-stone-900 antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let departments: DepartmentsResource = Resource::new(|| (), |_| api::departments());
    provide_context(departments);
    let viewer: ViewerResource = Resource::new(|| (), |_| crate::account::api::current_viewer());
    provide_context(viewer);

    view! {
        <Title formatter=|title: String| format!("{} · SURY", title_text(&title)) />
        <Router>
            <div class="flex min-h-screen flex-col">
                <div class="print:hidden"><SiteHeader /></div>
                <main id="main" class="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 lg:px-8">
                    // Async: the whole page, status code included, is decided
                    // before the first byte, so it works without JavaScript.
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("/c/:slug") view=CategoryPage ssr=SsrMode::Async />
                        <Route path=path!("/collections/:slug") view=CollectionPage ssr=SsrMode::Async />
                        <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async />
                        <Route path=path!("/p/:slug") view=ProductPage ssr=SsrMode::Async />
                        <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                        <Route path=path!("/account/sign-up") view=SignUpPage ssr=SsrMode::Async />
                        <Route path=path!("/account/check-email") view=CheckEmailPage ssr=SsrMode::Async />
                        <Route path=path!("/account/sign-in") view=SignInPage ssr=SsrMode::Async />
                        <Route path=path!("/account/verify") view=VerifyPage ssr=SsrMode::Async />
                        <Route path=path!("/account/forgot") view=ForgotPage ssr=SsrMode::Async />
                        <Route path=path!("/account/reset") view=ResetPage ssr=SsrMode::Async />
                        <Route path=path!("/account/confirm-email") view=ConfirmEmailPage ssr=SsrMode::Async />
                        <Route path=path!("/account/addresses") view=AddressBookPage ssr=SsrMode::Async />
                        <Route path=path!("/account/addresses/:id") view=AddressFormPage ssr=SsrMode::Async />
                        <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/orders") view=AdminOrdersPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/products") view=AdminProductsPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/collections") view=AdminCollectionsPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/categories") view=AdminCategoriesPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/categories/:slug") view=AdminCategoryPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/collections/:slug") view=AdminCollectionPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/products/new") view=AdminNewProductPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/products/:slug") view=AdminProductPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/orders/:id") view=AdminOrderPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/orders/:id/slip") view=PackingSlipPage ssr=SsrMode::Async />
                        <Route path=path!("/basket") view=BasketPage ssr=SsrMode::Async />
                        <Route path=path!("/checkout") view=CheckoutPage ssr=SsrMode::Async />
                        <Route path=path!("/orders/:id") view=OrderPage ssr=SsrMode::Async />
                        <Route path=path!("/account/orders") view=OrdersPage ssr=SsrMode::Async />
                    </Routes>
                </main>
                <div class="print:hidden"><SiteFooter /></div>
            </div>
        </Router>
    }
}

/// A page title as it goes into `<title>`: leptos_meta 0.8 writes it into
/// the server's HTML unescaped, so a searched `</title><script>` would
/// otherwise end the title and start markup. In the browser the title is
/// set as text, where it needs nothing.
pub fn title_text(title: &str) -> String {
    if cfg!(feature = "ssr") {
        title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        title.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Only the server's HTML needs it (see `title_text`).
    #[cfg(feature = "ssr")]
    #[test]
    fn titles_cannot_end_the_title_element() {
        assert_eq!(
            title_text("</title><script>x</script> & co"),
            "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt; &amp; co"
        );
    }
}
