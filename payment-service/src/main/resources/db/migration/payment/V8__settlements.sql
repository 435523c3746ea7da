-- Settlement (CONTRACT §8). A batch per merchant and currency, built page by page and completed by its
-- settlement.completed event (stream settlement_events).
SELECT create_event_stream('settlement_events', 'settlement_id');

-- Each batch with its running totals, added to by the statement of every page. status: 'running' while
-- pages are added, 'completing' once closed to new pages, 'completed' with its event; only completed
-- ones are settlements to the API. started_at bounds what the batch settles: what was captured or
-- refunded later waits for the next batch.
CREATE TABLE settlements (
    id              TEXT PRIMARY KEY,
    merchant_id     TEXT        NOT NULL,
    currency        TEXT        NOT NULL,
    status          TEXT        NOT NULL,
    payment_count   BIGINT      NOT NULL DEFAULT 0,
    refund_count    BIGINT      NOT NULL DEFAULT 0,
    gross_amount    BIGINT      NOT NULL DEFAULT 0,
    refunded_amount BIGINT      NOT NULL DEFAULT 0,
    fee_amount      BIGINT      NOT NULL DEFAULT 0,
    net_amount      BIGINT      NOT NULL DEFAULT 0,
    started_at      TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ,
    version         BIGINT      NOT NULL DEFAULT 0,
    CHECK (net_amount = gross_amount - refunded_amount - fee_amount)
);

-- One batch per merchant and currency is built at a time: a second run joins it.
CREATE UNIQUE INDEX settlements_one_running ON settlements (merchant_id, currency) WHERE status <> 'completed';
CREATE INDEX settlements_newest_first ON settlements (merchant_id, created_at DESC, id DESC) WHERE status = 'completed';

-- A page written by a run that lost the race to another run of the same batch (one resumed beside a slow
-- one) must not add lines once the batch was closed: its totals would be missing from the completed
-- batch. Its update of the totals waits for the row the closing holds, sees the batch closed and is
-- refused here, which rolls the whole page back.
CREATE FUNCTION refuse_lines_of_a_closed_settlement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'settlement_not_running: settlement % is %, it takes no more lines', OLD.id, OLD.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_not_running';
END;
$$;

CREATE TRIGGER settlements_lines_only_while_running
    BEFORE UPDATE ON settlements
    FOR EACH ROW
    WHEN (OLD.status <> 'running' AND (NEW.payment_count <> OLD.payment_count OR NEW.refund_count <> OLD.refund_count))
    EXECUTE FUNCTION refuse_lines_of_a_closed_settlement();

-- The lines of every batch, for the settlement file: one per settled payment (line_id its payment id) or
-- refund (line_id its refund id), written with the page that settles them.
CREATE TABLE settlement_lines (
    settlement_id  TEXT        NOT NULL,
    line_id        TEXT        NOT NULL,
    line_type      TEXT        NOT NULL,
    payment_id     TEXT        NOT NULL,
    refund_id      TEXT,
    occurred_at    TIMESTAMPTZ NOT NULL,
    currency       TEXT        NOT NULL,
    gross_amount   BIGINT      NOT NULL,
    fee_amount     BIGINT      NOT NULL,
    net_amount     BIGINT      NOT NULL,
    payment_method TEXT        NOT NULL,
    card_brand     TEXT,
    card_last4     TEXT,
    customer_id    TEXT,
    invoice_id     TEXT,
    PRIMARY KEY (settlement_id, line_id)
);

-- What a batch reads, a page at a time, in id order: captured payments and refunds not settled yet.
CREATE INDEX payments_unsettled ON payments (merchant_id, currency, id) WHERE settlement_id IS NULL AND amount_captured > 0;
CREATE INDEX refunds_unsettled ON refunds (merchant_id, currency, id) WHERE settlement_id IS NULL;

-- The schedule's occurrences that ran (CONTRACT §8: exactly once each).
CREATE TABLE settlement_schedule_runs (
    occurrence   TEXT PRIMARY KEY,
    completed_at TIMESTAMPTZ NOT NULL
);
