//! Typed subscriptions: a handler per event type, given the event already
//! decoded. A message whose payload does not decode as its topic's type is
//! refused as permanent, so it goes to the dead-letter queue with the
//! decoding error instead of being retried.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::{BoxFuture, HandlerError, Message, RetryPolicy, Subscription};

type Route<S> =
    Arc<dyn Fn(S, Message) -> BoxFuture<'static, Result<(), HandlerError>> + Send + Sync>;

/// A subscription built a topic at a time: `queue`'s handlers, each given
/// a clone of `state` (the service) and its topic's event decoded.
pub struct Handlers<S> {
    queue: String,
    state: S,
    retry: RetryPolicy,
    broadcast: bool,
    routes: Vec<(String, Route<S>)>,
}

impl<S: Clone + Send + Sync + 'static> Handlers<S> {
    /// A shared queue (each message handled once among replicas), retried
    /// with the default policy.
    pub fn new(queue: impl Into<String>, state: S) -> Self {
        Self {
            queue: queue.into(),
            state,
            retry: RetryPolicy::default(),
            broadcast: false,
            routes: Vec::new(),
        }
    }

    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Every process gets its own copy (see [`Subscription::broadcast`]).
    pub fn broadcast(mut self) -> Self {
        self.broadcast = true;
        self
    }

    /// Handles `topic`'s messages, decoded as `E` (`serde::de::IgnoredAny`
    /// for a handler that needs only that it happened).
    pub fn on<E, F, Fut>(mut self, topic: &str, handle: F) -> Self
    where
        E: DeserializeOwned + Send + 'static,
        F: Fn(S, E, Message) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        let handle = Arc::new(handle);
        let route: Route<S> = Arc::new(move |state, message| {
            let handle = handle.clone();
            Box::pin(async move {
                let event: E = serde_json::from_slice(&message.payload).map_err(|err| {
                    HandlerError::Permanent(format!("malformed {}: {err}", message.topic))
                })?;
                handle(state, event, message).await
            })
        });
        self.routes.push((topic.to_owned(), route));
        self
    }

    /// The subscription to give the bus.
    pub fn subscription(self) -> Subscription {
        let topics = self.routes.iter().map(|(topic, _)| topic.clone()).collect();
        let routes: Arc<HashMap<String, Route<S>>> = Arc::new(self.routes.into_iter().collect());
        let state = self.state;
        Subscription {
            queue: self.queue,
            topics,
            retry: self.retry,
            broadcast: self.broadcast,
            handler: Arc::new(move |message| {
                let route = routes.get(&message.topic).cloned();
                let state = state.clone();
                Box::pin(async move {
                    match route {
                        Some(route) => route(state, message).await,
                        // Bound to no other topic: a stray is nothing to do.
                        None => Ok(()),
                    }
                })
            }),
        }
    }
}
