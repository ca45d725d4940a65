//! The event bus: publish with confirmation, subscribe with retries and a
//! dead-letter queue.

mod memory;
mod rabbit;
mod typed;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use thiserror::Error;
use uuid::Uuid;

pub use memory::InProcessBus;
pub use rabbit::{RabbitBus, RabbitConfig, testing};
pub use typed::Handlers;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One event on the wire. `topic` is its versioned name
/// (`catalog.category.renamed.v1`); `payload` is its JSON body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: Uuid,
    pub topic: String,
    pub payload: Vec<u8>,
    /// Carried in a header so one trace follows an event across services.
    pub trace_id: Option<String>,
}

impl Message {
    pub fn new(topic: impl Into<String>, payload: Vec<u8>) -> Self {
        Self {
            id: Uuid::now_v7(),
            topic: topic.into(),
            payload,
            trace_id: None,
        }
    }
}

/// Why a handler refused a message.
#[derive(Debug, Error)]
pub enum HandlerError {
    /// Might work next time (a database was busy): retried with backoff.
    #[error("{0}")]
    Transient(String),
    /// Will never work (the payload does not parse): dead-lettered at once.
    #[error("{0}")]
    Permanent(String),
}

impl HandlerError {
    /// A failure worth retrying (a database busy or away), with its causes
    /// on one line for the dead-letter record.
    pub fn transient(err: &(dyn std::error::Error + 'static)) -> Self {
        Self::Transient(crate::error_chain(err))
    }

    /// A failure to send mail: retried when the mail server may take it
    /// later, dead-lettered at once when the message itself is wrong.
    pub fn mail(err: &crate::mail::MailError) -> Self {
        if err.is_transient() {
            Self::transient(err)
        } else {
            Self::Permanent(crate::error_chain(err))
        }
    }
}

#[derive(Debug, Error)]
pub enum BusError {
    #[error("the broker is unreachable")]
    Unreachable(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("the broker did not confirm the message")]
    NotConfirmed,
    #[error("bus error: {0}")]
    Other(String),
}

pub type Handler =
    Arc<dyn Fn(Message) -> BoxFuture<'static, Result<(), HandlerError>> + Send + Sync>;

/// A consumer: a durable queue bound to `topics`, drained by `handler`.
#[derive(Clone)]
pub struct Subscription {
    /// Service and event group, e.g. `ordering.stock`. Replicas that use the
    /// same name compete for messages.
    pub queue: String,
    pub topics: Vec<String>,
    pub retry: RetryPolicy,
    pub handler: Handler,
    /// `false`: one durable queue that replicas share, each message handled
    /// once (the default for anything with an effect). `true`: every
    /// process gets its own copy through a queue that lives as long as its
    /// connection; for refreshing derived state such as caches, which must
    /// also expire on their own since copies sent while disconnected are
    /// missed. Failures of broadcast handlers are logged, not dead-lettered.
    pub broadcast: bool,
}

impl Subscription {
    /// A broadcast subscription gets a queue of its own per process.
    pub(crate) fn with_own_queue_if_broadcast(mut self) -> Self {
        if self.broadcast {
            self.queue = format!("{}.{}", self.queue, Uuid::now_v7().simple());
        }
        self
    }
}

#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// Deliveries before a message is dead-lettered (first try included).
    pub max_attempts: u32,
    /// Wait before the second try; doubles each time, capped at `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// For an effect in the service's own database: a busy or restarting
    /// database is back within seconds.
    pub const DATABASE: Self = Self {
        max_attempts: 8,
        backoff: Duration::from_millis(200),
        max_backoff: Duration::from_secs(10),
    };

    /// For sending mail: about ten minutes of retries before the
    /// dead-letter queue, as a mail server can be away that long.
    pub const MAIL: Self = Self {
        max_attempts: 12,
        backoff: Duration::from_millis(500),
        max_backoff: Duration::from_secs(60),
    };

    pub(crate) fn delay_after(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// A message that could not be handled, with the last error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadLetter {
    pub message: Message,
    pub queue: String,
    pub error: String,
    pub attempts: u32,
}

/// What both implementations offer.
pub trait EventBus: Send + Sync {
    /// Returns once the bus has taken responsibility for the message (for
    /// RabbitMQ: the broker confirmed it to disk).
    fn publish<'a>(&'a self, message: &'a Message) -> BoxFuture<'a, Result<(), BusError>>;

    /// Declares the queue and starts consuming; consumption survives
    /// reconnects until the bus is dropped.
    fn subscribe(&self, subscription: Subscription) -> BoxFuture<'_, Result<(), BusError>>;

    /// Dead-lettered messages of `queue`, oldest first (the operator view).
    fn dead_letters<'a>(
        &'a self,
        queue: &'a str,
    ) -> BoxFuture<'a, Result<Vec<DeadLetter>, BusError>>;

    /// Whether the bus can take messages right now (readiness checks).
    fn check(&self) -> BoxFuture<'_, Result<(), BusError>>;

    /// Puts a dead-lettered message back on its queue for another try.
    fn replay<'a>(&'a self, queue: &'a str, id: Uuid) -> BoxFuture<'a, Result<bool, BusError>>;
}

/// Whether `topic` matches an AMQP topic pattern (`*` one word, `#` any).
pub(crate) fn topic_matches(pattern: &str, topic: &str) -> bool {
    fn go(p: &[&str], t: &[&str]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some(&"#"), _) => go(&p[1..], t) || (!t.is_empty() && go(p, &t[1..])),
            (Some(&"*"), Some(_)) => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    let p: Vec<&str> = pattern.split('.').collect();
    let t: Vec<&str> = topic.split('.').collect();
    go(&p, &t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_patterns_follow_amqp_rules() {
        assert!(topic_matches("catalog.#", "catalog.stock.reserved.v1"));
        assert!(topic_matches(
            "catalog.*.reserved.v1",
            "catalog.stock.reserved.v1"
        ));
        assert!(!topic_matches("catalog.*", "catalog.stock.reserved.v1"));
        assert!(topic_matches("#", "anything.at.all"));
        assert!(!topic_matches("ordering.#", "catalog.stock"));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy {
            max_attempts: 10,
            backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(500),
        };
        assert_eq!(policy.delay_after(1), Duration::from_millis(100));
        assert_eq!(policy.delay_after(2), Duration::from_millis(200));
        assert_eq!(policy.delay_after(3), Duration::from_millis(400));
        assert_eq!(policy.delay_after(4), Duration::from_millis(500));
    }
}
