-- The idempotent consumer of service-platform (dev.paystream.platform.consumer, ADR 0004).

-- Claims are per consumer: two consumers of one service may both apply the same event (say, a
-- projection and a fan-out of one topic) and each must apply it once. Rows claimed before this
-- migration get the empty name; a service whose consumer claimed them gives them that consumer's name
-- in a migration of its own (the ledger's V3), which runs after this one.
ALTER TABLE processed_events ADD COLUMN consumer TEXT NOT NULL DEFAULT '';
ALTER TABLE processed_events ALTER COLUMN consumer DROP DEFAULT;
ALTER TABLE processed_events DROP CONSTRAINT processed_events_pkey, ADD PRIMARY KEY (consumer, event_id);

-- Records a consumer could not apply: an unreadable envelope, a handler's refusal, a failure that lies
-- in the record (SQLSTATE classes 22 and 23) or one that kept failing. They are kept here, with the
-- value and the error, instead of blocking their partition or being dropped; an operator lists them
-- and re-drives them through the same handler once the cause is fixed.
CREATE TABLE parked_events (
    id               TEXT        PRIMARY KEY CHECK (id ~ '^pe_[0-9a-f]{24}$'),
    consumer         TEXT        NOT NULL,
    topic            TEXT        NOT NULL,
    record_partition INTEGER     NOT NULL,
    record_offset    BIGINT      NOT NULL,
    record_key       TEXT,
    -- From the envelope when it could be read, so that operators can find the event.
    event_id         TEXT,
    event_type       TEXT,
    merchant_id      TEXT,
    -- The record's value; a NUL, which text cannot hold, is stored as the JSON escape \u0000.
    payload          TEXT,
    failure_code     TEXT        NOT NULL,
    failure_message  TEXT        NOT NULL,
    status           TEXT        NOT NULL DEFAULT 'parked' CHECK (status IN ('parked', 'resolved')),
    parked_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    redrive_count    INTEGER     NOT NULL DEFAULT 0,
    last_redriven_at TIMESTAMPTZ,
    resolved_at      TIMESTAMPTZ,
    -- A batch delivered again parks its bad records again: they are the same parked events.
    UNIQUE (consumer, topic, record_partition, record_offset)
);

-- The operator's list, newest first.
CREATE INDEX parked_events_newest_first ON parked_events (parked_at DESC, id DESC);
-- The parked_waiting gauge counts these on every refresh.
CREATE INDEX parked_events_waiting ON parked_events (consumer) WHERE status = 'parked';
