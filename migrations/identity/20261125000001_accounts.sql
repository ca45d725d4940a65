-- Identity: accounts, sessions and one-time tokens. Times are UTC
-- milliseconds since the Unix epoch; ids are UUIDv7 text. Secrets (passwords,
-- refresh tokens, emailed tokens) are stored only as hashes.
CREATE TABLE users (
    id                   TEXT   PRIMARY KEY,
    -- Lower-cased at the edge, so UNIQUE means one account per address.
    email                TEXT   NOT NULL UNIQUE,
    name                 TEXT   NOT NULL,
    phone                TEXT,
    password_hash        TEXT   NOT NULL,
    role                 TEXT   NOT NULL DEFAULT 'customer',
    email_verified_at_ms BIGINT,
    -- Access tokens carry the version they were issued under; bumping it
    -- makes every one of them stop working at once.
    token_version        BIGINT NOT NULL DEFAULT 0,
    created_at_ms        BIGINT NOT NULL
);

-- One sign-in on one device: the family its refresh tokens belong to.
CREATE TABLE sessions (
    id            TEXT   PRIMARY KEY,
    user_id       TEXT   NOT NULL REFERENCES users (id),
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Each refresh token is used once; a second use means it was stolen, and
-- the whole session is revoked.
CREATE TABLE refresh_tokens (
    token_hash   TEXT   PRIMARY KEY,
    session_id   TEXT   NOT NULL REFERENCES sessions (id),
    issued_at_ms BIGINT NOT NULL,
    used_at_ms   BIGINT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Links sent by email: verify an address, reset a password.
CREATE TABLE email_tokens (
    token_hash     TEXT   PRIMARY KEY,
    user_id        TEXT   NOT NULL REFERENCES users (id),
    purpose        TEXT   NOT NULL,
    email          TEXT   NOT NULL,
    expires_at_ms  BIGINT NOT NULL,
    consumed_at_ms BIGINT
);

-- Failed sign-ins (and other rate-limited acts) per key in a window.
CREATE TABLE throttle (
    key                  TEXT   PRIMARY KEY,
    hits                 BIGINT NOT NULL,
    window_started_at_ms BIGINT NOT NULL
);
