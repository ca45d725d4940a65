-- Orders and their lines, priced when placed (the catalog's prices of that
-- moment, never a basket's). Money in minor units, VAT included; times are
-- UTC milliseconds.
CREATE TABLE orders (
    id               TEXT   PRIMARY KEY,
    -- Shown to shoppers as SURY-000042 and used as the bank reference.
    number           BIGINT NOT NULL UNIQUE,
    -- One order per checkout, however often it is posted.
    idempotency_key  TEXT   NOT NULL UNIQUE,
    customer_id      TEXT,
    -- Opens the order's page without an account (in its link and emails).
    view_key         TEXT   NOT NULL,
    basket           TEXT,
    email            TEXT   NOT NULL,
    name             TEXT   NOT NULL,
    -- JSON array of address lines; empty for pick-up.
    address          TEXT   NOT NULL,
    -- submitted | confirmed | shipped | delivered | cancelled
    status           TEXT   NOT NULL,
    -- unpaid | paid
    payment_status   TEXT   NOT NULL,
    payment_method   TEXT   NOT NULL,
    delivery_method  TEXT   NOT NULL,
    subtotal_minor   BIGINT NOT NULL CHECK (subtotal_minor >= 0),
    delivery_minor   BIGINT NOT NULL CHECK (delivery_minor >= 0),
    total_minor      BIGINT NOT NULL CHECK (total_minor >= 0),
    vat_minor        BIGINT NOT NULL CHECK (vat_minor >= 0),
    vat_percent      BIGINT NOT NULL,
    cancel_reason    TEXT,
    carrier          TEXT,
    tracking         TEXT,
    placed_at_ms     BIGINT NOT NULL,
    updated_at_ms    BIGINT NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id, placed_at_ms);
CREATE INDEX orders_status ON orders (status, placed_at_ms);

CREATE TABLE order_lines (
    order_id         TEXT   NOT NULL REFERENCES orders (id),
    position         BIGINT NOT NULL,
    sku              TEXT   NOT NULL,
    product_name     TEXT   NOT NULL,
    colour           TEXT   NOT NULL,
    size             TEXT   NOT NULL,
    quantity         BIGINT NOT NULL CHECK (quantity > 0),
    unit_price_minor BIGINT NOT NULL CHECK (unit_price_minor >= 0),
    PRIMARY KEY (order_id, position)
);

-- What happened to an order, for its timeline and for staff.
CREATE TABLE order_history (
    order_id TEXT   NOT NULL REFERENCES orders (id),
    at_ms    BIGINT NOT NULL,
    what     TEXT   NOT NULL,
    actor    TEXT   NOT NULL
);
CREATE INDEX order_history_order ON order_history (order_id, at_ms);

-- The next order number; one row.
CREATE TABLE order_numbers (
    id   BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);
INSERT INTO order_numbers (id, last) VALUES (1, 0);

CREATE TABLE outbox (
    id              TEXT   PRIMARY KEY,
    topic           TEXT   NOT NULL,
    payload         TEXT   NOT NULL,
    trace_id        TEXT,
    created_at_ms   BIGINT NOT NULL,
    published_at_ms BIGINT
);
CREATE INDEX outbox_pending ON outbox (published_at_ms, created_at_ms, id);

CREATE TABLE inbox (
    consumer        TEXT   NOT NULL,
    message_id      TEXT   NOT NULL,
    processed_at_ms BIGINT NOT NULL,
    PRIMARY KEY (consumer, message_id)
);
