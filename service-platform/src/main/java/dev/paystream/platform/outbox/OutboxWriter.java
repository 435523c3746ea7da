package dev.paystream.platform.outbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        Insert insert = insert(messages);
        DatabaseClient.GenericExecuteSpec statement = database.sql(insert.sql());
        for (var binding : insert.bindings().entrySet()) {
            statement = statement.bind(binding.getKey(), binding.getValue());
        }
        // Nudges the relay; if the transaction then rolls back it merely finds nothing new.
        return statement.then().doOnSuccess(done -> relay.wake());
    }

    /**
     * The INSERT of {@code messages} as SQL and its named parameters ({@code outbox_*}), for a caller
     * that embeds it in a statement of its own — a data-modifying WITH — so that its state change and
     * its outbox rows are written by one statement. The caller then calls {@link #rowsWritten()}.
     */
    public Insert insert(List<OutboxMessage> messages) {
        StringBuilder sql = new StringBuilder("INSERT INTO outbox (event_id, topic, record_key, event_type, payload) VALUES ");
        Map<String, Object> bindings = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            OutboxMessage message = messages.get(i);
            sql.append(i == 0 ? "" : ", ").append("(:outbox_event_id").append(i).append(", :outbox_topic").append(i)
                    .append(", :outbox_key").append(i).append(", :outbox_type").append(i).append(", :outbox_payload").append(i).append(')');
            bindings.put("outbox_event_id" + i, message.eventId());
            bindings.put("outbox_topic" + i, message.topic());
            bindings.put("outbox_key" + i, message.key());
            bindings.put("outbox_type" + i, message.eventType());
            bindings.put("outbox_payload" + i, message.payload());
        }
        return new Insert(sql.toString(), bindings);
    }

    /** To be called once rows written through {@link #insert} are committed: the relay looks at once. */
    public void rowsWritten() {
        relay.wake();
    }

    /** An INSERT statement and its named parameters. */
    public record Insert(String sql, Map<String, Object> bindings) {
    }
}
