package dev.paystream.platform.store;

import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
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
     * The events of several aggregates of one merchant, each aggregate's oldest first and the aggregates
     * one after the other (by id): for work that loads many aggregates at once, such as a settlement batch,
     * in one query rather than one per aggregate. Aggregates that do not exist or belong to another
     * merchant have no events.
     */
    public Flux<Recorded<E>> histories(Collection<String> aggregateIds, String merchantId) {
        if (aggregateIds.isEmpty()) {
            return Flux.empty();
        }
        return database.sql("SELECT event_id, sequence, event_type, payload::text AS payload FROM " + table
                        + " WHERE " + idColumn + " = ANY(CAST(:ids AS TEXT[])) AND merchant_id = :merchantId ORDER BY " + idColumn + ", sequence")
                .bind("ids", aggregateIds.toArray(String[]::new))
                .bind("merchantId", merchantId)
                .map(row -> new Recorded<>(row.get("event_id", String.class), row.get("sequence", Long.class),
                        codec.decode(row.get("event_type", String.class), row.get("payload", String.class))))
                .all();
    }
}
