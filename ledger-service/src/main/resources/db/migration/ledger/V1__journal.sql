-- The double-entry journal (CONTRACT §9). An entry records one money movement, derived from one event;
-- its lines debit and credit accounts, and balance per currency. Rows are only ever inserted: a
-- correction is a new entry, and the triggers below refuse UPDATE, DELETE and TRUNCATE.
--
-- Balances are not stored: they are sums over journal_lines, served by an index-only scan of
-- journal_lines_by_account. One source of truth cannot drift, and concurrent postings for the same
-- merchant do not queue on a shared balance row. Once a merchant's lines make those sums slow, add
-- a snapshot table (balance as of an entry) rather than a mutable running total.

CREATE TABLE journal_entries (
    id          TEXT        PRIMARY KEY CHECK (id ~ '^je_[0-9a-f]{8,64}$'),
    event_id    TEXT        NOT NULL UNIQUE,
    payment_id  TEXT        NOT NULL,
    merchant_id TEXT        NOT NULL,
    -- When the money moved: the event's occurred_at, so that a replay gives the same history.
    created_at  TIMESTAMPTZ NOT NULL,
    -- When this ledger recorded it, for operators.
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Lets journal_lines prove that each line belongs to its entry's merchant.
    UNIQUE (id, merchant_id)
);

CREATE INDEX journal_entries_newest_first ON journal_entries (merchant_id, created_at DESC, id DESC);
CREATE INDEX journal_entries_by_payment ON journal_entries (payment_id, created_at DESC, id DESC);

CREATE TABLE journal_lines (
    entry_id    TEXT     NOT NULL,
    line_no     SMALLINT NOT NULL CHECK (line_no BETWEEN 1 AND 16),
    -- Copied from the entry (rows never change, so it cannot go stale) so that balances read lines only.
    merchant_id TEXT     NOT NULL,
    account     TEXT     NOT NULL CHECK (account IN ('customer_funds', 'merchant_pending', 'merchant_available', 'fees', 'payouts')),
    currency    TEXT     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    debit       BIGINT   NOT NULL CHECK (debit >= 0),
    credit      BIGINT   NOT NULL CHECK (credit >= 0),
    CONSTRAINT journal_lines_one_side CHECK ((debit = 0) <> (credit = 0)),
    PRIMARY KEY (entry_id, line_no),
    FOREIGN KEY (entry_id, merchant_id) REFERENCES journal_entries (id, merchant_id)
);

CREATE INDEX journal_lines_by_account ON journal_lines (merchant_id, currency, account) INCLUDE (debit, credit);

-- The database checks at commit what JournalEntry checks in memory: an entry has at least two lines,
-- and they balance in every currency. A bug that wrote rows around the domain fails its transaction.
CREATE FUNCTION journal_entry_must_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- TG_ARGV[0] names the column that holds the entry id in the table that fired.
    checked_entry TEXT := to_jsonb(NEW) ->> TG_ARGV[0];
BEGIN
    IF (SELECT count(*) FROM journal_lines WHERE entry_id = checked_entry) < 2 THEN
        RAISE EXCEPTION 'journal entry % has fewer than two lines', checked_entry USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM journal_lines WHERE entry_id = checked_entry
               GROUP BY currency HAVING sum(debit) <> sum(credit)) THEN
        RAISE EXCEPTION 'journal entry % does not balance', checked_entry USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER journal_entries_balance AFTER INSERT ON journal_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_entry_must_balance('id');
CREATE CONSTRAINT TRIGGER journal_lines_balance AFTER INSERT ON journal_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_entry_must_balance('entry_id');

CREATE FUNCTION journal_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: record a correcting entry instead', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
    FOR EACH STATEMENT EXECUTE FUNCTION journal_is_append_only();
CREATE TRIGGER journal_lines_append_only BEFORE UPDATE OR DELETE ON journal_lines
    FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
CREATE TRIGGER journal_lines_no_truncate BEFORE TRUNCATE ON journal_lines
    FOR EACH STATEMENT EXECUTE FUNCTION journal_is_append_only();

-- Events that should move money but break their contract (say, a capture without a positive amount).
-- They are not claimed in processed_events, so a replay of the topic after a fix posts them; the
-- topic, partition and offset say where to read the event itself.
CREATE TABLE rejected_events (
    event_id        TEXT        PRIMARY KEY,
    event_type      TEXT        NOT NULL,
    merchant_id     TEXT,
    reason          TEXT        NOT NULL,
    origin          TEXT        NOT NULL,
    rejected_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
