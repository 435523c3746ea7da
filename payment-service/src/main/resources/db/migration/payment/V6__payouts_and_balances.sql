-- Payouts (CONTRACT §6): an event-sourced aggregate on the platform's event streams, its read model,
-- and the balances payouts draw on.
SELECT create_event_stream('payout_events', 'payout_id');

-- The read model behind GET and list, written in the statement of every payout append.
CREATE TABLE payouts (
    id           TEXT PRIMARY KEY,
    merchant_id  TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    customer_id  TEXT        NOT NULL,
    amount       BIGINT      NOT NULL,
    currency     TEXT        NOT NULL,
    method       TEXT        NOT NULL,
    description  TEXT,
    metadata     JSONB       NOT NULL DEFAULT '{}'::jsonb,
    failure_code TEXT,
    version      BIGINT      NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

CREATE INDEX payouts_newest_first ON payouts (merchant_id, created_at DESC, id DESC);
CREATE INDEX payouts_by_customer ON payouts (merchant_id, customer_id, created_at DESC, id DESC);

-- Per merchant and currency, two running sums kept by the appends that change them: settled_net, the
-- net of every completed settlement (credited by the settlement's completion), and paid_out, the
-- payouts not failed (added by payout.created, taken off by payout.failed). Available = settled_net - paid_out.
CREATE TABLE balances (
    merchant_id TEXT   NOT NULL,
    currency    TEXT   NOT NULL,
    settled_net BIGINT NOT NULL DEFAULT 0,
    paid_out    BIGINT NOT NULL DEFAULT 0 CHECK (paid_out >= 0),
    PRIMARY KEY (merchant_id, currency)
);

-- Two payouts that race past the application's check of the available balance must not both be
-- recorded: the second one's increase of paid_out waits for the first one's row lock, sees its increase
-- and is refused here, which rolls its whole append back. Only increases of paid_out are refused: a
-- settlement may bring settled_net below paid_out (refunds of money already paid out), and a failed
-- payout must always be able to give its amount back.
CREATE FUNCTION refuse_payouts_above_available_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.paid_out > (CASE WHEN TG_OP = 'UPDATE' THEN OLD.paid_out ELSE 0 END) AND NEW.paid_out > NEW.settled_net THEN
        RAISE EXCEPTION 'available_balance_not_exceeded: payouts of merchant % would exceed its available % balance',
            NEW.merchant_id, NEW.currency
            USING ERRCODE = 'check_violation', CONSTRAINT = 'available_balance_not_exceeded';
    END IF;
    RETURN NULL;
END;
$$;

-- AFTER, not BEFORE: an INSERT ... ON CONFLICT DO UPDATE fires BEFORE INSERT for the row it proposes even
-- when it then updates the existing one; AFTER triggers fire only for what was done.
CREATE TRIGGER balances_available_not_exceeded
    AFTER INSERT OR UPDATE OF paid_out, settled_net ON balances
    FOR EACH ROW EXECUTE FUNCTION refuse_payouts_above_available_balance();
