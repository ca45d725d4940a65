-- What fashion shoppers narrow by besides size and colour: the brand, who a
-- piece is for (women, men, girls, boys, kids, baby, unisex) and free tags;
-- each variant's barcode for the till and the warehouse scanner.
CREATE TABLE brands (
    id   TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

ALTER TABLE products ADD COLUMN brand_id TEXT REFERENCES brands (id);
ALTER TABLE products ADD COLUMN audience TEXT NOT NULL DEFAULT '';

CREATE TABLE product_tags (
    product_id TEXT NOT NULL REFERENCES products (id),
    tag        TEXT NOT NULL,
    PRIMARY KEY (product_id, tag)
);
CREATE INDEX product_tags_tag ON product_tags (tag);

-- Two variants never share a barcode; most have one, some do not yet.
ALTER TABLE variants ADD COLUMN barcode TEXT;
CREATE UNIQUE INDEX variants_barcode ON variants (barcode) WHERE barcode IS NOT NULL;

-- Hand-picked shelves ("New in", "Sale", "Back to school"): staff choose
-- which products, and in which order, each shows.
CREATE TABLE collections (
    id          TEXT   PRIMARY KEY,
    slug        TEXT   NOT NULL UNIQUE,
    name        TEXT   NOT NULL,
    description TEXT   NOT NULL DEFAULT '',
    position    BIGINT NOT NULL
);

CREATE TABLE collection_products (
    collection_id TEXT   NOT NULL REFERENCES collections (id),
    product_id    TEXT   NOT NULL REFERENCES products (id),
    position      BIGINT NOT NULL,
    PRIMARY KEY (collection_id, product_id)
);
CREATE INDEX collection_products_product ON collection_products (product_id);

-- One size chart per product type: a category's own, else its parent's.
-- `chart` is JSON: {"columns": [...], "rows": [[...], ...]}.
CREATE TABLE size_charts (
    category_id TEXT PRIMARY KEY REFERENCES categories (id),
    chart       TEXT NOT NULL
);
