-- The idempotent-consumer inbox: an event id is claimed in the same transaction as the write it
-- causes, so a redelivered event finds its id taken and changes nothing.
CREATE TABLE processed_events (
    event_id     TEXT PRIMARY KEY,
    event_type   TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
