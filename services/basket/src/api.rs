//! The basket's versioned HTTP API. The storefront reaches it through
//! [`crate::BasketClient`], in-process or over the network; other clients
//! reach it through the gateway at the same paths.
//!
//! Whose basket a request is about comes from the request alone: a
//! member's from their access token (checked with identity's public key),
//! a guest's from the ticket this service gave them (`x-sury-basket`,
//! signed with the service's own key). A service reached directly is no
//! open door to anybody's basket.

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use catalog_api::{Quantity, Sku};
use contracts::basket::{AddLineV1, CountV1, GuestTicketV1, LineSetV1, SetQuantityV1};

use platform::auth::TokenVerifier;
use platform::edge::{ApiFailure, JsonBody, MaybeCaller, TokenCheck};

use crate::{Added, Baskets, Error, Owner};

pub const PREFIX: &str = "/api/v1/basket";
/// The header a guest's ticket travels in.
pub const TICKET_HEADER: &str = "x-sury-basket";
/// Basket requests are a SKU and a number; anything near this is not one.
const MAX_BODY: usize = 16 * 1024;

pub fn router(baskets: Baskets) -> Router {
    let routes = Router::new()
        .route("/api/v1/basket", get(view))
        .route("/api/v1/basket/count", get(count))
        .route("/api/v1/basket/guests", post(new_guest))
        .route("/api/v1/basket/lines", post(add))
        .route(
            "/api/v1/basket/lines/{sku}",
            put(set_quantity).delete(remove),
        )
        .route("/api/v1/basket/merge", post(merge))
        .route("/api/v1/basket/ready", get(ready));
    platform::edge::api_router(routes, "basket", MAX_BODY, baskets)
}

impl From<Error> for ApiFailure {
    fn from(err: Error) -> Self {
        let message = err.to_string();
        match err {
            Error::UnknownVariant => ApiFailure::refused(codes::UNKNOWN_VARIANT, message),
            Error::SoldOut => ApiFailure::refused(codes::SOLD_OUT, message),
            Error::BasketFull { max } => {
                ApiFailure::refused(codes::BASKET_FULL, message).with_details(vec![max.to_string()])
            }
            Error::NoBasket => no_basket(message),
            err => {
                tracing::error!(error = %platform::error_chain(&err), "basket API failed");
                ApiFailure::internal("basket")
            }
        }
    }
}

/// A request that names no basket, or a guest ticket that does not hold.
fn no_basket(message: impl Into<String>) -> ApiFailure {
    ApiFailure::new(StatusCode::UNAUTHORIZED, codes::NO_BASKET, message)
}

impl TokenCheck for Baskets {
    fn token_verifier(&self) -> Option<&TokenVerifier> {
        self.verifier.as_ref()
    }
}

/// The answer the API gives for `err`: what a handler returns, and what a
/// stand-in service can answer to check the client's side of the contract.
pub fn error_response(err: Error) -> Response {
    ApiFailure::from(err).into_response()
}

/// The codes of the shopper's answers, which the client turns back into
/// [`Error`]s.
pub(crate) mod codes {
    pub const UNKNOWN_VARIANT: &str = "unknown_variant";
    pub const SOLD_OUT: &str = "sold_out";
    pub const BASKET_FULL: &str = "basket_full";
    pub const NO_BASKET: &str = "no_basket";
}

/// Whose basket: the member's when the request carries their token (a
/// bad token is refused, not taken for a guest), else the guest's its
/// ticket names.
struct Holder(Owner);

impl FromRequestParts<Baskets> for Holder {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, baskets: &Baskets) -> Result<Self, ApiFailure> {
        if let MaybeCaller(Some(claims)) = MaybeCaller::from_request_parts(parts, baskets).await? {
            return Ok(Self(Owner::Member(claims.sub)));
        }
        guest(baskets, &parts.headers)?.map(Self).ok_or_else(|| {
            no_basket(format!(
                "Send a member's access token as `Authorization: Bearer <token>`, \
                 or a guest's ticket in `{TICKET_HEADER}`."
            ))
        })
    }
}

fn guest(baskets: &Baskets, headers: &HeaderMap) -> Result<Option<Owner>, ApiFailure> {
    let Some(ticket) = headers.get(TICKET_HEADER) else {
        return Ok(None);
    };
    ticket
        .to_str()
        .ok()
        .and_then(|t| baskets.guests.guest(t))
        .map(Some)
        .ok_or_else(|| no_basket("That guest ticket is not one of ours."))
}

fn line_set(added: Added) -> Json<LineSetV1> {
    Json(LineSetV1 {
        quantity: added.quantity,
        capped: added.capped,
    })
}

fn sku(raw: &str) -> Result<Sku, ApiFailure> {
    Sku::parse(raw).map_err(|e| ApiFailure::field("sku", e.to_string()))
}

fn quantity(raw: i64) -> Result<Quantity, ApiFailure> {
    Quantity::new(raw).map_err(|e| ApiFailure::field("quantity", e.to_string()))
}

async fn new_guest(State(baskets): State<Baskets>) -> Response {
    let (_, ticket) = baskets.guests.new_guest();
    (StatusCode::CREATED, Json(GuestTicketV1 { ticket })).into_response()
}

async fn view(
    State(baskets): State<Baskets>,
    Holder(owner): Holder,
) -> Result<Response, ApiFailure> {
    Ok(Json(baskets.view(&owner).await?).into_response())
}

async fn count(
    State(baskets): State<Baskets>,
    Holder(owner): Holder,
) -> Result<Response, ApiFailure> {
    let count = baskets.count(&owner).await?;
    Ok(Json(CountV1 { count }).into_response())
}

async fn add(
    State(baskets): State<Baskets>,
    Holder(owner): Holder,
    JsonBody(body): JsonBody<AddLineV1>,
) -> Result<Response, ApiFailure> {
    let (sku, quantity) = (sku(&body.sku)?, quantity(body.quantity)?);
    let added = baskets.add(&owner, &sku, quantity).await?;
    Ok(line_set(added).into_response())
}

async fn set_quantity(
    State(baskets): State<Baskets>,
    Holder(owner): Holder,
    Path(raw_sku): Path<String>,
    JsonBody(body): JsonBody<SetQuantityV1>,
) -> Result<Response, ApiFailure> {
    let (sku, quantity) = (sku(&raw_sku)?, quantity(body.quantity)?);
    let set = baskets.set_quantity(&owner, &sku, quantity).await?;
    Ok(line_set(set).into_response())
}

async fn remove(
    State(baskets): State<Baskets>,
    Holder(owner): Holder,
    Path(raw_sku): Path<String>,
) -> Result<Response, ApiFailure> {
    baskets.remove(&owner, &sku(&raw_sku)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// On sign-in: the guest's basket (by ticket) joins the member's (by
/// token). Both must be good: a ticket alone cannot fill a member's basket.
async fn merge(
    State(baskets): State<Baskets>,
    MaybeCaller(claims): MaybeCaller,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let member = claims
        .map(|c| Owner::Member(c.sub))
        .ok_or_else(|| ApiFailure::unauthenticated("Merging needs the member's access token."))?;
    let guest = guest(&baskets, &headers)?
        .ok_or_else(|| no_basket(format!("Merging needs the guest's `{TICKET_HEADER}`.")))?;
    baskets.merge(&guest, &member).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn ready(State(baskets): State<Baskets>) -> Response {
    platform::edge::readiness(baskets.check_ready().await, "basket store")
}
