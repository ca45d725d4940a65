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
