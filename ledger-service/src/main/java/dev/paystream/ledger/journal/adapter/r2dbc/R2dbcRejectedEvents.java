package dev.paystream.ledger.journal.adapter.r2dbc;

import dev.paystream.ledger.journal.application.IncomingEvent;
import dev.paystream.ledger.journal.application.RejectedEvents;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** Rejected events in PostgreSQL; the first rejection of an event is the one kept. */
public final class R2dbcRejectedEvents implements RejectedEvents {

    private final DatabaseClient database;

    public R2dbcRejectedEvents(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<Void> record(IncomingEvent event, String reason) {
        DatabaseClient.GenericExecuteSpec insert = database.sql("""
                        INSERT INTO rejected_events (event_id, event_type, merchant_id, reason, origin)
                        VALUES (:eventId, :eventType, :merchantId, :reason, :origin)
                        ON CONFLICT (event_id) DO NOTHING""")
                .bind("eventId", event.id())
                .bind("eventType", event.type())
                .bind("reason", reason)
                .bind("origin", event.origin());
        insert = event.merchantId() == null ? insert.bindNull("merchantId", String.class) : insert.bind("merchantId", event.merchantId());
        return insert.fetch().rowsUpdated().then();
    }
}
