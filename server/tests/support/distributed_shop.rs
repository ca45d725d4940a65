//! The distributed shape on this machine for tests and benchmarks: the
//! identity, catalog, basket and ordering services and the storefront as
//! separate processes of the real binary, on fresh PostgreSQL
//! databases, Redis baskets and RabbitMQ under a namespace of their own;
//! and shoppers who check out over HTTP exactly as the browser's forms do.
//!
//! Used by `tests/order_faults.rs` and, through `#[path]`, by
//! `examples/order_bench.rs`.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

pub const AMQP: &str = "amqp://guest:guest@127.0.0.1:5672/%2f";
pub const REDIS: &str = "redis://127.0.0.1:6379";
/// Stock of the SKU that never runs out.
pub const PLENTY: i64 = 100_000;

/// The queues the shop's processes consume from.
pub const SERVICE_QUEUES: [&str; 5] = [
    "catalog.orders",
    "ordering.stock",
    "ordering.mail",
    "basket.orders",
    "identity.mail",
];

/// RabbitMQ exchanges, queues and Redis keys no other test (or earlier run)
/// uses; the queues and exchanges are deleted when it is dropped, so runs
/// leave no quorum queues behind (hundreds of them make the broker take
/// minutes to stop).
pub struct Namespace(pub String);

impl Namespace {
    pub fn new() -> Self {
        Self(format!("sury-test-{}", uuid::Uuid::now_v7().simple()))
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        let namespace = self.0.clone();
        // Drop cannot wait on the test's runtime: a thread with its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                let config =
                    platform::bus::RabbitConfig::new(AMQP.to_owned()).with_namespace(&namespace);
                if let Ok(bus) = platform::bus::RabbitBus::connect(config).await {
                    let _ = bus.delete_namespace(&SERVICE_QUEUES).await;
                }
                platform::bus::testing::delete_namespace_queues(AMQP, &namespace).await;
            });
        })
        .join();
    }
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

pub struct Process {
    bin: std::path::PathBuf,
    child: Child,
    pub port: u16,
    args: Vec<String>,
    vars: Vec<(String, String)>,
    pub dir: std::path::PathBuf,
}

impl Process {
    pub async fn start(
        bin: &std::path::Path,
        args: &[&str],
        dir: &std::path::Path,
        vars: Vec<(String, String)>,
        port: u16,
    ) -> Self {
        let child = std::process::Command::new(bin)
            .args(args)
            .env("SURY_ADDR", format!("127.0.0.1:{port}"))
            .env("SURY_CATALOG_ADDR", format!("127.0.0.1:{port}"))
            .env("SURY_BASKET_ADDR", format!("127.0.0.1:{port}"))
            .env("SURY_ORDERING_ADDR", format!("127.0.0.1:{port}"))
            .env("SURY_IDENTITY_ADDR", format!("127.0.0.1:{port}"))
            .env("SURY_DATA_DIR", dir)
            .envs(vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("server binary starts");
        let process = Self {
            bin: bin.to_owned(),
            child,
            port,
            args: args.iter().map(|a| a.to_string()).collect(),
            vars,
            dir: dir.to_owned(),
        };
        process.wait_ready().await;
        process
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub async fn wait_ready(&self) {
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(res) = client
                .get(format!("{}/health/live", self.url()))
                .send()
                .await
                && res.status() == 200
            {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{:?} did not start",
                self.args
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGKILL: no shutdown, no flushing, whatever was in flight is lost.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The same process again: same settings, data and port.
    pub async fn restart(&mut self) {
        self.kill();
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        let bin = self.bin.clone();
        let fresh = Self::start(&bin, &args, &self.dir, self.vars.clone(), self.port).await;
        *self = fresh;
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Shop {
    pub storefront: Process,
    pub catalog: Process,
    pub basket: Process,
    pub ordering: Process,
    pub identity: Process,
    pub catalog_db: String,
    pub ordering_db: String,
    pub namespace: Namespace,
    /// [`PLENTY`] on hand: never runs out.
    pub plenty: String,
    /// A few on hand: the race.
    pub scarce: String,
    pub scarce_units: i64,
    _dirs: [tempfile::TempDir; 5],
}

/// What every process of one shop is started with.
pub fn common_vars(namespace: &Namespace) -> Vec<(String, String)> {
    vec![
        ("SURY_AMQP_URL".to_owned(), AMQP.to_owned()),
        ("SURY_NAMESPACE".to_owned(), namespace.0.clone()),
        ("RUST_LOG".to_owned(), "error".to_owned()),
    ]
}

/// `server catalog` on `catalog_db`, and the folder it keeps its files in.
pub async fn start_catalog(
    bin: &std::path::Path,
    namespace: &Namespace,
    catalog_db: &str,
) -> (Process, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut vars = common_vars(namespace);
    vars.push(("SURY_CATALOG_DATABASE_URL".into(), catalog_db.to_owned()));
    let catalog = Process::start(bin, &["catalog"], dir.path(), vars, free_port()).await;
    (catalog, dir)
}

pub async fn shop(bin: &std::path::Path, scarce_units: i64) -> Shop {
    static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    SWEPT
        .get_or_init(|| platform::bus::testing::sweep_stale_queues(AMQP))
        .await;
    let namespace = Namespace::new();
    let catalog_db = platform::db::testing::fresh_postgres_url().await;
    let ordering_db = platform::db::testing::fresh_postgres_url().await;
    let identity_db = platform::db::testing::fresh_postgres_url().await;
    let common = common_vars(&namespace);
    // Every process gets the common settings and its own.
    let vars = |own: &[(&str, &str)]| -> Vec<(String, String)> {
        let own = own.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        common.iter().cloned().chain(own).collect()
    };
    let (catalog, catalog_dir) = start_catalog(bin, &namespace, &catalog_db).await;

    // Staff's side, straight on the catalog's database.
    let staff = catalog::Catalog::open(&catalog_db).await.unwrap();
    let tag = uuid::Uuid::now_v7().simple().to_string()[20..].to_uppercase();
    let (plenty, scarce) = (format!("TEE-{tag}-M"), format!("TEE-{tag}-L"));
    let tee = StockedProduct {
        slug: "plain-tee",
        name: "Plain tee",
        category: "men-tops",
        colour: "White",
        price_minor: 1500,
    };
    tee.add(
        &staff,
        &[(&plenty, "M", PLENTY), (&scarce, "L", scarce_units)],
    )
    .await;
    staff
        .publish_product(&catalog::Slug::parse("plain-tee").unwrap())
        .await
        .unwrap();
    staff.close().await;

    let port = free_port();
    let public_url = format!("http://127.0.0.1:{port}");
    // Identity signs with the key made in its folder; every other process
    // checks tokens with the public half.
    let identity_dir = tempfile::tempdir().unwrap();
    let public_key = std::process::Command::new(bin)
        .arg("identity-public-key")
        .env("SURY_DATA_DIR", identity_dir.path())
        .output()
        .expect("server binary runs");
    assert!(public_key.status.success(), "identity-public-key failed");
    let public_key_file = identity_dir.path().join("identity-public-key.pem");
    std::fs::write(&public_key_file, &public_key.stdout).unwrap();
    let key_file = (
        "SURY_IDENTITY_PUBLIC_KEY_FILE",
        public_key_file.to_str().unwrap(),
    );
    let vars_identity = vars(&[
        ("SURY_IDENTITY_DATABASE_URL", &identity_db),
        ("SURY_PUBLIC_URL", &public_url),
    ]);
    let identity = Process::start(
        bin,
        &["identity"],
        identity_dir.path(),
        vars_identity,
        free_port(),
    )
    .await;
    let catalog_url = catalog.url();
    let store_dir = tempfile::tempdir().unwrap();
    let basket_dir = tempfile::tempdir().unwrap();
    let vars_basket = vars(&[
        ("SURY_CATALOG_URL", &catalog_url),
        ("SURY_REDIS_URL", REDIS),
        key_file,
    ]);
    let basket = Process::start(
        bin,
        &["basket"],
        basket_dir.path(),
        vars_basket,
        free_port(),
    )
    .await;

    let ordering_dir = tempfile::tempdir().unwrap();
    let vars_ordering = vars(&[
        ("SURY_CATALOG_URL", &catalog_url),
        ("SURY_ORDERING_DATABASE_URL", &ordering_db),
        key_file,
        ("SURY_PUBLIC_URL", &public_url),
    ]);
    let ordering = Process::start(
        bin,
        &["ordering"],
        ordering_dir.path(),
        vars_ordering,
        free_port(),
    )
    .await;

    let vars_storefront = vars(&[
        ("SURY_CATALOG_URL", &catalog_url),
        ("SURY_BASKET_URL", &basket.url()),
        ("SURY_ORDERING_URL", &ordering.url()),
        ("SURY_REDIS_URL", REDIS),
        ("SURY_IDENTITY_URL", &identity.url()),
        key_file,
        ("SURY_PUBLIC_URL", &public_url),
        ("SURY_INSECURE_DEV_COOKIES", "true"),
    ]);
    let storefront = Process::start(bin, &[], store_dir.path(), vars_storefront, port).await;
    Shop {
        storefront,
        catalog,
        basket,
        ordering,
        identity,
        catalog_db,
        ordering_db,
        namespace,
        plenty,
        scarce,
        scarce_units,
        _dirs: [
            catalog_dir,
            store_dir,
            basket_dir,
            ordering_dir,
            identity_dir,
        ],
    }
}

/// A product staff add straight on the catalog's database: one colour at
/// one price, in the sizes [`StockedProduct::add`] is given.
pub struct StockedProduct<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub category: &'a str,
    pub colour: &'a str,
    pub price_minor: i64,
}

impl StockedProduct<'_> {
    /// Adds the product with a variant per `(sku, size, units on hand)`,
    /// the units taken in as a delivery.
    pub async fn add(&self, staff: &catalog::Catalog, variants: &[(&str, &str, i64)]) {
        let slug = |s: &str| catalog::Slug::parse(s).unwrap();
        let new_variants = variants
            .iter()
            .map(|(sku, size, _)| catalog::NewVariant {
                sku: catalog::Sku::parse(sku).unwrap(),
                colour: self.colour.into(),
                size: (*size).into(),
                price: catalog::Money::from_minor(self.price_minor).unwrap(),
            })
            .collect();
        staff
            .add_product(&catalog::NewProduct {
                slug: slug(self.slug),
                name: self.name.into(),
                category: slug(self.category),
                variants: new_variants,
            })
            .await
            .unwrap();
        let reason = catalog::StockReason::parse("delivery").unwrap();
        for (sku, _, units) in variants {
            let sku = catalog::Sku::parse(sku).unwrap();
            staff
                .adjust_stock(&sku, *units, &reason, "staff:t")
                .await
                .unwrap();
        }
    }
}

/// Every message on `topics` that reaches `bus` from now on, kept in the
/// order it arrived; `queue` is the caller's own, so nothing else takes
/// them.
pub async fn collect_messages(
    bus: &dyn platform::bus::EventBus,
    queue: String,
    topics: &[&str],
) -> std::sync::Arc<std::sync::Mutex<Vec<platform::bus::Message>>> {
    let collected: std::sync::Arc<std::sync::Mutex<Vec<_>>> = std::sync::Arc::default();
    let sink = std::sync::Arc::clone(&collected);
    bus.subscribe(platform::bus::Subscription {
        queue,
        topics: topics.iter().map(|t| t.to_string()).collect(),
        retry: platform::bus::RetryPolicy::default(),
        broadcast: true,
        handler: std::sync::Arc::new(move |message| {
            sink.lock().unwrap().push(message);
            Box::pin(async { Ok(()) })
        }),
    })
    .await
    .unwrap();
    collected
}

/// What a checkout came to, as the shopper saw it.
#[derive(Debug)]
pub enum Outcome {
    /// Redirected to the order's page: the order id.
    Accepted(String),
    /// Told on the checkout page (sold out before placing, say).
    Refused,
    /// No answer: the server died under the request.
    Lost,
}

fn cookie_from(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let pair = v.split(';').next()?;
            let (key, value) = pair.split_once('=')?;
            (key == name && !value.is_empty()).then(|| pair.to_owned())
        })
}

/// A guest adds `sku` and checks out for pick-up, cash on delivery, as the
/// browser's forms would.
pub async fn checkout(base: &str, sku: &str, n: usize) -> Outcome {
    checkout_as_guest(base, sku, n).await.0
}

/// [`checkout`], with the guest's basket cookie when they got one.
pub async fn checkout_as_guest(base: &str, sku: &str, n: usize) -> (Outcome, Option<String>) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let origin = ("origin", base.to_owned());
    let Ok(added) = client
        .post(format!("{base}/sf/basket/add-now"))
        .header(origin.0, &origin.1)
        .form(&[("sku", sku), ("quantity", "1")])
        .send()
        .await
    else {
        return (Outcome::Lost, None);
    };
    if added.status() != 200 {
        return (Outcome::Refused, None);
    }
    let Some(cookie) = cookie_from(&added, "sury_basket") else {
        return (Outcome::Lost, None);
    };
    let kept = Some(cookie.clone());
    let Ok(view) = client
        .get(format!("{base}/sf/checkout/view"))
        .header("cookie", &cookie)
        .send()
        .await
    else {
        return (Outcome::Lost, kept);
    };
    let Ok(body) = view.bytes().await else {
        return (Outcome::Lost, kept);
    };
    let Ok(view) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return (Outcome::Lost, kept);
    };
    let key = view["key"].as_str().unwrap_or_default().to_owned();
    let subtotal = view["basket"]["subtotal_minor"]
        .as_i64()
        .unwrap_or(-1)
        .to_string();
    let email = format!("guest{n}@example.com");
    let form = [
        ("key", key.as_str()),
        ("expected_subtotal", subtotal.as_str()),
        ("delivery", "pickup"),
        ("payment", "cash_on_delivery"),
        ("address_id", "new"),
        ("name", "Guest Shopper"),
        ("email", email.as_str()),
    ];
    let Ok(placed) = client
        .post(format!("{base}/sf/checkout/place"))
        .header(origin.0, &origin.1)
        .header("accept", "text/html")
        .header("cookie", &cookie)
        .form(&form)
        .send()
        .await
    else {
        return (Outcome::Lost, kept);
    };
    let location = placed
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let outcome = match location.strip_prefix("/orders/") {
        Some(rest) => Outcome::Accepted(rest.split('?').next().unwrap_or_default().to_owned()),
        None if placed.status().is_server_error() => Outcome::Lost,
        None => Outcome::Refused,
    };
    (outcome, kept)
}

/// `count` shoppers at once, `n` numbering them from `first`.
pub async fn burst(base: &str, sku: &str, first: usize, count: usize) -> Vec<Outcome> {
    let tasks: Vec<_> = (first..first + count)
        .map(|n| {
            let (base, sku) = (base.to_owned(), sku.to_owned());
            tokio::spawn(async move { checkout(&base, &sku, n).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    outcomes
}

pub fn accepted(outcomes: &[Outcome]) -> Vec<String> {
    outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Accepted(id) => Some(id.clone()),
            _ => None,
        })
        .collect()
}

/// Events written but not yet relayed, in the database at `url`.
pub async fn backlog(url: &str) -> i64 {
    let pool = platform::db::connect(url, 1).await.unwrap();
    let pending = platform::outbox::backlog(&pool).await.unwrap();
    pool.close().await;
    pending
}
