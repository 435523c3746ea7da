-- Webhooks (CONTRACT §10): endpoints gain what the API shows and what signing needs during a secret
-- rotation; every event a subscribed endpoint should get is kept once, as the body that is signed
-- and sent; a delivery per (event, endpoint) with its state, and every attempt at it.

ALTER TABLE webhook_endpoints
    ADD COLUMN description                TEXT,
    ADD COLUMN disabled                   BOOLEAN NOT NULL DEFAULT false,
    -- Why it is disabled: 'requested' (PATCH disabled=true) or 'gone' (the endpoint answered 410).
    ADD COLUMN disabled_reason            TEXT CHECK (disabled_reason IN ('requested', 'gone')),
    -- After a rotation the previous secret still signs, beside the new one, until it expires.
    ADD COLUMN previous_secret            TEXT,
    ADD COLUMN previous_secret_expires_at TIMESTAMPTZ,
    ADD COLUMN updated_at                 TIMESTAMPTZ;
UPDATE webhook_endpoints SET updated_at = created_at;
ALTER TABLE webhook_endpoints ALTER COLUMN updated_at SET NOT NULL;

-- What the fan-out looks up for every event: the live endpoints of its merchant.
CREATE INDEX webhook_endpoints_live_by_merchant ON webhook_endpoints (merchant_id) WHERE deleted_at IS NULL AND NOT disabled;

-- An event that at least one endpoint subscribed to, with the body its deliveries send (and sign).
CREATE TABLE webhook_events (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT        NOT NULL,
    type        TEXT        NOT NULL,
    body        TEXT        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Ids of deliveries made by the fan-out statement itself: 'wd_', the creation millisecond (12 hex
-- digits) and 12 random hex digits, the shape of TimeOrderedIds, so that they sort by creation.
CREATE FUNCTION webhook_delivery_id() RETURNS TEXT LANGUAGE sql VOLATILE AS $$
    SELECT 'wd_' || lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::BIGINT), 12, '0')
        || substr(replace(gen_random_uuid()::TEXT, '-', ''), 1, 12)
$$;

CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    merchant_id     TEXT        NOT NULL,
    event_id        TEXT        NOT NULL REFERENCES webhook_events (id),
    endpoint_id     TEXT        NOT NULL REFERENCES webhook_endpoints (id),
    event_type      TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    -- Attempts since the delivery was created or last re-sent by hand: the position in the schedule.
    round_attempts  INTEGER     NOT NULL DEFAULT 0,
    -- Attempts ever made, which numbers them.
    attempts_total  INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    -- One delivery per event and endpoint, whatever happens to the consumer's claims.
    UNIQUE (event_id, endpoint_id)
);

CREATE INDEX webhook_deliveries_by_merchant ON webhook_deliveries (merchant_id, id DESC);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, status, created_at);
-- The pending-deliveries gauges: how many, and since when the oldest waits.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (created_at) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
    delivery_id   TEXT        NOT NULL REFERENCES webhook_deliveries (id),
    attempt_no    INTEGER     NOT NULL,
    attempted_at  TIMESTAMPTZ NOT NULL,
    -- Null when no answer came: then error says why (timeout, connection_failed, blocked_target).
    status_code   INTEGER,
    latency_ms    INTEGER     NOT NULL,
    -- The first 1 KiB of the answer's body, as text.
    response_body TEXT,
    error         TEXT,
    PRIMARY KEY (delivery_id, attempt_no)
);
