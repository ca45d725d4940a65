//! Contract tests every bus implementation must pass, run against the
//! in-process bus and a real RabbitMQ (127.0.0.1:5672).

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use platform::bus::{DeadLetter, EventBus, Handler, HandlerError, Message, Subscription};
use platform::outbox::{self, Relay};
use support::*;

const WAIT: Duration = Duration::from_secs(20);

/// A bus of `backend`, a queue no other test uses, and the topic the
/// scenario `name` publishes on.
async fn scenario(backend: Backend, name: &str) -> (Arc<dyn EventBus>, String, String) {
    let queue = unique_queue(name);
    let topic = format!("{queue}.happened.v1");
    (bus(backend).await, queue, topic)
}

/// `queue`'s shared subscription to `topic`, tried `max_attempts` times.
fn subscription(queue: &str, topic: &str, max_attempts: u32, handler: Handler) -> Subscription {
    Subscription {
        queue: queue.into(),
        topics: vec![topic.into()],
        retry: quick_retries(max_attempts),
        broadcast: false,
        handler,
    }
}

/// Waits for the one message `queue` dead-letters, and returns it.
async fn the_dead_letter(bus: &Arc<dyn EventBus>, queue: &str) -> DeadLetter {
    eventually("a dead letter", WAIT, || async {
        bus.dead_letters(queue).await.unwrap().len() == 1
    })
    .await;
    bus.dead_letters(queue).await.unwrap().remove(0)
}

/// An event committed with its state change reaches the consumer once.
async fn outbox_event_reaches_the_consumer(backend: Backend) {
    let p = pipeline(backend, "delivery").await;
    let (bus, queue, topic) = (p.bus.clone(), p.queue.clone(), p.topic.clone());
    let (producer_db, consumer_db) = (p.producer_db.clone(), p.consumer_db.clone());

    let mut tx = producer_db.begin().await.unwrap();
    outbox::enqueue(&mut tx, &Message::new(&topic, br#"{"n":1}"#.to_vec()))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(outbox::backlog(&producer_db).await.unwrap(), 1);

    let relay = Relay::new(producer_db.clone(), bus.clone());
    assert_eq!(relay.relay_pending().await.unwrap(), 1);
    assert_eq!(
        outbox::backlog(&producer_db).await.unwrap(),
        0,
        "outbox drained"
    );
    eventually("the effect", WAIT, || async {
        effects(&consumer_db).await == 1
    })
    .await;
    delete_queues(backend, &queue).await;
}

/// The process dies after publishing but before marking the row sent: the
/// next relay publishes it again, and the inbox turns that into no-op.
/// And a relay task aborted mid-run leaves nothing behind.
async fn relay_crash_loses_nothing_and_duplicates_nothing(backend: Backend) {
    let p = pipeline(backend, "crash").await;
    let (bus, queue, topic) = (p.bus.clone(), p.queue.clone(), p.topic.clone());
    let (producer_db, consumer_db) = (p.producer_db.clone(), p.consumer_db.clone());
    let calls = p.calls.clone();

    // Committed, then published by a relay that "dies" before marking it.
    let first = Message::new(&topic, b"{}".to_vec());
    let mut tx = producer_db.begin().await.unwrap();
    outbox::enqueue(&mut tx, &first).await.unwrap();
    tx.commit().await.unwrap();
    bus.publish(&first).await.unwrap();

    // Many more, with a relay aborted while it works through them.
    let mut tx = producer_db.begin().await.unwrap();
    for n in 0..50 {
        outbox::enqueue(
            &mut tx,
            &Message::new(&topic, format!("{{\"n\":{n}}}").into_bytes()),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let doomed =
        tokio::spawn(Relay::new(producer_db.clone(), bus.clone()).run(std::future::pending()));
    tokio::time::sleep(Duration::from_millis(5)).await;
    doomed.abort();
    let _ = doomed.await;

    // The restarted relay finishes the job. Rows the aborted relay had
    // claimed stay locked until its connection is rolled back, so keep
    // going as the relay's own loop would.
    let relay = Relay::new(producer_db.clone(), bus.clone());
    eventually("an empty outbox", WAIT, || async {
        // Until the aborted relay's connection is rolled back, SQLite may
        // answer "database is locked": a try that did not finish, as for
        // the relay's own loop, not a lost message.
        if let Err(err) = relay.relay_pending().await {
            eprintln!("relay pass failed, trying again: {err}");
            return false;
        }
        outbox::backlog(&producer_db).await.unwrap() == 0
    })
    .await;
    eventually("51 effects", WAIT, || async {
        effects(&consumer_db).await == 51
    })
    .await;
    // Give any duplicate time to arrive, then check it had no effect.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(effects(&consumer_db).await, 51);
    assert!(
        calls.load(Ordering::SeqCst) >= 52,
        "the duplicate was delivered too"
    );
    delete_queues(backend, &queue).await;
}

/// Every message delivered twice: one effect each.
async fn duplicate_delivery_has_no_second_effect(backend: Backend) {
    let p = pipeline(backend, "duplicates").await;
    let (bus, queue, topic) = (p.bus.clone(), p.queue.clone(), p.topic.clone());
    let (consumer_db, calls) = (p.consumer_db.clone(), p.calls.clone());
    for n in 0..10 {
        let message = Message::new(&topic, format!("{{\"n\":{n}}}").into_bytes());
        bus.publish(&message).await.unwrap();
        bus.publish(&message).await.unwrap();
    }
    eventually("20 deliveries", WAIT, || async {
        calls.load(Ordering::SeqCst) == 20
    })
    .await;
    assert_eq!(effects(&consumer_db).await, 10);
    delete_queues(backend, &queue).await;
}

/// A handler that keeps failing: tried `max_attempts` times, then the
/// message waits in the dead-letter queue with its error; replayed once the
/// handler is fixed, it is handled.
async fn poison_message_is_dead_lettered_then_replayed(backend: Backend) {
    let (bus, queue, topic) = scenario(backend, "poison").await;
    let calls = Arc::new(AtomicU32::new(0));
    let fixed = Arc::new(AtomicBool::new(false));
    let handled = Arc::new(AtomicU32::new(0));
    let handler: Handler = {
        let (calls, fixed, handled) = (calls.clone(), fixed.clone(), handled.clone());
        Arc::new(move |_message| {
            let (calls, fixed, handled) = (calls.clone(), fixed.clone(), handled.clone());
            Box::pin(async move {
                calls.fetch_add(1, Ordering::SeqCst);
                if fixed.load(Ordering::SeqCst) {
                    handled.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                } else {
                    Err(HandlerError::Transient("stock service timed out".into()))
                }
            })
        })
    };
    let poisoned = subscription(&queue, &topic, 3, handler);
    bus.subscribe(poisoned).await.unwrap();
    let message = Message::new(&topic, b"{}".to_vec());
    bus.publish(&message).await.unwrap();

    let dead = the_dead_letter(&bus, &queue).await;
    assert_eq!(dead.message.id, message.id);
    assert_eq!(dead.error, "stock service timed out");
    assert_eq!(dead.attempts, 3);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3,
        "tried exactly max_attempts times"
    );

    fixed.store(true, Ordering::SeqCst);
    assert!(bus.replay(&queue, message.id).await.unwrap());
    eventually("the replayed message handled", WAIT, || async {
        handled.load(Ordering::SeqCst) == 1
    })
    .await;
    assert!(bus.dead_letters(&queue).await.unwrap().is_empty());
    delete_queues(backend, &queue).await;
}

/// A message whose payload the consumer cannot parse is dead-lettered on
/// the first try, with the parse error: never dropped, never retried.
async fn malformed_event_is_dead_lettered_at_once(backend: Backend) {
    let (bus, queue, topic) = scenario(backend, "malformed").await;
    let calls = Arc::new(AtomicU32::new(0));
    let handler: Handler = {
        let calls = calls.clone();
        Arc::new(move |message: Message| {
            let calls = calls.clone();
            Box::pin(async move {
                calls.fetch_add(1, Ordering::SeqCst);
                serde_json::from_slice::<serde_json::Value>(&message.payload)
                    .map(|_| ())
                    .map_err(|e| HandlerError::Permanent(format!("malformed payload: {e}")))
            })
        })
    };
    bus.subscribe(subscription(&queue, &topic, 5, handler))
        .await
        .unwrap();
    bus.publish(&Message::new(&topic, b"{not json".to_vec()))
        .await
        .unwrap();
    let dead = the_dead_letter(&bus, &queue).await;
    assert!(
        dead.error.starts_with("malformed payload:"),
        "{}",
        dead.error
    );
    assert_eq!(dead.message.payload, b"{not json");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    delete_queues(backend, &queue).await;
}

/// A typed handler is never given a message that does not decode as its
/// topic's event: the message goes to the dead-letter queue at once, with
/// the decoding error, and a good one after it is handled.
async fn typed_handlers_dead_letter_what_does_not_decode(backend: Backend) {
    #[derive(serde::Deserialize)]
    struct Happened {
        n: u32,
    }
    let (bus, queue, topic) = scenario(backend, "typed").await;
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let subscription = platform::bus::Handlers::new(queue.clone(), seen.clone())
        .retry(quick_retries(5))
        .on(
            &topic,
            |seen: Arc<std::sync::Mutex<Vec<u32>>>, event: Happened, _| async move {
                seen.lock().unwrap().push(event.n);
                Ok(())
            },
        )
        .subscription();
    bus.subscribe(subscription).await.unwrap();
    bus.publish(&Message::new(&topic, br#"{"n":"one"}"#.to_vec()))
        .await
        .unwrap();
    bus.publish(&Message::new(&topic, br#"{"n":2}"#.to_vec()))
        .await
        .unwrap();
    eventually("a dead letter and a handled event", WAIT, || async {
        bus.dead_letters(&queue).await.unwrap().len() == 1 && seen.lock().unwrap().len() == 1
    })
    .await;
    let dead = bus.dead_letters(&queue).await.unwrap();
    assert!(
        dead[0].error.starts_with(&format!("malformed {topic}:")),
        "{}",
        dead[0].error
    );
    assert_eq!(dead[0].message.payload, br#"{"n":"one"}"#);
    assert_eq!(dead[0].attempts, 1, "a malformed event is not retried");
    assert_eq!(*seen.lock().unwrap(), [2]);
    delete_queues(backend, &queue).await;
}

/// The trace id a producer gives a message reaches the consumer, so one
/// trace follows an event across services.
async fn trace_id_travels_with_the_message(backend: Backend) {
    let (bus, queue, topic) = scenario(backend, "trace").await;
    let seen = Arc::new(std::sync::Mutex::new(None));
    let handler: Handler = {
        let seen = seen.clone();
        Arc::new(move |message: Message| {
            *seen.lock().unwrap() = Some(message.trace_id.clone());
            Box::pin(async { Ok(()) })
        })
    };
    bus.subscribe(subscription(&queue, &topic, 1, handler))
        .await
        .unwrap();
    let mut message = Message::new(&topic, b"{}".to_vec());
    message.trace_id = Some("4bf92f3577b34da6a3ce929d0e0e4736".into());
    bus.publish(&message).await.unwrap();
    eventually("the delivery", WAIT, || async {
        seen.lock().unwrap().is_some()
    })
    .await;
    assert_eq!(
        seen.lock().unwrap().clone().flatten().as_deref(),
        Some("4bf92f3577b34da6a3ce929d0e0e4736")
    );
    delete_queues(backend, &queue).await;
}

macro_rules! contract {
    ($($scenario:ident),* $(,)?) => {
        mod in_process {
            use super::*;
            $(#[tokio::test] async fn $scenario() { super::$scenario(Backend::InProcess).await })*
        }
        mod rabbitmq {
            use super::*;
            $(#[tokio::test] async fn $scenario() { super::$scenario(Backend::Rabbit).await })*
        }
    };
}

contract!(
    outbox_event_reaches_the_consumer,
    relay_crash_loses_nothing_and_duplicates_nothing,
    duplicate_delivery_has_no_second_effect,
    poison_message_is_dead_lettered_then_replayed,
    malformed_event_is_dead_lettered_at_once,
    typed_handlers_dead_letter_what_does_not_decode,
    broadcast_reaches_every_subscriber,
    trace_id_travels_with_the_message,
);

/// A message another client sent without our envelope (no message id) is
/// dead-lettered with the reason instead of being dropped or retried.
#[tokio::test]
async fn rabbitmq_foreign_message_without_id_is_dead_lettered() {
    use lapin::options::{BasicPublishOptions, ConfirmSelectOptions};
    use lapin::{BasicProperties, Connection, ConnectionProperties};

    let (bus, queue, topic) = scenario(Backend::Rabbit, "foreign").await;
    let calls = Arc::new(AtomicU32::new(0));
    let consumer_store = database(Backend::Rabbit).await;
    let consumer_db = consumer_store.pool.clone();
    bus.subscribe(idempotent_consumer(
        &queue,
        &[&topic],
        consumer_db,
        calls.clone(),
    ))
    .await
    .unwrap();

    let conn = Connection::connect(&amqp_url(), ConnectionProperties::default())
        .await
        .unwrap();
    let channel = conn.create_channel().await.unwrap();
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await
        .unwrap();
    channel
        .basic_publish(
            "sury.events".into(),
            topic.as_str().into(),
            BasicPublishOptions::default(),
            b"{}",
            BasicProperties::default(),
        )
        .await
        .unwrap()
        .await
        .unwrap();
    let _ = conn.close(200, "done".into()).await;

    let dead = the_dead_letter(&bus, &queue).await;
    assert_eq!(dead.error, "the message has no message id");
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the handler never saw it");
    delete_queues(Backend::Rabbit, &queue).await;
}

/// Broadcast subscriptions: every process gets its own copy (cache
/// refreshes), unlike shared queues where replicas compete.
async fn broadcast_reaches_every_subscriber(backend: Backend) {
    let bus = bus(backend).await;
    let queue = unique_queue("broadcast");
    let topic = format!("{queue}.changed.v1");
    let counters: Vec<Arc<AtomicU32>> = (0..2).map(|_| Arc::new(AtomicU32::new(0))).collect();
    for counter in &counters {
        let counter = counter.clone();
        bus.subscribe(Subscription {
            queue: queue.clone(),
            topics: vec![topic.clone()],
            retry: quick_retries(1),
            broadcast: true,
            handler: Arc::new(move |_| {
                let counter = counter.clone();
                Box::pin(async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                })
            }),
        })
        .await
        .unwrap();
    }
    bus.publish(&Message::new(&topic, b"{}".to_vec()))
        .await
        .unwrap();
    eventually("both copies", WAIT, || async {
        counters.iter().all(|c| c.load(Ordering::SeqCst) == 1)
    })
    .await;
}

/// Each process's broadcast queue is its own; once the process is gone the
/// broker deletes it (and its dead-letter queue) after the expiry, so
/// restarts leave no queues behind.
#[tokio::test]
async fn a_gone_processes_broadcast_queue_is_deleted_by_the_broker() {
    let mut config = platform::bus::RabbitConfig::new(amqp_url());
    config.broadcast_expiry = Duration::from_secs(2);
    let bus = platform::bus::RabbitBus::connect(config).await.unwrap();
    let queue = unique_queue("expiry");
    bus.subscribe(Subscription {
        queue: queue.clone(),
        topics: vec![format!("{queue}.changed.v1")],
        retry: quick_retries(1),
        broadcast: true,
        handler: Arc::new(|_| Box::pin(async { Ok(()) })),
    })
    .await
    .unwrap();
    let ours = || {
        let out = std::process::Command::new("rabbitmqctl")
            .args(["list_queues", "name", "--quiet"])
            .output()
            .expect("rabbitmqctl runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|name| name.contains(&queue))
            .count()
    };
    assert_eq!(ours(), 2, "the queue and its dead-letter queue");
    drop(bus);
    eventually(
        "the broker deleted both",
        Duration::from_secs(60),
        || async { ours() == 0 },
    )
    .await;
}
