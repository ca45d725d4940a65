//! The embedded shape's bus: queues in this process, same semantics as the
//! RabbitMQ one (competing consumers, retries with backoff, dead letters).
//! Nothing survives a restart; the outbox is what makes that safe.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::mpsc;
use uuid::Uuid;

use super::{
    BoxFuture, BusError, DeadLetter, EventBus, HandlerError, Message, Subscription, topic_matches,
};

#[derive(Clone, Default)]
pub struct InProcessBus {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    queues: Mutex<HashMap<String, Queue>>,
    dead: Mutex<Vec<DeadLetter>>,
}

struct Queue {
    topics: Vec<String>,
    sender: mpsc::UnboundedSender<Message>,
    receiver: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Message>>>,
}

impl InProcessBus {
    pub fn new() -> Self {
        Self::default()
    }
}

impl EventBus for InProcessBus {
    fn publish<'a>(&'a self, message: &'a Message) -> BoxFuture<'a, Result<(), BusError>> {
        Box::pin(async move {
            let queues = self.inner.queues.lock().expect("bus lock");
            for queue in queues.values() {
                if queue
                    .topics
                    .iter()
                    .any(|t| topic_matches(t, &message.topic))
                {
                    // A closed queue only happens while the bus is dropped.
                    let _ = queue.sender.send(message.clone());
                }
            }
            Ok(())
        })
    }

    fn subscribe(&self, subscription: Subscription) -> BoxFuture<'_, Result<(), BusError>> {
        Box::pin(async move {
            let subscription = subscription.with_own_queue_if_broadcast();
            let receiver = {
                let mut queues = self.inner.queues.lock().expect("bus lock");
                let queue = queues.entry(subscription.queue.clone()).or_insert_with(|| {
                    let (sender, receiver) = mpsc::unbounded_channel();
                    Queue {
                        topics: Vec::new(),
                        sender,
                        receiver: Arc::new(tokio::sync::Mutex::new(receiver)),
                    }
                });
                for topic in &subscription.topics {
                    if !queue.topics.contains(topic) {
                        queue.topics.push(topic.clone());
                    }
                }
                queue.receiver.clone()
            };
            tokio::spawn(consume(Arc::downgrade(&self.inner), receiver, subscription));
            Ok(())
        })
    }

    fn check(&self) -> BoxFuture<'_, Result<(), BusError>> {
        Box::pin(async { Ok(()) })
    }

    fn dead_letters<'a>(
        &'a self,
        queue: &'a str,
    ) -> BoxFuture<'a, Result<Vec<DeadLetter>, BusError>> {
        Box::pin(async move {
            let dead = self.inner.dead.lock().expect("bus lock");
            Ok(dead.iter().filter(|d| d.queue == queue).cloned().collect())
        })
    }

    fn replay<'a>(&'a self, queue: &'a str, id: Uuid) -> BoxFuture<'a, Result<bool, BusError>> {
        Box::pin(async move {
            let letter = {
                let mut dead = self.inner.dead.lock().expect("bus lock");
                let Some(at) = dead
                    .iter()
                    .position(|d| d.queue == queue && d.message.id == id)
                else {
                    return Ok(false);
                };
                dead.remove(at)
            };
            let queues = self.inner.queues.lock().expect("bus lock");
            match queues.get(queue) {
                Some(q) => Ok(q.sender.send(letter.message).is_ok()),
                None => Ok(false),
            }
        })
    }
}

/// One consumer. Several consumers of a queue share its receiver and so
/// compete for messages, as RabbitMQ consumers of one queue do.
async fn consume(
    bus: Weak<Inner>,
    receiver: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Message>>>,
    subscription: Subscription,
) {
    loop {
        let Some(message) = receiver.lock().await.recv().await else {
            return;
        };
        let mut attempt = 1;
        let failure = loop {
            match (subscription.handler)(message.clone()).await {
                Ok(()) => break None,
                Err(HandlerError::Permanent(error)) => break Some(error),
                Err(HandlerError::Transient(error))
                    if attempt >= subscription.retry.max_attempts =>
                {
                    break Some(error);
                }
                Err(HandlerError::Transient(error)) => {
                    tracing::warn!(queue = %subscription.queue, id = %message.id, attempt, %error, "handler failed, will retry");
                    tokio::time::sleep(subscription.retry.delay_after(attempt)).await;
                    attempt += 1;
                }
            }
        };
        if let Some(error) = failure {
            if subscription.broadcast {
                tracing::warn!(queue = %subscription.queue, id = %message.id, %error, "broadcast handler failed");
                continue;
            }
            tracing::error!(queue = %subscription.queue, id = %message.id, attempt, %error, "message dead-lettered");
            let Some(bus) = bus.upgrade() else { return };
            bus.dead.lock().expect("bus lock").push(DeadLetter {
                message,
                queue: subscription.queue.clone(),
                error,
                attempts: attempt,
            });
        }
    }
}
