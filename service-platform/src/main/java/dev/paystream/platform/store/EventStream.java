package dev.paystream.platform.store;

import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/**
 * The stream table of one event-sourced aggregate, made by the platform's
 * {@code create_event_stream(table, id_column)}: each event with its aggregate id, sequence, id,
 * type, merchant, payload and time. It gives an {@link AppendStatement} the rows of new events and
 * reads an aggregate's history; the aggregate's own code only says how its events are named and
 * stored ({@link Codec}). Payments use it; payouts and invoices use it the same way.
 *
 * @param <E> the aggregate's event type
 */
public final class EventStream<E> {

    /** How an aggregate's events are named and kept in the {@code payload} column (private to the service). */
    public interface Codec<E> {
        String type(E event);

        String encode(E event);

        E decode(String type, String payload);

        String aggregateId(E event);

        Instant occurredAt(E event);
    }

    /** An event as it was appended: its id and its place in the aggregate's stream. */
    public record Recorded<E>(String eventId, long sequence, E event) {
    }

    private final DatabaseClient database;
    private final String table;
    private final String idColumn;
    private final Codec<E> codec;

    public EventStream(DatabaseClient database, String table, String idColumn, Codec<E> codec) {
        if (!table.matches("[a-z_]+") || !idColumn.matches("[a-z_]+")) {
            throw new IllegalArgumentException("table and column names are lower-case words");
        }
        this.database = database;
        this.table = table;
        this.idColumn = idColumn;
        this.codec = codec;
    }

    /** The rows of {@code events} of one merchant's aggregate, for the {@code events} part of an append. */
    public TableRows rows(List<Recorded<E>> events, String merchantId) {
        TableRows rows = TableRows.into(table, idColumn, "sequence", "event_id", "event_type", "merchant_id", "payload", "occurred_at");
        for (Recorded<E> recorded : events) {
            E event = recorded.event();
            rows.row(codec.aggregateId(event), recorded.sequence(), recorded.eventId(), codec.type(event), merchantId,
                    Json.of(codec.encode(event)), codec.occurredAt(event));
        }
        return rows;
    }

    /** The aggregate's events, oldest first; empty when it does not exist or belongs to another merchant. */
    public Flux<Recorded<E>> history(String aggregateId, String merchantId) {
        return database.sql("SELECT event_id, sequence, event_type, payload::text AS payload FROM " + table
                        + " WHERE " + idColumn + " = :id AND merchant_id = :merchantId ORDER BY sequence")
                .bind("id", aggregateId)
                .bind("merchantId", merchantId)
                .map(row -> new Recorded<>(row.get("event_id", String.class), row.get("sequence", Long.class),
                        codec.decode(row.get("event_type", String.class), row.get("payload", String.class))))
                .all();
    }

    /**
     * The events of the aggregates of one merchant that a query selects, each aggregate's oldest first and
     * the aggregates one after the other (by id), in one round trip: for work that picks many aggregates at
     * once and then needs their histories, such as a settlement page (its payments, then their events, were
     * two queries; the ids went to the service and back). {@code selection} is a {@code SELECT} whose only
     * column is the aggregates' ids, named {@code id}, with its own named parameters ({@code bindings}, which
     * must not use {@code merchantId}); ids that belong to no aggregate of the merchant have no events.
     */
    public Flux<Recorded<E>> histories(String selection, Map<String, Object> bindings, String merchantId) {
        if (bindings.containsKey("merchantId")) {
            throw new IllegalArgumentException("the selection's parameters must not use the name merchantId");
        }
        Map<String, Object> all = new HashMap<>(bindings);
        all.put("merchantId", merchantId);
        return database.sql("SELECT e.event_id, e.sequence, e.event_type, e.payload::text AS payload FROM (" + selection + ") AS selected"
                        + " JOIN " + table + " e ON e." + idColumn + " = selected.id AND e.merchant_id = :merchantId ORDER BY e." + idColumn
                        + ", e.sequence")
                .bindValues(all)
                .map(row -> new Recorded<>(row.get("event_id", String.class), row.get("sequence", Long.class),
                        codec.decode(row.get("event_type", String.class), row.get("payload", String.class))))
                .all();
    }
}
