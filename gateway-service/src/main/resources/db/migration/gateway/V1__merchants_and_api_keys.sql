-- Merchants and their API keys. A key is stored only as the SHA-256 of its full text: the key
-- itself is shown once, at creation, and can never be read back from this table.
CREATE TABLE merchants (
    id                    TEXT PRIMARY KEY,
    name                  TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    rate_limit_per_minute INTEGER     NOT NULL CHECK (rate_limit_per_minute BETWEEN 1 AND 100000),
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT        NOT NULL REFERENCES merchants (id),
    key_sha256  BYTEA       NOT NULL UNIQUE CHECK (length(key_sha256) = 32),
    -- The first characters of the key, so an operator can tell keys apart without the secret.
    key_prefix  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);

CREATE INDEX api_keys_merchant_id ON api_keys (merchant_id);
