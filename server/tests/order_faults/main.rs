//! The order saga in the distributed shape, under faults: the storefront
//! and the identity, catalog, basket and ordering services as separate
//! processes on PostgreSQL, Redis baskets, events over RabbitMQ. Shoppers
//! check out over HTTP as a browser would. Each scenario ends with every
//! accepted order present exactly once and confirmed (or, for the race,
//! cancelled with its reason), stock sums that add up, both outboxes drained
//! and no dead letters.
//!
//! Its own test binary, and one scenario at a time: stopping RabbitMQ would
//! disturb anything running beside it.

mod checks;
#[path = "../support/mod.rs"]
mod support;

use checks::{
    add_to_basket, answered_while_down, assert_consistent, basket_count, cookies_of, json_at,
    readiness, settled_orders,
};

use std::collections::HashSet;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::distributed_shop::{AMQP, Outcome, Shop, accepted, backlog, burst};

use platform::bus::{EventBus, RabbitBus, RabbitConfig, RetryPolicy, Subscription};

/// Scenarios take turns: one stops the broker every other one uses.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Starts the broker's application again when dropped, so a failing test
/// never leaves RabbitMQ stopped for everything after it.
struct BrokerGuard;

impl Drop for BrokerGuard {
    fn drop(&mut self) {
        let _ = rabbitmqctl("start_app");
    }
}

/// `rabbitmqctl <command>`, given two minutes: a broker that cannot stop
/// or start fails the test rather than hanging the run.
fn rabbitmqctl(command: &str) -> bool {
    let Ok(mut child) = std::process::Command::new("rabbitmqctl")
        .arg(command)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        return false;
    };
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        if let Ok(Some(status)) = child.try_wait() {
            return status.success();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    false
}

async fn shop() -> Shop {
    support::distributed_shop::shop(std::path::Path::new(env!("CARGO_BIN_EXE_server")), 5).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shoppers_racing_for_the_last_units_over_http_get_exactly_what_there_is() {
    let _turn = TURN.lock().await;
    let shop = shop().await;
    let outcomes = burst(&shop.storefront.url(), &shop.scarce, 0, 16).await;
    let ids = accepted(&outcomes);
    assert!(ids.len() >= 5, "{outcomes:?}");
    assert_consistent(&shop, &ids).await;
    let orders = settled_orders(&shop).await;
    let confirmed = ids.iter().filter(|id| orders[*id].0 == "confirmed").count();
    assert_eq!(confirmed, 5, "exactly the 5 units there were");
    // The rest were told: refused on the page or cancelled with the reason.
    let refused = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Refused))
        .count();
    assert_eq!(refused + ids.len(), 16, "{outcomes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn checkouts_go_on_while_rabbitmq_is_down_and_finish_when_it_is_back() {
    let _turn = TURN.lock().await;
    let shop = shop().await;
    let base = shop.storefront.url();
    let first = burst(&base, &shop.plenty, 0, 10).await;
    let down = {
        let _restart_on_exit = BrokerGuard;
        assert!(rabbitmqctl("stop_app"), "rabbitmqctl stop_app failed");
        // Placing an order needs only ordering's database: shoppers are
        // still served, and their events wait in the outbox.
        let during = burst(&base, &shop.plenty, 10, 10).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let waiting = backlog(&shop.ordering_db).await;
        assert!(
            waiting >= accepted(&during).len() as i64,
            "held in the outbox: {waiting}"
        );
        assert!(rabbitmqctl("start_app"), "rabbitmqctl start_app failed");
        during
    };
    let after = burst(&base, &shop.plenty, 20, 10).await;
    let ids: Vec<String> = [first, down, after]
        .iter()
        .flat_map(|o| accepted(o))
        .collect();
    assert_eq!(ids.len(), 30, "every checkout accepted");
    assert_consistent(&shop, &ids).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn processes_killed_between_commit_and_publish_lose_nothing() {
    let _turn = TURN.lock().await;
    let mut shop = shop().await;
    let base = shop.storefront.url();
    let mut ids = accepted(&burst(&base, &shop.plenty, 0, 10).await);

    // Certainly between commit and publish: with the broker away the
    // orders are committed with their events unpublished, and the
    // ordering process dies holding them.
    {
        let _restart_on_exit = BrokerGuard;
        assert!(rabbitmqctl("stop_app"));
        ids.extend(accepted(&burst(&base, &shop.plenty, 10, 8).await));
        assert!(
            backlog(&shop.ordering_db).await >= 8,
            "committed, not published"
        );
        shop.ordering.kill();
        assert!(rabbitmqctl("start_app"));
    }
    shop.ordering.restart().await;

    // And by chance, mid-stream: shoppers keep coming while the catalog is
    // killed and restarted, then ordering, then the storefront.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let racing = {
        let (base, sku, stop) = (base.clone(), shop.plenty.clone(), stop.clone());
        tokio::spawn(async move {
            let mut outcomes = Vec::new();
            let mut n = 18;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                outcomes.extend(burst(&base, &sku, n, 4).await);
                n += 4;
                // While a process is down, attempts fail at once: pace them.
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            outcomes
        })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    shop.catalog.restart().await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    shop.ordering.restart().await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    shop.storefront.restart().await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let outcomes = racing.await.unwrap();
    let lost = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Lost))
        .count();
    eprintln!(
        "killed mid-stream: {} accepted, {lost} lost",
        accepted(&outcomes).len()
    );
    ids.extend(accepted(&outcomes));
    assert_consistent(&shop, &ids).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_event_delivered_twice_has_one_effect() {
    let _turn = TURN.lock().await;
    let shop = shop().await;
    // Publishes every event a second time, same id, to every consumer.
    let bus: Arc<dyn EventBus> = Arc::new(
        RabbitBus::connect(RabbitConfig::new(AMQP.to_owned()).with_namespace(&shop.namespace.0))
            .await
            .unwrap(),
    );
    let seen = Arc::new(Mutex::new(HashSet::new()));
    let republished = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = republished.clone();
    let twice = bus.clone();
    bus.subscribe(Subscription {
        queue: "test.duplicator".into(),
        topics: vec!["#".into()],
        retry: RetryPolicy::default(),
        broadcast: true,
        handler: Arc::new(move |message| {
            let first = seen.lock().unwrap().insert(message.id);
            let bus = twice.clone();
            let count = count.clone();
            Box::pin(async move {
                if first {
                    bus.publish(&message)
                        .await
                        .map_err(|e| platform::bus::HandlerError::Transient(e.to_string()))?;
                    count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                Ok(())
            })
        }),
    })
    .await
    .unwrap();
    let outcomes = burst(&shop.storefront.url(), &shop.plenty, 0, 12).await;
    let ids = accepted(&outcomes);
    assert_eq!(ids.len(), 12, "{outcomes:?}");
    assert_consistent(&shop, &ids).await;
    // One confirmation email per order, not two.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mails = std::fs::read_dir(shop.ordering.dir.join("mail"))
        .map(|d| {
            d.filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "eml"))
            })
            .count()
        })
        .unwrap_or(0);
    assert_eq!(mails, 12);
    // Submitted, reserved and confirmed, each sent twice.
    let twice = republished.load(std::sync::atomic::Ordering::SeqCst);
    assert!(twice >= 36, "only {twice} events were duplicated");
}

/// The basket and ordering services are processes of their own: the
/// storefront reaches them over HTTP, and the order confirmed in the
/// ordering process crosses RabbitMQ to the basket process and empties the
/// guest's basket. With the basket process killed the storefront answers at
/// once that baskets are unavailable and reports itself not ready; started
/// again, it finds the basket where it was (in Redis) and the guest's
/// cookie still works. The same for the ordering process and the order.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_basket_process_is_emptied_by_an_order_over_rabbitmq_and_survives_a_restart() {
    let _turn = TURN.lock().await;
    let mut shop = shop().await;
    let base = shop.storefront.url();
    let (outcome, cookie) =
        support::distributed_shop::checkout_as_guest(&base, &shop.plenty, 0).await;
    let Outcome::Accepted(order) = outcome else {
        panic!("the order was not placed: {outcome:?}");
    };
    let cookie = cookie.expect("the guest got a basket cookie");
    let started = Instant::now();
    loop {
        let count = basket_count(&base, &cookie).await;
        if count == Ok(0) {
            break;
        }
        assert_eq!(count, Ok(1), "the basket holds the ordered tee until then");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "order {order} never emptied the basket"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_consistent(&shop, std::slice::from_ref(&order)).await;

    // Through the gateway and directly: the basket service wants the ticket.
    let ticket = cookie.trim_start_matches("sury_basket=").to_owned();
    let http = reqwest::Client::new();
    let through_gateway = http
        .get(format!("{base}/api/v1/basket"))
        .header("x-sury-basket", &ticket)
        .send()
        .await
        .unwrap();
    assert_eq!(through_gateway.status(), 200);
    let basket: serde_json::Value = through_gateway.json().await.unwrap();
    assert!(basket["key"].as_str().unwrap().starts_with("guest:"));
    assert_eq!(basket["lines"].as_array().unwrap().len(), 0);
    let direct = http
        .get(format!("{}/api/v1/basket", shop.basket.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status(), 401, "no ticket, no basket");

    // A line to find again after the restart.
    add_to_basket(&base, &cookie, &shop.plenty, 2).await;
    assert_eq!(basket_count(&base, &cookie).await, Ok(2));

    shop.basket.kill();
    let down = answered_while_down(&base, "basket", basket_count(&base, &cookie)).await;
    assert!(
        matches!(down, Err(status) if status >= 500),
        "with the basket process gone: {down:?}"
    );

    shop.basket.restart().await;
    assert_eq!(basket_count(&base, &cookie).await, Ok(2));

    // The order's page, through the storefront and straight from ordering.
    let placed = json_at(&format!(
        "{}/api/v1/ordering/orders/{order}",
        shop.ordering.url()
    ))
    .await;
    assert_eq!(placed["error"]["code"], "no_such_order", "no key, no order");
    // The gateway forwards to the ordering process too.
    let terms = json_at(&format!("{base}/api/v1/ordering/terms")).await;
    assert_eq!(terms["delivery_minor"], 395, "{terms}");
    let order_view = |key: &str| {
        http.get(format!("{base}/sf/orders/view?id={order}&key={key}"))
            .timeout(Duration::from_secs(15))
            .send()
    };
    assert_eq!(order_view("not-its-key").await.unwrap().status(), 404);
    shop.ordering.kill();
    let down = answered_while_down(&base, "ordering", order_view("not-its-key"))
        .await
        .unwrap();
    assert!(down.status().is_server_error(), "{}", down.status());
    shop.ordering.restart().await;
    let (again, _) = support::distributed_shop::checkout_as_guest(&base, &shop.plenty, 1).await;
    let Outcome::Accepted(second) = again else {
        panic!("no order after ordering came back: {again:?}");
    };
    assert_consistent(&shop, &[order, second]).await;
}

/// Identity is a process of its own: sign-up and sign-in through the
/// storefront's forms reach it over HTTP, its email goes out from its own
/// process, and a member's token is honoured by the basket process with
/// the public key alone. Killed, identity takes nobody's session: pages
/// still render, readiness says so, the gateway answers 503 at once; back,
/// the member is still signed in.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn members_sign_in_through_the_identity_process_and_stay_signed_in_across_its_restart() {
    let _turn = TURN.lock().await;
    let mut shop = shop().await;
    let base = shop.storefront.url();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(15))
        .build()
        .unwrap();
    let post = |path: &str, form: Vec<(&'static str, String)>, cookie: &str| {
        http.post(format!("{base}{path}"))
            .header("accept", "text/html")
            .header("origin", &base)
            .header("cookie", cookie)
            .form(&form)
            .send()
    };
    let email = format!("member-{}@example.com", uuid::Uuid::now_v7().simple());
    let password = "violet meadow 42".to_owned();
    let signed_up = post(
        "/sf/account/sign-up",
        vec![
            ("name", "Mia Member".into()),
            ("email", email.clone()),
            ("password", password.clone()),
        ],
        "",
    )
    .await
    .unwrap();
    assert_eq!(signed_up.headers()["location"], "/account/check-email");

    // The verification email was written by the identity process (its
    // outbox, RabbitMQ, its mail consumer), not by the storefront.
    let mails_in = |dir: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(dir.join("mail"))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    let started = Instant::now();
    while !mails_in(&shop.identity.dir)
        .iter()
        .any(|m| m.contains(&email))
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "identity never emailed {email}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(mails_in(&shop.storefront.dir).is_empty());

    let signed_in = post(
        "/sf/account/sign-in",
        vec![
            ("email", email.clone()),
            ("password", password.clone()),
            ("next", "/account".into()),
        ],
        "",
    )
    .await
    .unwrap();
    assert_eq!(signed_in.headers()["location"], "/account");
    let cookie = cookies_of(&signed_in);
    let account = || {
        http.get(format!("{base}/account"))
            .header("cookie", &cookie)
            .send()
    };
    let page = account().await.unwrap().text().await.unwrap();
    assert!(page.contains(&email), "the account page shows the member");

    // The member's basket lives in the basket process, which takes the
    // member's token on identity's public key alone.
    add_to_basket(&base, &cookie, &shop.plenty, 1).await;
    assert_eq!(basket_count(&base, &cookie).await, Ok(1));

    // Apps sign in through the gateway, which forwards to identity.
    let tokens: serde_json::Value = http
        .post(format!("{base}/api/v1/identity/tokens"))
        .json(&serde_json::json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().expect("tokens").to_owned();
    let me = |url: String| http.get(url).bearer_auth(&access).send();
    let through_gateway = me(format!("{base}/api/v1/identity/me")).await.unwrap();
    assert_eq!(through_gateway.status(), 200);
    let who: serde_json::Value = through_gateway.json().await.unwrap();
    assert_eq!(who["email"], email.as_str());

    shop.identity.kill();
    let refused = answered_while_down(&base, "identity", me(format!("{base}/api/v1/identity/me")))
        .await
        .unwrap();
    assert_eq!(refused.status(), 503, "the gateway cannot check tokens");
    let meanwhile = account().await.unwrap();
    assert!(
        meanwhile
            .headers()
            .get_all("set-cookie")
            .iter()
            .all(|v| !v.to_str().unwrap_or_default().contains("Max-Age=0")),
        "an unreachable identity signs nobody out"
    );

    shop.identity.restart().await;
    let page = account().await.unwrap().text().await.unwrap();
    assert!(page.contains(&email), "still signed in after the restart");
    let (status, _) = readiness(&base).await;
    assert_eq!(status, 200);
}
