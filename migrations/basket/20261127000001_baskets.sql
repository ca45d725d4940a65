-- Baskets in the embedded shape (the distributed shape keeps them in
-- Redis). One row per owner ("guest:<uuid>" or "member:<user id>"); the
-- lines are a small JSON document. `version` makes every write a
-- compare-and-set, so two tabs adding at once never lose a line.
CREATE TABLE baskets (
    owner         TEXT   PRIMARY KEY,
    version       BIGINT NOT NULL,
    body          TEXT   NOT NULL,
    expires_at_ms BIGINT NOT NULL
);
CREATE INDEX baskets_expiry ON baskets (expires_at_ms);
