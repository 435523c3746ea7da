-- The fan-out asks which endpoints subscribe to what before it does anything else with an event (most
-- events go to no endpoint), and answers from a view it keeps in memory (R2dbcSubscriptions). This
-- counter tells it when that view is stale: every change to what an endpoint subscribes to moves it, in
-- the transaction of the change, by the triggers below, so that no way of changing an endpoint can
-- forget to. Each change takes the counter row's lock until it commits, so changes are numbered in the
-- order they commit: once version v is visible, every change numbered up to v has committed, and what is
-- read after seeing v misses none of them.
CREATE TABLE webhook_subscriptions_version (
    singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    version   BIGINT  NOT NULL
);
INSERT INTO webhook_subscriptions_version (singleton, version) VALUES (true, 1);

CREATE FUNCTION webhook_subscriptions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE webhook_subscriptions_version SET version = version + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER webhook_endpoints_added_or_removed
    AFTER INSERT OR DELETE ON webhook_endpoints
    FOR EACH ROW EXECUTE FUNCTION webhook_subscriptions_changed();

-- Only rows whose subscription changed: the attempts' statements set disabled on endpoints that
-- answered 410, often again on one already disabled, and must not move the counter for nothing.
CREATE TRIGGER webhook_endpoints_subscription_changed
    AFTER UPDATE ON webhook_endpoints
    FOR EACH ROW
    WHEN (OLD.merchant_id IS DISTINCT FROM NEW.merchant_id OR OLD.event_types IS DISTINCT FROM NEW.event_types
          OR OLD.disabled IS DISTINCT FROM NEW.disabled OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
    EXECUTE FUNCTION webhook_subscriptions_changed();
