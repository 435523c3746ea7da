package dev.paystream.platform.inbox;

import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The idempotent-consumer inbox. A consumer claims an event id inside the transaction that applies
 * the event; a second delivery of the same id finds it claimed and must change nothing.
 */
public final class ProcessedEvents {

    private final DatabaseClient database;

    public ProcessedEvents(DatabaseClient database) {
        this.database = database;
    }

    /** Emits {@code true} the first time an event id is claimed, {@code false} for a duplicate. */
    public Mono<Boolean> claim(String eventId, String eventType) {
        return database.sql("""
                        INSERT INTO processed_events (event_id, event_type) VALUES (:eventId, :eventType)
                        ON CONFLICT (event_id) DO NOTHING""")
                .bind("eventId", eventId)
                .bind("eventType", eventType)
                .fetch().rowsUpdated()
                .map(inserted -> inserted == 1);
    }
}
