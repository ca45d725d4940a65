-- Products, their variants (one per colour and size, each with its own
-- stock) and the audit trail of every stock change. Money is in minor units
-- (cents, pence); times are UTC milliseconds.
CREATE TABLE products (
    id            TEXT   PRIMARY KEY,
    slug          TEXT   NOT NULL UNIQUE,
    name          TEXT   NOT NULL,
    category_id   TEXT   NOT NULL REFERENCES categories (id),
    -- draft | active | archived
    status        TEXT   NOT NULL DEFAULT 'draft',
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX products_category ON products (category_id, status);

-- The CHECKs are the last line of defence: stock commands already use
-- conditional updates, so a violation here means a bug, never an oversell.
CREATE TABLE variants (
    sku              TEXT   PRIMARY KEY,
    product_id       TEXT   NOT NULL REFERENCES products (id),
    colour           TEXT   NOT NULL,
    size             TEXT   NOT NULL,
    price_minor      BIGINT NOT NULL CHECK (price_minor >= 0),
    compare_at_minor BIGINT CHECK (compare_at_minor IS NULL OR compare_at_minor > price_minor),
    on_hand          BIGINT NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    -- Held for orders not yet shipped; never more than is on hand.
    reserved         BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
    position         BIGINT NOT NULL,
    UNIQUE (product_id, colour, size)
);
CREATE INDEX variants_product ON variants (product_id, position);

-- Who changed which stock, why, by how much, and what was left.
CREATE TABLE stock_adjustments (
    id            TEXT   PRIMARY KEY,
    sku           TEXT   NOT NULL REFERENCES variants (sku),
    delta         BIGINT NOT NULL,
    on_hand_after BIGINT NOT NULL,
    reason        TEXT   NOT NULL,
    actor         TEXT   NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX stock_adjustments_sku ON stock_adjustments (sku, created_at_ms);
