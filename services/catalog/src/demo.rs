//! A believable family-fashion catalog for a new shop to show: products
//! across the category tree in two or three colours and the sizes their
//! department uses, published, with stock (some sizes sold out). Made
//! here, deterministically, with nothing downloaded.

use std::collections::HashMap;

use platform::outbox::now_ms;
use serde::Deserialize;
use uuid::Uuid;

use crate::text::{code, slugify};
use crate::{Catalog, Error};

/// The demo's product lines: per category, the pieces made and the sizes
/// and price they come in. The data is in `demo_catalog.json`.
#[derive(Deserialize)]
struct DemoCatalog {
    /// Size runs by name, as the lines use them.
    sizes: HashMap<String, Vec<String>>,
    lines: Vec<Line>,
}

#[derive(Deserialize)]
struct Line {
    category: String,
    names: Vec<String>,
    /// Which size run (a key of [`DemoCatalog::sizes`]).
    sizes: String,
    /// Minor units.
    price: i64,
}

fn demo_catalog() -> DemoCatalog {
    serde_json::from_str(include_str!("demo_catalog.json")).expect("demo_catalog.json parses")
}

const COLOURS: &[(&str, &str)] = &[
    ("Navy", "NVY"),
    ("Sage", "SGE"),
    ("Rust", "RST"),
    ("Cream", "CRM"),
    ("Black", "BLK"),
];

/// Two house brands per department, alternating along its lines.
fn brand_of(department: &str, n: usize) -> &'static str {
    let pair: [&str; 2] = match department {
        "women" => ["Hale & Co", "SURY Essentials"],
        "men" => ["Northshore", "SURY Essentials"],
        "kids" => ["Little Wren", "Puddle & Pip"],
        _ => ["Little Wren", "Puddle & Pip"],
    };
    pair[n % 2]
}

fn audience_of(category: &str) -> &'static str {
    match category.split('-').next().unwrap_or_default() {
        "women" => "women",
        "men" => "men",
        "baby" => "baby",
        _ if category == "kids-dresses" => "girls",
        _ => "kids",
    }
}

/// Tags a shopper might search by, read off the name and category.
fn tags_of(category: &str, name: &str) -> Vec<&'static str> {
    let name = name.to_lowercase();
    let mut tags = Vec::new();
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["organic"]) {
        tags.push("organic cotton");
    }
    if has(&[
        "linen", "straw", "summer", "shorts", "tee", "polo", "sandal",
    ]) {
        tags.push("summer");
    }
    if has(&[
        "coat", "wool", "padded", "quilted", "jumper", "beanie", "scarf", "pramsuit", "fleece",
        "boots",
    ]) {
        tags.push("winter");
    }
    if has(&["rain", "puddle", "waxed", "wellington"]) {
        tags.push("waterproof");
    }
    if category == "kids-school" || has(&["school"]) {
        tags.push("school");
    }
    if has(&["party", "tulle", "floral"]) {
        tags.push("occasion");
    }
    tags
}

fn size_code(size: &str) -> String {
    let code = code(size);
    if code == "ONESIZE" { "OS".into() } else { code }
}

/// The drawing colour of each demo colour.
fn hex(colour: &str) -> &'static str {
    match colour {
        "Navy" => "#1f2a44",
        "Sage" => "#8fa98a",
        "Rust" => "#b5532c",
        "Cream" => "#efe6d2",
        _ => "#1c1917",
    }
}

/// One variant of a demo product, in stock from the start.
struct DemoVariant<'a> {
    sku: String,
    product_id: &'a str,
    colour: &'a str,
    size: &'a str,
    /// Minor units, and the price before the sale when it is on sale.
    price: i64,
    was: Option<i64>,
    on_hand: i64,
    position: i64,
    barcode: String,
}

/// Inserts `variant` with its opening stock, and the audit row that says
/// where that stock came from.
async fn insert_variant(
    conn: &mut sqlx::AnyConnection,
    variant: &DemoVariant<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO variants (sku, product_id, colour, size, price_minor, on_hand, position, compare_at_minor, barcode)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&variant.sku)
    .bind(variant.product_id)
    .bind(variant.colour)
    .bind(variant.size)
    .bind(variant.price)
    .bind(variant.on_hand)
    .bind(variant.position)
    .bind(variant.was)
    .bind(&variant.barcode)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO stock_adjustments (id, sku, delta, on_hand_after, reason, actor, created_at_ms)
         VALUES ($1, $2, $3, $3, 'demo catalog: opening stock', 'system', $4)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(&variant.sku)
    .bind(variant.on_hand)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

impl Catalog {
    /// A drawing of the product in one colour, when pictures can be kept.
    async fn draw_demo_picture(
        &self,
        conn: &mut sqlx::AnyConnection,
        product_id: &str,
        category: &str,
        name: &str,
        colour: &str,
    ) -> Result<(), Error> {
        let Some(media) = &self.media else {
            return Ok(());
        };
        let id = Uuid::now_v7().simple().to_string();
        let key_base = format!("products/{product_id}/{id}");
        let svg = crate::media::garment_svg(category, hex(colour), name);
        media
            .store
            .put(
                &format!("{key_base}.svg"),
                svg.into_bytes(),
                "image/svg+xml",
            )
            .await
            .map_err(Error::Media)?;
        let alt = format!("{name} in {}, drawn", colour.to_lowercase());
        crate::media::insert_image(
            conn,
            &id,
            product_id,
            colour,
            &alt,
            (800, 1000),
            &[],
            &key_base,
        )
        .await
        .map_err(Error::from)
    }

    /// Loads the demo catalog into an empty shop, in one transaction.
    /// Returns how many products it made: 0 when the shop has products.
    #[tracing::instrument(name = "catalog.seed_demo", skip(self))]
    pub async fn seed_demo(&self) -> Result<usize, Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products")
            .fetch_one(&mut *tx)
            .await?;
        if existing > 0 {
            return Ok(0);
        }
        let now = now_ms();
        let mut made = 0;
        // (product id, category, on sale) for filling the collections.
        let mut shelved: Vec<(String, &str, bool)> = Vec::new();
        let mut barcodes = 0u64;
        let demo = demo_catalog();
        for (l, line) in demo.lines.iter().enumerate() {
            let category: Option<String> =
                sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1")
                    .bind(&line.category)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(category) = category else { continue };
            let sizes = &demo.sizes[&line.sizes];
            for (n, name) in line.names.iter().enumerate() {
                let department = line.category.split('-').next().unwrap_or("shop");
                let slug = format!("{department}-{}", slugify(name));
                let id = Uuid::now_v7().to_string();
                sqlx::query(
                    "INSERT INTO products (id, slug, name, category_id, status, created_at_ms)
                     VALUES ($1, $2, $3, $4, 'active', $5)",
                )
                .bind(&id)
                .bind(&slug)
                .bind(name)
                .bind(&category)
                .bind(now + made as i64)
                .execute(&mut *tx)
                .await?;
                let labels = crate::labels::Labels {
                    brand: Some(brand_of(department, l + n).to_owned()),
                    audience: audience_of(&line.category).to_owned(),
                    tags: tags_of(&line.category, name)
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                };
                crate::labels::save(&mut tx, &id, &labels).await?;
                // About one product in five is reduced by 30 %.
                let on_sale = made % 5 == 2;
                shelved.push((id.clone(), &line.category, on_sale));
                let colours = COLOURS.iter().cycle().skip(l + n).take(2 + (l + n) % 2);
                let mut position = 0;
                for (c, (colour, colour_code)) in colours.enumerate() {
                    self.draw_demo_picture(&mut tx, &id, &line.category, name, colour)
                        .await?;
                    for (s, size) in sizes.iter().enumerate() {
                        let sku = format!(
                            "{}{:02}{}-{colour_code}-{}",
                            &department[..1].to_ascii_uppercase(),
                            l,
                            n,
                            size_code(size)
                        );
                        // Mostly in stock, a few sizes sold out or nearly.
                        let on_hand = ((l * 7 + n * 5 + c * 3 + s * 11) % 13) as i64;
                        let full_price = line.price + (n as i64) * 300;
                        let (price, was) = if on_sale {
                            (full_price * 7 / 1000 * 100, Some(full_price))
                        } else {
                            (full_price, None)
                        };
                        barcodes += 1;
                        let variant = DemoVariant {
                            sku,
                            product_id: &id,
                            colour,
                            size,
                            price,
                            was,
                            on_hand,
                            position,
                            barcode: crate::Barcode::with_check_digit(&format!("50{barcodes:010}")),
                        };
                        insert_variant(&mut tx, &variant, now).await?;
                        position += 1;
                    }
                }
                made += 1;
            }
        }
        let newest: Vec<&String> = shelved.iter().rev().take(8).map(|(id, ..)| id).collect();
        let sale: Vec<&String> = shelved
            .iter()
            .filter(|(_, _, on_sale)| *on_sale)
            .map(|(id, ..)| id)
            .collect();
        let school: Vec<&String> = shelved
            .iter()
            .filter(|(_, category, _)| {
                matches!(*category, "kids-school" | "kids-shoes" | "kids-outerwear")
            })
            .map(|(id, ..)| id)
            .collect();
        for (collection, ids) in [
            ("new-in", newest),
            ("sale", sale),
            ("back-to-school", school),
        ] {
            for (position, id) in ids.into_iter().enumerate() {
                sqlx::query(
                    "INSERT INTO collection_products (collection_id, product_id, position)
                     SELECT id, $1, $2 FROM collections WHERE slug = $3",
                )
                .bind(id)
                .bind(position as i64)
                .bind(collection)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(made)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_and_size_codes_are_url_and_sku_safe() {
        assert_eq!(
            super::slugify("Puddle-proof rain jacket"),
            "puddle-proof-rain-jacket"
        );
        assert_eq!(
            super::slugify("Organic bodysuit three-pack"),
            "organic-bodysuit-three-pack"
        );
        assert_eq!(super::size_code("3-4Y"), "34Y");
        assert_eq!(super::size_code("One size"), "OS");
    }
}
