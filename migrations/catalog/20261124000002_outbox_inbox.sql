-- Transactional outbox and inbox (see services/platform): events leave and
-- arrive through these tables in the same transactions as the changes they
-- describe. Times are UTC milliseconds since the Unix epoch.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT    NOT NULL UNIQUE,
    topic           TEXT    NOT NULL,
    payload         BLOB    NOT NULL,
    trace_id        TEXT,
    created_at_ms   INTEGER NOT NULL,
    published_at_ms INTEGER
);
CREATE INDEX outbox_pending ON outbox (published_at_ms, seq);

CREATE TABLE inbox (
    consumer        TEXT    NOT NULL,
    message_id      TEXT    NOT NULL,
    processed_at_ms INTEGER NOT NULL,
    PRIMARY KEY (consumer, message_id)
);
