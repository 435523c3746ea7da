-- The same check as V1's journal_entry_must_balance, cheaper: the entry id is read from NEW directly
-- (V1 converted the whole row to jsonb to find it) and the line count and the per-currency balance
-- come from one query instead of two. It runs at commit for every entry and every line, so on a busy
-- ledger it was a visible share of PostgreSQL's time. plpgsql plans the function per table, so the
-- branch not taken never touches a column the table lacks.
CREATE OR REPLACE FUNCTION journal_entry_must_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    checked_entry TEXT;
    line_count    BIGINT;
    balanced      BOOLEAN;
BEGIN
    IF TG_TABLE_NAME = 'journal_lines' THEN
        checked_entry := NEW.entry_id;
    ELSE
        checked_entry := NEW.id;
    END IF;
    SELECT coalesce(sum(lines), 0), coalesce(bool_and(debits = credits), true)
    INTO line_count, balanced
    FROM (SELECT count(*) AS lines, sum(debit) AS debits, sum(credit) AS credits
          FROM journal_lines WHERE entry_id = checked_entry GROUP BY currency) AS per_currency;
    IF line_count < 2 THEN
        RAISE EXCEPTION 'journal entry % has fewer than two lines', checked_entry USING ERRCODE = 'check_violation';
    END IF;
    IF NOT balanced THEN
        RAISE EXCEPTION 'journal entry % does not balance', checked_entry USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
