-- Customers belong to the merchant whose key created them; customer_id is unique per merchant.
CREATE TABLE customers (
    merchant_id TEXT        NOT NULL,
    customer_id TEXT        NOT NULL,
    email       TEXT        NOT NULL,
    name        TEXT,
    metadata    JSONB       NOT NULL DEFAULT '{}'::jsonb,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (merchant_id, customer_id)
);

CREATE INDEX customers_newest_first ON customers (merchant_id, created_at DESC, customer_id DESC);
