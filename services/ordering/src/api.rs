//! Ordering's versioned HTTP API. The storefront reaches it through
//! [`crate::OrderingClient`], in-process or over the network; other clients
//! reach it through the gateway at the same paths.
//!
//! Who is asking comes from the request alone: a member or staff member by
//! their access token (checked with identity's public key), anyone else by
//! an order's link key. A checkout's customer is the token's, never one the
//! body names.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use catalog_api::{Quantity, Sku};
use contracts::identity::{AccessClaims, Role};
use contracts::ordering::{CancelV1, CheckoutV1, OrderStatus, PlacedV1, ShipmentV1, TermsV1};
use platform::auth::TokenVerifier;
use platform::edge::{ApiFailure, JsonBody, MaybeCaller, Member, QueryParams, Staff, TokenCheck};
use serde::Deserialize;

use crate::{Access, Actor, Checkout, Error, OrderFilter, Ordering};

pub const PREFIX: &str = "/api/v1/ordering";
/// The code of a 404 for an order that is missing or not the caller's.
pub(crate) const NO_SUCH_ORDER: &str = "no_such_order";
/// A checkout is a few dozen lines of text; nothing near this is one.
const MAX_BODY: usize = 64 * 1024;
/// Lines of a delivery address, and characters in each.
const MAX_ADDRESS_LINES: usize = 8;
const MAX_LINE_CHARS: usize = 200;

pub fn router(ordering: Ordering) -> Router {
    let routes = Router::new()
        .route("/api/v1/ordering/terms", get(terms))
        .route("/api/v1/ordering/orders", get(mine).post(place))
        .route("/api/v1/ordering/orders/{id}", get(order))
        .route("/api/v1/ordering/orders/{id}/cancel", post(cancel))
        .route("/api/v1/ordering/staff/orders", get(list))
        .route("/api/v1/ordering/staff/dashboard", get(dashboard))
        .route(
            "/api/v1/ordering/staff/orders/{id}/payment",
            post(record_payment),
        )
        .route("/api/v1/ordering/staff/orders/{id}/shipment", post(ship))
        .route(
            "/api/v1/ordering/staff/orders/{id}/delivered",
            post(delivered),
        )
        .route("/api/v1/ordering/ready", get(ready));
    platform::edge::api_router(routes, "ordering", MAX_BODY, ordering)
}

impl From<Error> for ApiFailure {
    fn from(err: Error) -> Self {
        let message = err.to_string();
        match err {
            Error::NoSuchOrder => ApiFailure::new(StatusCode::NOT_FOUND, NO_SUCH_ORDER, message),
            Error::NothingToOrder => ApiFailure::refused(codes::NOTHING_TO_ORDER, message),
            Error::NoLongerSold => ApiFailure::refused(codes::NO_LONGER_SOLD, message),
            Error::PricesChanged => ApiFailure::refused(codes::PRICES_CHANGED, message),
            Error::NotEnoughStock(short) => {
                ApiFailure::refused(codes::NOT_ENOUGH_STOCK, message).with_details(short)
            }
            Error::WrongState(state) => {
                ApiFailure::refused(codes::WRONG_STATE, message).with_details(vec![state])
            }
            Error::BadField(field, max) => ApiFailure::fields([(field.clone(), message)].into())
                .with_details(vec![field, max.to_string()]),
            Error::Refused(message) => ApiFailure::refused(codes::REFUSED, message),
            err => {
                tracing::error!(error = %platform::error_chain(&err), "ordering API failed");
                ApiFailure::internal("ordering service")
            }
        }
    }
}

/// The codes of ordering's refusals, which its client turns back into the
/// same [`Error`]s.
pub(crate) mod codes {
    pub const NOTHING_TO_ORDER: &str = "nothing_to_order";
    pub const NOT_ENOUGH_STOCK: &str = "not_enough_stock";
    pub const NO_LONGER_SOLD: &str = "no_longer_sold";
    pub const PRICES_CHANGED: &str = "prices_changed";
    pub const WRONG_STATE: &str = "wrong_state";
    pub const REFUSED: &str = "refused";
    pub const INVALID_FIELDS: &str = "invalid_fields";
}

/// The answer the API gives for `err`: what a handler returns, and what a
/// stand-in service can answer to check the client's side of the contract.
pub fn error_response(err: Error) -> Response {
    ApiFailure::from(err).into_response()
}

impl TokenCheck for Ordering {
    fn token_verifier(&self) -> Option<&TokenVerifier> {
        self.verifier.as_ref()
    }
}

/// Whose view of an order: staff see all, a member their own, anyone the
/// order whose link key they hold.
fn access<'a>(claims: &'a Option<AccessClaims>, key: &'a str) -> Access<'a> {
    match claims {
        Some(c) if c.role >= Role::Staff => Access::Staff,
        Some(c) if key.is_empty() => Access::Customer(&c.sub),
        _ => Access::Key(key),
    }
}

async fn terms(State(ordering): State<Ordering>) -> Json<TermsV1> {
    Json(ordering.terms().to_v1())
}

/// A line of text as a parcel or an email carries it: trimmed, not empty,
/// no control characters, at most `max` characters.
fn text(raw: &str, max: usize) -> Option<String> {
    contracts::text::one_line(raw, max).map(str::to_owned)
}

/// The checkout as the service takes it, checked field by field.
fn checkout(body: CheckoutV1, claims: &Option<AccessClaims>) -> Result<Checkout, ApiFailure> {
    let mut fields = std::collections::BTreeMap::new();
    let mut wrong = |field: &str, message: &str| {
        fields.insert(field.to_owned(), message.to_owned());
    };
    let key = uuid::Uuid::try_parse(&body.idempotency_key).ok();
    if key.is_none() {
        wrong("idempotency_key", "A checkout key is a UUID.");
    }
    let email = text(&body.email, 254).filter(|e| {
        e.split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
            && !e.contains(char::is_whitespace)
    });
    if email.is_none() {
        wrong(
            "email",
            "Please give an email address like name@example.com.",
        );
    }
    let name = text(&body.name, 100);
    if name.is_none() {
        wrong("name", "Please give a name (at most 100 characters).");
    }
    let address: Vec<String> = body
        .address
        .iter()
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| text(line, MAX_LINE_CHARS))
        .collect();
    let blank = body.address.iter().filter(|l| l.trim().is_empty()).count();
    if address.len() + blank != body.address.len() || address.len() > MAX_ADDRESS_LINES {
        wrong(
            "address",
            "An address is at most 8 lines of 200 characters, without control characters.",
        );
    } else if address.is_empty()
        && body.delivery_method == contracts::ordering::DeliveryMethod::Standard
    {
        wrong("address", "Delivery needs an address.");
    }
    let mut lines = Vec::new();
    for line in &body.lines {
        match (Sku::parse(&line.sku), Quantity::new(line.quantity)) {
            (Ok(sku), Ok(quantity)) => lines.push((sku, quantity)),
            _ => {
                wrong(
                    "lines",
                    &format!(
                        "Each line is a SKU and a quantity from 1 to {}.",
                        Quantity::MAX
                    ),
                );
                break;
            }
        }
    }
    // A member's order empties only their own basket; a guest's only a
    // guest basket, named with its ticket's signature, which the basket
    // service checks before it empties anything.
    let customer_id = claims.as_ref().map(|c| c.sub.clone());
    let basket = match (&customer_id, body.basket) {
        (Some(user), Some(_)) => Some(format!("member:{user}")),
        (None, Some(basket)) if basket.starts_with("guest:") && basket.len() <= 128 => Some(basket),
        (None, Some(_)) => {
            wrong("basket", "Not a guest basket.");
            None
        }
        (_, None) => None,
    };
    match (key, email, name, fields.is_empty()) {
        (Some(idempotency_key), Some(email), Some(name), true) => Ok(Checkout {
            idempotency_key,
            customer_id,
            basket,
            email,
            name,
            address,
            payment_method: body.payment_method,
            delivery_method: body.delivery_method,
            lines,
            expected_total_minor: body.expected_total_minor,
        }),
        _ => Err(ApiFailure::fields(fields)),
    }
}

async fn place(
    State(ordering): State<Ordering>,
    MaybeCaller(claims): MaybeCaller,
    JsonBody(body): JsonBody<CheckoutV1>,
) -> Result<Response, ApiFailure> {
    let checkout = checkout(body, &claims)?;
    let placed = ordering.place_order(&checkout).await?;
    let status = if placed.repeated {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let body = PlacedV1 {
        order_id: placed.order_id,
        reference: placed.reference,
        view_key: placed.view_key,
        repeated: placed.repeated,
    };
    Ok((status, Json(body)).into_response())
}

async fn mine(
    State(ordering): State<Ordering>,
    Member(claims): Member,
) -> Result<Response, ApiFailure> {
    Ok(Json(ordering.orders_of(&claims.sub).await?).into_response())
}

#[derive(Deserialize)]
struct KeyQuery {
    #[serde(default)]
    key: String,
}

async fn order(
    State(ordering): State<Ordering>,
    MaybeCaller(claims): MaybeCaller,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<KeyQuery>,
) -> Result<Response, ApiFailure> {
    match ordering.order(&id, access(&claims, &query.key)).await? {
        Some(order) => Ok(Json(order).into_response()),
        None => Err(Error::NoSuchOrder.into()),
    }
}

async fn cancel(
    State(ordering): State<Ordering>,
    MaybeCaller(claims): MaybeCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CancelV1>,
) -> Result<Response, ApiFailure> {
    let (actor, reason) = match &claims {
        Some(c) if c.role >= Role::Staff => (
            Actor::Staff(c.sub.clone()),
            text(&body.reason, 200).unwrap_or_else(|| "cancelled by the shop".into()),
        ),
        Some(c) => (Actor::Customer(c.sub.clone()), "you cancelled it".into()),
        None => (Actor::Guest, "you cancelled it".into()),
    };
    ordering
        .cancel_order(&id, access(&claims, &body.key), &actor, &reason)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    status: String,
    from_ms: Option<i64>,
    to_ms: Option<i64>,
}

async fn list(
    State(ordering): State<Ordering>,
    _staff: Staff,
    QueryParams(query): QueryParams<ListQuery>,
) -> Result<Response, ApiFailure> {
    let status = match query.status.as_str() {
        "" => None,
        raw => Some(OrderStatus::parse(raw).ok_or_else(|| {
            ApiFailure::fields([("status".to_owned(), "No such order status.".to_owned())].into())
        })?),
    };
    let filter = OrderFilter {
        status,
        from_ms: query.from_ms,
        to_ms: query.to_ms,
    };
    Ok(Json(ordering.list(&filter).await?).into_response())
}

#[derive(Deserialize)]
struct DashboardQuery {
    days: Option<i64>,
}

async fn dashboard(
    State(ordering): State<Ordering>,
    _staff: Staff,
    QueryParams(query): QueryParams<DashboardQuery>,
) -> Result<Response, ApiFailure> {
    let days = query.days.unwrap_or(14).clamp(1, 366);
    let board = ordering.dashboard(platform::outbox::now_ms(), days).await?;
    Ok(Json(board).into_response())
}

async fn record_payment(
    State(ordering): State<Ordering>,
    Staff(claims): Staff,
    Path(id): Path<String>,
) -> Result<Response, ApiFailure> {
    ordering.record_payment(&id, &claims.sub).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn ship(
    State(ordering): State<Ordering>,
    Staff(claims): Staff,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ShipmentV1>,
) -> Result<Response, ApiFailure> {
    ordering
        .ship(&id, &body.carrier, &body.tracking, &claims.sub)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn delivered(
    State(ordering): State<Ordering>,
    Staff(claims): Staff,
    Path(id): Path<String>,
) -> Result<Response, ApiFailure> {
    ordering.mark_delivered(&id, &claims.sub).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn ready(State(ordering): State<Ordering>) -> Response {
    platform::edge::readiness(ordering.check_ready().await, "ordering database")
}
