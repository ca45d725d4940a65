//! The typed client of the ordering API, in-process or over the network
//! through the same requests (see [`platform::api_client`]). Refusals come
//! back as [`Error`]s the caller can show as they are.

use axum::body::Body;
use contracts::ordering::{
    CancelV1, CheckoutV1, DashboardV1, OrderSummaryV1, OrderV1, PlacedV1, ShipmentV1, TermsV1,
    events::OrderLineV1,
};
use http::{Method, Request, Response, StatusCode};
use platform::api_client::{ApiClient, ClientError, Service, ServiceClient};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::OnceCell;

use crate::{Checkout, Error, OrderFilter, Ordering, Placed, Terms, api};

/// Who is asking about an order: a signed-in person by their access token
/// (the service tells staff from customers), or anyone by the order's key.
#[derive(Clone, Copy)]
pub struct Asker<'a> {
    pub access_token: Option<&'a str>,
    pub key: &'a str,
}

/// Ordering's API, as this client reads it.
const ORDERING: Service<Error> = Service {
    name: "ordering",
    prefix: api::PREFIX,
    answer,
};

#[derive(Clone, Debug)]
pub struct OrderingClient {
    api: ServiceClient<Error>,
    /// The shop's terms change only with the service's configuration.
    terms: std::sync::Arc<OnceCell<Terms>>,
}

impl OrderingClient {
    /// Calls ordering's router directly, in this process.
    pub fn in_process(ordering: Ordering) -> Self {
        Self::over(api::router(ordering))
    }

    /// Calls `router` in this process as if it were the ordering API: a
    /// stand-in service that answers chosen errors checks this client's
    /// side of the contract with it.
    pub fn over(router: axum::Router) -> Self {
        Self::with(ServiceClient::in_process(ORDERING, router))
    }

    /// Calls an ordering service at `base_url` (e.g. `http://10.0.0.7:3103`).
    pub fn remote(base_url: &str) -> Self {
        Self::with(ServiceClient::remote(ORDERING, base_url, 128 * 1024))
    }

    fn with(api: ServiceClient<Error>) -> Self {
        Self {
            api,
            terms: Default::default(),
        }
    }

    /// Sends any request to the ordering API (the gateway forwards with it).
    pub async fn forward(&self, request: Request<Body>) -> Result<Response<Body>, ClientError> {
        self.api.forward(request).await
    }

    /// A request from whoever `token` is (none: anyone).
    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&impl Serialize>,
    ) -> Result<T, Error> {
        let headers = token.map(ApiClient::bearer);
        self.api
            .send_json(method, path, headers.as_slice(), body)
            .await
    }

    /// Delivery prices, VAT and bank details, read once.
    pub async fn terms(&self) -> Result<Terms, Error> {
        let terms = self
            .terms
            .get_or_try_init(|| async {
                let terms: TermsV1 = self.send(Method::GET, "/terms", None, None::<&()>).await?;
                Ok::<_, Error>(Terms::from_v1(terms))
            })
            .await?;
        Ok(terms.clone())
    }

    /// Places the order; whose it is comes from `access_token` (none: a
    /// guest's). `checkout.customer_id` is not sent: the service takes it
    /// from the token.
    pub async fn place_order(
        &self,
        access_token: Option<&str>,
        checkout: &Checkout,
    ) -> Result<Placed, Error> {
        let body = CheckoutV1 {
            idempotency_key: checkout.idempotency_key.to_string(),
            basket: checkout.basket.clone(),
            email: checkout.email.clone(),
            name: checkout.name.clone(),
            address: checkout.address.clone(),
            payment_method: checkout.payment_method,
            delivery_method: checkout.delivery_method,
            lines: checkout
                .lines
                .iter()
                .map(|(sku, quantity)| OrderLineV1 {
                    sku: sku.as_str().to_owned(),
                    quantity: quantity.get(),
                })
                .collect(),
            expected_total_minor: checkout.expected_total_minor,
        };
        let placed: PlacedV1 = self
            .send(Method::POST, "/orders", access_token, Some(&body))
            .await?;
        Ok(Placed {
            order_id: placed.order_id,
            reference: placed.reference,
            view_key: placed.view_key,
            repeated: placed.repeated,
        })
    }

    fn order_path(id: &str) -> String {
        format!("/orders/{}", platform::url_encode(id))
    }

    /// The order, if `asker` may see it (else `None`, as for a missing one).
    pub async fn order(&self, id: &str, asker: Asker<'_>) -> Result<Option<OrderV1>, Error> {
        let path = format!(
            "{}?key={}",
            Self::order_path(id),
            platform::url_encode(asker.key)
        );
        match self
            .send(Method::GET, &path, asker.access_token, None::<&()>)
            .await
        {
            Ok(order) => Ok(Some(order)),
            Err(Error::NoSuchOrder) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// The member's own orders, newest first.
    pub async fn orders_of(&self, access_token: &str) -> Result<Vec<OrderSummaryV1>, Error> {
        self.send(Method::GET, "/orders", Some(access_token), None::<&()>)
            .await
    }

    /// Cancels an order that has not shipped. Staff give `reason`; a
    /// shopper's cancellation says "you cancelled it".
    pub async fn cancel_order(
        &self,
        id: &str,
        asker: Asker<'_>,
        reason: &str,
    ) -> Result<(), Error> {
        let path = format!("{}/cancel", Self::order_path(id));
        let body = CancelV1 {
            key: asker.key.to_owned(),
            reason: reason.to_owned(),
        };
        self.send(Method::POST, &path, asker.access_token, Some(&body))
            .await
    }

    /// Orders for staff, newest first.
    pub async fn list(
        &self,
        staff_token: &str,
        filter: &OrderFilter,
    ) -> Result<Vec<OrderSummaryV1>, Error> {
        let status = filter.status.map(|s| s.as_str()).unwrap_or("");
        let mut path = format!("/staff/orders?status={status}");
        if let Some(from) = filter.from_ms {
            path.push_str(&format!("&from_ms={from}"));
        }
        if let Some(to) = filter.to_ms {
            path.push_str(&format!("&to_ms={to}"));
        }
        self.send(Method::GET, &path, Some(staff_token), None::<&()>)
            .await
    }

    /// Sales of the last `days` days and what waits.
    pub async fn dashboard(&self, staff_token: &str, days: i64) -> Result<DashboardV1, Error> {
        let path = format!("/staff/dashboard?days={days}");
        self.send(Method::GET, &path, Some(staff_token), None::<&()>)
            .await
    }

    fn staff_path(id: &str, what: &str) -> String {
        format!("/staff/orders/{}/{what}", platform::url_encode(id))
    }

    pub async fn record_payment(&self, staff_token: &str, id: &str) -> Result<(), Error> {
        let path = Self::staff_path(id, "payment");
        self.send(Method::POST, &path, Some(staff_token), None::<&()>)
            .await
    }

    pub async fn ship(
        &self,
        staff_token: &str,
        id: &str,
        carrier: &str,
        tracking: &str,
    ) -> Result<(), Error> {
        let path = Self::staff_path(id, "shipment");
        let body = ShipmentV1 {
            carrier: carrier.to_owned(),
            tracking: tracking.to_owned(),
        };
        self.send(Method::POST, &path, Some(staff_token), Some(&body))
            .await
    }

    pub async fn mark_delivered(&self, staff_token: &str, id: &str) -> Result<(), Error> {
        let path = Self::staff_path(id, "delivered");
        self.send(Method::POST, &path, Some(staff_token), None::<&()>)
            .await
    }

    /// Whether the service and its database answer.
    pub async fn check_ready(&self) -> Result<(), Error> {
        self.send(Method::GET, "/ready", None, None::<&()>).await
    }
}

/// The service's answers as the same [`Error`]s it refused with (see
/// `api::codes`); anything else (a 500, no answer, an answer that does not
/// parse) as a failure to reach or understand it.
fn answer(err: ClientError) -> Error {
    use api::codes;

    let Some(refusal) = err.refusal() else {
        return Error::Service(err);
    };
    if refusal.status == StatusCode::NOT_FOUND && refusal.code == api::NO_SUCH_ORDER {
        return Error::NoSuchOrder;
    }
    if refusal.status != StatusCode::UNPROCESSABLE_ENTITY {
        return Error::Service(err);
    }
    // A request the API refused field by field, or in words.
    let refused = || {
        let said = refusal.fields.values().next();
        Error::Refused(said.map_or(refusal.message, String::as_str).to_owned())
    };
    match (refusal.code, refusal.details) {
        (codes::NOTHING_TO_ORDER, _) => Error::NothingToOrder,
        (codes::NOT_ENOUGH_STOCK, short) => Error::NotEnoughStock(short.to_vec()),
        (codes::NO_LONGER_SOLD, _) => Error::NoLongerSold,
        (codes::PRICES_CHANGED, _) => Error::PricesChanged,
        (codes::WRONG_STATE, [state]) => Error::WrongState(state.clone()),
        (codes::INVALID_FIELDS, [field, max]) => match max.parse() {
            Ok(max) => Error::BadField(field.clone(), max),
            Err(_) => refused(),
        },
        _ => refused(),
    }
}
