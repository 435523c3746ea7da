-- The event store: the only source of truth about payments. Append-only; (payment_id, sequence) is
-- unique, so of two writers that read the same version only the first can append the next event.
CREATE TABLE payment_events (
    payment_id  TEXT        NOT NULL,
    sequence    BIGINT      NOT NULL CHECK (sequence >= 1),
    event_id    TEXT        NOT NULL UNIQUE,
    event_type  TEXT        NOT NULL,
    merchant_id TEXT        NOT NULL,
    payload     JSONB       NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (payment_id, sequence)
);

CREATE FUNCTION refuse_to_rewrite_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'payment_events is append-only: a correction is a new event';
END;
$$;

CREATE TRIGGER payment_events_append_only
    BEFORE UPDATE OR DELETE ON payment_events
    FOR EACH ROW EXECUTE FUNCTION refuse_to_rewrite_history();

-- The read model behind GET and list, updated in the same transaction as every append. It can be
-- rebuilt from payment_events at any time.
CREATE TABLE payments (
    id                TEXT PRIMARY KEY,
    merchant_id       TEXT        NOT NULL,
    status            TEXT        NOT NULL,
    amount            BIGINT      NOT NULL,
    amount_capturable BIGINT      NOT NULL,
    amount_captured   BIGINT      NOT NULL,
    amount_refunded   BIGINT      NOT NULL,
    currency          TEXT        NOT NULL,
    payment_method    TEXT        NOT NULL,
    capture_method    TEXT        NOT NULL,
    card_brand        TEXT,
    card_last4        TEXT,
    card_exp_month    INTEGER,
    card_exp_year     INTEGER,
    customer_id       TEXT,
    invoice_id        TEXT,
    description       TEXT,
    metadata          JSONB       NOT NULL DEFAULT '{}'::jsonb,
    auth_code         TEXT,
    decline_code      TEXT,
    settlement_id     TEXT,
    version           BIGINT      NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);

CREATE INDEX payments_newest_first ON payments (merchant_id, created_at DESC, id DESC);
CREATE INDEX payments_by_customer ON payments (merchant_id, customer_id);
CREATE INDEX payments_by_invoice ON payments (merchant_id, invoice_id);
