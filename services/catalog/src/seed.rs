//! The base category tree every SURY shop starts with.

use sqlx::AnyPool;
use uuid::Uuid;

use crate::error::Error;
use crate::store::{self, NewCategory};

struct Seed {
    slug: &'static str,
    name: &'static str,
    description: &'static str,
    children: &'static [(&'static str, &'static str, &'static str)],
}

const TREE: &[Seed] = &[
    Seed {
        slug: "women",
        name: "Women",
        description: "Everyday pieces and occasion wear, in sizes 6 to 22.",
        children: &[
            ("women-tops", "Tops", "T-shirts, blouses and knitwear."),
            ("women-dresses", "Dresses", "Day, summer and party dresses."),
            ("women-trousers", "Trousers", "Jeans, chinos and wide legs."),
            (
                "women-outerwear",
                "Outerwear",
                "Coats, jackets and raincoats.",
            ),
            (
                "women-shoes",
                "Shoes",
                "Trainers, flats, boots and sandals.",
            ),
            (
                "women-accessories",
                "Accessories",
                "Bags, scarves, belts and hats.",
            ),
        ],
    },
    Seed {
        slug: "men",
        name: "Men",
        description: "Wardrobe staples that last, from work to weekend.",
        children: &[
            ("men-tops", "Tops", "T-shirts, shirts and jumpers."),
            ("men-trousers", "Trousers", "Jeans, chinos and joggers."),
            ("men-outerwear", "Outerwear", "Coats, jackets and gilets."),
            ("men-shoes", "Shoes", "Trainers, boots and smart shoes."),
            (
                "men-accessories",
                "Accessories",
                "Belts, caps, scarves and socks.",
            ),
        ],
    },
    Seed {
        slug: "kids",
        name: "Kids",
        description: "Tough, washable clothes for ages 2 to 14.",
        children: &[
            ("kids-tops", "Tops", "Tees, sweatshirts and hoodies."),
            ("kids-dresses", "Dresses", "Play dresses and party dresses."),
            ("kids-trousers", "Trousers", "Jeans, joggers and shorts."),
            (
                "kids-outerwear",
                "Outerwear",
                "Puffer jackets and raincoats.",
            ),
            ("kids-shoes", "Shoes", "School shoes, trainers and wellies."),
            (
                "kids-school",
                "School uniform",
                "Polo shirts, pinafores and jumpers.",
            ),
        ],
    },
    Seed {
        slug: "baby",
        name: "Baby",
        description: "Soft organic cotton for newborns to 2 years.",
        children: &[
            (
                "baby-bodysuits",
                "Bodysuits",
                "Short and long-sleeved bodysuits.",
            ),
            (
                "baby-sleepsuits",
                "Sleepsuits",
                "Sleepsuits and sleeping bags.",
            ),
            (
                "baby-dresses",
                "Dresses",
                "Little dresses with matching bloomers.",
            ),
            ("baby-outerwear", "Outerwear", "Pramsuits and snug jackets."),
            (
                "baby-accessories",
                "Accessories",
                "Hats, mittens, bibs and booties.",
            ),
        ],
    },
];

/// Adds whatever part of the base tree is missing, in one transaction.
/// Rows that exist are left as staff may have edited them.
pub(crate) async fn ensure_category_tree(pool: &AnyPool) -> Result<(), Error> {
    let mut tx = platform::db::begin_write(pool)
        .await
        .map_err(Error::Database)?;
    for (dept_pos, dept) in TREE.iter().enumerate() {
        store::insert_category_if_absent(
            &mut tx,
            NewCategory {
                id: Uuid::now_v7().to_string(),
                parent_id: None,
                slug: dept.slug,
                name: dept.name,
                description: dept.description,
                position: dept_pos as i64,
            },
        )
        .await
        .map_err(Error::Database)?;
        let dept_id = store::id_of_slug(&mut tx, dept.slug)
            .await
            .map_err(Error::Database)?
            .ok_or_else(|| Error::Database(sqlx::Error::RowNotFound))?;
        for (pos, (slug, name, description)) in dept.children.iter().enumerate() {
            store::insert_category_if_absent(
                &mut tx,
                NewCategory {
                    id: Uuid::now_v7().to_string(),
                    parent_id: Some(&dept_id),
                    slug,
                    name,
                    description,
                    position: pos as i64,
                },
            )
            .await
            .map_err(Error::Database)?;
        }
    }
    tx.commit().await.map_err(Error::Database)
}

/// The collections every shop starts with, empty: staff fill them.
const COLLECTIONS: &[(&str, &str, &str)] = &[
    (
        "new-in",
        "New in",
        "The latest arrivals for every member of the family.",
    ),
    ("sale", "Sale", "Reduced prices while stocks last."),
    (
        "back-to-school",
        "Back to school",
        "Uniform, shoes and coats for the new term.",
    ),
];

/// Size charts by category (a department's covers its kinds without one
/// of their own). Measurements in centimetres, body not garment.
/// (category, heading row, one row per size).
type Chart = (
    &'static str,
    &'static [&'static str],
    &'static [&'static [&'static str]],
);

const CHARTS: &[Chart] = &[
    (
        "women",
        &["UK size", "Bust", "Waist", "Hips"],
        &[
            &["6", "78 cm", "60 cm", "86 cm"],
            &["8", "82 cm", "64 cm", "90 cm"],
            &["10", "87 cm", "69 cm", "95 cm"],
            &["12", "92 cm", "74 cm", "100 cm"],
            &["14", "97 cm", "79 cm", "105 cm"],
            &["16", "102 cm", "84 cm", "110 cm"],
            &["18", "107 cm", "89 cm", "115 cm"],
        ],
    ),
    (
        "men",
        &["Size", "Chest", "Waist"],
        &[
            &["S", "88–96 cm", "74–82 cm"],
            &["M", "96–104 cm", "82–90 cm"],
            &["L", "104–112 cm", "90–98 cm"],
            &["XL", "112–124 cm", "98–110 cm"],
        ],
    ),
    (
        "kids",
        &["Age", "Height", "Chest"],
        &[
            &["3-4Y", "98–104 cm", "55 cm"],
            &["5-6Y", "110–116 cm", "59 cm"],
            &["7-8Y", "122–128 cm", "64 cm"],
            &["9-10Y", "134–140 cm", "69 cm"],
            &["11-12Y", "146–152 cm", "74 cm"],
        ],
    ),
    (
        "baby",
        &["Age", "Height", "Weight"],
        &[
            &["0-3M", "56–62 cm", "3–6 kg"],
            &["3-6M", "62–68 cm", "6–8 kg"],
            &["6-12M", "68–80 cm", "8–10 kg"],
            &["12-18M", "80–86 cm", "10–12 kg"],
        ],
    ),
    (
        "women-shoes",
        &["UK", "EU", "Foot length"],
        &[
            &["4", "37", "23.3 cm"],
            &["5", "38", "24.0 cm"],
            &["6", "39", "24.8 cm"],
            &["7", "40", "25.5 cm"],
            &["8", "41", "26.3 cm"],
            &["9", "42", "27.0 cm"],
        ],
    ),
    (
        "men-shoes",
        &["UK", "EU", "Foot length"],
        &[
            &["5", "38", "24.0 cm"],
            &["6", "39", "24.8 cm"],
            &["7", "40.5", "25.5 cm"],
            &["8", "42", "26.3 cm"],
            &["9", "43", "27.0 cm"],
            &["10", "44.5", "27.8 cm"],
        ],
    ),
    (
        "kids-shoes",
        &["UK", "EU", "Foot length"],
        &[
            &["10", "28", "17.1 cm"],
            &["11", "29", "18.0 cm"],
            &["12", "30", "18.7 cm"],
            &["13", "32", "19.5 cm"],
        ],
    ),
];

/// Adds the starting collections and size charts that are missing.
pub(crate) async fn ensure_shelves_and_charts(pool: &AnyPool) -> Result<(), Error> {
    let mut tx = platform::db::begin_write(pool)
        .await
        .map_err(Error::Database)?;
    for (position, (slug, name, description)) in COLLECTIONS.iter().enumerate() {
        sqlx::query(
            "INSERT INTO collections (id, slug, name, description, position)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (slug) DO NOTHING",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(*slug)
        .bind(*name)
        .bind(*description)
        .bind(position as i64)
        .execute(&mut *tx)
        .await
        .map_err(Error::Database)?;
    }
    for (category, columns, rows) in CHARTS {
        let chart = contracts::catalog::SizeChartV1 {
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: rows
                .iter()
                .map(|row| row.iter().map(|c| (*c).to_owned()).collect())
                .collect(),
        };
        crate::labels::insert_chart_if_absent(&mut tx, category, &chart)
            .await
            .map_err(Error::Database)?;
    }
    tx.commit().await.map_err(Error::Database)
}
