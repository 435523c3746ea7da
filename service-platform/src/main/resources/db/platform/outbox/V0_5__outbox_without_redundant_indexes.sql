-- Since V0_4 every outbox row is pending until the relay deletes it, so the partial index on pending
-- rows repeated the primary key; and an event id is unique where the event is stored (the service's
-- own tables), while consumers deduplicate by event id anyway. Two index insertions fewer per row.
DROP INDEX IF EXISTS outbox_pending;
ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_event_id_key;
