-- An entry is about one payment, one payout or one settlement: the aggregate of the event it records
-- (CONTRACT §9 lists entries by payment_id, payout_id and settlement_id). Exactly one of the three is set.
-- The rows recorded before this migration are all about payments. Adding nullable columns rewrites
-- nothing, and the append-only triggers guard rows, not the table's definition.
ALTER TABLE journal_entries
    ALTER COLUMN payment_id DROP NOT NULL,
    ADD COLUMN payout_id TEXT,
    ADD COLUMN settlement_id TEXT,
    ADD CONSTRAINT journal_entries_about_one_object CHECK (num_nonnulls(payment_id, payout_id, settlement_id) = 1);

-- The lists of one merchant's entries of one payout or one settlement, newest first. The payment's list
-- keeps journal_entries_by_payment.
CREATE INDEX journal_entries_by_payout ON journal_entries (merchant_id, payout_id, created_at DESC, id DESC)
    WHERE payout_id IS NOT NULL;
CREATE INDEX journal_entries_by_settlement ON journal_entries (merchant_id, settlement_id, created_at DESC, id DESC)
    WHERE settlement_id IS NOT NULL;
