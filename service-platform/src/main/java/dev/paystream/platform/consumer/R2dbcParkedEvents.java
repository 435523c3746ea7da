package dev.paystream.platform.consumer;

import dev.paystream.platform.ids.TimeOrderedIds;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.r2dbc.core.DatabaseClient;
import dev.paystream.platform.web.Page;
import reactor.core.publisher.Mono;

/** Parked events in PostgreSQL ({@code V0_6__consumer_claims_and_parked_events.sql}). */
public final class R2dbcParkedEvents implements ParkedEvents {

    private static final String COLUMNS = """
            id, consumer, topic, record_partition, record_offset, record_key, event_id, event_type, merchant_id, payload,
            failure_code, failure_message, status, parked_at, redrive_count, last_redriven_at, resolved_at""";

    /** All records of a poll in one statement; the rows travel as arrays, so its text never changes. */
    private static final String PARK = """
            INSERT INTO parked_events (id, consumer, topic, record_partition, record_offset, record_key, event_id, event_type,
                                       merchant_id, payload, failure_code, failure_message)
            SELECT * FROM unnest(CAST(:ids AS TEXT[]), CAST(:consumers AS TEXT[]), CAST(:topics AS TEXT[]),
                                 CAST(:partitions AS INTEGER[]), CAST(:offsets AS BIGINT[]), CAST(:keys AS TEXT[]),
                                 CAST(:eventIds AS TEXT[]), CAST(:eventTypes AS TEXT[]), CAST(:merchantIds AS TEXT[]),
                                 CAST(:payloads AS TEXT[]), CAST(:failureCodes AS TEXT[]), CAST(:failureMessages AS TEXT[]))
            ON CONFLICT (consumer, topic, record_partition, record_offset) DO NOTHING
            RETURNING id""";

    private final DatabaseClient database;
    private final TimeOrderedIds ids;

    public R2dbcParkedEvents(DatabaseClient database, TimeOrderedIds ids) {
        this.database = database;
        this.ids = ids;
    }

    @Override
    public Mono<List<UnappliedRecord>> park(List<UnappliedRecord> records) {
        if (records.isEmpty()) {
            return Mono.just(List.of());
        }
        // Sorted, so that the records of one poll, parked in one millisecond, list in partition order too.
        List<String> parkedIds = new ArrayList<>(records.size());
        for (int index = 0; index < records.size(); index++) {
            parkedIds.add(ids.next("pe_"));
        }
        Collections.sort(parkedIds);
        Map<String, UnappliedRecord> byId = new HashMap<>();
        for (int index = 0; index < records.size(); index++) {
            byId.put(parkedIds.get(index), records.get(index));
        }
        return database.sql(PARK)
                .bind("ids", parkedIds.toArray(String[]::new))
                .bind("consumers", column(records, UnappliedRecord::consumer))
                .bind("topics", column(records, UnappliedRecord::topic))
                .bind("partitions", records.stream().map(UnappliedRecord::partition).toArray(Integer[]::new))
                .bind("offsets", records.stream().map(UnappliedRecord::offset).toArray(Long[]::new))
                .bind("keys", column(records, UnappliedRecord::key))
                .bind("eventIds", column(records, UnappliedRecord::eventId))
                .bind("eventTypes", column(records, UnappliedRecord::eventType))
                .bind("merchantIds", column(records, UnappliedRecord::merchantId))
                .bind("payloads", column(records, UnappliedRecord::payload))
                .bind("failureCodes", column(records, record -> record.failure().code()))
                .bind("failureMessages", column(records, record -> record.failure().message()))
                .map(row -> row.get("id", String.class))
                .all()
                .collect(HashSet<String>::new, Set::add)
                .map(inserted -> parkedIds.stream().filter(inserted::contains).map(byId::get).toList());
    }

    @Override
    public Mono<Page<ParkedEvent>> list(ParkedEventQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM parked_events WHERE true");
        if (query.status() != null) {
            sql.append(" AND status = :status");
        }
        if (query.page().startingAfter() != null) {
            sql.append(" AND (parked_at, id) < (SELECT parked_at, id FROM parked_events WHERE id = :startingAfter)");
        }
        // Each parking statement has its own parked_at; within one, ids ascend in partition order (park).
        // One row more than asked says whether another page follows.
        sql.append(" ORDER BY parked_at DESC, id DESC LIMIT :rows");
        DatabaseClient.GenericExecuteSpec select = database.sql(sql.toString()).bind("rows", query.page().rowsToFetch());
        if (query.status() != null) {
            select = select.bind("status", query.status());
        }
        if (query.page().startingAfter() != null) {
            select = select.bind("startingAfter", query.page().startingAfter());
        }
        return select.map(R2dbcParkedEvents::parkedEvent).all().collectList().map(rows -> {
            return query.page().page(rows);
        });
    }

    @Override
    public Mono<ParkedEvent> find(String id) {
        return database.sql("SELECT " + COLUMNS + " FROM parked_events WHERE id = :id")
                .bind("id", id)
                .map(R2dbcParkedEvents::parkedEvent)
                .one();
    }

    @Override
    public Mono<ParkedEvent> resolve(String id) {
        return database.sql("""
                        UPDATE parked_events
                        SET status = 'resolved', resolved_at = now(), redrive_count = redrive_count + 1, last_redriven_at = now()
                        WHERE id = :id
                        RETURNING""" + " " + COLUMNS)
                .bind("id", id)
                .map(R2dbcParkedEvents::parkedEvent)
                .one();
    }

    @Override
    public Mono<ParkedEvent> failedAgain(String id, Failure failure) {
        return database.sql("""
                        UPDATE parked_events
                        SET failure_code = :failureCode, failure_message = :failureMessage,
                            redrive_count = redrive_count + 1, last_redriven_at = now()
                        WHERE id = :id
                        RETURNING""" + " " + COLUMNS)
                .bind("id", id)
                .bind("failureCode", failure.code())
                .bind("failureMessage", failure.message())
                .map(R2dbcParkedEvents::parkedEvent)
                .one();
    }

    @Override
    public Mono<Map<String, Long>> waitingByConsumer() {
        return database.sql("SELECT consumer, count(*) AS waiting FROM parked_events WHERE status = 'parked' GROUP BY consumer")
                .map(row -> Map.entry(row.get("consumer", String.class), row.get("waiting", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /** A text column as PostgreSQL can store it: text cannot hold NUL, so it is kept as its JSON escape. */
    static String storable(String text) {
        return text == null ? null : text.replace("\u0000", "\\u0000");
    }

    private static String[] column(List<UnappliedRecord> records, Function<UnappliedRecord, String> field) {
        return records.stream().map(field).map(R2dbcParkedEvents::storable).toArray(String[]::new);
    }

    private static ParkedEvent parkedEvent(Readable row) {
        return new ParkedEvent(
                row.get("id", String.class),
                row.get("consumer", String.class),
                row.get("topic", String.class),
                row.get("record_partition", Integer.class),
                row.get("record_offset", Long.class),
                row.get("record_key", String.class),
                row.get("event_id", String.class),
                row.get("event_type", String.class),
                row.get("merchant_id", String.class),
                row.get("payload", String.class),
                row.get("failure_code", String.class),
                row.get("failure_message", String.class),
                row.get("status", String.class),
                row.get("parked_at", Instant.class),
                row.get("redrive_count", Integer.class),
                row.get("last_redriven_at", Instant.class),
                row.get("resolved_at", Instant.class));
    }
}
