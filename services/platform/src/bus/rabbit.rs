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

/// A connection and a confirm-mode channel, with the exchanges declared.
async fn open(config: &RabbitConfig) -> Result<(Connection, Channel), BusError> {
    let connection = Connection::connect(
        &config.url_with_heartbeat(),
        ConnectionProperties::default(),
    )
    .await
    .map_err(unreachable)?;
    let channel = connection.create_channel().await.map_err(unreachable)?;
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await
        .map_err(unreachable)?;
    let durable = ExchangeDeclareOptions {
        durable: true,
        ..ExchangeDeclareOptions::default()
    };
    channel
        .exchange_declare(
            config.exchange.as_str().into(),
            ExchangeKind::Topic,
            durable,
            FieldTable::default(),
        )
        .await
        .map_err(unreachable)?;
    channel
        .exchange_declare(
            config.dead_exchange.as_str().into(),
            ExchangeKind::Direct,
            durable,
            FieldTable::default(),
        )
        .await
        .map_err(unreachable)?;
    Ok((connection, channel))
}

/// Declares `queue` (quorum, dead-lettering to `<queue>.dead`) and binds it.
async fn declare_queue(
    channel: &Channel,
    config: &RabbitConfig,
    sub: &Subscription,
) -> Result<(), lapin::Error> {
    let durable = QueueDeclareOptions {
        durable: true,
        ..QueueDeclareOptions::default()
    };
    let dead_queue = format!("{}.dead", sub.queue);
    let expiry = sub.broadcast.then(|| {
        AMQPValue::LongLongInt(config.broadcast_expiry.as_millis().min(i64::MAX as u128) as i64)
    });
    let mut dead_args = FieldTable::default();
    dead_args.insert(
        "x-queue-type".into(),
        AMQPValue::LongString("quorum".into()),
    );
    if let Some(expiry) = &expiry {
        dead_args.insert("x-expires".into(), expiry.clone());
    }
    channel
        .queue_declare(dead_queue.as_str().into(), durable, dead_args)
        .await?;
    channel
        .queue_bind(
            dead_queue.as_str().into(),
            config.dead_exchange.as_str().into(),
            sub.queue.as_str().into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await?;

    let mut args = FieldTable::default();
    args.insert(
        "x-queue-type".into(),
        AMQPValue::LongString("quorum".into()),
    );
    if let Some(expiry) = expiry {
        args.insert("x-expires".into(), expiry);
    }
    // A safety net for consumers that die mid-message again and again (our
    // own retry count never gets to run then): the broker dead-letters the
    // message itself. RabbitMQ 3.10 sets no default limit.
    args.insert(
        "x-delivery-limit".into(),
        AMQPValue::LongInt(sub.retry.max_attempts as i32 + 2),
    );
    args.insert(
        "x-dead-letter-exchange".into(),
        AMQPValue::LongString(config.dead_exchange.as_str().into()),
    );
    args.insert(
        "x-dead-letter-routing-key".into(),
        AMQPValue::LongString(sub.queue.as_str().into()),
    );
    channel
        .queue_declare(sub.queue.as_str().into(), durable, args)
        .await?;
    for topic in &sub.topics {
        channel
            .queue_bind(
                sub.queue.as_str().into(),
                config.exchange.as_str().into(),
                topic.as_str().into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await?;
    }
    Ok(())
}

fn properties(message: &Message, extra: &[(&str, AMQPValue)]) -> BasicProperties {
    let mut headers = FieldTable::default();
    headers.insert(
        TOPIC_HEADER.into(),
        AMQPValue::LongString(message.topic.as_str().into()),
    );
    if let Some(trace) = &message.trace_id {
        headers.insert(
            TRACE_HEADER.into(),
            AMQPValue::LongString(trace.as_str().into()),
        );
    }
    for (name, value) in extra {
        headers.insert((*name).into(), value.clone());
    }
    BasicProperties::default()
        .with_message_id(message.id.to_string().into())
        .with_content_type("application/json".into())
        // 2 = persistent: written to disk before the broker confirms.
        .with_delivery_mode(2)
        .with_headers(headers)
}

async fn publish_confirmed(
    channel: &Channel,
    exchange: &str,
    routing_key: &str,
    payload: &[u8],
    properties: BasicProperties,
) -> Result<(), BusError> {
    let confirm = channel
        .basic_publish(
            exchange.into(),
            routing_key.into(),
            BasicPublishOptions::default(),
            payload,
            properties,
        )
        .await
        .map_err(unreachable)?
        .await
        .map_err(unreachable)?;
    match confirm {
        Confirmation::Ack(_) => Ok(()),
        _ => Err(BusError::NotConfirmed),
    }
}

fn headers_of(props: &BasicProperties) -> BTreeMap<String, AMQPValue> {
    props
        .headers()
        .as_ref()
        .map(|table| {
            table
                .inner()
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

fn text(value: Option<&AMQPValue>) -> Option<String> {
    match value? {
        AMQPValue::LongString(s) => Some(String::from_utf8_lossy(s.as_bytes()).into_owned()),
        AMQPValue::ShortString(s) => Some(s.as_str().to_owned()),
        _ => None,
    }
}

fn number(value: Option<&AMQPValue>) -> Option<u32> {
    let n: i64 = match value? {
        AMQPValue::ShortShortInt(v) => (*v).into(),
        AMQPValue::ShortShortUInt(v) => (*v).into(),
        AMQPValue::ShortInt(v) => (*v).into(),
        AMQPValue::ShortUInt(v) => (*v).into(),
        AMQPValue::LongInt(v) => (*v).into(),
        AMQPValue::LongUInt(v) => (*v).into(),
        AMQPValue::LongLongInt(v) => *v,
        _ => return None,
    };
    u32::try_from(n).ok()
}

/// Rebuilds our message from a delivery; `Err` names what is malformed.
fn message_of(props: &BasicProperties, routing_key: &str, data: &[u8]) -> Result<Message, String> {
    let headers = headers_of(props);
    let id = props
        .message_id()
        .as_ref()
        .ok_or("the message has no message id")?;
    let id = Uuid::parse_str(id.as_str())
        .map_err(|e| format!("message id {id:?} is not a UUID: {e}"))?;
    Ok(Message {
        id,
        topic: text(headers.get(TOPIC_HEADER)).unwrap_or_else(|| routing_key.to_owned()),
        payload: data.to_vec(),
        trace_id: text(headers.get(TRACE_HEADER)),
    })
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

/// Helpers for tests that use a real broker.
#[doc(hidden)]
pub mod testing {
    use lapin::options::QueueDeleteOptions;
    use lapin::{Connection, ConnectionProperties};

    /// When the uuid v7 in a test queue's name was made (ms since the
    /// epoch); `None` for a name without one.
    fn made_at_ms(name: &str) -> Option<u128> {
        let bytes = name.as_bytes();
        (0..bytes.len().saturating_sub(31)).find_map(|start| {
            let run = name.get(start..start + 32)?;
            let hex = run
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
            (hex && (start == 0 || !bytes[start - 1].is_ascii_hexdigit()))
                .then(|| u128::from_str_radix(&run[..12], 16).ok())
                .flatten()
        })
    }

    /// Deletes test queues (`sury.test.…`, `sury-test-…`) made more than
    /// an hour ago: a run that failed before cleaning up leaves quorum
    /// queues behind, and hundreds of them make the broker take minutes to
    /// stop. Queues of runs still going are younger and left alone.
    pub async fn sweep_stale_queues(amqp_url: &str) {
        let Ok(listed) = std::process::Command::new("rabbitmqctl")
            .args(["list_queues", "name", "--quiet"])
            .output()
        else {
            return;
        };
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        let stale: Vec<String> = String::from_utf8_lossy(&listed.stdout)
            .lines()
            .filter(|name| name.starts_with("sury.test.") || name.starts_with("sury-test-"))
            .filter(|name| made_at_ms(name).is_some_and(|ms| now_ms.saturating_sub(ms) > 3_600_000))
            .map(str::to_owned)
            .collect();
        if stale.is_empty() {
            return;
        }
        let Ok(connection) = Connection::connect(amqp_url, ConnectionProperties::default()).await
        else {
            return;
        };
        if let Ok(channel) = connection.create_channel().await {
            for name in &stale {
                let _ = channel
                    .queue_delete(name.as_str().into(), QueueDeleteOptions::default())
                    .await;
            }
        }
        let _ = connection.close(200, "swept".into()).await;
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn the_age_of_a_test_queue_is_in_its_name() {
            let id = "01a2113f0516761c8b6b78332ece2ccb";
            let ms = u128::from_str_radix(&id[..12], 16).unwrap();
            assert_eq!(
                super::made_at_ms(&format!("sury.test.crash.{id}.dead")),
                Some(ms)
            );
            assert_eq!(
                super::made_at_ms(&format!("sury-test-{id}.catalog.orders")),
                Some(ms)
            );
            assert_eq!(super::made_at_ms("sury.catalog.orders"), None);
        }
    }
}
