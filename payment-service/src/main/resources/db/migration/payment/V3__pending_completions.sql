-- Asynchronous payments (paypal, bank_transfer) waiting for the processor's answer. A row is written
-- with the payment.processing event and removed with the event that ends processing.
CREATE TABLE pending_completions (
    payment_id  TEXT PRIMARY KEY,
    merchant_id TEXT        NOT NULL,
    due_at      TIMESTAMPTZ NOT NULL
);

CREATE INDEX pending_completions_due ON pending_completions (due_at);
