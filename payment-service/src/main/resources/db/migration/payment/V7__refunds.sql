-- Refunds as a resource of their own (CONTRACT §5: GET /v1/refunds/{id}, GET /v1/refunds?payment_id=) and
-- as lines of a settlement: one row per payment.refunded event, written in the statement of that append.
-- settlement_id is set once the refund was settled (CONTRACT §8).
CREATE TABLE refunds (
    id            TEXT PRIMARY KEY,
    payment_id    TEXT        NOT NULL,
    merchant_id   TEXT        NOT NULL,
    amount        BIGINT      NOT NULL,
    currency      TEXT        NOT NULL,
    reason        TEXT,
    status        TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    settlement_id TEXT
);

CREATE INDEX refunds_newest_first ON refunds (merchant_id, created_at DESC, id DESC);
CREATE INDEX refunds_by_payment ON refunds (merchant_id, payment_id, created_at DESC, id DESC);

-- The refunds made before this table existed, from their events.
INSERT INTO refunds (id, payment_id, merchant_id, amount, currency, reason, status, created_at)
SELECT payload->>'refundId', payment_id, merchant_id, (payload->'amount'->>'amountMinor')::bigint, payload->'amount'->>'currency',
       payload->>'reason', 'succeeded', occurred_at
FROM payment_events WHERE event_type = 'payment.refunded';
