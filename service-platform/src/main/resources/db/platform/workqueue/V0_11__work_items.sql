-- The durable work queue (platform.workqueue): delayed work that survives restarts and runs on one
-- instance at a time. An item is due once due_at has passed; taking it moves due_at forward by the
-- lease, so an item whose worker died is due again when the lease ends. lease_token says whose the
-- current lease is: only its holder may finish the item or put it back.
CREATE TABLE work_items (
    queue       TEXT        NOT NULL,
    item_key    TEXT        NOT NULL,
    payload     TEXT        NOT NULL DEFAULT '',
    due_at      TIMESTAMPTZ NOT NULL,
    attempts    INTEGER     NOT NULL DEFAULT 0,
    lease_token TEXT,
    last_error  TEXT,
    failed_at   TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (queue, item_key)
);

-- What the workers poll: due items of a queue that have not failed for good.
CREATE INDEX work_items_due ON work_items (queue, due_at) WHERE failed_at IS NULL;
