//! Catalog read models, version 1.

use serde::{Deserialize, Serialize};

/// A category as a link target: enough to render a tile or a breadcrumb.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategorySummary {
    pub slug: String,
    pub name: String,
    pub description: String,
}

/// A top-level category (Women, Men, Kids, Baby) with its children.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub category: CategorySummary,
    pub children: Vec<CategorySummary>,
}

/// One category page: itself, its ancestors (root first) and its children.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryDetail {
    pub category: CategorySummary,
    pub ancestors: Vec<CategorySummary>,
    pub children: Vec<CategorySummary>,
}

/// A category found by a search, with the path that leads to it
/// (e.g. "Women › Dresses") so results with the same name can be told apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryHit {
    pub category: CategorySummary,
    pub path: String,
}

/// Events the catalog publishes (through its outbox).
pub mod events {
    use serde::{Deserialize, Serialize};

    /// A category's name or place changed: readers of the tree must
    /// refresh what they keep of it.
    pub const CATEGORY_CHANGED_V1: &str = "catalog.category.changed.v1";

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct CategoryChangedV1 {
        pub slug: String,
    }

    /// Every line of an order is held for it.
    pub const STOCK_RESERVED_V1: &str = "catalog.stock.reserved.v1";
    /// Some line of an order could not be held, so none is.
    pub const STOCK_REJECTED_V1: &str = "catalog.stock.rejected.v1";

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct StockReservedV1 {
        pub order_id: String,
    }

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct StockRejectedV1 {
        pub order_id: String,
        /// Each line that fell short (an unknown SKU shows 0 available).
        pub shortfalls: Vec<super::Shortfall>,
    }

    /// A variant's stock changed: listings showing "sold out" or "only a
    /// few left", and baskets, must refresh.
    pub const STOCK_CHANGED_V1: &str = "catalog.stock.changed.v1";

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct StockChangedV1 {
        pub sku: String,
        pub on_hand: i64,
        /// On hand minus reserved: what shoppers can still buy.
        pub available: i64,
    }

    /// Something shoppers see of a product changed (a price, stock, its
    /// publication): caches of its page and of its categories' listings
    /// drop them.
    pub const PRODUCT_CHANGED_V1: &str = "catalog.product.changed.v1";

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ProductChangedV1 {
        pub slug: String,
        /// Its category, then that category's ancestors.
        pub categories: Vec<String>,
    }

    /// A collection was made, renamed, or its products changed: the home
    /// page's shelves and the collection's page must refresh.
    pub const COLLECTION_CHANGED_V1: &str = "catalog.collection.changed.v1";

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct CollectionChangedV1 {
        pub slug: String,
    }
}

/// A product in a listing: enough for a card that links to its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCardV1 {
    pub slug: String,
    pub name: String,
    /// The lowest price of its variants, minor units.
    pub price_from_minor: i64,
    /// In the order staff arranged them.
    pub colours: Vec<String>,
    /// Whether any size in any colour can be bought.
    pub in_stock: bool,
    /// Its first picture, for the card.
    #[serde(default)]
    pub image: Option<ImageV1>,
    /// The price before a sale of its cheapest reduced variant, when one
    /// is reduced.
    #[serde(default)]
    pub compare_at_minor: Option<i64>,
    /// Its brand's name.
    #[serde(default)]
    pub brand: Option<String>,
}

/// One picture of a product, in one colour, ready for `<picture>`: the
/// sizes made of it as `srcset` lists (empty for a drawing, which scales)
/// and a fallback `src`. URLs point at the media store's public address
/// (this site's `/media`, or a CDN in front of S3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageV1 {
    pub id: String,
    pub colour: String,
    /// What it shows, for people who cannot see it.
    pub alt: String,
    /// Of the largest version: the page reserves the space before it loads.
    pub width: u32,
    pub height: u32,
    pub src: String,
    pub webp_srcset: String,
    pub jpeg_srcset: String,
}

/// A product as its page shows it. Only published products have one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDetailV1 {
    pub slug: String,
    pub name: String,
    /// Its category, with the category's ancestors before it (root first):
    /// the breadcrumb.
    pub breadcrumb: Vec<CategorySummary>,
    /// In the order staff arranged them.
    pub variants: Vec<VariantV1>,
    /// Paragraphs separated by blank lines; may be empty.
    #[serde(default)]
    pub description: String,
    /// What it is made of and how to wash it; may be empty.
    #[serde(default)]
    pub material_care: String,
    /// Grouped by colour, in the order staff arranged them.
    #[serde(default)]
    pub images: Vec<ImageV1>,
    #[serde(default)]
    pub brand: Option<BrandV1>,
    /// Who it is for: one of [`AUDIENCES`], or empty when not said.
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Measurements of its sizes (its product type's chart); none for
    /// one-size pieces.
    #[serde(default)]
    pub size_chart: Option<SizeChartV1>,
    /// Other published pieces of the same kind, for "You may also like".
    #[serde(default)]
    pub related: Vec<ProductCardV1>,
}

/// Who a piece is for, as staff choose it and shoppers read it.
pub const AUDIENCES: [(&str, &str); 7] = [
    ("women", "Women"),
    ("men", "Men"),
    ("girls", "Girls"),
    ("boys", "Boys"),
    ("kids", "Kids"),
    ("baby", "Baby"),
    ("unisex", "Unisex"),
];

/// A brand as a link or filter value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandV1 {
    pub slug: String,
    pub name: String,
}

/// Measurements per size: a heading row and one row per size.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeChartV1 {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A hand-picked shelf of products ("New in", "Sale").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionV1 {
    pub slug: String,
    pub name: String,
    pub description: String,
}

/// A collection's page: itself and a page of its products.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionListingV1 {
    pub collection: CollectionV1,
    pub listing: ListingV1,
}

/// A collection on the home page with its first products, in the order
/// staff arranged them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelfV1 {
    pub collection: CollectionV1,
    pub cards: Vec<ProductCardV1>,
}

/// What the home page shows of the catalog: the collections that have
/// something in them, and the newest arrivals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeV1 {
    pub shelves: Vec<ShelfV1>,
    pub new_arrivals: Vec<ProductCardV1>,
}

/// One colour and size of a product, with what can be bought of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantV1 {
    pub sku: String,
    pub colour: String,
    pub size: String,
    /// Minor units (cents, pence), VAT included.
    pub price_minor: i64,
    /// The price before a sale, when there is one.
    pub compare_at_minor: Option<i64>,
    /// On hand minus reserved: 0 means sold out.
    pub available: i64,
}

/// A variant as a basket or checkout line shows it: what it is, what it
/// costs now and how many can be bought now. Only variants of published
/// products are returned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantLineV1 {
    pub sku: String,
    pub product_slug: String,
    pub product_name: String,
    pub colour: String,
    pub size: String,
    /// Minor units, VAT included.
    pub price_minor: i64,
    /// On hand minus reserved.
    pub available: i64,
}

impl VariantLineV1 {
    /// Lines keyed by their SKU, for looking each of a basket's or an
    /// order's lines up in the catalog's answer.
    pub fn by_sku(lines: Vec<Self>) -> std::collections::HashMap<String, Self> {
        lines.into_iter().map(|v| (v.sku.clone(), v)).collect()
    }
}

/// What an order could not get: the SKU, how many it asked for and how
/// many were available when it asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    pub sku: String,
    pub requested: i64,
    pub available: i64,
}

/// One variant's stock, as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLevel {
    pub sku: String,
    pub on_hand: i64,
    pub reserved: i64,
}

/// One line of a variant's stock history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockAdjustment {
    pub delta: i64,
    pub on_hand_after: i64,
    pub reason: String,
    pub actor: String,
    pub at_ms: i64,
}

/// A variant with little left to sell (on hand minus held for orders), for
/// the back office's "running low" list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LowStockV1 {
    pub slug: String,
    pub name: String,
    pub sku: String,
    pub colour: String,
    pub size: String,
    pub free: i64,
}

/// A product as staff list them: drafts and withdrawn ones included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffProductSummaryV1 {
    pub slug: String,
    pub name: String,
    /// draft | active | archived
    pub status: String,
    pub variants: i64,
    /// On hand across its variants.
    pub on_hand: i64,
}

/// A product as staff work on it: every variant with its price and stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffProductV1 {
    pub slug: String,
    pub name: String,
    pub status: String,
    pub category: String,
    pub description: String,
    pub material_care: String,
    #[serde(default)]
    pub brand: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub variants: Vec<StaffVariantV1>,
    #[serde(default)]
    pub images: Vec<ImageV1>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffVariantV1 {
    pub sku: String,
    pub colour: String,
    pub size: String,
    pub price_minor: i64,
    pub on_hand: i64,
    pub reserved: i64,
    #[serde(default)]
    pub compare_at_minor: Option<i64>,
    #[serde(default)]
    pub barcode: Option<String>,
}

/// A collection as staff list them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCollectionV1 {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Products on it, whatever their status.
    pub products: Vec<StaffProductSummaryV1>,
}

/// `POST …/staff/collections` (a new one) and `PUT …/staff/collections/{slug}`
/// (its name and description; the slug stays).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionDetailsV1 {
    pub name: String,
    pub slug: String,
    pub description: String,
}

/// `POST …/staff/collections/{slug}/products`: puts a product (its slug) on
/// the shelf, last.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelveV1 {
    pub product: String,
}

/// `PUT …/staff/variants/{sku}/barcode`: an EAN-8, UPC-A, EAN-13 or GTIN-14
/// with its check digit; empty removes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarcodeV1 {
    pub barcode: String,
}

/// `POST …/staff/variants/{sku}/stock`: stock in (positive) or out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockChangeV1 {
    pub delta: i64,
    pub reason: String,
}

/// `PUT …/staff/variants/{sku}/price`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceV1 {
    pub price_minor: i64,
    /// The price before the sale, shown struck through; above the price.
    /// `None` ends a sale.
    #[serde(default)]
    pub compare_at_minor: Option<i64>,
}

/// How a listing is ordered. The query-string names (`price-asc`, …) are
/// what shoppers' shared links carry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ListingSortV1 {
    #[default]
    Newest,
    PriceAsc,
    PriceDesc,
    BestSelling,
}

impl ListingSortV1 {
    pub const ALL: [Self; 4] = [
        Self::Newest,
        Self::PriceAsc,
        Self::PriceDesc,
        Self::BestSelling,
    ];

    /// The value in the query string.
    pub fn token(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::PriceAsc => "price-asc",
            Self::PriceDesc => "price-desc",
            Self::BestSelling => "best-selling",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Newest => "Newest",
            Self::PriceAsc => "Price: low to high",
            Self::PriceDesc => "Price: high to low",
            Self::BestSelling => "Best selling",
        }
    }

    pub fn from_token(token: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|sort| sort.token() == token)
    }
}

/// One value shoppers can filter by, with how many products of the
/// listing have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetV1 {
    pub value: String,
    pub products: u64,
}

/// What a listing can be narrowed by: every size and colour its products
/// come in (sizes in the order they are worn, smallest first) and the span
/// of their prices.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetsV1 {
    pub sizes: Vec<FacetV1>,
    pub colours: Vec<FacetV1>,
    pub lowest_price_minor: Option<i64>,
    pub highest_price_minor: Option<i64>,
    /// Brands in the listing, by name; filtered by slug.
    #[serde(default)]
    pub brands: Vec<BrandFacetV1>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandFacetV1 {
    pub slug: String,
    pub name: String,
    pub products: u64,
}

/// One page of a category listing or of search results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingV1 {
    pub cards: Vec<ProductCardV1>,
    /// Products matching the filters, on all pages.
    pub total: u64,
    /// 1-based; past the last page is an empty page, not an error.
    pub page: u32,
    pub per_page: u32,
    pub facets: FacetsV1,
}

impl ListingV1 {
    pub fn pages(&self) -> u32 {
        let per_page = u64::from(self.per_page.max(1));
        u32::try_from(self.total.div_ceil(per_page)).unwrap_or(u32::MAX)
    }
}

/// Products found for what a shopper typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductSearchV1 {
    /// The words as searched, when a misspelling was corrected
    /// ("dres" searched as "dress").
    pub corrected: Option<String>,
    pub listing: ListingV1,
    /// When nothing matched: words of the catalog close to what was typed.
    pub suggestions: Vec<String>,
}

/// `POST …/staff/products`: a new product as staff type it, a draft with
/// one variant for every colour and size given (the grid), each at `price`.
/// Refused field by field (`ApiError.fields`) when any part is wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewProductV1 {
    pub name: String,
    /// Its address, `/p/<slug>`.
    pub slug: String,
    /// The category's slug.
    pub category: String,
    pub description: String,
    pub material_care: String,
    /// Start of every variant's SKU (`DRS-LINEN` gives `DRS-LINEN-NAVY-M`).
    pub sku_prefix: String,
    pub colours: Vec<String>,
    pub sizes: Vec<String>,
    pub price_minor: i64,
    /// A brand's name; a new name makes the brand. Empty: none.
    #[serde(default)]
    pub brand: String,
    /// One of [`AUDIENCES`]' keys, or empty.
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// `PUT …/staff/products/{slug}`: what staff edit of a product besides its
/// variants. `status` is draft, active (on the shop) or archived.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDetailsV1 {
    pub name: String,
    pub category: String,
    pub description: String,
    pub material_care: String,
    pub status: String,
    #[serde(default)]
    pub brand: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// `POST …/staff/products/{slug}/variants`: grows the grid; combinations
/// that exist already are left as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewVariantsV1 {
    pub colours: Vec<String>,
    pub sizes: Vec<String>,
    pub price_minor: i64,
}

/// A category as staff edit it: its own size chart (not an inherited one)
/// and how many products it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCategoryV1 {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// The department it belongs to; `None` for a department.
    pub parent: Option<String>,
    pub size_chart: Option<SizeChartV1>,
    pub products: i64,
}

/// `POST …/staff/categories` (a new one under `parent`, a department's
/// slug, or a new department when empty) and `PUT …/staff/categories/{slug}`
/// (name, description and size chart; slug and parent stay).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryDetailsV1 {
    pub name: String,
    pub slug: String,
    pub parent: String,
    pub description: String,
    /// `None` (or no rows) removes its own chart: its department's applies.
    pub size_chart: Option<SizeChartV1>,
}
