-- Profiles and address books. `pending_email` is an address the person
-- asked to move to; it becomes `email` when its emailed link is followed.
ALTER TABLE users ADD COLUMN pending_email TEXT;
ALTER TABLE users ADD COLUMN default_address_id TEXT;

-- Optional parts are empty strings, never NULL, so reads need no care.
CREATE TABLE addresses (
    id            TEXT   PRIMARY KEY,
    user_id       TEXT   NOT NULL REFERENCES users (id),
    recipient     TEXT   NOT NULL,
    line1         TEXT   NOT NULL,
    line2         TEXT   NOT NULL DEFAULT '',
    city          TEXT   NOT NULL,
    region        TEXT   NOT NULL DEFAULT '',
    postal_code   TEXT   NOT NULL DEFAULT '',
    -- ISO 3166-1 alpha-2.
    country       TEXT   NOT NULL,
    phone         TEXT   NOT NULL DEFAULT '',
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX addresses_user ON addresses (user_id, created_at_ms);
