//! How SURY's messages and topology look on the wire: the connection and
//! its exchanges, queues with their dead-letter queues, message properties
//! and headers, confirmed publishing.

use super::*;

/// A connection and a confirm-mode channel, with the exchanges declared.
pub(super) async fn open(config: &RabbitConfig) -> Result<(Connection, Channel), BusError> {
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
    // Events go out by topic; a dead letter goes back to its own queue's
    // dead-letter queue, by the queue's name.
    let exchanges = [
        (&config.exchange, ExchangeKind::Topic),
        (&config.dead_exchange, ExchangeKind::Direct),
    ];
    for (name, kind) in exchanges {
        channel
            .exchange_declare(name.as_str().into(), kind, durable, FieldTable::default())
            .await
            .map_err(unreachable)?;
    }
    Ok((connection, channel))
}

/// Declares `queue` (quorum, dead-lettering to `<queue>.dead`) and binds it.
pub(super) async fn declare_queue(
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

pub(super) fn properties(message: &Message, extra: &[(&str, AMQPValue)]) -> BasicProperties {
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

pub(super) async fn publish_confirmed(
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

pub(super) fn headers_of(props: &BasicProperties) -> BTreeMap<String, AMQPValue> {
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

pub(super) fn text(value: Option<&AMQPValue>) -> Option<String> {
    match value? {
        AMQPValue::LongString(s) => Some(String::from_utf8_lossy(s.as_bytes()).into_owned()),
        AMQPValue::ShortString(s) => Some(s.as_str().to_owned()),
        _ => None,
    }
}

pub(super) fn number(value: Option<&AMQPValue>) -> Option<u32> {
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
pub(super) fn message_of(
    props: &BasicProperties,
    routing_key: &str,
    data: &[u8],
) -> Result<Message, String> {
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
