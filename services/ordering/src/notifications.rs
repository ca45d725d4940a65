//! The shopper's order emails, sent by a consumer of ordering's own events
//! so placing an order never waits for the mail server. SMTP down: retried
//! with backoff, then dead-lettered for replay, never dropped. The inbox is
//! checked before sending and written after, so a redelivered event sends
//! nothing.

use std::sync::Arc;

use contracts::ordering::events::{ORDER_CANCELLED_V1, ORDER_SHIPPED_V1, OrderSettledV1};
use contracts::ordering::saga::{ORDER_CONFIRMED_V1, OrderConfirmedV1};
use contracts::ordering::{OrderV1, PaymentMethod};
use platform::bus::{HandlerError, Handlers, Message, RetryPolicy, Subscription};
use platform::mail::{self, Email, Mailer, escape, paragraphs};

use crate::{Error, Ordering, store};

const CONSUMER: &str = "ordering.mail";

/// Minor units as the shop shows them.
pub fn money(minor: i64) -> String {
    format!("£{}.{:02}", minor / 100, minor % 100)
}

impl Ordering {
    /// The subscription that emails shoppers about their orders.
    pub fn mail_subscription(&self, mailer: Arc<dyn Mailer>) -> Subscription {
        let mail = |(ordering, mailer): (Ordering, Arc<dyn Mailer>), order_id: String, message| async move {
            ordering
                .send_mail_for(&order_id, &message, mailer.as_ref())
                .await
        };
        Handlers::new(CONSUMER, (self.clone(), mailer))
            .retry(RetryPolicy::MAIL)
            .on(
                ORDER_CONFIRMED_V1,
                move |state, event: OrderConfirmedV1, message| mail(state, event.order_id, message),
            )
            .on(
                ORDER_CANCELLED_V1,
                move |state, event: OrderSettledV1, message| mail(state, event.order_id, message),
            )
            .on(
                ORDER_SHIPPED_V1,
                move |state, event: OrderSettledV1, message| mail(state, event.order_id, message),
            )
            .subscription()
    }

    async fn send_mail_for(
        &self,
        order_id: &str,
        message: &Message,
        mailer: &dyn Mailer,
    ) -> Result<(), HandlerError> {
        mail::send_once(&self.pool, CONSUMER, message, mailer, async |conn| {
            let Some(stored) = store::load(conn, order_id).await? else {
                return Ok::<_, Error>(None);
            };
            let link = format!(
                "{}/orders/{}?key={}",
                self.public_url, stored.order.id, stored.view_key
            );
            Ok(Some(match message.topic.as_str() {
                ORDER_CONFIRMED_V1 => self.confirmation(&stored.order, &link),
                ORDER_SHIPPED_V1 => shipped(&stored.order, &link),
                _ => cancellation(&stored.order, &link),
            }))
        })
        .await
    }

    fn confirmation(&self, order: &OrderV1, link: &str) -> Email {
        let lines: Vec<String> = order
            .lines
            .iter()
            .map(|l| {
                format!(
                    "{} × {} ({}, {}) {}",
                    l.quantity,
                    l.product_name,
                    l.colour,
                    l.size,
                    money(l.unit_price_minor * l.quantity)
                )
            })
            .collect();
        let total = format!(
            "Total {} (VAT included: {})",
            money(order.totals.total_minor),
            money(order.totals.vat_minor)
        );
        let payment = match order.payment_method {
            PaymentMethod::CashOnDelivery => {
                "You pay when you receive it (cash on delivery).".to_owned()
            }
            PaymentMethod::BankTransfer => format!(
                "Please pay {} by bank transfer to {}, with {} as the reference. Unpaid orders are cancelled after {} days.",
                money(order.totals.total_minor),
                self.terms.bank_details,
                order.reference,
                self.terms.transfer_days
            ),
        };
        let reference = &order.reference;
        let text = format!(
            "Thank you! Your order {reference} is confirmed.\n\n{}\n{total}\n\n{payment}",
            lines.join("\n")
        );
        let html_lines = lines
            .iter()
            .map(|l| escape(l))
            .collect::<Vec<_>>()
            .join("<br>");
        let html = [
            format!(
                "Thank you! Your order <strong>{}</strong> is confirmed.",
                escape(reference)
            ),
            html_lines,
            escape(&total),
            escape(&payment),
        ];
        let subject = format!("Your order {reference} is confirmed");
        order_email(order, link, subject, &text, &html)
    }
}

/// An email to the order's customer: `text` and `html` (paragraphs,
/// already escaped) between the greeting and the link to the order.
fn order_email(order: &OrderV1, link: &str, subject: String, text: &str, html: &[String]) -> Email {
    let greeting = format!("Hello {},", escape(&order.name));
    let see = format!("<a href=\"{}\">See your order</a>", escape(link));
    let parts: Vec<&str> = std::iter::once(greeting.as_str())
        .chain(html.iter().map(String::as_str))
        .chain([see.as_str()])
        .collect();
    Email {
        to: order.email.clone(),
        subject,
        text: format!(
            "Hello {},\n\n{text}\n\nSee your order: {link}\n",
            order.name
        ),
        html: paragraphs(&parts),
    }
}

fn shipped(order: &OrderV1, link: &str) -> Email {
    let reference = &order.reference;
    let carrier = order.carrier.clone().unwrap_or_default();
    let tracking = order.tracking.clone().unwrap_or_default();
    let text = format!(
        "Your order {reference} is on its way with {carrier}. Tracking number: {tracking}."
    );
    let html = format!(
        "Your order <strong>{}</strong> is on its way with {}. Tracking number: <strong>{}</strong>.",
        escape(reference),
        escape(&carrier),
        escape(&tracking)
    );
    let subject = format!("Your order {reference} has shipped");
    order_email(order, link, subject, &text, &[html])
}

fn cancellation(order: &OrderV1, link: &str) -> Email {
    let reason = order
        .cancel_reason
        .clone()
        .unwrap_or_else(|| "it was cancelled".into());
    let reference = &order.reference;
    let text = format!(
        "Your order {reference} has been cancelled: {reason}.\nNothing will be charged for it."
    );
    let html = [
        format!(
            "Your order <strong>{}</strong> has been cancelled: {}.",
            escape(reference),
            escape(&reason)
        ),
        "Nothing will be charged for it.".to_owned(),
    ];
    let subject = format!("Your order {reference} was cancelled");
    order_email(order, link, subject, &text, &html)
}
