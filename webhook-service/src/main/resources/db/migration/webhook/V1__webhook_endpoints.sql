-- Endpoints merchants register for signed deliveries (CONTRACT §10). The signing secret is kept so
-- that deliveries can be signed; it is returned once, at creation.
CREATE TABLE webhook_endpoints (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT        NOT NULL,
    url         TEXT        NOT NULL,
    event_types TEXT[]      NOT NULL,
    secret      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    deleted_at  TIMESTAMPTZ
);

CREATE INDEX webhook_endpoints_by_merchant ON webhook_endpoints (merchant_id, created_at DESC);
