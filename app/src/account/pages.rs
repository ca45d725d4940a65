//! Account pages. Each renders on the server with whatever the last post
//! left in its flash (typed values, messages), so nothing depends on
//! JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::addresses::AddressLines;
use super::api;
use super::forms::{Banners, Card, Field, FlashCard, Submit, flash_for};
use crate::AppError;
use crate::components::error_panel::ErrorPanel;
use crate::session::{Flash, Viewer};
use contracts::identity::{AddressV1, ProfileV1};

/// The person signed in, loaded once per page (header and pages share it).
pub type ViewerResource = Resource<Result<Option<Viewer>, AppError>>;

fn query(name: &'static str) -> String {
    use_query_map()
        .read_untracked()
        .get(name)
        .unwrap_or_default()
}

const LINK: &str = "font-medium text-teal-800 underline underline-offset-4 hover:text-teal-950";

#[component]
pub fn SignUpPage() -> impl IntoView {
    let body = |flash: Flash| {
        view! {
            <form method="post" action="/sf/account/sign-up" novalidate>
                <Field name="name" label="Your name" autocomplete="name" value=flash.value("name") error=flash.error("name") />
                <Field name="email" label="Email" kind="email" autocomplete="email" value=flash.value("email") error=flash.error("email") />
                <Field name="password" label="Password" kind="password" autocomplete="new-password"
                    hint="At least 8 characters. A few words make a good one." error=flash.error("password") />
                <Submit label="Create account" />
            </form>
        }
    };
    view! {
        <FlashCard title="Create an account" form="sign-up" body>
            <p class="mt-6 text-sm text-stone-700">"Already have an account? " <a href="/account/sign-in" class=LINK>"Sign in"</a></p>
        </FlashCard>
    }
}

#[component]
pub fn CheckEmailPage() -> impl IntoView {
    view! {
        <Title text="Check your email" />
        <Card title="Check your email">
            <p data-testid="check-email" class="text-stone-700">
                "We've sent a link to the address you gave. Open it to confirm your address. You can sign in and shop meanwhile; we'll ask for the confirmation at checkout."
            </p>
            <p class="mt-4"><a href="/account/sign-in" class=LINK>"Sign in"</a></p>
        </Card>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let next = query("next");
    let body = move |flash: Flash| {
        view! {
            <form method="post" action="/sf/account/sign-in" novalidate>
                <input type="hidden" name="next" value=next.clone() />
                <Field name="email" label="Email" kind="email" autocomplete="username" value=flash.value("email") />
                <Field name="password" label="Password" kind="password" autocomplete="current-password" />
                <Submit label="Sign in" />
            </form>
        }
    };
    view! {
        <FlashCard title="Sign in" form="sign-in" body>
            <p class="mt-6 text-sm text-stone-700"><a href="/account/forgot" class=LINK>"Forgot your password?"</a></p>
            <p class="mt-2 text-sm text-stone-700">"New here? " <a href="/account/sign-up" class=LINK>"Create an account"</a></p>
        </FlashCard>
    }
}

/// An emailed link lands here.
#[component]
pub fn VerifyPage() -> impl IntoView {
    view! {
        <LinkPage title="Confirm your email" form="verify" explain="One click and your address is confirmed." submit="Confirm my email">
            <p class="text-stone-700">"Sign in and ask for a new link from your account page."</p>
            <p class="mt-4"><a href="/account" class=LINK>"Your account"</a></p>
        </LinkPage>
    }
}

/// The page an emailed link opens: one click posts its token to
/// `/sf/account/<form>`. A post, so a mail scanner that opens links does
/// not use the token up. Opened without a token, it shows the children.
#[component]
fn LinkPage(
    title: &'static str,
    form: &'static str,
    explain: &'static str,
    submit: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let token = query("token");
    let body = move |_| {
        if token.is_empty() {
            children().into_any()
        } else {
            view! {
                <form method="post" action=format!("/sf/account/{form}")>
                    <input type="hidden" name="token" value=token.clone() />
                    <p class="text-stone-700">{explain}</p>
                    <Submit label=submit />
                </form>
            }
            .into_any()
        }
    };
    view! { <FlashCard title form body /> }
}

#[component]
pub fn ForgotPage() -> impl IntoView {
    let body = |flash: Flash| {
        view! {
            <p class="text-stone-700">"Enter your email and we'll send you a link to choose a new password."</p>
            <form method="post" action="/sf/account/forgot" novalidate>
                <Field name="email" label="Email" kind="email" autocomplete="email" value=flash.value("email") error=flash.error("email") />
                <Submit label="Send me a link" />
            </form>
        }
    };
    view! {
        <FlashCard title="Forgot your password?" tab="Forgot your password" form="forgot" body>
            <p class="mt-6 text-sm"><a href="/account/sign-in" class=LINK>"Back to sign in"</a></p>
        </FlashCard>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let token = query("token");
    let body = move |flash: Flash| {
        view! {
            <form method="post" action="/sf/account/reset" novalidate>
                <input type="hidden" name="token" value=token.clone() />
                <Field name="password" label="New password" kind="password" autocomplete="new-password"
                    hint="At least 8 characters." error=flash.error("password") />
                <Submit label="Save new password" />
            </form>
        }
    };
    view! { <FlashCard title="Choose a new password" form="reset" body /> }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| api::profile());
    let book = Resource::new(|| (), |_| super::addresses::addresses());
    let flash = flash_for("account");
    view! {
        <Title text="Your account" />
        <Suspense>
            {move || Suspend::new(async move {
                let flash = flash.await.unwrap_or_default();
                match (profile.await, book.await) {
                    (Ok(profile), Ok(book)) => {
                        let default = book.into_iter().find(|a| a.default_shipping);
                        view! { <AccountView profile default flash /> }.into_any()
                    }
                    (Err(AppError::Unauthenticated), _) | (_, Err(AppError::Unauthenticated)) => {
                        view! { <Redirect path="/account/sign-in?next=/account" /> }.into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

const SECTION: &str = "mt-6 rounded-lg border border-stone-200 bg-white p-6";

#[component]
fn AccountView(profile: ProfileV1, default: Option<AddressV1>, flash: Flash) -> impl IntoView {
    let ProfileV1 {
        name,
        email,
        email_verified,
        phone,
        pending_email,
    } = profile;
    let profile_flash = flash.of("account/profile");
    let name_value = profile_flash.typed_or("name", &name);
    let phone_value = profile_flash.typed_or("phone", &phone.unwrap_or_default());
    let email_flash = flash.of("account/email");
    let password_flash = flash.of("account/password");
    view! {
        <div class="mx-auto max-w-2xl">
            <h1 class="text-2xl font-bold">"Hello, " {name}</h1>
            <div class="mt-4"><Banners flash=Some(flash.clone()) /></div>
            <section aria-labelledby="profile-heading" class=SECTION>
                <h2 id="profile-heading" class="text-lg font-semibold">"Your details"</h2>
                <form method="post" action="/sf/account/update-profile" novalidate>
                    <Field name="name" label="Your name" autocomplete="name" value=name_value error=profile_flash.error("name") />
                    <Field name="phone" label="Phone (optional)" kind="tel" autocomplete="tel" optional=true
                        hint="For delivery questions only." value=phone_value error=profile_flash.error("phone") />
                    <Submit label="Save details" />
                </form>
            </section>
            <section aria-labelledby="email-heading" class=SECTION>
                <h2 id="email-heading" class="text-lg font-semibold">"Email"</h2>
                <p class="mt-1 text-stone-800" data-testid="account-email">{email}</p>
                {if email_verified {
                    view! { <p data-testid="verified" class="mt-1 text-sm font-medium text-teal-800">"Confirmed"</p> }.into_any()
                } else {
                    view! {
                        <p data-testid="unverified" class="mt-1 text-sm text-amber-900">"Not confirmed yet: open the link we emailed you."</p>
                        <form method="post" action="/sf/account/resend-verification" class="mt-2">
                            <button type="submit" class="text-sm font-medium text-teal-800 underline underline-offset-4">"Send a new link"</button>
                        </form>
                    }.into_any()
                }}
                {pending_email.map(|pending| view! {
                    <p data-testid="pending-email" class="mt-3 text-sm text-stone-700">
                        "Waiting for you to confirm " <strong>{pending}</strong> " from the link we sent there."
                    </p>
                })}
                <h3 class="mt-5 font-semibold">"Change email"</h3>
                <form method="post" action="/sf/account/change-email" novalidate>
                    <Field name="new_email" label="New email" kind="email" autocomplete="email"
                        value=email_flash.value("new_email") error=email_flash.error("new_email") />
                    <Field name="email_password" label="Current password" kind="password" autocomplete="current-password"
                        error=email_flash.error("email_password") />
                    <Submit label="Send a confirmation link" />
                </form>
            </section>
            <section aria-labelledby="addresses-heading" class=SECTION>
                <h2 id="addresses-heading" class="text-lg font-semibold">"Addresses"</h2>
                {match default {
                    Some(address) => view! {
                        <p class="mt-1 text-sm text-stone-600">"Default shipping address"</p>
                        <div class="mt-1"><AddressLines fields=address.fields /></div>
                    }.into_any(),
                    None => view! { <p class="mt-1 text-stone-700">"No saved addresses yet."</p> }.into_any(),
                }}
                <p class="mt-3"><a href="/account/addresses" class=LINK>"Manage addresses"</a></p>
            </section>
            <section aria-labelledby="password-heading" class=SECTION>
                <h2 id="password-heading" class="text-lg font-semibold">"Change password"</h2>
                <form method="post" action="/sf/account/change-password" novalidate>
                    <Field name="current" label="Current password" kind="password" autocomplete="current-password" error=password_flash.error("current") />
                    <Field name="password" label="New password" kind="password" autocomplete="new-password" hint="At least 8 characters." error=password_flash.error("password") />
                    <Submit label="Change password" />
                </form>
            </section>
            <section aria-labelledby="sessions-heading" class=SECTION>
                <h2 id="sessions-heading" class="text-lg font-semibold">"Sign out"</h2>
                <div class="mt-3 flex flex-wrap gap-3">
                    <form method="post" action="/sf/account/sign-out">
                        <input type="hidden" name="everywhere" value="no" />
                        <button type="submit" class="rounded-md border border-stone-300 px-4 py-2 font-medium hover:bg-stone-100">"Sign out"</button>
                    </form>
                    <form method="post" action="/sf/account/sign-out">
                        <input type="hidden" name="everywhere" value="yes" />
                        <button type="submit" class="rounded-md border border-stone-300 px-4 py-2 font-medium hover:bg-stone-100">"Sign out of all devices"</button>
                    </form>
                </div>
            </section>
        </div>
    }
}

/// The link sent to a new email address lands here.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    view! {
        <LinkPage title="Confirm your new email" form="confirm-email" explain="One click and your account uses this address from now on." submit="Use my new email">
            <p class="text-stone-700">"Open the link from the email we sent to your new address."</p>
        </LinkPage>
    }
}
