//! The typed client of the basket API, in-process or over the network
//! through the same requests (see [`platform::api_client`]). Its answers
//! are the service's own: a sold-out size comes back as
//! [`Error::SoldOut`], wherever the service runs.

use axum::body::Body;
use catalog_api::{Quantity, Sku};
use contracts::basket::{AddLineV1, BasketV1, CountV1, GuestTicketV1, LineSetV1, SetQuantityV1};
use http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use platform::api_client::{ApiClient, ClientError, Service, ServiceClient};

use crate::api::{self, TICKET_HEADER, codes};
use crate::{Added, Baskets, Error, MAX_LINES};

/// Whose basket a call is about, as the service is told it.
#[derive(Clone, PartialEq, Eq)]
pub enum Holder {
    /// A signed-in member, by their current access token.
    Member { access_token: String },
    /// A guest, by the ticket [`BasketClient::new_guest`] gave them.
    Guest { ticket: String },
}

impl std::fmt::Debug for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Both are credentials: never in a log.
        match self {
            Self::Member { .. } => f.write_str("Holder::Member(…)"),
            Self::Guest { .. } => f.write_str("Holder::Guest(…)"),
        }
    }
}

impl Holder {
    fn header(&self) -> (HeaderName, HeaderValue) {
        match self {
            Self::Member { access_token } => ApiClient::bearer(access_token),
            Self::Guest { ticket } => ticket_header(ticket),
        }
    }
}

fn ticket_header(ticket: &str) -> (HeaderName, HeaderValue) {
    // A ticket that cannot be a header value is not one of ours either.
    let value = HeaderValue::from_str(ticket).unwrap_or_else(|_| HeaderValue::from_static("-"));
    (HeaderName::from_static(TICKET_HEADER), value)
}

/// The basket API, as this client reads it.
const BASKET: Service<Error> = Service {
    name: "basket",
    prefix: api::PREFIX,
    answer,
};

#[derive(Clone, Debug)]
pub struct BasketClient {
    api: ServiceClient<Error>,
}

impl BasketClient {
    /// Calls the basket's router directly, in this process.
    pub fn in_process(baskets: Baskets) -> Self {
        Self::over(api::router(baskets))
    }

    /// Calls `router` in this process as if it were the basket API: a
    /// stand-in service that answers chosen errors checks this client's
    /// side of the contract with it.
    pub fn over(router: axum::Router) -> Self {
        Self {
            api: ServiceClient::in_process(BASKET, router),
        }
    }

    /// Calls a basket service at `base_url` (e.g. `http://10.0.0.6:3102`).
    pub fn remote(base_url: &str) -> Self {
        Self {
            api: ServiceClient::remote(BASKET, base_url, 64 * 1024),
        }
    }

    /// Sends any request to the basket API (the gateway forwards with it).
    pub async fn forward(&self, request: Request<Body>) -> Result<Response<Body>, ClientError> {
        self.api.forward(request).await
    }

    /// A new guest: the ticket that names their basket from now on.
    pub async fn new_guest(&self) -> Result<String, Error> {
        let ticket: GuestTicketV1 = self.api.send(Method::POST, "/guests", &[], None).await?;
        Ok(ticket.ticket)
    }

    /// Units in the basket, for the header.
    pub async fn count(&self, holder: &Holder) -> Result<i64, Error> {
        let count: CountV1 = self
            .api
            .send_json(Method::GET, "/count", &[holder.header()], NO_BODY)
            .await?;
        Ok(count.count)
    }

    /// The basket priced now (seeing it acknowledges changed prices).
    pub async fn view(&self, holder: &Holder) -> Result<BasketV1, Error> {
        self.api
            .send_json(Method::GET, "", &[holder.header()], NO_BODY)
            .await
    }

    /// Adds `quantity` of `sku`, up to what is in stock.
    pub async fn add(
        &self,
        holder: &Holder,
        sku: &Sku,
        quantity: Quantity,
    ) -> Result<Added, Error> {
        let body = AddLineV1 {
            sku: sku.as_str().to_owned(),
            quantity: quantity.get(),
        };
        self.api
            .send_json(Method::POST, "/lines", &[holder.header()], Some(&body))
            .await
            .map(added)
    }

    /// Sets a line to `quantity`, up to what is in stock.
    pub async fn set_quantity(
        &self,
        holder: &Holder,
        sku: &Sku,
        quantity: Quantity,
    ) -> Result<Added, Error> {
        let body = SetQuantityV1 {
            quantity: quantity.get(),
        };
        let path = format!("/lines/{sku}");
        self.api
            .send_json(Method::PUT, &path, &[holder.header()], Some(&body))
            .await
            .map(added)
    }

    /// Takes a line out (no error when it is not there).
    pub async fn remove(&self, holder: &Holder, sku: &Sku) -> Result<(), Error> {
        let path = format!("/lines/{sku}");
        self.api
            .send_json(Method::DELETE, &path, &[holder.header()], NO_BODY)
            .await
    }

    /// On sign-in: the guest's basket joins the member's.
    pub async fn merge(&self, guest_ticket: &str, member_token: &str) -> Result<(), Error> {
        let headers = [ticket_header(guest_ticket), ApiClient::bearer(member_token)];
        self.api.send(Method::POST, "/merge", &headers, None).await
    }

    /// Whether the service and its store answer.
    pub async fn check_ready(&self) -> Result<(), Error> {
        self.api.send(Method::GET, "/ready", &[], None).await
    }
}

/// No body, for [`ServiceClient::send_json`].
const NO_BODY: Option<&()> = None;

fn added(set: LineSetV1) -> Added {
    Added {
        quantity: set.quantity,
        capped: set.capped,
    }
}

/// The service's refusals as the [`Error`]s they stand for; anything else
/// is a failure to reach or understand it.
fn answer(err: ClientError) -> Error {
    match &err {
        ClientError::Failed {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code,
            details,
            ..
        } => match code.as_str() {
            codes::UNKNOWN_VARIANT => Error::UnknownVariant,
            codes::SOLD_OUT => Error::SoldOut,
            codes::BASKET_FULL => Error::BasketFull {
                // The service's own limit; ours if it did not say.
                max: details
                    .first()
                    .and_then(|max| max.parse().ok())
                    .unwrap_or(MAX_LINES),
            },
            _ => Error::Service(err),
        },
        ClientError::Failed {
            status: StatusCode::UNAUTHORIZED,
            code,
            ..
        } if code == codes::NO_BASKET => Error::NoBasket,
        _ => Error::Service(err),
    }
}
