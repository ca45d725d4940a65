//! Several replicas of a service relay one PostgreSQL outbox side by side:
//! every event is published exactly once.

use crate::support;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use platform::bus::{EventBus, InProcessBus, Message, Subscription};
use platform::outbox::{self, Relay};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn replicas_share_the_outbox_without_double_publishing() {
    let store = database(Backend::Rabbit).await; // PostgreSQL
    let db = store.pool.clone();
    let bus = Arc::new(InProcessBus::new());
    let seen = Arc::new(Mutex::new(Vec::new()));
    bus.subscribe(Subscription {
        queue: "replicas".into(),
        topics: vec!["replicas.#".into()],
        retry: quick_retries(1),
        broadcast: false,
        handler: {
            let seen = seen.clone();
            Arc::new(move |message: Message| {
                seen.lock().unwrap().push(message.id);
                Box::pin(async { Ok(()) })
            })
        },
    })
    .await
    .unwrap();

    let mut tx = db.begin().await.unwrap();
    for n in 0..300 {
        outbox::enqueue(
            &mut tx,
            &Message::new("replicas.thing.v1", format!("{{\"n\":{n}}}").into_bytes()),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();

    let bus: Arc<dyn EventBus> = bus;
    let replicas: Vec<_> = (0..3)
        .map(|_| {
            let relay = Relay::new(db.clone(), bus.clone());
            tokio::spawn(async move {
                let mut sent = 0;
                loop {
                    let n = relay.relay_pending().await.unwrap();
                    if n == 0 {
                        break sent;
                    }
                    sent += n;
                }
            })
        })
        .collect();
    let mut total = 0;
    for replica in replicas {
        total += replica.await.unwrap();
    }
    // A replica that found its rows all claimed may stop early; finish up.
    let relay = Relay::new(db.clone(), bus.clone());
    eventually("an empty outbox", Duration::from_secs(20), || async {
        relay.relay_pending().await.unwrap();
        outbox::backlog(&db).await.unwrap() == 0
    })
    .await;

    eventually("300 deliveries", Duration::from_secs(20), || async {
        seen.lock().unwrap().len() >= 300
    })
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let seen = seen.lock().unwrap();
    let distinct: HashSet<_> = seen.iter().collect();
    assert_eq!(
        seen.len(),
        300,
        "published more than once: {} deliveries",
        seen.len()
    );
    assert_eq!(distinct.len(), 300);
    assert!(total <= 300);
}
