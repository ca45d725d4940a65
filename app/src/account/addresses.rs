//! The address book: a list with edit, delete and "make default", and one
//! form for adding or editing an address. Plain forms posting to server
//! functions, like every account page.

use contracts::countries::{COUNTRIES, country_name};
use contracts::identity::{AddressFieldsV1, AddressV1};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::forms::{Banners, Field, SelectField, Submit};
use crate::AppError;
use crate::components::loaded::Loaded;
use crate::session::Flash;

const LIST: &str = "/account/addresses";

#[server(prefix = "/sf", endpoint = "account/addresses", input = GetUrl)]
pub async fn addresses() -> Result<Vec<AddressV1>, AppError> {
    let book = async |client: &identity::IdentityClient, token: &str| client.addresses(token).await;
    super::api::edge::as_member("reading an address book", book).await
}

/// One address of the person signed in; `None` if it isn't theirs (or no
/// longer exists).
#[server(prefix = "/sf", endpoint = "account/address", input = GetUrl)]
pub async fn address(id: String) -> Result<Option<AddressV1>, AppError> {
    let (_, token) = super::api::edge::member()?;
    match super::api::edge::identity()?.address(&token, &id).await {
        Ok(address) => Ok(Some(address)),
        Err(identity::Error::NoSuchAddress) => Ok(None),
        Err(err) => Err(AppError::internal("reading an address", &err)),
    }
}

/// Adds an address (`id` empty) or replaces one. The address's fields
/// arrive as the form names them; `default` is the checkbox, absent when
/// unticked.
#[server(prefix = "/sf", endpoint = "account/save-address")]
pub async fn save_address(
    id: String,
    #[server(flatten)] fields: AddressFieldsV1,
    default: Option<String>,
) -> Result<(), AppError> {
    use super::api::edge;

    let (_, token) = edge::member()?;
    let default = default.is_some();
    let form_page = if id.is_empty() {
        format!("{LIST}/new")
    } else {
        format!("{LIST}/{}", platform::url_encode(&id))
    };
    let mut values = typed_values(&fields);
    values.push((
        "default",
        if default { "yes".into() } else { String::new() },
    ));
    let values = edge::as_strs(&values);
    let address = match parse(&fields) {
        Ok(address) => address,
        Err(errors) => return edge::back_to(&form_page, "address", &values, errors),
    };
    let existing = (!id.is_empty()).then_some(id.as_str());
    match edge::identity()?
        .save_address(&token, existing, &address, default)
        .await
    {
        Ok(_) => edge::onward(LIST, "addresses", "Address saved."),
        Err(identity::Error::NoSuchAddress) => edge::onward(
            LIST,
            "addresses",
            "That address was deleted meanwhile; nothing was saved.",
        ),
        Err(err) => {
            let message = edge::form_error(err, "saving an address")?;
            edge::back_to(
                &form_page,
                "address",
                &values,
                edge::one_error("form", message),
            )
        }
    }
}

/// What was typed in each field of an address, as a refused form keeps it
/// (the address book's form and checkout's).
#[cfg(feature = "ssr")]
pub(crate) fn typed_values(fields: &AddressFieldsV1) -> Vec<(&'static str, String)> {
    vec![
        ("recipient", fields.recipient.clone()),
        ("line1", fields.line1.clone()),
        ("line2", fields.line2.clone()),
        ("city", fields.city.clone()),
        ("region", fields.region.clone()),
        ("postal_code", fields.postal_code.clone()),
        ("country", fields.country.clone()),
        ("phone", fields.phone.clone()),
    ]
}

/// The address, or a message for each field identity refuses.
#[cfg(feature = "ssr")]
pub(crate) fn parse(
    fields: &AddressFieldsV1,
) -> Result<identity::Address, std::collections::BTreeMap<String, String>> {
    identity::Address::parse(fields).map_err(|errors| {
        errors
            .into_iter()
            .map(|(field, err)| (field.to_owned(), err.to_string()))
            .collect()
    })
}

/// An address as it is written on a parcel, a line each (those given):
/// the recipient, the street, the town (city, region, postal code) and the
/// country by name.
pub(crate) fn parcel_lines(fields: &AddressFieldsV1) -> Vec<String> {
    let town = [&fields.city, &fields.region, &fields.postal_code]
        .into_iter()
        .filter(|part| !part.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    let country = country_name(&fields.country).unwrap_or(&fields.country);
    [&fields.recipient, &fields.line1, &fields.line2, &town]
        .map(String::as_str)
        .into_iter()
        .chain([country])
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

#[server(prefix = "/sf", endpoint = "account/delete-address")]
pub async fn delete_address(id: String) -> Result<(), AppError> {
    use super::api::edge;

    let (_, token) = edge::member()?;
    match edge::identity()?.delete_address(&token, &id).await {
        Ok(()) | Err(identity::Error::NoSuchAddress) => {
            edge::onward(LIST, "addresses", "Address deleted.")
        }
        Err(err) => Err(AppError::internal("deleting an address", &err)),
    }
}

#[server(prefix = "/sf", endpoint = "account/default-address")]
pub async fn make_default(id: String) -> Result<(), AppError> {
    use super::api::edge;

    let (_, token) = edge::member()?;
    match edge::identity()?.set_default_address(&token, &id).await {
        Ok(()) => edge::onward(LIST, "addresses", "Default shipping address changed."),
        Err(identity::Error::NoSuchAddress) => edge::back_to(
            LIST,
            "addresses",
            &[],
            edge::one_error("form", identity::Error::NoSuchAddress),
        ),
        Err(err) => Err(AppError::internal("choosing a default address", &err)),
    }
}

/// An address as it is written on a parcel.
#[component]
pub fn AddressLines(fields: AddressFieldsV1) -> impl IntoView {
    view! {
        <address class="not-italic leading-relaxed text-stone-800">
            {parcel_lines(&fields)
                .into_iter()
                .map(|line| view! { <span class="block">{line}</span> })
                .collect_view()}
        </address>
    }
}

const BUTTON: &str = "rounded-md border border-stone-300 px-3 py-1.5 text-sm font-medium hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-teal-800";

#[component]
pub fn AddressBookPage() -> impl IntoView {
    let book = Resource::new(|| (), |_| addresses());
    let show = |book, flash| view! { <div class="mt-4"><Banners flash=Some(flash) /></div><AddressList book /> };
    view! {
        <Title text="Your addresses" />
        <div class="mx-auto max-w-2xl">
            <p class="text-sm"><a href="/account" class="text-teal-800 underline underline-offset-4">"Your account"</a></p>
            <h1 class="mt-2 text-2xl font-bold">"Your addresses"</h1>
            <Loaded data=book flash="addresses" back=LIST show />
        </div>
    }
}

#[component]
fn AddressList(book: Vec<AddressV1>) -> impl IntoView {
    let empty = book.is_empty();
    let full = book.len() >= 20;
    view! {
        {empty.then(|| view! {
            <p class="mt-4 text-stone-700" data-testid="no-addresses">"No addresses yet. Add one and checkout will fill it in for you."</p>
        })}
        <ul class="mt-4 grid gap-4 sm:grid-cols-2" data-testid="address-list">
            {book.into_iter().map(|address| {
                let AddressV1 { id, fields, default_shipping } = address;
                let label = format!("{}, {}", fields.recipient, fields.line1);
                view! {
                    <li class="rounded-lg border border-stone-200 bg-white p-4" data-testid="address">
                        {default_shipping.then(|| view! {
                            <p class="mb-2 text-sm font-semibold text-teal-800" data-testid="default-address">"Default shipping address"</p>
                        })}
                        <AddressLines fields />
                        <div class="mt-3 flex flex-wrap gap-2">
                            <a href=format!("{LIST}/{id}") class=BUTTON aria-label=format!("Edit {label}")>"Edit"</a>
                            {(!default_shipping).then(|| view! {
                                <form method="post" action="/sf/account/default-address">
                                    <input type="hidden" name="id" value=id.clone() />
                                    <button type="submit" class=BUTTON aria-label=format!("Make {label} the default")>"Make default"</button>
                                </form>
                            })}
                            <form method="post" action="/sf/account/delete-address">
                                <input type="hidden" name="id" value=id.clone() />
                                <button type="submit" class=BUTTON aria-label=format!("Delete {label}")>"Delete"</button>
                            </form>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
        {if full {
            view! { <p class="mt-6 text-stone-700">"Your address book is full (20 addresses). Delete one to add another."</p> }.into_any()
        } else {
            view! {
                <p class="mt-6">
                    <a href=format!("{LIST}/new") class="inline-block rounded-md bg-teal-900 px-4 py-2.5 font-semibold text-white hover:bg-teal-800">"Add an address"</a>
                </p>
            }.into_any()
        }}
    }
}

/// `/account/addresses/new` and `/account/addresses/:id`.
#[component]
pub fn AddressFormPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("id").unwrap_or_default();
    let id = if id == "new" { String::new() } else { id };
    let existing = {
        let id = id.clone();
        Resource::new(
            || (),
            move |_| {
                let id = id.clone();
                async move {
                    if id.is_empty() {
                        Ok(None)
                    } else {
                        address(id).await
                    }
                }
            },
        )
    };
    let title = if id.is_empty() {
        "Add an address"
    } else {
        "Edit address"
    };
    let show = move |found: Option<AddressV1>, flash| {
        if id.is_empty() || found.is_some() {
            view! { <AddressForm id=id.clone() found flash /> }.into_any()
        } else {
            view! {
                <p class="text-stone-700" data-testid="address-missing">"That address isn't in your address book."</p>
            }
            .into_any()
        }
    };
    view! {
        <Title text=title />
        <section class="mx-auto max-w-xl rounded-lg border border-stone-200 bg-white p-6 shadow-sm sm:p-8">
            <p class="text-sm"><a href=LIST class="text-teal-800 underline underline-offset-4">"Your addresses"</a></p>
            <h1 class="mt-2 mb-4 text-2xl font-bold text-stone-900">{title}</h1>
            <Loaded data=existing flash="address" back=LIST show />
        </section>
    }
}

#[component]
fn AddressForm(id: String, found: Option<AddressV1>, flash: Flash) -> impl IntoView {
    // After a refused post, what was typed; otherwise what is stored.
    let stored = found.clone().map(|a| a.fields).unwrap_or_default();
    let stored_default = found.as_ref().is_some_and(|a| a.default_shipping);
    let is_default = flash.typed_or("default", if stored_default { "yes" } else { "" }) == "yes";
    let typed = flash.clone();
    let value = move |field: &str, stored: &str| typed.typed_or(field, stored);
    let errors = flash.clone();
    let error = move |field: &str| errors.error(field);
    view! {
        <Banners flash=Some(flash.clone()) />
        <form method="post" action="/sf/account/save-address" novalidate>
            <input type="hidden" name="id" value=id />
            <AddressFields value error stored />
            <div class="mt-4 flex items-center gap-2">
                <input id="field-default" type="checkbox" name="default" value="yes" checked=is_default class="h-5 w-5 accent-teal-800" />
                <label for="field-default" class="text-stone-800">"Use as my default shipping address"</label>
            </div>
            <Submit label="Save address" />
        </form>
    }
}

/// The fields of a postal address, each with its typed value (`value`
/// picks between what was typed and what is stored) and its error.
#[component]
pub fn AddressFields(
    value: impl Fn(&str, &str) -> String,
    error: impl Fn(&str) -> Option<String>,
    stored: AddressFieldsV1,
) -> impl IntoView {
    view! {
        <Field name="recipient" label="Full name" autocomplete="shipping name" value=value("recipient", &stored.recipient) error=error("recipient") />
        <Field name="line1" label="Street address" autocomplete="shipping address-line1" value=value("line1", &stored.line1) error=error("line1") />
        <Field name="line2" label="Flat, suite, building (optional)" autocomplete="shipping address-line2" optional=true value=value("line2", &stored.line2) error=error("line2") />
        <Field name="city" label="Town or city" autocomplete="shipping address-level2" value=value("city", &stored.city) error=error("city") />
        <Field name="region" label="State, province or county (if used)" autocomplete="shipping address-level1" optional=true value=value("region", &stored.region) error=error("region") />
        <Field name="postal_code" label="Postal code" autocomplete="shipping postal-code" value=value("postal_code", &stored.postal_code) error=error("postal_code") />
        <CountrySelect selected=value("country", &stored.country) error=error("country") />
        <Field name="phone" label="Phone for the courier (optional)" kind="tel" autocomplete="shipping tel" optional=true value=value("phone", &stored.phone) error=error("phone") />
    }
}

#[component]
fn CountrySelect(selected: String, error: Option<String>) -> impl IntoView {
    view! {
        <SelectField name="country" label="Country" autocomplete="shipping country" required=true error>
            <option value="" selected=selected.is_empty()>"Choose a country"</option>
            {COUNTRIES.iter().map(|(code, name)| {
                view! { <option value=*code selected=selected == *code>{*name}</option> }
            }).collect_view()}
        </SelectField>
    }
}
