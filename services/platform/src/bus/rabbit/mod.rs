//! The distributed shape's bus: RabbitMQ through lapin.
//!
//! Topology: one durable topic exchange for events; per subscription a
//! durable quorum queue bound to its topics, and a `<queue>.dead` queue fed
//! through a direct dead-letter exchange. Messages are persistent, every
//! publish waits for the broker's confirm, and a delivery is acked only after
//! its handler returned (the handler commits its own transaction first).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicGetOptions, BasicNackOptions, BasicPublishOptions,
    BasicQosOptions, ConfirmSelectOptions, ExchangeDeclareOptions, ExchangeDeleteOptions,
    QueueBindOptions, QueueDeclareOptions, QueueDeleteOptions,
};
use lapin::types::{AMQPValue, FieldTable, LongString, ShortString};
use lapin::{
    BasicProperties, Channel, Confirmation, Connection, ConnectionProperties, ExchangeKind,
};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::{BoxFuture, BusError, DeadLetter, EventBus, HandlerError, Message, Subscription};

#[doc(hidden)]
pub mod testing;
mod wire;

use wire::{
    declare_queue, headers_of, message_of, number, open, properties, publish_confirmed, text,
};

const ERROR_HEADER: &str = "x-sury-error";
const ATTEMPTS_HEADER: &str = "x-sury-attempts";
const TOPIC_HEADER: &str = "x-sury-topic";
const TRACE_HEADER: &str = "x-sury-trace-id";
/// Set by quorum queues on a redelivered message: earlier failed deliveries.
const DELIVERY_COUNT_HEADER: &str = "x-delivery-count";

#[derive(Clone, Debug)]
pub struct RabbitConfig {
    /// `amqp://user:password@host:port/vhost`. Heartbeats are asked for in
    /// the URL (`?heartbeat=10`) if it names none, so a dead peer is noticed.
    pub url: String,
    /// Prefix of every exchange and queue, so several shops (or test runs)
    /// can share one broker without taking each other's messages.
    pub namespace: String,
    pub exchange: String,
    pub dead_exchange: String,
    /// Unacked deliveries per consumer; 1 keeps retries of one message from
    /// holding others back behind it on the same consumer.
    pub prefetch: u16,
    /// How long to wait between reconnect attempts.
    pub reconnect_delay: Duration,
    /// A broadcast queue (one per process, named for it) is deleted by the
    /// broker once it has had no consumer this long: a process that is gone
    /// leaves nothing behind, one that reconnects within it misses nothing.
    pub broadcast_expiry: Duration,
}

impl RabbitConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            namespace: "sury".into(),
            exchange: "sury.events".into(),
            dead_exchange: "sury.dead".into(),
            prefetch: 8,
            reconnect_delay: Duration::from_millis(500),
            broadcast_expiry: Duration::from_secs(3600),
        }
    }

    /// The same settings with every name under `namespace`.
    pub fn with_namespace(mut self, namespace: &str) -> Self {
        self.namespace = namespace.to_owned();
        self.exchange = format!("{namespace}.events");
        self.dead_exchange = format!("{namespace}.dead");
        self
    }

    /// A service's queue (`catalog.orders`) as named on the broker.
    fn queue_name(&self, queue: &str) -> String {
        format!("{}.{queue}", self.namespace)
    }

    fn url_with_heartbeat(&self) -> String {
        if self.url.contains("heartbeat=") {
            self.url.clone()
        } else if self.url.contains('?') {
            format!("{}&heartbeat=10", self.url)
        } else {
            format!("{}?heartbeat=10", self.url)
        }
    }
}

pub struct RabbitBus {
    config: Arc<RabbitConfig>,
    /// The publishing channel (confirm mode), re-opened after a failure.
    publisher: Mutex<Option<(Connection, Channel)>>,
    consumers: std::sync::Mutex<Vec<JoinHandle<()>>>,
}

impl Drop for RabbitBus {
    fn drop(&mut self) {
        for task in self.consumers.lock().expect("consumer list").drain(..) {
            task.abort();
        }
    }
}

fn unreachable(err: lapin::Error) -> BusError {
    BusError::Unreachable(Box::new(err))
}

impl RabbitBus {
    /// Connects once to check the broker and declare the exchanges.
    pub async fn connect(config: RabbitConfig) -> Result<Self, BusError> {
        let bus = Self {
            config: Arc::new(config),
            publisher: Mutex::new(None),
            consumers: std::sync::Mutex::new(Vec::new()),
        };
        bus.publishing_channel().await?;
        Ok(bus)
    }

    async fn publishing_channel(&self) -> Result<Channel, BusError> {
        let mut slot = self.publisher.lock().await;
        if let Some((connection, channel)) = slot.as_ref()
            && connection.status().connected()
            && channel.status().connected()
        {
            return Ok(channel.clone());
        }
        let (connection, channel) = open(&self.config).await?;
        *slot = Some((connection, channel.clone()));
        Ok(channel)
    }

    async fn forget_publisher(&self) {
        if let Some((connection, _)) = self.publisher.lock().await.take() {
            let _ = connection.close(200, "reconnecting".into()).await;
        }
    }

    /// Deletes `queues` (named as subscribed, without the namespace) with
    /// their dead-letter queues, then this namespace's exchanges: for
    /// retiring a namespace, such as a finished test run's. Quorum queues
    /// are not free: a broker holding hundreds of forgotten ones takes
    /// minutes to stop.
    pub async fn delete_namespace(&self, queues: &[&str]) -> Result<(), BusError> {
        let (connection, channel) = self.operator_channel().await?;
        for queue in queues {
            let name = self.config.queue_name(queue);
            for q in [name.clone(), format!("{name}.dead")] {
                channel
                    .queue_delete(q.as_str().into(), QueueDeleteOptions::default())
                    .await
                    .map_err(unreachable)?;
            }
        }
        for exchange in [&self.config.exchange, &self.config.dead_exchange] {
            channel
                .exchange_delete(exchange.as_str().into(), ExchangeDeleteOptions::default())
                .await
                .map_err(unreachable)?;
        }
        let _ = channel.close(200, "deleted".into()).await;
        let _ = connection.close(200, "deleted".into()).await;
        Ok(())
    }

    /// A channel for one-off operator work (listing and replaying dead
    /// letters); closed by the caller.
    async fn operator_channel(&self) -> Result<(Connection, Channel), BusError> {
        open(&self.config).await
    }
}

impl EventBus for RabbitBus {
    fn publish<'a>(&'a self, message: &'a Message) -> BoxFuture<'a, Result<(), BusError>> {
        Box::pin(async move {
            let channel = self.publishing_channel().await?;
            let result = publish_confirmed(
                &channel,
                &self.config.exchange,
                &message.topic,
                &message.payload,
                properties(message, &[]),
            )
            .await;
            if result.is_err() {
                // Next publish starts from a fresh connection.
                self.forget_publisher().await;
            }
            result
        })
    }

    fn subscribe(&self, subscription: Subscription) -> BoxFuture<'_, Result<(), BusError>> {
        Box::pin(async move {
            let mut subscription = subscription;
            subscription.queue = self.config.queue_name(&subscription.queue);
            let subscription = subscription.with_own_queue_if_broadcast();
            // Declared before returning, so nothing published afterwards can
            // miss the queue.
            let (connection, channel) = open(&self.config).await?;
            declare_queue(&channel, &self.config, &subscription)
                .await
                .map_err(unreachable)?;
            let config = self.config.clone();
            let task = tokio::spawn(supervise(config, subscription, Some((connection, channel))));
            self.consumers.lock().expect("consumer list").push(task);
            Ok(())
        })
    }

    fn check(&self) -> BoxFuture<'_, Result<(), BusError>> {
        Box::pin(async move { self.publishing_channel().await.map(|_| ()) })
    }

    fn dead_letters<'a>(
        &'a self,
        queue: &'a str,
    ) -> BoxFuture<'a, Result<Vec<DeadLetter>, BusError>> {
        Box::pin(async move {
            let (connection, channel) = self.operator_channel().await?;
            let dead_queue = format!("{}.dead", self.config.queue_name(queue));
            let mut letters = Vec::new();
            // Unacked gets go back to the queue when the channel closes.
            while let Some(got) = channel
                .basic_get(dead_queue.as_str().into(), BasicGetOptions::default())
                .await
                .map_err(unreachable)?
            {
                let headers = headers_of(&got.delivery.properties);
                let message = message_of(
                    &got.delivery.properties,
                    got.delivery.routing_key.as_str(),
                    &got.delivery.data,
                )
                .unwrap_or_else(|_| Message {
                    id: Uuid::nil(),
                    topic: got.delivery.routing_key.as_str().to_owned(),
                    payload: got.delivery.data.clone(),
                    trace_id: None,
                });
                letters.push(DeadLetter {
                    message,
                    queue: queue.to_owned(),
                    error: text(headers.get(ERROR_HEADER)).unwrap_or_else(|| {
                        "delivery limit reached: the consumer kept failing or dying".into()
                    }),
                    attempts: number(headers.get(ATTEMPTS_HEADER))
                        .or_else(|| number(headers.get(DELIVERY_COUNT_HEADER)))
                        .unwrap_or(0),
                });
                if letters.len() >= 1000 || got.message_count == 0 {
                    break;
                }
            }
            let _ = channel.close(200, "listed".into()).await;
            let _ = connection.close(200, "listed".into()).await;
            Ok(letters)
        })
    }

    fn replay<'a>(&'a self, queue: &'a str, id: Uuid) -> BoxFuture<'a, Result<bool, BusError>> {
        Box::pin(async move {
            let (connection, channel) = self.operator_channel().await?;
            let queue = &self.config.queue_name(queue);
            let dead_queue = format!("{queue}.dead");
            let mut found = false;
            while let Some(got) = channel
                .basic_get(dead_queue.as_str().into(), BasicGetOptions::default())
                .await
                .map_err(unreachable)?
            {
                let delivery = &got.delivery;
                let matches = delivery
                    .properties
                    .message_id()
                    .as_ref()
                    .is_some_and(|m| m.as_str() == id.to_string());
                if matches {
                    let message = message_of(
                        &delivery.properties,
                        delivery.routing_key.as_str(),
                        &delivery.data,
                    )
                    .map_err(BusError::Other)?;
                    // Straight to this queue through the default exchange:
                    // other subscribers already handled it.
                    publish_confirmed(
                        &channel,
                        "",
                        queue,
                        &message.payload,
                        properties(&message, &[]),
                    )
                    .await?;
                    delivery
                        .ack(BasicAckOptions::default())
                        .await
                        .map_err(unreachable)?;
                    found = true;
                    break;
                }
                if got.message_count == 0 {
                    break;
                }
            }
            let _ = channel.close(200, "replayed".into()).await;
            let _ = connection.close(200, "replayed".into()).await;
            Ok(found)
        })
    }
}

/// Keeps one consumer running: reconnects (and re-declares) after the
/// broker or the network goes away, until the bus is dropped.
async fn supervise(
    config: Arc<RabbitConfig>,
    sub: Subscription,
    mut first: Option<(Connection, Channel)>,
) {
    loop {
        let opened = match first.take() {
            Some(pair) => Ok(pair),
            None => match open(&config).await {
                Ok((connection, channel)) => declare_queue(&channel, &config, &sub)
                    .await
                    .map(|()| (connection, channel))
                    .map_err(unreachable),
                Err(err) => Err(err),
            },
        };
        match opened {
            Ok((connection, channel)) => {
                if let Err(err) = consume(&config, &sub, &channel).await {
                    tracing::warn!(queue = %sub.queue, error = %err, "consumer stopped, reconnecting");
                }
                let _ = connection.close(200, "reconnecting".into()).await;
            }
            Err(err) => {
                tracing::warn!(queue = %sub.queue, error = %err, "broker unreachable, retrying");
            }
        }
        tokio::time::sleep(config.reconnect_delay).await;
    }
}

async fn consume(
    config: &RabbitConfig,
    sub: &Subscription,
    channel: &Channel,
) -> Result<(), BusError> {
    channel
        .basic_qos(config.prefetch, BasicQosOptions::default())
        .await
        .map_err(unreachable)?;
    let mut deliveries = channel
        .basic_consume(
            sub.queue.as_str().into(),
            ShortString::from(format!("{}-{}", sub.queue, Uuid::now_v7())),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await
        .map_err(unreachable)?;
    while let Some(delivery) = deliveries.next().await {
        let delivery = delivery.map_err(unreachable)?;
        let headers = headers_of(&delivery.properties);
        let attempt = number(headers.get(DELIVERY_COUNT_HEADER)).unwrap_or(0) + 1;
        let outcome = match message_of(
            &delivery.properties,
            delivery.routing_key.as_str(),
            &delivery.data,
        ) {
            Err(malformed) => Err(HandlerError::Permanent(malformed)),
            Ok(message) => (sub.handler)(message).await,
        };
        match outcome {
            Ok(()) => {
                delivery
                    .ack(BasicAckOptions::default())
                    .await
                    .map_err(unreachable)?;
            }
            Err(HandlerError::Transient(error) | HandlerError::Permanent(error))
                if sub.broadcast =>
            {
                tracing::warn!(queue = %sub.queue, %error, "broadcast handler failed");
                delivery
                    .ack(BasicAckOptions::default())
                    .await
                    .map_err(unreachable)?;
            }
            Err(HandlerError::Transient(error)) if attempt < sub.retry.max_attempts => {
                tracing::warn!(queue = %sub.queue, attempt, %error, "handler failed, will retry");
                tokio::time::sleep(sub.retry.delay_after(attempt)).await;
                delivery
                    .nack(BasicNackOptions {
                        requeue: true,
                        ..BasicNackOptions::default()
                    })
                    .await
                    .map_err(unreachable)?;
            }
            Err(HandlerError::Transient(error) | HandlerError::Permanent(error)) => {
                tracing::error!(queue = %sub.queue, attempt, %error, "message dead-lettered");
                let mut props = delivery.properties.clone();
                let mut headers = props.headers().clone().unwrap_or_default();
                headers.insert(
                    ERROR_HEADER.into(),
                    AMQPValue::LongString(LongString::from(error)),
                );
                headers.insert(ATTEMPTS_HEADER.into(), AMQPValue::LongInt(attempt as i32));
                props = props.with_headers(headers);
                // Confirmed into the dead-letter queue before the original
                // is acked: a crash in between duplicates, never drops.
                publish_confirmed(
                    channel,
                    &config.dead_exchange,
                    &sub.queue,
                    &delivery.data,
                    props,
                )
                .await?;
                delivery
                    .ack(BasicAckOptions::default())
                    .await
                    .map_err(unreachable)?;
            }
        }
    }
    Ok(())
}
