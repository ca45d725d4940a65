//! Basket server functions: thin, parse at the edge, call the basket
//! service. Form posts answer with a redirect (no JavaScript needed);
//! `add_now` answers with data for the island that adds in place.

use contracts::basket::BasketV1;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use crate::AppError;

#[cfg(feature = "ssr")]
pub(crate) mod edge {
    use basket::{Added, BasketClient, Holder};
    use catalog_api::{Quantity, Sku};
    use leptos::prelude::use_context;

    use crate::AppError;
    use crate::session::server::{access_token, add_cookie, policy, principal, read_cookie};

    /// A guest cookie outlives any basket it names; an expired basket is
    /// simply empty.
    const GUEST_COOKIE_SECS: u64 = 365 * 24 * 3600;

    pub fn baskets() -> Result<BasketClient, AppError> {
        crate::services::client("basket")
    }

    /// The ticket this browser's basket cookie holds, if any. The basket
    /// service alone can tell whether it is genuine.
    fn guest_ticket() -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        read_cookie(&parts.headers, policy().basket_name())
            .filter(|ticket| !ticket.is_empty())
            .map(str::to_owned)
    }

    pub fn forget_guest() {
        let policy = policy();
        add_cookie(&policy.cookie(policy.basket_name(), "", 0));
    }

    /// Whose basket this request is about: the member's when signed in,
    /// else the guest's; `None` for a guest with no basket yet.
    pub fn owner() -> Option<Holder> {
        if principal().is_some()
            && let Some(access_token) = access_token()
        {
            return Some(Holder::Member { access_token });
        }
        guest_ticket().map(|ticket| Holder::Guest { ticket })
    }

    /// A new guest, with the cookie that names them from now on.
    async fn new_guest(baskets: &BasketClient) -> Result<Holder, AppError> {
        let ticket = baskets
            .new_guest()
            .await
            .map_err(|e| AppError::internal("making a guest basket", &e))?;
        let policy = policy();
        add_cookie(&policy.cookie(policy.basket_name(), &ticket, GUEST_COOKIE_SECS));
        Ok(Holder::Guest { ticket })
    }

    /// Like [`owner`], but a new guest (with their cookie) when there is
    /// nobody yet: adding to a basket is what makes one.
    pub async fn owner_or_new_guest(baskets: &BasketClient) -> Result<Holder, AppError> {
        match owner() {
            Some(holder) => Ok(holder),
            None => new_guest(baskets).await,
        }
    }

    /// A guest whose ticket does not hold (tampered with, or signed with a
    /// key since replaced) has no basket: the cookie goes, and what they
    /// see is an empty basket.
    pub fn or_empty<T: Default>(
        holder: &Holder,
        result: Result<T, basket::Error>,
    ) -> Result<T, basket::Error> {
        match result {
            Err(basket::Error::NoBasket) if matches!(holder, Holder::Guest { .. }) => {
                tracing::info!("ignored a basket cookie the basket service does not accept");
                forget_guest();
                Ok(T::default())
            }
            other => other,
        }
    }

    /// Adds to `holder`'s basket; a guest whose ticket does not hold gets
    /// a new basket (and `holder` becomes it) rather than an error.
    pub async fn add(
        baskets: &BasketClient,
        holder: &mut Holder,
        sku: &Sku,
        quantity: Quantity,
    ) -> Result<Added, basket::Error> {
        match baskets.add(holder, sku, quantity).await {
            Err(basket::Error::NoBasket) if matches!(holder, Holder::Guest { .. }) => {
                forget_guest();
                *holder = new_guest(baskets)
                    .await
                    .map_err(|_| basket::Error::NoBasket)?;
                baskets.add(holder, sku, quantity).await
            }
            other => other,
        }
    }

    /// On sign-in: the guest's basket joins the member's, and the guest
    /// cookie goes. A failure here must not stop the sign-in; the guest
    /// basket is kept for the next try.
    pub async fn merge_into(member_access_token: &str) {
        let Some(ticket) = guest_ticket() else {
            return;
        };
        let Ok(baskets) = baskets() else {
            return;
        };
        match baskets.merge(&ticket, member_access_token).await {
            Ok(()) | Err(basket::Error::NoBasket) => forget_guest(),
            Err(err) => tracing::error!(
                error = %platform::error_chain(&err),
                "could not merge a guest basket on sign-in"
            ),
        }
    }

    /// The answer for the shopper, or the logged generic failure.
    pub fn shopper_error(err: basket::Error, context: &str) -> AppError {
        if err.is_internal() {
            AppError::internal(context, &err)
        } else {
            AppError::BadInput(err.to_string())
        }
    }

    /// Parses what a form sent: a SKU and a quantity.
    pub fn line(
        sku: &str,
        quantity: &str,
    ) -> Result<(catalog_api::Sku, catalog_api::Quantity), String> {
        let sku = catalog_api::Sku::parse(sku).map_err(|_| "Please choose a size.".to_owned())?;
        let quantity = quantity
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|n| catalog_api::Quantity::new(n).ok())
            .ok_or_else(|| {
                format!(
                    "Choose a quantity from 1 to {}.",
                    catalog_api::Quantity::MAX
                )
            })?;
        Ok((sku, quantity))
    }
}

/// Units in this browser's basket, for the header.
#[server(prefix = "/sf", endpoint = "basket/count", input = GetUrl)]
pub async fn basket_count() -> Result<i64, AppError> {
    let Some(owner) = edge::owner() else {
        return Ok(0);
    };
    let counted = edge::baskets()?.count(&owner).await;
    edge::or_empty(&owner, counted).map_err(|e| AppError::internal("counting a basket", &e))
}

/// The basket at today's prices.
#[server(prefix = "/sf", endpoint = "basket/view", input = GetUrl)]
pub async fn basket_view() -> Result<BasketV1, AppError> {
    let Some(owner) = edge::owner() else {
        return Ok(BasketV1::default());
    };
    let basket = edge::baskets()?.view(&owner).await;
    edge::or_empty(&owner, basket).map_err(|e| AppError::internal("showing a basket", &e))
}

/// What adding told the shopper, for the island that adds in place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedNow {
    pub count: i64,
    pub message: String,
}

#[cfg(feature = "ssr")]
async fn add(sku: &str, quantity: &str) -> Result<Result<AddedNow, String>, AppError> {
    let (sku, quantity) = match edge::line(sku, quantity) {
        Ok(line) => line,
        Err(message) => return Ok(Err(message)),
    };
    let baskets = edge::baskets()?;
    let mut owner = edge::owner_or_new_guest(&baskets).await?;
    match edge::add(&baskets, &mut owner, &sku, quantity).await {
        Ok(added) => {
            let count = baskets
                .count(&owner)
                .await
                .map_err(|e| AppError::internal("counting a basket", &e))?;
            let message = if added.capped {
                format!(
                    "Added. We have {} of that size, and they are all in your basket.",
                    added.quantity
                )
            } else {
                "Added to your basket.".to_owned()
            };
            Ok(Ok(AddedNow { count, message }))
        }
        Err(err) if !err.is_internal() => Ok(Err(err.to_string())),
        Err(err) => Err(AppError::internal("adding to a basket", &err)),
    }
}

/// The product page's form without JavaScript: adds, then back to the
/// product with what happened.
#[server(prefix = "/sf", endpoint = "basket/add")]
pub async fn add_to_basket(sku: String, quantity: String, back: String) -> Result<(), AppError> {
    let back = if back.starts_with("/p/") && !back.contains(['\\', '?', '#']) {
        back
    } else {
        "/basket".to_owned()
    };
    let flash = match add(&sku, &quantity).await? {
        Ok(added) => crate::session::Flash {
            form: "product/add".into(),
            notice: Some(added.message),
            ..Default::default()
        },
        Err(message) => crate::session::Flash {
            form: "product/add".into(),
            values: [("sku".to_owned(), sku), ("quantity".to_owned(), quantity)].into(),
            errors: [("form".to_owned(), message)].into(),
            notice: None,
        },
    };
    crate::session::server::set_flash(&flash);
    leptos_axum::redirect(&back);
    Ok(())
}

/// The same, for the island: the answer instead of a redirect.
#[server(prefix = "/sf", endpoint = "basket/add-now")]
pub async fn add_now(sku: String, quantity: String) -> Result<AddedNow, AppError> {
    add(&sku, &quantity).await?.map_err(AppError::BadInput)
}

#[cfg(feature = "ssr")]
fn back_to_basket(notice: Option<String>, error: Option<String>) {
    crate::session::server::set_flash(&crate::session::Flash {
        form: "basket".into(),
        notice,
        errors: error
            .map(|m| [("form".to_owned(), m)].into())
            .unwrap_or_default(),
        ..Default::default()
    });
    leptos_axum::redirect("/basket");
}

/// A new quantity for a line on the basket page.
#[server(prefix = "/sf", endpoint = "basket/update")]
pub async fn update_line(sku: String, quantity: String) -> Result<(), AppError> {
    let Some(owner) = edge::owner() else {
        back_to_basket(None, Some("Your basket is empty.".into()));
        return Ok(());
    };
    let baskets = edge::baskets()?;
    if quantity.trim() == "0" {
        if let Ok(sku) = catalog_api::Sku::parse(&sku) {
            let removed = baskets.remove(&owner, &sku).await;
            edge::or_empty(&owner, removed)
                .map_err(|e| AppError::internal("removing a basket line", &e))?;
        }
        back_to_basket(Some("Removed from your basket.".into()), None);
        return Ok(());
    }
    let (sku, quantity) = match edge::line(&sku, &quantity) {
        Ok(line) => line,
        Err(message) => {
            back_to_basket(None, Some(message));
            return Ok(());
        }
    };
    match baskets.set_quantity(&owner, &sku, quantity).await {
        Ok(set) if set.capped => back_to_basket(
            Some(format!(
                "Only {} left of that size: your basket has them all.",
                set.quantity
            )),
            None,
        ),
        Ok(_) => back_to_basket(Some("Basket updated.".into()), None),
        Err(err) => back_to_basket(
            None,
            Some(edge::shopper_error(err, "changing a basket line").to_string()),
        ),
    }
    Ok(())
}

/// Takes a line out of the basket.
#[server(prefix = "/sf", endpoint = "basket/remove")]
pub async fn remove_line(sku: String) -> Result<(), AppError> {
    if let (Some(owner), Ok(sku)) = (edge::owner(), catalog_api::Sku::parse(&sku)) {
        let removed = edge::baskets()?.remove(&owner, &sku).await;
        edge::or_empty(&owner, removed)
            .map_err(|e| AppError::internal("removing a basket line", &e))?;
    }
    back_to_basket(Some("Removed from your basket.".into()), None);
    Ok(())
}
