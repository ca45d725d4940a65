//! Fault tests: the broker (or, embedded, the whole process) goes away while
//! events are being written. Its own test binary, because stopping RabbitMQ
//! would disturb tests running beside it.

mod support;

use std::sync::Arc;
use std::time::Duration;

use platform::bus::Message;
use platform::outbox::{self, Relay};
use support::*;

const WAIT: Duration = Duration::from_secs(60);

async fn write_events(db: &sqlx::AnyPool, topic: &str, count: usize) {
    let mut tx = db.begin().await.unwrap();
    for n in 0..count {
        outbox::enqueue(
            &mut tx,
            &Message::new(topic, format!("{{\"n\":{n}}}").into_bytes()),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn rabbitmq_events_written_while_the_broker_is_down_arrive_after_it_restarts() {
    let p = pipeline(Backend::Rabbit, "restart").await;
    let (bus, queue, topic) = (p.bus.clone(), p.queue.clone(), p.topic.clone());
    let (producer_db, consumer_db) = (p.producer_db.clone(), p.consumer_db.clone());
    let mut relay = Relay::new(producer_db.clone(), bus.clone());
    relay.retry_delay = Duration::from_millis(200);
    let relay_task = tokio::spawn(relay.run(std::future::pending()));

    write_events(&producer_db, &topic, 5).await;
    eventually("the first 5 effects", WAIT, || async {
        effects(&consumer_db).await == 5
    })
    .await;

    {
        let _restart_on_exit = BrokerGuard;
        rabbitmqctl(&["stop_app"]);
        // Written while the broker is down: they wait in the outbox.
        write_events(&producer_db, &topic, 5).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(
            outbox::backlog(&producer_db).await.unwrap(),
            5,
            "held back, not lost"
        );
        rabbitmqctl(&["start_app"]);
    }

    eventually("all 10 effects after the restart", WAIT, || async {
        effects(&consumer_db).await == 10
    })
    .await;
    assert_eq!(
        outbox::backlog(&producer_db).await.unwrap(),
        0,
        "outbox drained"
    );
    relay_task.abort();
    delete_queues(Backend::Rabbit, &queue).await;
}

#[tokio::test]
async fn in_process_events_pending_when_the_process_stops_arrive_after_it_starts() {
    let producer_store = database(Backend::InProcess).await;
    let producer_db = producer_store.pool.clone();
    let consumer_store = database(Backend::InProcess).await;
    let consumer_db = consumer_store.pool.clone();
    let queue = unique_queue("restart");
    let topic = format!("{queue}.happened.v1");

    // Each life of the process starts with a new bus and subscribes again.
    let start_process = || async {
        let bus = bus(Backend::InProcess).await;
        bus.subscribe(idempotent_consumer(
            &queue,
            &[&topic],
            consumer_db.clone(),
            Arc::default(),
        ))
        .await
        .unwrap();
        bus
    };

    // First life: events committed, the process stops before relaying.
    {
        let _bus = start_process().await;
        write_events(&producer_db, &topic, 5).await;
    }
    assert_eq!(outbox::backlog(&producer_db).await.unwrap(), 5);

    // Second life: a new bus, the same databases.
    let bus = start_process().await;
    let relay_task =
        tokio::spawn(Relay::new(producer_db.clone(), bus.clone()).run(std::future::pending()));
    eventually("5 effects", WAIT, || async {
        effects(&consumer_db).await == 5
    })
    .await;
    assert_eq!(outbox::backlog(&producer_db).await.unwrap(), 0);
    relay_task.abort();
}
