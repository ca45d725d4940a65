-- Transactional outbox and inbox (see services/platform): events leave and
-- arrive through these tables in the same transactions as the changes they
-- describe. Times are UTC milliseconds since the Unix epoch; ids are UUIDv7,
-- so (created_at_ms, id) is the order events were written in.
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
