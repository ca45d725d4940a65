//! The order saga end to end inside one process: ordering, the catalog and
//! the basket on a real database each (SQLite or PostgreSQL), wired by the
//! in-process bus with every outbox relayed, emails written by the file
//! mailer.

use std::sync::Arc;
use std::time::Duration;

use basket::{Baskets, Owner};
use catalog::{Catalog, Money, NewProduct, NewVariant, Quantity, Sku, Slug, StockReason};
use contracts::ordering::{DeliveryMethod, OrderStatus, OrderV1, PaymentMethod};
use ordering::{Access, Actor, Checkout, Error, Ordering, Placed, Terms};
use platform::bus::{EventBus, InProcessBus};
use platform::db::Backend;
use uuid::Uuid;

struct Shop {
    ordering: Ordering,
    catalog: Catalog,
    baskets: Baskets,
    mail: std::path::PathBuf,
    _dir: tempfile::TempDir,
    _bus: Arc<dyn EventBus>,
}

async fn url(backend: Backend, dir: &std::path::Path, name: &str) -> String {
    match backend {
        Backend::Sqlite => platform::db::sqlite_url(&dir.join(format!("{name}.db"))),
        Backend::Postgres => platform::db::testing::fresh_postgres_url().await,
    }
}

/// A shop selling one dress, 2 left in M and 10 in S, at £25.00.
async fn shop(backend: Backend) -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(&url(backend, dir.path(), "catalog").await)
        .await
        .unwrap();
    let variant = |size: &str| NewVariant {
        sku: Sku::parse(&format!("DRS-{size}")).unwrap(),
        colour: "Blue".into(),
        size: size.into(),
        price: Money::from_minor(2500).unwrap(),
    };
    catalog
        .add_product(&NewProduct {
            slug: Slug::parse("summer-dress").unwrap(),
            name: "Summer dress".into(),
            category: Slug::parse("women-dresses").unwrap(),
            variants: vec![variant("S"), variant("M")],
        })
        .await
        .unwrap();
    catalog
        .publish_product(&Slug::parse("summer-dress").unwrap())
        .await
        .unwrap();
    let reason = StockReason::parse("delivery").unwrap();
    catalog
        .adjust_stock(&sku("DRS-S"), 10, &reason, "staff:t")
        .await
        .unwrap();
    catalog
        .adjust_stock(&sku("DRS-M"), 2, &reason, "staff:t")
        .await
        .unwrap();

    let client = catalog.client();
    let ordering = Ordering::open(
        &url(backend, dir.path(), "ordering").await,
        client.clone(),
        Terms::default(),
        "https://shop.example",
    )
    .await
    .unwrap();
    let baskets = Baskets::open_sql(
        &url(backend, dir.path(), "basket").await,
        client,
        Duration::from_secs(3600),
    )
    .await
    .unwrap();
    let mail = dir.path().join("mail");
    let mailer =
        Arc::new(platform::mail::FileMailer::new(&mail, "SURY <shop@example.com>").unwrap());
    let bus: Arc<dyn EventBus> = Arc::new(InProcessBus::new());
    bus.subscribe(catalog.order_subscription()).await.unwrap();
    bus.subscribe(ordering.stock_subscription()).await.unwrap();
    bus.subscribe(ordering.mail_subscription(mailer))
        .await
        .unwrap();
    bus.subscribe(baskets.order_subscription()).await.unwrap();
    tokio::spawn(
        catalog
            .outbox_relay(bus.clone())
            .run(std::future::pending()),
    );
    tokio::spawn(
        ordering
            .outbox_relay(bus.clone())
            .run(std::future::pending()),
    );
    Shop {
        ordering,
        catalog,
        baskets,
        mail,
        _dir: dir,
        _bus: bus,
    }
}

fn sku(raw: &str) -> Sku {
    Sku::parse(raw).unwrap()
}

fn checkout(lines: &[(&str, i64)], customer: Option<&str>, basket: Option<&Owner>) -> Checkout {
    let lines: Vec<(Sku, Quantity)> = lines
        .iter()
        .map(|(s, q)| (sku(s), Quantity::new(*q).unwrap()))
        .collect();
    let subtotal: i64 = lines.iter().map(|(_, q)| 2500 * q.get()).sum();
    Checkout {
        idempotency_key: Uuid::now_v7(),
        customer_id: customer.map(str::to_owned),
        basket: basket.map(Owner::key),
        email: "ann@example.com".into(),
        name: "Ann Lee".into(),
        address: vec![
            "1 High Street".into(),
            "Leeds LS1 4AP".into(),
            "United Kingdom".into(),
        ],
        payment_method: PaymentMethod::CashOnDelivery,
        delivery_method: DeliveryMethod::Standard,
        expected_total_minor: Terms::default()
            .totals(subtotal, DeliveryMethod::Standard)
            .total_minor,
        lines,
    }
}

impl Shop {
    /// Places `order`, which the shop must accept.
    async fn place(&self, order: &Checkout) -> Placed {
        self.ordering.place_order(order).await.unwrap()
    }
}

/// The order as staff see it.
async fn staff_view(shop: &Shop, order_id: &str) -> OrderV1 {
    let order = shop.ordering.order(order_id, Access::Staff).await.unwrap();
    order.unwrap_or_else(|| panic!("no order {order_id}"))
}

/// Waits for the saga to move the order out of Submitted.
async fn settled(shop: &Shop, order_id: &str) -> OrderV1 {
    for _ in 0..200 {
        let order = staff_view(shop, order_id).await;
        if order.status != OrderStatus::Submitted {
            return order;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("order {order_id} stayed Submitted");
}

async fn reserved(shop: &Shop, code: &str) -> i64 {
    shop.catalog
        .stock(&sku(code))
        .await
        .unwrap()
        .unwrap()
        .reserved
}

/// Waits until the catalog holds `units` of `code` for orders: the saga's
/// consumers run on their own tasks.
async fn until_reserved(shop: &Shop, code: &str, units: i64, why: &str) {
    for _ in 0..200 {
        if reserved(shop, code).await == units {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(reserved(shop, code).await, units, "{why}");
}

/// Customer `who` cancels `order_id`, saying `reason`.
async fn cancel_as(shop: &Shop, order_id: &str, who: &str, reason: &str) -> Result<(), Error> {
    let actor = Actor::Customer(who.into());
    let access = Access::Customer(who);
    shop.ordering
        .cancel_order(order_id, access, &actor, reason)
        .await
}

async fn mails(shop: &Shop, expected: usize) -> Vec<String> {
    for _ in 0..200 {
        let found: Vec<String> = std::fs::read_dir(&shop.mail)
            .map(|dir| {
                dir.filter_map(|e| e.ok())
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    // Undo quoted-printable: soft line breaks and encoded '='.
                    .map(|e| {
                        std::fs::read_to_string(e.path())
                            .unwrap()
                            .replace("=\r\n", "")
                            .replace("=3D", "=")
                    })
                    .collect()
            })
            .unwrap_or_default();
        if found.len() >= expected {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("fewer than {expected} emails arrived");
}

async fn an_order_is_confirmed_its_basket_emptied_and_the_shopper_emailed(backend: Backend) {
    let shop = shop(backend).await;
    let me = Owner::Member("user-1".into());
    for (code, units) in [("DRS-S", 2), ("DRS-M", 1)] {
        let units = Quantity::new(units).unwrap();
        shop.baskets.add(&me, &sku(code), units).await.unwrap();
    }
    let order = checkout(&[("DRS-S", 2), ("DRS-M", 1)], Some("user-1"), Some(&me));
    let placed = shop.place(&order).await;
    assert!(placed.reference.starts_with("SURY-"));

    // Posting the same checkout again places nothing new.
    let again = shop.place(&order).await;
    assert_eq!(
        (again.order_id.as_str(), again.repeated),
        (placed.order_id.as_str(), true)
    );

    let confirmed = settled(&shop, &placed.order_id).await;
    assert_eq!(confirmed.status, OrderStatus::Confirmed);
    assert_eq!(confirmed.totals.total_minor, 7500, "free delivery from £50");
    assert_eq!(confirmed.totals.vat_minor, 1250);
    assert_eq!(
        (
            reserved(&shop, "DRS-S").await,
            reserved(&shop, "DRS-M").await
        ),
        (2, 1)
    );
    assert_eq!(confirmed.timeline.len(), 2);

    let mail = mails(&shop, 1).await;
    assert!(
        mail[0].contains(&format!("Your order {} is confirmed", placed.reference)),
        "{}",
        mail[0]
    );
    assert!(mail[0].contains(&format!(
        "/orders/{}?key={}",
        placed.order_id, placed.view_key
    )));
    for _ in 0..200 {
        if shop.baskets.count(&me).await.unwrap() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(
        shop.baskets.count(&me).await.unwrap(),
        0,
        "the basket gave up the ordered lines"
    );

    // Only its customer, its link or staff see it.
    let ordering = &shop.ordering;
    for (who, access, sees) in [
        ("its customer", Access::Customer("user-1"), true),
        ("its link", Access::Key(&placed.view_key), true),
        ("another customer", Access::Customer("user-2"), false),
        ("a guessed link", Access::Key("guess"), false),
    ] {
        let seen = ordering.order(&placed.order_id, access).await.unwrap();
        assert_eq!(seen.is_some(), sees, "{who}");
    }
    assert_eq!(ordering.orders_of("user-1").await.unwrap().len(), 1);
    assert!(ordering.orders_of("user-2").await.unwrap().is_empty());
}

async fn racing_for_the_last_units_confirms_exactly_what_there_is(backend: Backend) {
    let shop = Arc::new(shop(backend).await);
    // Eight shoppers, one unit each, for the 2 left in M.
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let shop = shop.clone();
            tokio::spawn(async move {
                let customer = format!("user-{i}");
                shop.ordering
                    .place_order(&checkout(&[("DRS-M", 1)], Some(&customer), None))
                    .await
            })
        })
        .collect();
    let mut placed = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(p) => placed.push(p),
            // Told on the page: the stock check saw it gone.
            Err(Error::NotEnoughStock(_)) => {}
            Err(other) => panic!("{other}"),
        }
    }
    let mut confirmed = 0;
    for p in &placed {
        let order = settled(&shop, &p.order_id).await;
        match order.status {
            OrderStatus::Confirmed => confirmed += 1,
            OrderStatus::Cancelled => {
                let reason = order.cancel_reason.unwrap();
                assert!(reason.contains("Summer dress (Blue, M)"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(confirmed, 2);
    assert_eq!(reserved(&shop, "DRS-M").await, 2);
}

async fn cancelling_gives_the_stock_back_and_only_the_customer_may(backend: Backend) {
    let shop = shop(backend).await;
    let placed = shop
        .place(&checkout(&[("DRS-M", 2)], Some("user-1"), None))
        .await;
    settled(&shop, &placed.order_id).await;
    assert_eq!(reserved(&shop, "DRS-M").await, 2);
    let id = placed.order_id.as_str();
    let stranger = cancel_as(&shop, id, "user-2", "no").await;
    assert!(matches!(stranger, Err(Error::NoSuchOrder)));
    cancel_as(&shop, id, "user-1", "you cancelled it")
        .await
        .unwrap();
    let twice = cancel_as(&shop, id, "user-1", "again").await;
    assert!(matches!(twice, Err(Error::WrongState(_))));
    until_reserved(&shop, "DRS-M", 0, "the hold went back").await;
    assert_eq!(staff_view(&shop, id).await.status, OrderStatus::Cancelled);
    let mail = mails(&shop, 2).await;
    assert!(
        mail.iter()
            .any(|m| m.contains("was cancelled") && m.contains("you cancelled it"))
    );
}

async fn bad_checkouts_are_refused_and_change_nothing(backend: Backend) {
    let shop = shop(backend).await;
    let mut stale = checkout(&[("DRS-S", 1)], None, None);
    stale.expected_total_minor -= 1;
    assert!(matches!(
        shop.ordering.place_order(&stale).await,
        Err(Error::PricesChanged)
    ));
    let too_many = checkout(&[("DRS-M", 3)], None, None);
    assert!(matches!(
        shop.ordering.place_order(&too_many).await,
        Err(Error::NotEnoughStock(_))
    ));
    let unknown = checkout(&[("DRS-XL", 1)], None, None);
    assert!(matches!(
        shop.ordering.place_order(&unknown).await,
        Err(Error::NoLongerSold)
    ));
    let empty = checkout(&[], None, None);
    assert!(matches!(
        shop.ordering.place_order(&empty).await,
        Err(Error::NothingToOrder)
    ));
    // Nothing was placed, held or announced.
    assert_eq!(reserved(&shop, "DRS-S").await, 0);
    assert_eq!(shop.ordering.outbox_backlog().await.unwrap(), 0);
    // A good one now gets the first number.
    let placed = shop.place(&checkout(&[("DRS-S", 1)], None, None)).await;
    assert_eq!(placed.reference, "SURY-000001");
}

async fn unpaid_bank_transfers_are_cancelled_after_the_deadline(backend: Backend) {
    let shop = shop(backend).await;
    let mut transfer = checkout(&[("DRS-M", 1)], Some("user-1"), None);
    transfer.payment_method = PaymentMethod::BankTransfer;
    let unpaid = shop.place(&transfer).await;
    let cash = shop
        .place(&checkout(&[("DRS-M", 1)], Some("user-1"), None))
        .await;
    settled(&shop, &unpaid.order_id).await;
    settled(&shop, &cash.order_id).await;
    let now = platform::outbox::now_ms();
    let day = 86_400_000;
    // Within the 7 days nothing happens; after them, only the transfer
    // goes, and only once.
    for (days, cancelled) in [(6, 0), (8, 1), (8, 0)] {
        let run = shop.ordering.cancel_unpaid_transfers(now + days * day);
        assert_eq!(run.await.unwrap(), cancelled, "after {days} days");
    }
    let order = staff_view(&shop, &unpaid.order_id).await;
    assert_eq!(order.status, OrderStatus::Cancelled);
    assert!(order.cancel_reason.unwrap().contains("within 7 days"));
    let other = staff_view(&shop, &cash.order_id).await;
    assert_eq!(other.status, OrderStatus::Confirmed);
    until_reserved(&shop, "DRS-M", 1, "the transfer's unit went back").await;
}

async fn staff_take_payment_ship_and_deliver_in_order(backend: Backend) {
    let shop = shop(backend).await;
    let mut transfer = checkout(&[("DRS-S", 2)], Some("user-1"), None);
    transfer.payment_method = PaymentMethod::BankTransfer;
    let placed = shop.place(&transfer).await;
    settled(&shop, &placed.order_id).await;
    let o = &shop.ordering;
    let id = placed.order_id.as_str();
    // Unpaid bank transfers do not ship; nothing ships without a tracking number.
    assert!(matches!(
        o.ship(id, "Royal Mail", "RM1", "sam").await,
        Err(Error::WrongState(_))
    ));
    assert!(matches!(
        o.mark_delivered(id, "sam").await,
        Err(Error::WrongState(_))
    ));
    o.record_payment(id, "sam").await.unwrap();
    assert!(matches!(
        o.record_payment(id, "sam").await,
        Err(Error::WrongState(_))
    ));
    assert!(matches!(
        o.ship(id, "Royal Mail", "  ", "sam").await,
        Err(Error::BadField(..))
    ));
    o.ship(id, "Royal Mail", "RM123456789GB", "sam")
        .await
        .unwrap();
    assert!(matches!(
        o.ship(id, "DPD", "X", "sam").await,
        Err(Error::WrongState(_))
    ));
    assert!(matches!(
        o.cancel_order(id, Access::Staff, &Actor::Staff("sam".into()), "too late")
            .await,
        Err(Error::WrongState(_))
    ));
    // Shipping takes the held units off the shelf.
    until_reserved(&shop, "DRS-S", 0, "shipped").await;
    let stock = shop.catalog.stock(&sku("DRS-S")).await.unwrap().unwrap();
    assert_eq!((stock.on_hand, stock.reserved), (8, 0));
    o.mark_delivered(id, "sam").await.unwrap();
    let order = o
        .order(id, Access::Customer("user-1"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.status, OrderStatus::Delivered);
    assert_eq!(order.tracking.as_deref(), Some("RM123456789GB"));
    let steps: Vec<&str> = order.timeline.iter().map(|t| t.what.as_str()).collect();
    assert_eq!(steps.len(), 5, "{steps:?}");
    let mail = mails(&shop, 2).await;
    assert!(
        mail.iter()
            .any(|m| m.contains("has shipped") && m.contains("RM123456789GB"))
    );

    let now = platform::outbox::now_ms();
    let board = o.dashboard(now, 14).await.unwrap();
    assert_eq!(board.sales_per_day.len(), 14);
    assert_eq!(board.sales_per_day.last().unwrap().1, 1);
    assert_eq!(board.sales_per_day.last().unwrap().2, 5000);
    assert_eq!(board.top_products, [("Summer dress".to_owned(), 2)]);
    for (status, count) in [(OrderStatus::Delivered, 1), (OrderStatus::Cancelled, 0)] {
        let filter = ordering::OrderFilter {
            status: Some(status),
            ..Default::default()
        };
        assert_eq!(o.list(&filter).await.unwrap().len(), count, "{status:?}");
    }
}

platform::on_both_backends!(
    staff_take_payment_ship_and_deliver_in_order,
    unpaid_bank_transfers_are_cancelled_after_the_deadline,
    an_order_is_confirmed_its_basket_emptied_and_the_shopper_emailed,
    racing_for_the_last_units_confirms_exactly_what_there_is,
    cancelling_gives_the_stock_back_and_only_the_customer_may,
    bad_checkouts_are_refused_and_change_nothing,
);
