//! The basket's versioned HTTP API. The storefront reaches it through
//! [`crate::BasketClient`], in-process or over the network; other clients
//! reach it through the gateway at the same paths.
//!
//! Whose basket a request is about comes from the request alone: a
//! member's from their access token (checked with identity's public key),
//! a guest's from the ticket this service gave them (`x-sury-basket`,
//! signed with the service's own key). A service reached directly is no
//! open door to anybody's basket.

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use catalog_api::{Quantity, Sku};
use contracts::api::ApiError;
use contracts::basket::{AddLineV1, CountV1, GuestTicketV1, LineSetV1, SetQuantityV1};

use crate::{Added, Baskets, Error, Owner};

pub const PREFIX: &str = "/api/v1/basket";
/// The header a guest's ticket travels in.
pub const TICKET_HEADER: &str = "x-sury-basket";
/// Basket requests are a SKU and a number; anything near this is not one.
const MAX_BODY: usize = 16 * 1024;

pub fn router(baskets: Baskets) -> Router {
    Router::new()
        .route("/api/v1/basket", get(view))
        .route("/api/v1/basket/count", get(count))
        .route("/api/v1/basket/guests", post(new_guest))
        .route("/api/v1/basket/lines", post(add))
        .route(
            "/api/v1/basket/lines/{sku}",
            put(set_quantity).delete(remove),
        )
        .route("/api/v1/basket/merge", post(merge))
        .route("/api/v1/basket/ready", get(ready))
        .fallback(|| async { Failure::NotFound.into_response() })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(baskets)
}

/// One failure type for every handler; the body never carries internals.
pub(crate) enum Failure {
    NotFound,
    /// The body is not what the endpoint takes (its status: 400, 413, 415).
    BadBody(JsonRejection),
    /// Input that parses but is not acceptable, said for its field.
    Field(&'static str, String),
    /// A request that names no basket, or a guest ticket that does not hold.
    NoHolder(String),
    /// A member's token that does not hold: not the same as a bad ticket,
    /// which only costs a guest their cookie.
    BadToken(String),
    /// The shopper's answer: sold out, not sold, basket full; with what
    /// the client needs to rebuild the error (a full basket's limit).
    Refused(&'static str, String, Vec<String>),
    Internal,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                ApiError::new("not_found", "No such basket endpoint."),
            ),
            Self::BadBody(rejection) => (
                rejection.status(),
                ApiError::new("bad_request", rejection.body_text()),
            ),
            Self::Field(field, message) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiError::fields(
                    message.clone(),
                    [(field.to_owned(), message)].into_iter().collect(),
                ),
            ),
            Self::NoHolder(message) => (
                StatusCode::UNAUTHORIZED,
                ApiError::new("no_basket", message),
            ),
            Self::BadToken(message) => (
                StatusCode::UNAUTHORIZED,
                ApiError::new("unauthenticated", message),
            ),
            Self::Refused(code, message, details) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiError::new(code, message).with_details(details),
            ),
            Self::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ApiError::new("internal", "The basket failed; the cause is in its log."),
            ),
        };
        (status, Json(body)).into_response()
    }
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        let refused = |code| Self::Refused(code, err.to_string(), Vec::new());
        match &err {
            Error::UnknownVariant => refused(codes::UNKNOWN_VARIANT),
            Error::SoldOut => refused(codes::SOLD_OUT),
            Error::BasketFull { max } => {
                Self::Refused(codes::BASKET_FULL, err.to_string(), vec![max.to_string()])
            }
            Error::NoBasket => Self::NoHolder(err.to_string()),
            _ => {
                tracing::error!(error = %platform::error_chain(&err), "basket API failed");
                Self::Internal
            }
        }
    }
}

/// The answer the API gives for `err`: what a handler returns, and what a
/// stand-in service can answer to check the client's side of the contract.
pub fn error_response(err: Error) -> Response {
    Failure::from(err).into_response()
}

/// The codes of the shopper's answers, which the client turns back into
/// [`Error`]s.
pub(crate) mod codes {
    pub const UNKNOWN_VARIANT: &str = "unknown_variant";
    pub const SOLD_OUT: &str = "sold_out";
    pub const BASKET_FULL: &str = "basket_full";
    pub const NO_BASKET: &str = "no_basket";
}

/// The member's basket when the request carries their token, else the
/// guest's its ticket names.
fn holder(baskets: &Baskets, headers: &HeaderMap) -> Result<Owner, Failure> {
    if let Some(member) = member(baskets, headers)? {
        return Ok(member);
    }
    guest(baskets, headers)?.ok_or_else(|| {
        Failure::NoHolder(format!(
            "Send a member's access token as `Authorization: Bearer <token>`, \
             or a guest's ticket in `{TICKET_HEADER}`."
        ))
    })
}

fn member(baskets: &Baskets, headers: &HeaderMap) -> Result<Option<Owner>, Failure> {
    platform::auth::caller(headers, baskets.verifier.as_ref())
        .map(|claims| claims.map(|c| Owner::Member(c.sub)))
        .map_err(|err| Failure::BadToken(err.to_string()))
}

fn guest(baskets: &Baskets, headers: &HeaderMap) -> Result<Option<Owner>, Failure> {
    let Some(ticket) = headers.get(TICKET_HEADER) else {
        return Ok(None);
    };
    ticket
        .to_str()
        .ok()
        .and_then(|t| baskets.guests.guest(t))
        .map(Some)
        .ok_or_else(|| Failure::NoHolder("That guest ticket is not one of ours.".into()))
}

fn line_set(added: Added) -> Json<LineSetV1> {
    Json(LineSetV1 {
        quantity: added.quantity,
        capped: added.capped,
    })
}

fn sku(raw: &str) -> Result<Sku, Failure> {
    Sku::parse(raw).map_err(|e| Failure::Field("sku", e.to_string()))
}

fn quantity(raw: i64) -> Result<Quantity, Failure> {
    Quantity::new(raw).map_err(|e| Failure::Field("quantity", e.to_string()))
}

async fn new_guest(State(baskets): State<Baskets>) -> Response {
    let (_, ticket) = baskets.guests.new_guest();
    (StatusCode::CREATED, Json(GuestTicketV1 { ticket })).into_response()
}

async fn view(State(baskets): State<Baskets>, headers: HeaderMap) -> Result<Response, Failure> {
    let owner = holder(&baskets, &headers)?;
    Ok(Json(baskets.view(&owner).await?).into_response())
}

async fn count(State(baskets): State<Baskets>, headers: HeaderMap) -> Result<Response, Failure> {
    let owner = holder(&baskets, &headers)?;
    let count = baskets.count(&owner).await?;
    Ok(Json(CountV1 { count }).into_response())
}

async fn add(
    State(baskets): State<Baskets>,
    headers: HeaderMap,
    body: Result<Json<AddLineV1>, JsonRejection>,
) -> Result<Response, Failure> {
    let owner = holder(&baskets, &headers)?;
    let Json(body) = body.map_err(Failure::BadBody)?;
    let (sku, quantity) = (sku(&body.sku)?, quantity(body.quantity)?);
    let added = baskets.add(&owner, &sku, quantity).await?;
    Ok(line_set(added).into_response())
}

async fn set_quantity(
    State(baskets): State<Baskets>,
    headers: HeaderMap,
    Path(raw_sku): Path<String>,
    body: Result<Json<SetQuantityV1>, JsonRejection>,
) -> Result<Response, Failure> {
    let owner = holder(&baskets, &headers)?;
    let Json(body) = body.map_err(Failure::BadBody)?;
    let (sku, quantity) = (sku(&raw_sku)?, quantity(body.quantity)?);
    let set = baskets.set_quantity(&owner, &sku, quantity).await?;
    Ok(line_set(set).into_response())
}

async fn remove(
    State(baskets): State<Baskets>,
    headers: HeaderMap,
    Path(raw_sku): Path<String>,
) -> Result<Response, Failure> {
    let owner = holder(&baskets, &headers)?;
    baskets.remove(&owner, &sku(&raw_sku)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// On sign-in: the guest's basket (by ticket) joins the member's (by
/// token). Both must be good: a ticket alone cannot fill a member's basket.
async fn merge(State(baskets): State<Baskets>, headers: HeaderMap) -> Result<Response, Failure> {
    let member = member(&baskets, &headers)?
        .ok_or_else(|| Failure::BadToken("Merging needs the member's access token.".into()))?;
    let guest = guest(&baskets, &headers)?.ok_or_else(|| {
        Failure::NoHolder(format!("Merging needs the guest's `{TICKET_HEADER}`."))
    })?;
    baskets.merge(&guest, &member).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn ready(State(baskets): State<Baskets>) -> Response {
    match baskets.check_ready().await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => {
            tracing::warn!(error = %platform::error_chain(&err), "basket store not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(ApiError::new(
                    "unavailable",
                    "The basket store is not answering.",
                )),
            )
                .into_response()
        }
    }
}
