-- Invoices are event-sourced: their history is an event stream of the platform (one line), their
-- current state the read model below, written by the append that leads to it.
SELECT create_event_stream('invoice_events', 'invoice_id');

-- Each invoice as GET /v1/invoices shows it; amount_due is amount - amount_paid.
CREATE TABLE invoices (
    id          TEXT        PRIMARY KEY,
    merchant_id TEXT        NOT NULL,
    customer_id TEXT        NOT NULL,
    status      TEXT        NOT NULL,
    amount      BIGINT      NOT NULL,
    amount_paid BIGINT      NOT NULL,
    currency    TEXT        NOT NULL,
    description TEXT,
    due_date    DATE,
    metadata    JSONB       NOT NULL,
    version     BIGINT      NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX invoices_newest_first ON invoices (merchant_id, created_at DESC, id DESC);
CREATE INDEX invoices_of_customer ON invoices (merchant_id, customer_id, created_at DESC, id DESC);

-- The payments applied to each invoice, as GET /v1/invoices/{id}/payments shows them; version is the
-- invoice's version when the row was last written.
CREATE TABLE invoice_payments (
    invoice_id      TEXT        NOT NULL,
    payment_id      TEXT        NOT NULL,
    merchant_id     TEXT        NOT NULL,
    amount_applied  BIGINT      NOT NULL,
    amount_reversed BIGINT      NOT NULL,
    currency        TEXT        NOT NULL,
    applied_at      TIMESTAMPTZ NOT NULL,
    reversed_at     TIMESTAMPTZ,
    version         BIGINT      NOT NULL,
    PRIMARY KEY (invoice_id, payment_id)
);

CREATE INDEX invoice_payments_newest_first ON invoice_payments (invoice_id, applied_at DESC, payment_id DESC);
