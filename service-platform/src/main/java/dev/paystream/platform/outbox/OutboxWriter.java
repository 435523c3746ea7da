package dev.paystream.platform.outbox;

import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
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
        if (messages.isEmpty()) {
            return Mono.empty();
        }
        // One statement for all rows: a round trip per row is what a busy service feels first.
        StringBuilder sql = new StringBuilder("INSERT INTO outbox (event_id, topic, record_key, event_type, payload) VALUES ");
        for (int i = 0; i < messages.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:eventId").append(i).append(", :topic").append(i).append(", :key").append(i)
                    .append(", :type").append(i).append(", :payload").append(i).append(')');
        }
        DatabaseClient.GenericExecuteSpec insert = database.sql(sql.toString());
        for (int i = 0; i < messages.size(); i++) {
            OutboxMessage message = messages.get(i);
            insert = insert.bind("eventId" + i, message.eventId())
                    .bind("topic" + i, message.topic())
                    .bind("key" + i, message.key())
                    .bind("type" + i, message.eventType())
                    .bind("payload" + i, message.payload());
        }
        return insert.then()
                // Nudges the relay; if the transaction then rolls back it merely finds nothing new.
                .doOnSuccess(done -> relay.wake());
    }
}
