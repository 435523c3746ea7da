-- A customer's version counts its changes from 1; it is the sequence of the event announcing each
-- (customer.created, customer.updated). Rows written before there were any have had one: the creation.
ALTER TABLE customers ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE customers ALTER COLUMN version DROP DEFAULT;

-- GET /v1/customers?email= matches addresses regardless of case, newest first.
CREATE INDEX customers_by_email ON customers (merchant_id, lower(email), created_at DESC, customer_id DESC);
