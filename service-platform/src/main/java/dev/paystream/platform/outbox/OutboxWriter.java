package dev.paystream.platform.outbox;

import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Appends outbox rows. It must be called inside the transaction of the state change the messages
 * announce (a {@code TransactionalOperator} around both), so that both commit or neither does.
 */
public final class OutboxWriter {

    private final DatabaseClient database;
    private final OutboxRelay relay;

    public OutboxWriter(DatabaseClient database, OutboxRelay relay) {
        this.database = database;
        this.relay = relay;
    }

    public Mono<Void> append(List<OutboxMessage> messages) {
        return Flux.fromIterable(messages)
                .concatMap(message -> database.sql("""
                                INSERT INTO outbox (event_id, topic, record_key, event_type, payload)
                                VALUES (:eventId, :topic, :key, :type, :payload)""")
                        .bind("eventId", message.eventId())
                        .bind("topic", message.topic())
                        .bind("key", message.key())
                        .bind("type", message.eventType())
                        .bind("payload", message.payload())
                        .then())
                .then()
                // Nudges the relay; if the transaction then rolls back it merely finds nothing new.
                .doOnSuccess(done -> relay.wake());
    }
}
