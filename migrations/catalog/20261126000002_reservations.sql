-- Stock held for an order, line by line. An order reserves all its lines
-- or none; releasing (cancelled) or committing (shipped) settles each row
-- once, so a replayed event changes nothing.
CREATE TABLE stock_reservations (
    order_id        TEXT   NOT NULL,
    sku             TEXT   NOT NULL REFERENCES variants (sku),
    quantity        BIGINT NOT NULL CHECK (quantity > 0),
    created_at_ms   BIGINT NOT NULL,
    -- At most one of these is set: released (back to stock) or committed
    -- (taken off the shelf).
    settled_at_ms   BIGINT,
    settlement      TEXT,
    PRIMARY KEY (order_id, sku)
);
