//! The catalog's part in the order saga through a real bus: ordering's
//! events in, answers out through the outbox, each message handled once.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use catalog::Catalog;
use contracts::catalog::events::{
    STOCK_REJECTED_V1, STOCK_RESERVED_V1, StockRejectedV1, StockReservedV1,
};
use contracts::ordering::events::{
    ORDER_CANCELLED_V1, ORDER_SHIPPED_V1, ORDER_SUBMITTED_V1, OrderLineV1, OrderSettledV1,
    OrderSubmittedV1,
};
use platform::bus::{EventBus, InProcessBus, Message};
use platform::db::Backend;
use support::fixtures::{add, listen, open, sku, stock, summer_dress};

use crate::support;

struct Shop {
    catalog: Catalog,
    bus: Arc<dyn EventBus>,
    relay: platform::outbox::Relay,
    answers: Arc<Mutex<Vec<Message>>>,
    _dir: tempfile::TempDir,
}

async fn shop(backend: Backend) -> Shop {
    let (catalog, dir) = open(backend).await;
    let bus: Arc<dyn EventBus> = Arc::new(InProcessBus::new());
    bus.subscribe(catalog.order_subscription()).await.unwrap();
    let topics = [STOCK_RESERVED_V1, STOCK_REJECTED_V1];
    let answers = listen(&bus, "test.answers", &topics).await;
    let relay = catalog.outbox_relay(bus.clone());
    add(&catalog, &summer_dress(&["M"])).await;
    stock(&catalog, "DRS-RED-M", 2).await;
    Shop {
        catalog,
        bus,
        relay,
        answers,
        _dir: dir,
    }
}

fn submitted(order_id: &str, sku: &str, quantity: i64) -> Message {
    let order = OrderSubmittedV1 {
        order_id: order_id.into(),
        lines: vec![OrderLineV1 {
            sku: sku.into(),
            quantity,
        }],
    };
    Message::new(ORDER_SUBMITTED_V1, serde_json::to_vec(&order).unwrap())
}

fn settled(topic: &str, order_id: &str) -> Message {
    let order = OrderSettledV1 {
        order_id: order_id.into(),
        actor: "staff:cy".into(),
    };
    Message::new(topic, serde_json::to_vec(&order).unwrap())
}

impl Shop {
    /// Relays the outbox until `count` answers have arrived.
    async fn answers(&self, count: usize) -> Vec<Message> {
        for _ in 0..200 {
            self.relay.relay_pending().await.unwrap();
            let got = self.answers.lock().unwrap().clone();
            if got.len() >= count {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!(
            "expected {count} answers, got {}",
            self.answers.lock().unwrap().len()
        );
    }

    async fn held(&self) -> (i64, i64) {
        let level = self
            .catalog
            .stock(&sku("DRS-RED-M"))
            .await
            .unwrap()
            .unwrap();
        (level.on_hand, level.reserved)
    }

    /// Waits until the stock is `expected` (the consumer runs on its own).
    async fn until_held(&self, expected: (i64, i64)) {
        for _ in 0..200 {
            if self.held().await == expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(self.held().await, expected);
    }
}

async fn orders_are_held_or_refused_and_told_once(backend: Backend) {
    let shop = shop(backend).await;
    let first = submitted("order-1", "DRS-RED-M", 2);
    shop.bus.publish(&first).await.unwrap();
    let answers = shop.answers(1).await;
    assert_eq!(answers[0].topic, STOCK_RESERVED_V1);
    let reserved: StockReservedV1 = serde_json::from_slice(&answers[0].payload).unwrap();
    assert_eq!(reserved.order_id, "order-1");
    shop.until_held((2, 2)).await;

    // The same message again (a redelivery): no second hold, no second answer.
    shop.bus.publish(&first).await.unwrap();
    let late = submitted("order-2", "DRS-RED-M", 1);
    shop.bus.publish(&late).await.unwrap();
    let answers = shop.answers(2).await;
    assert_eq!(answers.len(), 2, "one answer per order");
    assert_eq!(answers[1].topic, STOCK_REJECTED_V1);
    let rejected: StockRejectedV1 = serde_json::from_slice(&answers[1].payload).unwrap();
    assert_eq!(rejected.order_id, "order-2");
    assert_eq!(rejected.shortfalls[0].available, 0);
    assert_eq!(shop.held().await, (2, 2));

    // Cancelled: the stock goes back. The refused order, redelivered now
    // that there is stock, stays refused: it was answered once already.
    shop.bus
        .publish(&settled(ORDER_CANCELLED_V1, "order-1"))
        .await
        .unwrap();
    shop.until_held((2, 0)).await;
    shop.bus.publish(&late).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    shop.relay.relay_pending().await.unwrap();
    assert_eq!(shop.answers.lock().unwrap().len(), 2);
    assert_eq!(shop.held().await, (2, 0));
}

async fn nonsense_lines_refuse_the_order_and_shipping_takes_stock(backend: Backend) {
    let shop = shop(backend).await;
    for (order, sku, quantity) in [
        ("bad-sku", "no such; sku", 1),
        ("unknown", "NOPE-1", 1),
        ("too-many", "DRS-RED-M", 1000),
    ] {
        shop.bus
            .publish(&submitted(order, sku, quantity))
            .await
            .unwrap();
    }
    let answers = shop.answers(3).await;
    assert!(answers.iter().all(|a| a.topic == STOCK_REJECTED_V1));
    assert_eq!(shop.held().await, (2, 0));

    shop.bus
        .publish(&submitted("order-9", "drs-red-m", 1))
        .await
        .unwrap();
    shop.answers(4).await;
    shop.bus
        .publish(&settled(ORDER_SHIPPED_V1, "order-9"))
        .await
        .unwrap();
    shop.until_held((1, 0)).await;
    let history = shop.catalog.stock_history(&sku("DRS-RED-M")).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!((last.delta, last.actor.as_str()), (-1, "staff:cy"));
}

platform::on_both_backends!(
    orders_are_held_or_refused_and_told_once,
    nonsense_lines_refuse_the_order_and_shipping_takes_stock,
);
