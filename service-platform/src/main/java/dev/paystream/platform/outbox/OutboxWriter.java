package dev.paystream.platform.outbox;

import java.util.List;
import dev.paystream.platform.store.TableRows;
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
        StringBuilder sql = new StringBuilder("INSERT INTO outbox (event_id, topic, record_key, event_type, payload) VALUES ");
        for (int i = 0; i < messages.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:event_id").append(i).append(", :topic").append(i).append(", :key").append(i)
                    .append(", :type").append(i).append(", :payload").append(i).append(')');
        }
        DatabaseClient.GenericExecuteSpec statement = database.sql(sql.toString());
        for (int i = 0; i < messages.size(); i++) {
            OutboxMessage message = messages.get(i);
            statement = statement.bind("event_id" + i, message.eventId()).bind("topic" + i, message.topic())
                    .bind("key" + i, message.key()).bind("type" + i, message.eventType()).bind("payload" + i, message.payload());
        }
        // Nudges the relay; if the transaction then rolls back it merely finds nothing new.
        return statement.then().doOnSuccess(done -> relay.wake());
    }

    /**
     * The outbox rows of {@code messages}, for a caller that writes them as a part of its own
     * statement ({@code platform.store.AppendStatement}), so that its state change and its outbox
     * rows are written by one statement. The caller then calls {@link #rowsWritten()}.
     */
    public TableRows rows(List<OutboxMessage> messages) {
        TableRows rows = TableRows.into("outbox", "event_id", "topic", "record_key", "event_type", "payload");
        for (OutboxMessage message : messages) {
            rows.row(message.eventId(), message.topic(), message.key(), message.eventType(), message.payload());
        }
        return rows;
    }

    /** To be called once rows written through {@link #insert} are committed: the relay looks at once. */
    public void rowsWritten() {
        relay.wake();
    }

}
