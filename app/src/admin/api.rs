//! Back-office server functions. Each one checks the staff role on the
//! server before anything else; forms answer with a redirect.

use contracts::ordering::{DashboardV1, OrderSummaryV1, OrderV1};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::AppError;

#[cfg(feature = "ssr")]
pub(super) mod edge {
    use crate::AppError;

    /// The staff member asking, or the refusal.
    pub fn staff() -> Result<contracts::identity::Principal, AppError> {
        let who = crate::session::server::principal().ok_or(AppError::Unauthenticated)?;
        if who.role < contracts::identity::Role::Staff {
            return Err(AppError::Forbidden);
        }
        Ok(who)
    }

    /// The staff member's access token, for the ordering service to check
    /// again.
    pub fn staff_token() -> Result<String, AppError> {
        staff()?;
        crate::session::server::access_token().ok_or(AppError::Unauthenticated)
    }

    pub fn ordering() -> Result<ordering::OrderingClient, AppError> {
        crate::services::client("ordering")
    }

    /// What staff do to an order from its page.
    pub enum Step {
        RecordPayment,
        Ship { carrier: String, tracking: String },
        Deliver,
        Cancel { reason: String },
    }

    /// Takes `step` with the order `id` as the staff member asking, then
    /// goes back to the order's page with what happened.
    pub async fn take(id: &str, step: Step) -> Result<(), AppError> {
        use crate::account::api::edge::{back_to, one_error, onward};
        let token = staff_token()?;
        let ordering = ordering()?;
        let (outcome, notice) = match step {
            Step::RecordPayment => (
                ordering.record_payment(&token, id).await,
                "Payment recorded.",
            ),
            Step::Ship { carrier, tracking } => (
                ordering.ship(&token, id, &carrier, &tracking).await,
                "Marked shipped; the customer has been emailed.",
            ),
            Step::Deliver => (
                ordering.mark_delivered(&token, id).await,
                "Marked delivered.",
            ),
            Step::Cancel { reason } => {
                let staff = ordering::Asker {
                    access_token: Some(&token),
                    key: "",
                };
                (
                    ordering.cancel_order(id, staff, &reason).await,
                    "Order cancelled; its stock is back on sale.",
                )
            }
        };
        let page = format!("/admin/orders/{}", platform::url_encode(id));
        match outcome {
            Ok(()) => onward(&page, "admin-order", notice),
            Err(ordering::Error::NoSuchOrder) => Err(AppError::NotFound),
            Err(err) if !err.is_internal() => {
                back_to(&page, "admin-order", &[], one_error("form", err))
            }
            Err(err) => Err(AppError::internal("changing an order", &err)),
        }
    }
}

#[server(prefix = "/sf", endpoint = "admin/dashboard", input = GetUrl)]
pub async fn dashboard() -> Result<DashboardV1, AppError> {
    let token = edge::staff_token()?;
    edge::ordering()?
        .dashboard(&token, 14)
        .await
        .map_err(|e| AppError::internal("loading the dashboard", &e))
}

/// Orders filtered by status (empty: all) and by the day placed
/// (`YYYY-MM-DD`, UTC, both ends included; empty: open).
#[server(prefix = "/sf", endpoint = "admin/orders", input = GetUrl)]
pub async fn orders(
    status: String,
    from: String,
    to: String,
) -> Result<Vec<OrderSummaryV1>, AppError> {
    let token = edge::staff_token()?;
    let bad = |what: &str| AppError::BadInput(format!("{what} is not a date like 2026-11-25."));
    let status = match status.as_str() {
        "" => None,
        raw => Some(
            contracts::ordering::OrderStatus::parse(raw)
                .ok_or_else(|| AppError::BadInput("No such order status.".into()))?,
        ),
    };
    let day = |raw: &str, what: &str| -> Result<Option<i64>, AppError> {
        if raw.is_empty() {
            return Ok(None);
        }
        day_number(raw).map(Some).ok_or_else(|| bad(what))
    };
    let filter = ordering::OrderFilter {
        status,
        from_ms: day(&from, "From")?.map(|d| d * 86_400_000),
        to_ms: day(&to, "To")?.map(|d| (d + 1) * 86_400_000),
    };
    edge::ordering()?
        .list(&token, &filter)
        .await
        .map_err(|e| AppError::internal("listing orders", &e))
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
#[cfg(feature = "ssr")]
fn day_number(raw: &str) -> Option<i64> {
    let mut parts = raw.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1970..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Days-from-civil (Howard Hinnant), the inverse of contracts' civil_date.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    // 2026-02-31 and the like do not round-trip.
    (contracts::ordering::civil_date(days) == format!("{year:04}-{month:02}-{day:02}"))
        .then_some(days)
}

#[server(prefix = "/sf", endpoint = "admin/order", input = GetUrl)]
pub async fn order(id: String) -> Result<OrderV1, AppError> {
    let token = edge::staff_token()?;
    let asker = ordering::Asker {
        access_token: Some(&token),
        key: "",
    };
    edge::ordering()?
        .order(&id, asker)
        .await
        .map_err(|e| AppError::internal("loading an order", &e))?
        .ok_or(AppError::NotFound)
}

#[server(prefix = "/sf", endpoint = "admin/record-payment")]
pub async fn record_payment(id: String) -> Result<(), AppError> {
    edge::take(&id, edge::Step::RecordPayment).await
}

#[server(prefix = "/sf", endpoint = "admin/ship")]
pub async fn ship(id: String, carrier: String, tracking: String) -> Result<(), AppError> {
    edge::take(&id, edge::Step::Ship { carrier, tracking }).await
}

#[server(prefix = "/sf", endpoint = "admin/deliver")]
pub async fn deliver(id: String) -> Result<(), AppError> {
    edge::take(&id, edge::Step::Deliver).await
}

#[server(prefix = "/sf", endpoint = "admin/cancel")]
pub async fn cancel(id: String, reason: String) -> Result<(), AppError> {
    let reason = reason.trim();
    let reason = if reason.is_empty() {
        "cancelled by the shop".to_owned()
    } else {
        reason.chars().take(200).collect()
    };
    edge::take(&id, edge::Step::Cancel { reason }).await
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn dates_parse_and_impossible_ones_do_not() {
        assert_eq!(super::day_number("1970-01-01"), Some(0));
        assert_eq!(super::day_number("2000-02-29"), Some(11_016));
        assert_eq!(super::day_number("2026-02-29"), None);
        assert_eq!(super::day_number("2026-13-01"), None);
        assert_eq!(super::day_number("yesterday"), None);
    }
}
