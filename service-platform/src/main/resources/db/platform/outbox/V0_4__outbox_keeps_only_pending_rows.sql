-- The relay now deletes a row once the broker acknowledged it; rows it marked published before are
-- deleted here. The events themselves stay in each service's own tables.
DELETE FROM outbox WHERE published_at IS NOT NULL;
