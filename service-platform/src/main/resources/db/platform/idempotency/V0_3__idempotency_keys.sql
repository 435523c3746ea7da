-- Idempotency keys (CONTRACT §3): the first response to a (merchant, key) is kept for 24 hours and
-- replayed byte for byte. The primary key makes the database, not a JVM lock, decide which of
-- several concurrent requests with one key runs.
CREATE TABLE idempotency_keys (
    merchant_id         TEXT        NOT NULL,
    idempotency_key     TEXT        NOT NULL,
    request_fingerprint TEXT        NOT NULL,
    response_status     INTEGER,
    response_type       TEXT,
    response_body       BYTEA,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at        TIMESTAMPTZ,
    PRIMARY KEY (merchant_id, idempotency_key)
);

CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
