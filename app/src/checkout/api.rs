//! Checkout and order server functions: thin, parse at the edge, call the
//! ordering service, answer with a redirect (forms work without
//! JavaScript).

use contracts::basket::BasketV1;
use contracts::identity::AddressV1;
use contracts::ordering::{OrderSummaryV1, OrderV1, TotalsV1};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// Everything the checkout page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutV {
    pub basket: BasketV1,
    /// `None` for a guest.
    pub member: Option<Member>,
    pub offer: Offer,
    /// Names this checkout: posting it twice places one order.
    pub key: String,
}

/// What the shop offers for this basket: its totals delivered and picked
/// up, from when delivery is free, and where to send a bank transfer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub standard: TotalsV1,
    pub pickup: TotalsV1,
    pub free_delivery_from_minor: i64,
    pub bank_details: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub email: String,
    pub email_verified: bool,
    /// Their address book, to send the order to one of them.
    pub addresses: Vec<AddressV1>,
}

/// An order as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPageV {
    pub order: OrderV1,
    pub bank_details: String,
    pub transfer_days: i64,
    /// Carried by the page's forms so a guest can act on their order.
    pub key: String,
}

#[cfg(feature = "ssr")]
pub(super) mod edge {
    use ordering::OrderingClient;

    use crate::AppError;
    use crate::session::server::access_token;

    pub fn ordering() -> Result<OrderingClient, AppError> {
        crate::services::client("ordering")
    }

    /// Who is asking about an order: the signed-in person's token (staff
    /// see all, a member their own) and the order's link key (anyone with
    /// it sees that order). The ordering service decides.
    pub struct Asker {
        token: Option<String>,
        key: String,
    }

    impl Asker {
        pub fn of(key: &str) -> Self {
            Self {
                token: access_token(),
                key: key.to_owned(),
            }
        }

        pub fn as_ordering(&self) -> ordering::Asker<'_> {
            ordering::Asker {
                access_token: self.token.as_deref(),
                key: &self.key,
            }
        }
    }

    /// The shop's terms, or the logged generic failure.
    pub async fn terms(ordering: &OrderingClient) -> Result<ordering::Terms, AppError> {
        ordering
            .terms()
            .await
            .map_err(|e| AppError::internal("reading the shop's terms", &e))
    }

    /// The order `id`, if whoever asks (see [`Asker`]) may see it.
    pub async fn order_for(
        ordering: &OrderingClient,
        id: &str,
        key: &str,
    ) -> Result<contracts::ordering::OrderV1, AppError> {
        let asker = Asker::of(key);
        ordering
            .order(id, asker.as_ordering())
            .await
            .map_err(|e| AppError::internal("loading an order", &e))?
            .ok_or(AppError::NotFound)
    }

    pub fn order_page(id: &str, key: &str) -> String {
        if key.is_empty() {
            format!("/orders/{}", platform::url_encode(id))
        } else {
            format!(
                "/orders/{}?key={}",
                platform::url_encode(id),
                platform::url_encode(key)
            )
        }
    }
}

/// The checkout page's data: the basket priced now, the member's
/// addresses, both delivery options' totals and a fresh checkout key.
#[server(prefix = "/sf", endpoint = "checkout/view", input = GetUrl)]
pub async fn checkout_view() -> Result<CheckoutV, AppError> {
    use contracts::ordering::DeliveryMethod;

    let basket = match crate::basket::api::edge::owner() {
        Some(owner) => {
            let basket = crate::basket::api::edge::baskets()?.view(&owner).await;
            crate::basket::api::edge::or_empty(&owner, basket)
                .map_err(|e| AppError::internal("showing the basket at checkout", &e))?
        }
        None => BasketV1::default(),
    };
    let who = crate::session::server::principal();
    let addresses = match (&who, crate::session::server::access_token()) {
        (Some(_), Some(token)) => crate::account::api::edge::identity()?
            .addresses(&token)
            .await
            .map_err(|e| AppError::internal("loading addresses at checkout", &e))?,
        _ => Vec::new(),
    };
    let terms = edge::terms(&edge::ordering()?).await?;
    let offer = Offer {
        standard: terms.totals(basket.subtotal_minor, DeliveryMethod::Standard),
        pickup: terms.totals(basket.subtotal_minor, DeliveryMethod::Pickup),
        free_delivery_from_minor: terms.free_delivery_from_minor,
        bank_details: terms.bank_details,
    };
    Ok(CheckoutV {
        basket,
        member: who.map(|p| Member {
            name: p.name,
            email: p.email,
            email_verified: p.email_verified,
            addresses,
        }),
        offer,
        key: uuid::Uuid::now_v7().to_string(),
    })
}

/// A plain form post arrives as one argument per field, more than clippy
/// likes; the exception is kept to this module.
pub mod place {
    #![allow(clippy::too_many_arguments)]

    use leptos::prelude::*;

    #[cfg(feature = "ssr")]
    use super::{address_lines, edge};
    use crate::AppError;

    /// Places the order. Every field is checked and all problems are told at
    /// once, with what was typed kept; nothing is placed until all is well.
    #[server(prefix = "/sf", endpoint = "checkout/place")]
    pub async fn place_order(
        key: String,
        expected_subtotal: String,
        delivery: Option<String>,
        payment: Option<String>,
        address_id: Option<String>,
        name: Option<String>,
        email: Option<String>,
        recipient: Option<String>,
        line1: Option<String>,
        line2: Option<String>,
        city: Option<String>,
        region: Option<String>,
        postal_code: Option<String>,
        country: Option<String>,
        phone: Option<String>,
    ) -> Result<(), AppError> {
        use std::collections::BTreeMap;

        use contracts::identity::AddressFieldsV1;
        use contracts::ordering::{DeliveryMethod, PaymentMethod};

        use crate::account::api::edge::{as_strs, back_to, identity, onward};

        const PAGE: &str = "/checkout";
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let fields = AddressFieldsV1 {
            recipient: text(&recipient),
            line1: text(&line1),
            line2: text(&line2),
            city: text(&city),
            region: text(&region),
            postal_code: text(&postal_code),
            country: text(&country),
            phone: text(&phone),
        };
        let mut values: Vec<(&str, String)> = vec![
            ("delivery", text(&delivery)),
            ("payment", text(&payment)),
            ("address_id", text(&address_id)),
            ("name", text(&name)),
            ("email", text(&email)),
        ];
        values.extend(crate::account::addresses::typed_values(&fields));
        let values = as_strs(&values);
        let mut errors = BTreeMap::new();
        let who = crate::session::server::principal();

        if who.as_ref().is_some_and(|p| !p.email_verified) {
            errors.insert(
                "form".to_owned(),
                "Please confirm your email address before ordering: we've sent you a link."
                    .to_owned(),
            );
            return back_to(PAGE, "checkout", &values, errors);
        }
        let Ok(key) = uuid::Uuid::try_parse(&key) else {
            errors.insert(
                "form".into(),
                "This checkout page is out of date. Please check your order and place it again."
                    .into(),
            );
            return back_to(PAGE, "checkout", &[], errors);
        };
        let delivery = DeliveryMethod::parse(&text(&delivery));
        if delivery.is_none() {
            errors.insert(
                "delivery".into(),
                "Choose how you'd like your order.".into(),
            );
        }
        let payment = PaymentMethod::parse(&text(&payment));
        if payment.is_none() {
            errors.insert("payment".into(), "Choose how you'll pay.".into());
        }
        let (buyer_name, buyer_email) = match &who {
            Some(p) => (Some(p.name.clone()), Some(p.email.clone())),
            None => {
                let name = identity::PersonName::parse(&text(&name))
                    .map_err(|e| errors.insert("name".into(), e.to_string()))
                    .ok();
                let email = identity::Email::parse(&text(&email))
                    .map_err(|e| errors.insert("email".into(), e.to_string()))
                    .ok();
                (
                    name.map(|n| n.as_str().to_owned()),
                    email.map(|e| e.as_str().to_owned()),
                )
            }
        };
        let mut address = Vec::new();
        if delivery == Some(DeliveryMethod::Standard) {
            let saved = text(&address_id);
            let token = crate::session::server::access_token();
            let chosen = match (&who, token, saved.as_str()) {
                (Some(_), Some(token), id) if !id.is_empty() && id != "new" => {
                    match identity()?.address(&token, id).await {
                        Ok(found) => Some(found.fields),
                        Err(identity::Error::NoSuchAddress) => {
                            errors.insert(
                                "address_id".into(),
                                "That address is no longer in your address book.".into(),
                            );
                            None
                        }
                        Err(e) => {
                            return Err(AppError::internal("loading an address at checkout", &e));
                        }
                    }
                }
                _ => match crate::account::addresses::parse(&fields) {
                    Ok(parsed) => Some(parsed.fields().clone()),
                    Err(field_errors) => {
                        errors.extend(field_errors);
                        None
                    }
                },
            };
            if let Some(fields) = chosen {
                address = address_lines(&fields);
            }
        }
        let expected_subtotal = expected_subtotal.trim().parse::<i64>().ok();
        let (
            Some(delivery),
            Some(payment),
            Some(buyer_name),
            Some(buyer_email),
            Some(expected_subtotal),
            true,
        ) = (
            delivery,
            payment,
            buyer_name,
            buyer_email,
            expected_subtotal,
            errors.is_empty(),
        )
        else {
            if errors.is_empty() {
                errors.insert(
                    "form".into(),
                    "Some of what was sent was malformed. Please try again.".into(),
                );
            }
            return back_to(PAGE, "checkout", &values, errors);
        };

        let Some(owner) = crate::basket::api::edge::owner() else {
            return onward("/basket", "basket", "Your basket is empty.");
        };
        let basket = crate::basket::api::edge::baskets()?.view(&owner).await;
        let basket = crate::basket::api::edge::or_empty(&owner, basket)
            .map_err(|e| AppError::internal("reading the basket at checkout", &e))?;
        let ordering = edge::ordering()?;
        let terms = edge::terms(&ordering).await?;
        let token = crate::session::server::access_token();
        let lines: Vec<(catalog_api::Sku, catalog_api::Quantity)> = basket
            .lines
            .iter()
            .filter_map(|l| {
                Some((
                    catalog_api::Sku::parse(&l.sku).ok()?,
                    catalog_api::Quantity::new(l.quantity).ok()?,
                ))
            })
            .collect();
        let checkout = ordering::Checkout {
            idempotency_key: key,
            customer_id: who.as_ref().map(|p| p.user_id.clone()),
            basket: Some(basket.key.clone()).filter(|key| !key.is_empty()),
            email: buyer_email,
            name: buyer_name,
            address,
            payment_method: payment,
            delivery_method: delivery,
            expected_total_minor: terms.totals(expected_subtotal, delivery).total_minor,
            lines,
        };
        // A repeated post of a placed checkout finds its order, even though
        // the basket may have changed since.
        if !basket.ready_for_checkout() {
            if let Ok(placed) = ordering
                .place_order(
                    token.as_deref(),
                    &ordering::Checkout {
                        lines: Vec::new(),
                        ..checkout.clone()
                    },
                )
                .await
            {
                leptos_axum::redirect(&edge::order_page(&placed.order_id, &placed.view_key));
                return Ok(());
            }
            return onward(
                "/basket",
                "basket",
                "Your basket changed: please check it before ordering.",
            );
        }
        match ordering.place_order(token.as_deref(), &checkout).await {
            Ok(placed) => {
                leptos_axum::redirect(&edge::order_page(&placed.order_id, &placed.view_key));
                Ok(())
            }
            Err(err) if !err.is_internal() => {
                errors.insert("form".into(), err.to_string());
                back_to(PAGE, "checkout", &values, errors)
            }
            Err(err) => Err(AppError::internal("placing an order", &err)),
        }
    }
}

/// An address as lines on a parcel.
#[cfg(feature = "ssr")]
fn address_lines(fields: &contracts::identity::AddressFieldsV1) -> Vec<String> {
    let mut lines = crate::account::addresses::parcel_lines(fields);
    if !fields.phone.is_empty() {
        lines.push(format!("Phone {}", fields.phone));
    }
    lines
}

/// One order, for its customer, whoever holds its link, or staff.
#[server(prefix = "/sf", endpoint = "orders/view", input = GetUrl)]
pub async fn order_view(id: String, key: String) -> Result<OrderPageV, AppError> {
    let ordering = edge::ordering()?;
    let order = edge::order_for(&ordering, &id, &key).await?;
    let terms = edge::terms(&ordering).await?;
    Ok(OrderPageV {
        order,
        bank_details: terms.bank_details.clone(),
        transfer_days: terms.transfer_days,
        key,
    })
}

/// The signed-in member's orders, newest first.
#[server(prefix = "/sf", endpoint = "orders/mine", input = GetUrl)]
pub async fn my_orders() -> Result<Vec<OrderSummaryV1>, AppError> {
    crate::session::server::principal().ok_or(AppError::Unauthenticated)?;
    let token = crate::session::server::access_token().ok_or(AppError::Unauthenticated)?;
    edge::ordering()?
        .orders_of(&token)
        .await
        .map_err(|e| AppError::internal("listing orders", &e))
}

/// The shopper cancels an order that has not shipped.
#[server(prefix = "/sf", endpoint = "orders/cancel")]
pub async fn cancel_order(id: String, key: String) -> Result<(), AppError> {
    use crate::account::api::edge::{back_to, one_error, onward};

    let page = edge::order_page(&id, &key);
    let ordering = edge::ordering()?;
    let asker = edge::Asker::of(&key);
    let done = ordering
        .cancel_order(&id, asker.as_ordering(), "you cancelled it")
        .await;
    match done {
        Ok(()) => onward(
            &page,
            "order",
            "Your order is cancelled. Nothing will be charged.",
        ),
        Err(ordering::Error::NoSuchOrder) => Err(AppError::NotFound),
        Err(err) if !err.is_internal() => back_to(&page, "order", &[], one_error("form", err)),
        Err(err) => Err(AppError::internal("cancelling an order", &err)),
    }
}

/// Puts an earlier order's items back in the basket, as far as stock goes.
#[server(prefix = "/sf", endpoint = "orders/buy-again")]
pub async fn buy_again(id: String, key: String) -> Result<(), AppError> {
    use crate::account::api::edge::onward;

    let order = edge::order_for(&edge::ordering()?, &id, &key).await?;
    let baskets = crate::basket::api::edge::baskets()?;
    let mut owner = crate::basket::api::edge::owner_or_new_guest(&baskets).await?;
    let mut missed = 0;
    for line in &order.lines {
        let parsed = (
            catalog_api::Sku::parse(&line.sku),
            catalog_api::Quantity::new(line.quantity),
        );
        let added = match parsed {
            (Ok(sku), Ok(quantity)) => {
                crate::basket::api::edge::add(&baskets, &mut owner, &sku, quantity).await
            }
            _ => Err(basket::Error::UnknownVariant),
        };
        match added {
            Ok(a) if !a.capped => {}
            Ok(_) => missed += 1,
            Err(e) if !e.is_internal() => missed += 1,
            Err(e) => return Err(AppError::internal("buying again", &e)),
        }
    }
    let notice = if missed == 0 {
        "Everything from that order is in your basket again.".to_owned()
    } else {
        format!(
            "In your basket again, except {missed} item(s) no longer available in that quantity."
        )
    };
    onward("/basket", "basket", &notice)
}
