-- Customers and invoices as payment-service knows them from their topics (paystream.customers.v1,
-- paystream.invoices.v1): what a payment naming them is checked against, without calling
-- customer-service (CONTRACT §4, §5). Kept by the projection consumer; sequence is the last event
-- applied per customer or invoice, so a late, older event never overwrites a newer one.
CREATE TABLE customer_projection (
    merchant_id TEXT   NOT NULL,
    customer_id TEXT   NOT NULL,
    sequence    BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, customer_id)
);

CREATE TABLE invoice_projection (
    merchant_id TEXT   NOT NULL,
    invoice_id  TEXT   NOT NULL,
    customer_id TEXT   NOT NULL,
    currency    TEXT   NOT NULL,
    amount      BIGINT NOT NULL,
    status      TEXT   NOT NULL,
    sequence    BIGINT NOT NULL,
    -- What this service's own payments hold against the invoice (processing, authorized, captured and
    -- not refunded), kept by the appends of those payments in their own statements.
    amount_held BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (merchant_id, invoice_id)
);

-- Two payments against one invoice that race past the application's check must not both be
-- recorded: the second append's increase of amount_held waits for the first one's row lock, sees its
-- increase and is refused here, which rolls its whole append back. Only increases are refused: an
-- invoice whose amount was lowered while payments held it must still let them be captured, canceled
-- and refunded.
CREATE FUNCTION refuse_to_overpay_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.amount_held > OLD.amount_held AND NEW.amount_held > NEW.amount THEN
        RAISE EXCEPTION 'payments would exceed what is due on invoice %', NEW.invoice_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_amount_due_not_exceeded';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER invoice_projection_amount_due_not_exceeded
    BEFORE UPDATE OF amount_held ON invoice_projection
    FOR EACH ROW EXECUTE FUNCTION refuse_to_overpay_invoice();
