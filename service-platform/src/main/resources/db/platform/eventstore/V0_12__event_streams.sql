-- Event streams of event-sourced aggregates (platform.store.EventStream): one table per aggregate,
-- all of one shape, made by create_event_stream() so that a new aggregate's migration is one line,
-- e.g. SELECT create_event_stream('invoice_events', 'invoice_id'), not a copy of this DDL.
-- Append-only: (aggregate id, sequence) is the key, so of two writers that read the same version only
-- the first can append the next event; a trigger refuses to change or delete what was appended.
CREATE FUNCTION refuse_to_rewrite_event_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: a correction is a new event', TG_TABLE_NAME;
END;
$$;

CREATE FUNCTION create_event_stream(stream_table TEXT, id_column TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($ddl$
        CREATE TABLE %1$I (
            %2$I        TEXT        NOT NULL,
            sequence    BIGINT      NOT NULL CHECK (sequence >= 1),
            event_id    TEXT        NOT NULL UNIQUE,
            event_type  TEXT        NOT NULL,
            merchant_id TEXT        NOT NULL,
            payload     JSONB       NOT NULL,
            occurred_at TIMESTAMPTZ NOT NULL,
            recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            PRIMARY KEY (%2$I, sequence)
        );
        CREATE TRIGGER %3$I BEFORE UPDATE OR DELETE ON %1$I
            FOR EACH ROW EXECUTE FUNCTION refuse_to_rewrite_event_history();
        CREATE TRIGGER %4$I BEFORE TRUNCATE ON %1$I
            FOR EACH STATEMENT EXECUTE FUNCTION refuse_to_rewrite_event_history();
        $ddl$, stream_table, id_column, stream_table || '_append_only', stream_table || '_never_truncated');
END;
$$;
