-- What the ledger's drift checks compare (ADR 0006, "Drift"): the facts of settlement that move no money by
-- themselves, kept as rows written in the statement that claims their events, so that a redelivered event
-- adds nothing. Like the journal, the rows are only ever inserted.
--
-- One row per payment.settled event: the payment's captured amount settled in a batch, with its fee.
CREATE TABLE settled_payments (
    event_id      TEXT   PRIMARY KEY,
    settlement_id TEXT   NOT NULL,
    payment_id    TEXT   NOT NULL,
    merchant_id   TEXT   NOT NULL,
    currency      TEXT   NOT NULL,
    amount        BIGINT NOT NULL,
    fee_amount    BIGINT NOT NULL
);

CREATE INDEX settled_payments_by_settlement ON settled_payments (settlement_id);

-- One row per settlement.completed event the ledger posted or found moving no money: the batch's totals.
-- Not unique per settlement_id: a second batch event with the same id is payment-service's mistake, which
-- the checks should show as drift rather than the ledger refuse to post.
CREATE TABLE settlement_batches (
    event_id        TEXT   PRIMARY KEY,
    settlement_id   TEXT   NOT NULL,
    merchant_id     TEXT   NOT NULL,
    currency        TEXT   NOT NULL,
    payment_count   BIGINT NOT NULL,
    refund_count    BIGINT NOT NULL,
    gross_amount    BIGINT NOT NULL,
    refunded_amount BIGINT NOT NULL,
    fee_amount      BIGINT NOT NULL,
    net_amount      BIGINT NOT NULL
);

CREATE INDEX settlement_batches_by_settlement ON settlement_batches (settlement_id);

CREATE TRIGGER settled_payments_append_only BEFORE UPDATE OR DELETE ON settled_payments
    FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
CREATE TRIGGER settlement_batches_append_only BEFORE UPDATE OR DELETE ON settlement_batches
    FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
CREATE TRIGGER settled_payments_no_truncate BEFORE TRUNCATE ON settled_payments
    FOR EACH STATEMENT EXECUTE FUNCTION journal_is_append_only();
CREATE TRIGGER settlement_batches_no_truncate BEFORE TRUNCATE ON settlement_batches
    FOR EACH STATEMENT EXECUTE FUNCTION journal_is_append_only();
